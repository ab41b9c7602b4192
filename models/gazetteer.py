"""Versioned gazetteers of vendors, data types, agencies and programs (JSON files in models/gazetteers/).

Each file has a "version" and a list of entries. An entry has a canonical ``id`` (stable; used as
facet value), a display ``name`` and terms:

- ``aliases`` / ``products``: matched case-insensitively on token boundaries;
- ``exact``: matched case-sensitively (acronyms such as "ICE", "NVLS");
- ``ambiguous``: case-sensitive forms that only count with context (see models/entities.py):
  ``{"text", "forms", "context", "anti_context", "reject_prev", "reject_next"}``.

Programs (government programs and systems, vendor-run sharing networks) also have ``owner`` (the
agency id running it), ``vendor`` (the vendor id running a vendor network), ``data`` (the data type
ids it carries) and ``route`` (the systems a flow through it passes, in order: Secure Communities
sends a booking's fingerprints to FBI NGI, then DHS IDENT).

Agencies also have ``patterns``: head phrases ("Sheriff's Office", "Fusion Center") preceded by a
capitalised name. Such agencies keep the name as found; their id is ``<prefix>-<slug>``
(see :func:`pattern_agency_id`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from foialens.models.records import EntityKind

GAZETTEER_DIR = Path(__file__).resolve().parent / "gazetteers"
FILES: dict[str, str] = {
    "vendor": "vendors.json", "data_type": "data_types.json", "agency": "agencies.json", "program": "programs.json",
}
PATTERN_PREFIXES: tuple[str, ...] = ("local", "fusion", "state")


@dataclass(frozen=True)
class AmbiguousTerm:
    text: str
    forms: tuple[str, ...]
    context: tuple[str, ...]
    anti_context: tuple[str, ...] = ()
    reject_prev: tuple[str, ...] = ()
    reject_next: tuple[str, ...] = ()


@dataclass(frozen=True)
class Entry:
    kind: EntityKind
    id: str
    name: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()
    products: tuple[str, ...] = ()
    exact: tuple[str, ...] = ()
    ambiguous: tuple[AmbiguousTerm, ...] = ()
    owner: str | None = None  # programs: the agency that runs it
    vendor: str | None = None  # programs: the vendor that runs it
    data: tuple[str, ...] = ()  # programs: data type ids it carries
    route: tuple[str, ...] = ()  # programs: the systems a flow through it passes, in order


@dataclass(frozen=True)
class AgencyPattern:
    prefix: str
    heads: tuple[str, ...]


@dataclass(frozen=True)
class Gazetteer:
    kind: EntityKind
    version: str
    entries: tuple[Entry, ...]
    patterns: tuple[AgencyPattern, ...] = field(default=())

    def by_id(self) -> dict[str, Entry]:
        return {e.id: e for e in self.entries}


def _ambiguous(raw: dict) -> AmbiguousTerm:
    text = raw["text"]
    return AmbiguousTerm(
        text=text,
        forms=tuple(raw.get("forms") or (text, text.upper())),
        context=tuple(raw.get("context", ())),
        anti_context=tuple(raw.get("anti_context", ())),
        reject_prev=tuple(raw.get("reject_prev", ())),
        reject_next=tuple(raw.get("reject_next", ())),
    )


@cache
def load_gazetteer(kind: EntityKind) -> Gazetteer:
    """The gazetteer of one kind, read once per process."""
    raw = json.loads((GAZETTEER_DIR / FILES[kind]).read_text(encoding="utf-8"))
    entries = tuple(
        Entry(
            kind=kind,
            id=e["id"],
            name=e["name"],
            parent=e.get("parent"),
            aliases=tuple(e.get("aliases", ())),
            products=tuple(e.get("products", ())),
            exact=tuple(e.get("exact", ())),
            ambiguous=tuple(_ambiguous(a) for a in e.get("ambiguous", ())),
            owner=e.get("owner"),
            vendor=e.get("vendor"),
            data=tuple(e.get("data", ())),
            route=tuple(e.get("route", ())),
        )
        for e in raw["entries"]
    )
    patterns = tuple(AgencyPattern(p["prefix"], tuple(p["heads"])) for p in raw.get("patterns", ()))
    return Gazetteer(kind=kind, version=str(raw["version"]), entries=entries, patterns=patterns)


def gazetteers() -> tuple[Gazetteer, ...]:
    return tuple(load_gazetteer(k) for k in FILES)  # type: ignore[arg-type]


def gazetteer_version() -> str:
    """One version string for the files, e.g. 'vendor=1.0.0;data_type=1.0.0;agency=1.0.0;program=1.0.0'."""
    return ";".join(f"{g.kind}={g.version}" for g in gazetteers())


def slugify(name: str) -> str:
    """'Lamar County Sheriff’s Office' -> 'lamar-county-sheriffs-office'."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['`]", "", text)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def pattern_agency_id(prefix: str, name: str) -> str:
    """Id of an agency found by pattern: '<prefix>-<slug of the name as found>'."""
    return f"{prefix}-{slugify(name)}"


def agency_ancestors(id: str) -> list[str]:
    """The agencies above a canonical agency id, nearest first ("hsi" -> ["ice", "dhs"])."""
    return ancestors("agency", id)


def ancestors(kind: EntityKind, id: str) -> list[str]:
    """The entries above an id of one kind, nearest first ("287g_jem" -> ["287g"])."""
    by_id = load_gazetteer(kind).by_id()
    out: list[str] = []
    parent = by_id[id].parent if id in by_id else None
    while parent and parent not in out:
        out.append(parent)
        parent = by_id[parent].parent if parent in by_id else None
    return out


def display_name(kind: EntityKind, id: str) -> str:
    """Display name of a canonical id; pattern agency ids are turned back into a readable name.

    Raises KeyError for an unknown id.
    """
    entry = load_gazetteer(kind).by_id().get(id)
    if entry is not None:
        return entry.name
    if kind == "agency":
        prefix, _, slug = id.partition("-")
        if prefix in PATTERN_PREFIXES and slug:
            return slug.replace("-", " ").title()
    raise KeyError(f"unknown {kind} id: {id!r}")
