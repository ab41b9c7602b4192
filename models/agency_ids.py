"""One id per agency, whatever the spelling: federal components by the gazetteer, state and local
agencies by place, type and state.

    resolve_agency("DHS - HSI (Newark NJ)")             -> hsi          "HSI (Newark NJ)"
    resolve_agency("San Diego Sector Border Patrol")      -> usbp         "San Diego Sector Border Patrol"
    resolve_agency("Jasper County Sheriff MO")            -> local-mo-jasper-county-sheriff
    resolve_agency("Jasper County Sheriff's Office (MS)") -> local-ms-jasper-county-sheriff
    resolve_agency("Polk County FL SO")                   -> local-fl-polk-county-sheriff
    resolve_agency("Alpharetta Police Department (GA)")   -> local-ga-alpharetta-police
    resolve_agency("Akron OH PD (143 cameras)")           -> local-oh-akron-police

A state or local id is ``<level>-[<state>-]<place>-<type>``: level ``local`` or ``state`` (or
``fusion``), the two-letter state when the name gives one (a qualifier "(GA)", a trailing "CA", or
the "Polk County FL SO" order of agency lists), the place words and a canonical type ("police",
"sheriff", "district-attorney", "state-police", ...). Spellings of one agency share it: "SO",
"Sheriffs Office", "Sheriff's Department"; "PD", "Police Dept."; apostrophes and case. Without a
state in the name the id has none: a list that names states keeps same-named agencies of
different states apart, prose rarely does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from foialens.models.gazetteer import load_gazetteer, slugify

STATE_CODES = frozenset(
    "AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
    "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC PR GU VI".split()
)
STATE_NAMES = {
    "alabama": "AL", "alaska": "AK", "arizona": "AZ", "arkansas": "AR", "california": "CA", "colorado": "CO",
    "connecticut": "CT", "delaware": "DE", "florida": "FL", "georgia": "GA", "hawaii": "HI", "idaho": "ID",
    "illinois": "IL", "indiana": "IN", "iowa": "IA", "kansas": "KS", "kentucky": "KY", "louisiana": "LA",
    "maine": "ME", "maryland": "MD", "massachusetts": "MA", "michigan": "MI", "minnesota": "MN",
    "mississippi": "MS", "missouri": "MO", "montana": "MT", "nebraska": "NE", "nevada": "NV",
    "new hampshire": "NH", "new jersey": "NJ", "new mexico": "NM", "new york": "NY", "north carolina": "NC",
    "north dakota": "ND", "ohio": "OH", "oklahoma": "OK", "oregon": "OR", "pennsylvania": "PA",
    "rhode island": "RI", "south carolina": "SC", "south dakota": "SD", "tennessee": "TN", "texas": "TX",
    "utah": "UT", "vermont": "VT", "virginia": "VA", "washington": "WA", "west virginia": "WV",
    "wisconsin": "WI", "wyoming": "WY",
}
# canonical type -> (level, spellings at the end of a name)
TYPES: dict[str, tuple[str, tuple[str, ...]]] = {
    "sheriff": ("local", ("sheriff's office", "sheriffs office", "sheriff office", "sheriff's department",
                          "sheriffs department", "sheriff department", "sheriff's dept", "sheriffs dept", "sheriff dept",
                          "sheriff's", "sheriffs", "sheriff", "so")),
    "police": ("local", ("police department", "police dept", "department of police", "police bureau",
                         "bureau of police", "police service", "police", "pd")),
    "public-safety": ("local", ("department of public safety", "public safety department", "dept of public safety",
                                "public safety", "dps")),
    "district-attorney": ("local", ("district attorney's office", "district attorneys office", "district attorney office",
                                    "district attorney", "da's office", "da office", "da")),
    "marshal": ("local", ("marshal's office", "marshals office", "marshal")),
    "constable": ("local", ("constable's office", "constables office", "constable office", "constable")),
    "task-force": ("local", ("task force",)),
    "crime-center": ("local", ("real time crime center", "real-time crime center", "crime center")),
    "state-police": ("state", ("state police", "state patrol", "highway patrol", "state highway patrol")),
    "corrections": ("state", ("department of corrections", "dept of corrections", "doc")),
    "law-enforcement": ("state", ("department of law enforcement", "bureau of investigation", "department of justice")),
    "fusion-center": ("fusion", ("fusion center", "regional intelligence center", "intelligence center",
                                 "information analysis center", "threat assessment center", "crime information center")),
}
_SPELLINGS = sorted(((s, t) for t, (_lvl, ss) in TYPES.items() for s in ss), key=lambda st: -len(st[0]))
_NOTE = re.compile(r"\(\s*(?:\d+|[A-Za-z]{1,3})\s+cameras?\s*\)|\((?:LR|Flex|Tech|Falcon|Condor|WingLPR|Axon)[^)]*\)", re.I)
_STATE_PAREN = re.compile(r"\(\s*([A-Z]{2})\s*\)")
_PAREN = re.compile(r"\(([^)]*)\)")


@dataclass(frozen=True)
class AgencyRef:
    id: str
    name: str  # display name
    state: str | None = None
    federal: bool = False
    place: str | None = None  # slug of the place a state or local agency serves ("irvine", "orange-county")

    @property
    def level(self) -> str:
        """federal | state | local | fusion | agency (a list row whose type is not known)."""
        return "federal" if self.federal else self.id.split("-", 1)[0]

    def jurisdictions(self, default_state: str | None = None) -> list[str]:
        """The jurisdictions the agency is in, widest first: ["US"] for a federal agency,
        ["CA", "CA/irvine"] for a local one (``default_state``: the state when the name gives
        none, e.g. the state of the document that names the agency's own report)."""
        if self.federal:
            return ["US"]
        state = self.state or default_state
        if not state:
            return []
        return [state] + ([f"{state}/{self.place}"] if self.place and self.level == "local" else [])


@cache
def _federal_terms() -> list[tuple[re.Pattern, str]]:
    """Agency gazetteer terms (longest first) as patterns -> id."""
    out = []
    for e in load_gazetteer("agency").entries:
        if e.id == "dmv":
            continue
        for term in e.aliases:
            out.append((len(term), re.compile(r"(?<!\w)" + re.escape(term) + r"(?!\w)", re.I), e.id))
        for term in e.exact:
            out.append((len(term), re.compile(r"(?<![\w-])" + re.escape(term) + r"(?![\w])"), e.id))
    return [(rx, i) for _, rx, i in sorted(out, key=lambda t: -t[0])]


# most specific first: a name with HSI in it is HSI, not DHS
_SPECIFICITY = {"hsi": 0, "ero": 0, "usbp": 0, "usms": 0, "atf": 0, "ice": 1, "cbp": 1, "uscis": 1, "fbi": 1,
                "dea": 1, "dhs": 2, "doj": 2}


def federal_id(name: str) -> str | None:
    """The federal agency a name is (the most specific one it names), or None."""
    found = [i for rx, i in _federal_terms() if rx.search(name)]
    if not found:
        return None
    if re.match(r"^\s*(?:[A-Z]{2}|[A-Z][a-z]+)\s+DOJ\b", name):  # "CA DOJ - Bureau of Firearms": a state's DOJ
        found = [i for i in found if i != "doj"]
        if not found:
            return None
    return min(found, key=lambda i: _SPECIFICITY.get(i, 1))


def _strip_state(words: list[str]) -> tuple[list[str], str | None]:
    """Remove a state given as a two-letter code anywhere after the first word, or a state name
    that is not the whole place ("Georgia State Patrol" keeps its name; its state is GA)."""
    state = None
    kept = []
    for i, w in enumerate(words):
        if i > 0 and w.upper() == w and w in STATE_CODES and state is None:
            state = w
            continue
        kept.append(w)
    return kept, state


def resolve_agency(raw: str, any_name: bool = False) -> AgencyRef | None:
    """The canonical agency a printed name denotes. A name without an agency type ("ALEA", "Harris
    County Const TX Pct 4") is None, or with ``any_name`` (a row of a sharing list: every row is
    an agency) ``agency-[<state>-]<slug>``."""
    text = " ".join(_NOTE.sub(" ", raw).split()).strip(" ,.-")
    if not text:
        return None
    fed = federal_id(text)
    if fed is not None:
        return AgencyRef(id=fed, name=_federal_display(text, fed), federal=True)
    state = None
    m = _STATE_PAREN.search(text)
    if m and m.group(1) in STATE_CODES:
        state = m.group(1)
        text = (text[: m.start()] + text[m.end() :]).strip()
    text = _PAREN.sub(" ", text)
    words = re.sub(r"[’`]", "'", text).replace(".", " ").split()
    words, code = _strip_state(words)
    state = state or code
    lowered = " ".join(words).lower()
    for spelling, canonical in _SPELLINGS:
        if lowered == spelling or lowered.endswith(" " + spelling):
            n = len(spelling.split())
            place, printed_type = " ".join(words[: len(words) - n]), " ".join(words[len(words) - n :])
            break
        if lowered.startswith(spelling + " of "):  # "Department of Police of the City of X" is rare; "Police of X" none
            continue
    else:
        place, canonical = "", ""
    if not place or not re.search(r"[A-Za-z]", place):
        return _any_agency(raw, state) if any_name else None
    level = TYPES[canonical][0]
    place_lower = place.lower()
    if place_lower in STATE_NAMES:  # "Georgia State Patrol", "Arizona Department of Public Safety"
        state, level = STATE_NAMES[place_lower], "state"
        parts = [level, state.lower(), canonical]
    else:
        if level == "state":
            level = "local"  # "Cook County Department of Corrections"
        parts = [level] + ([state.lower()] if state else []) + [slugify(place), canonical]
    display = f"{place} {_display_type(printed_type)}" + (f" ({state})" if state and place_lower not in STATE_NAMES else "")
    place = None if place_lower in STATE_NAMES else slugify(place)
    return AgencyRef(id="-".join(p for p in parts if p), name=display, state=state, place=place)


_ABBREVIATED = {"pd": "Police Department", "so": "Sheriff's Office", "da": "District Attorney's Office",
                "doc": "Department of Corrections", "dps": "Department of Public Safety"}


def _display_type(printed: str) -> str:
    """The agency type as printed, abbreviations spelled out ("PD" -> "Police Department")."""
    return _ABBREVIATED.get(printed.lower(), printed)


def _federal_display(text: str, fed: str) -> str:
    """"DHS - HSI (Newark NJ)" -> "HSI (Newark NJ)"; a bare acronym -> the gazetteer name."""
    entry = load_gazetteer("agency").by_id()[fed]
    cleaned = re.sub(r"^\s*(?:DHS|DOJ|U\.?S\.?)\s*[-–/]\s*", "", text).strip()
    return entry.name if cleaned.upper() in {t.upper() for t in entry.exact} else cleaned


_STATE_QUALIFIER = re.compile(r"\(([A-Z]{2})\)|,\s*([A-Z]{2})\s+\d{5}\b|\b(" + "|".join(
    n.title() for n in sorted(STATE_NAMES, key=len, reverse=True)) + r")\b")


def document_state(text: str, at_least: int = 3) -> str | None:
    """The state a document is about: the state named most ("(CA)" qualifiers of its agency
    list, "Irvine, CA 92618" addresses, "California"), when it is named ``at_least`` times and at
    least twice as often as any other; else None."""
    from collections import Counter

    counts: Counter[str] = Counter()
    for m in _STATE_QUALIFIER.finditer(text):
        code = m.group(1) or m.group(2) or STATE_NAMES.get((m.group(3) or "").lower())
        if code in STATE_CODES:
            counts[code] += 1
    if not counts:
        return None
    (best, n), *rest = counts.most_common(2)
    if n < at_least or (rest and n < 2 * rest[0][1]):
        return None
    return best


def _any_agency(raw: str, state: str | None) -> AgencyRef | None:
    words = [w for w in _PAREN.sub(" ", _NOTE.sub(" ", raw)).split() if w not in STATE_CODES or w != w.upper()]
    name = " ".join(words).strip(" ,.-")
    if not re.search(r"[A-Za-z]{2}", name):
        return None
    slug = slugify(name)
    return AgencyRef(id="agency-" + (f"{state.lower()}-" if state else "") + slug, name=name + (f" ({state})" if state else ""),
                     state=state)
