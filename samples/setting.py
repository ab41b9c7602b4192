"""The variable parts of sample documents: places, local agencies, people, dates and numbers.

The bundled batch uses ``DEFAULT``; the benchmark corpus draws seeded variations with
``random_setting``. Agency names are returned with annotation markup (see ``samples.layout``).
"""

from __future__ import annotations

import random
from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    state: str = "Oregon"
    state_abbr: str = "OR"
    county: str = "Harrow County"
    city: str = "Riverton"
    year: int = 2019
    month: str = "March"
    day: int = 14
    contract_no: str = "HC-SO-2019-041"
    amount: int = 48_500
    officer: str = "Sheriff Dana M. Kessler"
    chief: str = "Chief Alan R. Whitcomb"
    director: str = "Director Maria L. Okafor"
    vendor_rep: str = "Thomas J. Brandt"
    seq: int = 1

    # Local and state agencies, with markup: their printed name is their id.
    @property
    def sheriff(self) -> str:
        return f"[{self.county} Sheriff's Office](a:)"

    @property
    def police(self) -> str:
        return f"[{self.city} Police Department](a:)"

    @property
    def state_police(self) -> str:
        return f"[{self.state} State Police](a:)"

    @property
    def dmv(self) -> str:
        return f"[{self.state} Department of Motor Vehicles](a:)"

    @property
    def fusion(self) -> str:
        return f"[{self.state} Fusion Center](a:)"

    @property
    def date(self) -> str:
        return f"{self.month} {self.day}, {self.year}"


DEFAULT = Setting()

_STATES = [("Oregon", "OR"), ("Vermont", "VT"), ("New Mexico", "NM"), ("Minnesota", "MN"), ("Delaware", "DE"),
           ("Nevada", "NV"), ("Maine", "ME"), ("Colorado", "CO"), ("Illinois", "IL"), ("Georgia", "GA")]
_COUNTIES = ["Harrow", "Bexley", "Crane", "Dunmore", "Ellery", "Fenwick", "Galloway", "Halsey", "Ivers",
             "Juniper", "Kestrel", "Linden", "Merritt", "Norwood", "Oakhurst", "Pryor", "Quarry", "Rowan"]
_CITIES = ["Riverton", "Ashford", "Brookhaven", "Cedar Falls", "Dalton", "Eastport", "Fairview", "Glenwood",
           "Hillcrest", "Kingsley", "Lakemont", "Millbrook", "Northgate", "Pinecrest", "Southwick"]
_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December"]
_FIRST = ["Dana", "Alan", "Maria", "Thomas", "Priya", "Jorge", "Helen", "Marcus", "Ruth", "Owen", "Leah", "Samuel"]
_LAST = ["Kessler", "Whitcomb", "Okafor", "Brandt", "Nakamura", "Alvarez", "Lindqvist", "Osei", "Farrell",
         "Duarte", "Hollis", "Mbeki"]


def random_setting(rng: random.Random, seq: int) -> Setting:
    state, abbr = rng.choice(_STATES)
    county = rng.choice(_COUNTIES)

    def person(title: str) -> str:
        return f"{title} {rng.choice(_FIRST)} {rng.choice('ABCDEFGHJKLMNPRSTW')}. {rng.choice(_LAST)}"

    year = rng.randint(2016, 2024)
    return Setting(
        state=state,
        state_abbr=abbr,
        county=f"{county} County",
        city=rng.choice(_CITIES),
        year=year,
        month=rng.choice(_MONTHS),
        day=rng.randint(1, 28),
        contract_no=f"{county[:2].upper()}-{rng.choice(['SO', 'PD', 'IT', 'PS'])}-{year}-{rng.randint(1, 999):03d}",
        amount=rng.randrange(9_000, 900_000, 250),
        officer=person("Sheriff"),
        chief=person("Chief"),
        director=person("Director"),
        vendor_rep=person("").strip(),
        seq=seq,
    )
