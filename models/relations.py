"""Who shares what with whom: data-sharing relations from sharing reports, network lists and clauses.

One record type, :class:`Relation`: source agency -> recipient agency, the data, the vendor
platform it travels on, its kind (detections | hot_list | query_access | records |
system_access), how the document states it (``direction``: the owner is sharing / receiving),
``polarity`` (grant | restrict), the document date and the evidence (page, text, box).

Two kinds of input:

- **Sharing reports and lists** (:func:`list_relations`), read from the page's *cells* — text runs
  with their boxes, from the text layer or from OCR word boxes (extractors/layout.py) — so that a
  two-column list gives one agency per cell, never two names run together:
  - Vigilant LEARN "Agency Data Sharing Report": sections "Detections Shared" ("X Agency is Sharing
    its Detection data with the following Agencies:"), "Detections Received", "Hot List Sharing",
    "Hot-List Received" ("Agency: | Hot List(s):" tables: only the first column names agencies);
  - Flock network lists ("Organization Name | Networks Shared With Me | Networks I'm Sharing"): a
    row shares with the list's owner when its "shared with me" cell is filled, and the owner
    shares with it when the "I'm sharing" cell is;
  - Flock "Devices - <owner>" lists ("Name <org> (N cameras) ... Search Enabled"): the owner can
    search the org's cameras (org -> owner, query_access).
- **Clauses** (:func:`clause_relations`): an ``ice_access`` sentence is a grant from the
  document's local party to the ICE component it names (ICE by default in a 287(g) agreement);
  an ``ice_restriction`` sentence is a restrict relation.

Agencies are resolved to one id per agency by models/agency_ids.py.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from foialens.models.agency_ids import AgencyRef, document_state, resolve_agency
from foialens.models.context import document_year
from foialens.models.gazetteer import agency_ancestors, load_gazetteer
from foialens.models.records import AgencyEnd, Evidence, Kind, Relation


@dataclass(frozen=True)
class Cell:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (self.x0, self.top, self.x1, self.bottom)


def cell(obj) -> Cell:
    """A Cell from anything with ``text`` and ``bbox`` (the extractor's records)."""
    x0, top, x1, bottom = obj.bbox
    return Cell(obj.text, x0, top, x1, bottom)


# --- sections ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    name: str  # detections_shared_with | detections_received_from | hotlist_shared_with | hotlist_received_from
    kind: Kind
    outgoing: bool  # the owner is the source


_SECTION_HEADINGS = [
    (re.compile(r"^\s*detections?\s+shared\s*$", re.I), Section("detections_shared_with", "detections", True)),
    (re.compile(r"^\s*detections?\s+received\s*$", re.I), Section("detections_received_from", "detections", False)),
    (re.compile(r"^\s*hot[- ]?lists?\s+shar(?:ing|ed)\s*$", re.I), Section("hotlist_shared_with", "hot_list", True)),
    (re.compile(r"^\s*hot[- ]?lists?\s+received\s*$", re.I), Section("hotlist_received_from", "hot_list", False)),
]
# "The Orange County Sheriffs Department Agency is Sharing its Detection data with the following Agencies:"
_OWNER_SENTENCE = re.compile(
    r"^\s*(?:the\s+)?(?P<owner>.+?)\s+(?:agency\s+)?is\s+(?P<verb>sharing|receiving)\s+(?:its\s+|shared\s+)?"
    r"(?P<what>detection|hot[- ]?list)", re.I)
_FURNITURE = re.compile(
    r"^\s*(?:agency:?|hot\s*list\(?s\)?:?|data sharing report|agency data sharing report|"
    r"date created:.*|.*page \d+\s*of\b.*|\d{1,3}|learn agency data sharing report.*|none|l\W*e\W*a\W*[a-z.]*)\s*$", re.I)
_QUALIFIER = re.compile(r"^\s*\(?[A-Z]{2}\)?\s*$|^\s*\([^)]*\)\s*$")  # "(CA)", "(NATL)": the end of the cell above


_TITLE = re.compile(r"data\s*sharing\s*report", re.I)
_FOOTER = re.compile(r"date\s*created|\bpage\s*\d*\s*(?:of|ofl|0f)\b|^\s*\d+\s*of\s*\d+\s*$", re.I)


def _row_text(line: Sequence[Cell]) -> str:
    return " ".join(c.text for c in line)


def _body(lines: Sequence[Sequence[Cell]]) -> list[Sequence[Cell]]:
    """The lines between a report page's header band (logo, "Agency Data Sharing Report") and its
    footer band ("Date Created: ...", "Page 3 of 17"): OCR'd logos and page numbers are not agencies."""
    lines = [line for line in lines if line]
    header = next((max(c.bottom for c in line) for line in lines[:6] if _TITLE.search(_row_text(line))), None)
    footer = next((min(c.top for c in line) for line in reversed(lines[-4:]) if _FOOTER.search(_row_text(line))), None)
    return [line for line in lines if (header is None or min(c.top for c in line) > header)
            and (footer is None or max(c.bottom for c in line) < footer)]


def vigilant_relations(pages: Iterable[tuple[int, Sequence[Sequence[Cell]]]], vendor: str | None,
                       as_of: str | None) -> list[Relation]:
    """Relations of a LEARN Agency Data Sharing Report (see the module docstring)."""
    out: list[Relation] = []
    owner: AgencyRef | None = None
    section: Section | None = None
    agency_column: float | None = None  # hot list tables: the x where agency names start
    for page, lines in pages:
        previous: dict[int, tuple[Relation, Cell]] = {}  # column -> last relation (for wrapped cells)
        lines = _body(lines)
        usual_gap = row_gap(lines)
        for line in lines:
            text = _row_text(line).strip()
            heading = next((sec for rx, sec in _SECTION_HEADINGS if rx.match(text)), None)
            if heading is not None:
                section, agency_column = heading, None
                continue
            m = _OWNER_SENTENCE.match(text)
            if m:
                owner = resolve_agency(m.group("owner"), any_name=True) or owner
                hot = "hot" in m.group("what").lower()
                outgoing = m.group("verb").lower() == "sharing"
                name = ("hotlist_" if hot else "detections_") + ("shared_with" if outgoing else "received_from")
                section = Section(name, "hot_list" if hot else "detections", outgoing)
                agency_column = None
                continue
            if section is None or owner is None:
                continue
            if re.match(r"^\s*agency:", text, re.I):  # the header of a hot list table
                agency_column = line[0].x0
                continue
            for cell_ in line:
                if _FURNITURE.match(cell_.text):
                    continue
                column = round(cell_.x0 / 40)
                if column in previous and _continues(previous[column][1], cell_, usual_gap):
                    rel, first = previous[column]  # "San Joaquin County Sheriffs Department" / "(CA)"
                    joined = Cell(f"{first.text} {cell_.text.strip()}", first.x0, first.top, max(first.x1, cell_.x1), cell_.bottom)
                    _set_row(rel, joined, resolve_agency(joined.text, any_name=True), section.outgoing)
                    previous[column] = (rel, joined)
                    continue
                if section.kind == "hot_list" and agency_column is not None and cell_.x0 > agency_column + 60:
                    continue  # the hot list names beside the agency
                ref = resolve_agency(cell_.text, any_name=True)
                if ref is None:
                    continue
                rel = _relation(owner, ref, section, vendor, as_of, Evidence(page=page, text=cell_.text, bbox=cell_.bbox))
                out.append(rel)
                previous[column] = (rel, cell_)
    return out


def end(ref: AgencyRef, state: str | None = None) -> AgencyEnd:
    """One end of a relation: the agency and the agencies above it (hsi -> ice -> dhs), its level
    and jurisdictions (``state``: the state when its name gives none)."""
    return AgencyEnd(id=ref.id, name=ref.name, path=[ref.id, *agency_ancestors(ref.id)], level=ref.level,
                     jurisdictions=ref.jurisdictions(state))


LIST_PROGRAMS = {"vigilant_solutions": "learn_nvls", "flock_safety": "flock_network"}  # the network a list is of


def _relation(owner: AgencyRef, row: AgencyRef, section: Section, vendor: str | None, as_of: str | None,
              evidence: Evidence) -> Relation:
    me, them = end(owner), end(row)
    return Relation(
        source=me if section.outgoing else them, recipient=them if section.outgoing else me,
        data_type="alpr", platform_vendor=vendor, kind=section.kind, via=[LIST_PROGRAMS[vendor]] if vendor in LIST_PROGRAMS else [],
        direction="sharing" if section.outgoing else "receiving", as_of=as_of, section=section.name,
        evidence=evidence,
    )


WRAP_GAP = 1.0  # a line closer than this (in line heights) under a cell may be that cell's next line ...
ROW_GAP_SHARE = 0.6  # ... if it is also well inside the page's usual gap between rows


def row_gap(lines: Sequence[Sequence[Cell]]) -> float:
    """The page's usual vertical gap between one row and the next (median; inf with < 3 rows)."""
    tops = sorted({round(min(c.top for c in line), 1): max(c.bottom for c in line) for line in lines if line}.items())
    gaps = sorted(b_top - a_bottom for (_, a_bottom), (b_top, _) in zip(tops, tops[1:]) if b_top > a_bottom)
    return gaps[len(gaps) // 2] if len(gaps) >= 2 else float("inf")


def _continues(above: Cell, below: Cell, usual_gap: float = float("inf")) -> bool:
    """Is ``below`` the wrapped continuation of the cell ``above`` (the row so far) in the same
    column? It must sit close under it (WRAP_GAP line heights), and either well inside the page's
    usual gap between rows (scanned reports space rows differently from page to page) or be a
    fragment: neither it nor the row above names an agency with a type ("... Auto Theft Task" /
    "Force"). A qualifier such as "(CA)" continues the row above."""
    height = max(below.bottom - below.top, 1.0)
    gap = below.top - above.bottom
    if _QUALIFIER.match(below.text):
        return 0 <= gap < 2 * height
    if not 0 <= gap < WRAP_GAP * height:
        return False
    return gap < ROW_GAP_SHARE * usual_gap or (resolve_agency(below.text) is None and resolve_agency(above.text) is None)


def _set_row(rel: Relation, row: Cell, ref: AgencyRef | None, outgoing: bool) -> None:
    if ref is None:
        return
    if outgoing:
        rel.recipient = end(ref)
    else:
        rel.source = end(ref)
    rel.evidence.text, rel.evidence.bbox = row.text, row.bbox


# --- Flock lists --------------------------------------------------------------------------------

_FLOCK_HEADER = re.compile(r"organization\s+name.*networks?\s+shared\s+with\s+me.*networks?\s+i['’]?m\s+sharing", re.I)


def flock_table_relations(pages: Iterable[tuple[int, Sequence[Sequence[Cell]]]], owner: AgencyRef, as_of: str | None,
                          vendor: str = "flock_safety") -> list[Relation]:
    """Relations of a Flock "Organization Name | Networks Shared With Me | Networks I'm Sharing"
    sheet. Cells that wrap are aligned to the bottom of their row, so each cell of the two network
    columns belongs to the first organisation row whose bottom is at or below the cell's bottom."""
    out: list[Relation] = []
    columns: tuple[float, float, float] | None = None
    for page, lines in pages:
        cells = [c for line in lines for c in line]
        header = next((line for line in lines if _FLOCK_HEADER.search(_row_text(line))), None)
        if header is not None and len(header) >= 3:
            columns = (header[0].x0, header[1].x0, header[2].x0)
        if columns is None:
            continue
        body = [c for c in cells if header is None or c.top > max(h.bottom for h in header)]
        orgs = sorted((c for c in body if _column(c, columns) == 0 and not _FLOCK_HEADER.search(c.text)), key=lambda c: c.bottom)
        filled: dict[int, set[int]] = {i: set() for i in range(len(orgs))}
        for c in body:
            col = _column(c, columns)
            if col == 0 or not c.text.strip(" ,"):
                continue
            row = next((i for i, o in enumerate(orgs) if o.bottom >= c.bottom - 2), None)
            if row is not None:
                filled[row].add(col)
        for i, org in enumerate(orgs):
            ref = resolve_agency(org.text, any_name=True)
            if ref is None or ref.id == owner.id:
                continue
            evidence = Evidence(page=page, text=org.text, bbox=org.bbox)
            if 1 in filled[i]:
                out.append(_relation(owner, ref, Section("flock_networks_shared_with_me", "detections", False),
                                     vendor, as_of, evidence))
            if 2 in filled[i]:
                out.append(_relation(owner, ref, Section("flock_networks_im_sharing", "detections", True),
                                     vendor, as_of, evidence))
    return out


def _column(c: Cell, columns: tuple[float, float, float]) -> int:
    return max(i for i, x in enumerate(columns) if c.x0 >= x - 8) if c.x0 >= columns[0] - 8 else 0


_DEVICES_OWNER = re.compile(r"^\s*devices\s*[-–]\s*(?P<owner>.+?)\s*$", re.I | re.M)
_DEVICE_ENTRY = re.compile(r"^\s*name\s*\n?\s*(?P<org>[^\n]+?\(\s*[\dA-Za-z]{1,4}\s+cameras?\s*\))", re.I | re.M)


def flock_device_relations(pages: Sequence[tuple[int, str]], as_of: str | None, vendor: str = "flock_safety") -> list[Relation]:
    """Relations of a Flock "Devices - <owner>" list: each entry's cameras can be searched by the
    owner (entry -> owner, query_access)."""
    owner = None
    for _page, text in pages:
        m = _DEVICES_OWNER.search(text)
        if m:
            owner = resolve_agency(m.group("owner"), any_name=True)
            break
    if owner is None:
        return []
    out = []
    section = Section("flock_device_access", "query_access", False)
    for page, text in pages:
        for m in _DEVICE_ENTRY.finditer(text):
            ref = resolve_agency(m.group("org"), any_name=True)
            if ref is not None and ref.id != owner.id:
                out.append(_relation(owner, ref, section, vendor, as_of, Evidence(page=page, text=m.group("org").strip())))
    return out


# --- which reader a document needs --------------------------------------------------------------


def list_relations(pages: Sequence[tuple[int, str]], cells: dict[int, Sequence[Sequence[Cell]]],
                   vendors: set[str], as_of: str | None) -> list[Relation]:
    """The relations of a sharing report or list (empty for other documents)."""
    text = "\n".join(t for _, t in pages)
    if re.search(r"is\s+(?:sharing|receiving)\s+(?:its\s+|shared\s+)?(?:detection|hot[- ]?list)", text, re.I):
        vendor = "vigilant_solutions" if "vigilant_solutions" in vendors or "LEARN" in text else None
        return vigilant_relations(sorted(cells.items()), vendor, as_of)
    if _FLOCK_HEADER.search(text.replace("\n", " ")) or re.search(r"networks?\s+i['’]?m\s+sharing", text, re.I):
        owner = _flock_owner(cells)
        return flock_table_relations(sorted(cells.items()), owner, as_of) if owner else []
    if _DEVICES_OWNER.search(text) and _DEVICE_ENTRY.search(text):
        return flock_device_relations(pages, as_of)
    return []


def _flock_owner(cells: dict[int, Sequence[Sequence[Cell]]]) -> AgencyRef | None:
    """The owner of a Flock sheet: the agency named most in its "Networks I'm Sharing" column."""
    from collections import Counter

    names: Counter[str] = Counter()
    columns = None
    for _page, lines in sorted(cells.items()):
        for line in lines:
            if _FLOCK_HEADER.search(_row_text(line)) and len(line) >= 3:
                columns = (line[0].x0, line[1].x0, line[2].x0)
                continue
            if columns:
                names.update(c.text.strip() for c in line if _column(c, columns) == 2 and c.text.strip())
    if not names:
        return None
    return resolve_agency(names.most_common(1)[0][0], any_name=True)


# --- clauses ------------------------------------------------------------------------------------

ICE_SUBTREE = ("hsi", "ero", "ice")


def clause_relations(clauses, agencies, kind_of_document: str, as_of: str | None, data_types_by_page: dict[int, set[str]],
                     vendors: set[str], programs=(), state: str | None = None) -> list[Relation]:
    """Grant and restrict relations from the ICE clauses of a document: source = the document's
    local party (its most-named state or local agency; in ``state`` when its name gives none),
    recipient = the ICE component the sentence names (ICE when it names none), ``via`` = the
    programs and systems the sentence names (``programs``: the document's program tags), each
    followed by its route (Secure Communities: FBI NGI, then DHS IDENT)."""
    party = _local_party(agencies, state)
    if party is None:
        return []
    federal_names = {t.id: t.name for t in agencies if "-" not in t.id}
    out = []
    for c in clauses:
        if c.label not in ("ice_access", "ice_restriction"):
            continue
        recipient = next((i for i in ("hsi", "ero", "cbp", "usbp", "ice", "dhs")
                          if i in federal_names and _names(c.text, i)), "ice")
        text = c.text.lower()
        kind: Kind = "system_access" if re.search(r"\b(?:database|system|network)s?\b", text) else (
            "query_access" if re.search(r"\b(?:quer|search)", text) else "records")
        data = sorted(data_types_by_page.get(c.page, set()))
        via = programs_in(c, programs)
        if not data and via:  # "through Secure Communities": what the program carries first
            data = [p.data[0] for p in (_program(i) for i in via) if p is not None and p.data][:1]
        out.append(Relation(
            source=party, recipient=AgencyEnd(id=recipient, name=federal_names.get(recipient, recipient.upper()),
                                              path=[recipient, *agency_ancestors(recipient)]),
            data_type=data[0] if len(data) == 1 else None,
            platform_vendor=next(iter(vendors)) if len(vendors) == 1 else None,
            kind=kind, polarity="grant" if c.label == "ice_access" else "restrict", as_of=as_of,
            section=f"clause:{c.label}", evidence=Evidence(page=c.page, text=" ".join(c.text.split())), via=via,
        ))
    return out


def _program(program_id: str):
    return load_gazetteer("program").by_id().get(program_id)


def programs_in(clause, programs) -> list[str]:
    """Programs named inside a clause's sentence (program tags with a mention in its span), in
    order of mention, each followed by the systems of its route."""
    found: list[tuple[int, str]] = []
    for tag in programs:
        for m in tag.mentions:
            inside = clause.start is not None and clause.start <= m.start and m.end <= (clause.end or 0)
            if m.page == clause.page and (inside or (clause.start is None and m.text in clause.text)):
                found.append((m.start, tag.id))
                break
    out: list[str] = []
    for _, program_id in sorted(found):
        entry = _program(program_id)
        for i in (program_id, *(entry.route if entry else ())):
            if i not in out:
                out.append(i)
    return out


_ACRONYMS = {"hsi": r"\bHSI\b|homeland security investigations", "ero": r"\bERO\b|enforcement and removal",
             "cbp": r"\bCBP\b|customs and border", "usbp": r"border patrol", "ice": r"\bICE\b|immigration and customs",
             "dhs": r"\bDHS\b|homeland security"}


def _names(text: str, agency: str) -> bool:
    return bool(re.search(_ACRONYMS[agency], text, re.I if agency in ("usbp",) else 0) or
                re.search(_ACRONYMS[agency].split("|")[-1], text, re.I))


def _local_party(agencies, state: str | None = None) -> AgencyEnd | None:
    local = [t for t in agencies if "-" in t.id]
    if not local:
        return None
    best = max(local, key=lambda t: len(t.mentions))
    ref = resolve_agency(best.name)
    return AgencyEnd(id=best.id, name=best.name, path=[best.id], level=best.id.split("-", 1)[0],
                     jurisdictions=ref.jurisdictions(state) if ref is not None else ([state] if state else []))


def document_relations(pages: Sequence[tuple[int, str]], lines_by_page: dict[int, Sequence[Sequence]], tags) -> list[Relation]:
    """Every relation of a tagged document: its sharing lists (read from the cells of its tabular
    pages: extractor Cell records, grouped in lines) and its ICE clauses."""
    year = document_year(pages)
    state = document_state("\n".join(t for _, t in pages))
    vendors = {t.id for t in tags.vendors}
    cells = {page: [[cell(c) for c in line] for line in lines] for page, lines in lines_by_page.items()}
    out = list_relations(pages, cells, vendors, year) if cells or tags.kind == "sharing_report" else []
    _place_owner(out, state)
    data_by_page: dict[int, set[str]] = {}
    for t in tags.data_types:
        for m in t.mentions:
            data_by_page.setdefault(m.page, set()).add(t.id)
    out += clause_relations(tags.clauses, tags.agencies, tags.kind, year, data_by_page, vendors, tags.programs, state)
    if tags.kind in ("law", "policy"):
        from foialens.models.laws import law_relations

        out += law_relations(pages, tags, year, tags.kind)
    return out


def _place_owner(relations: list[Relation], state: str | None) -> None:
    """The owner of a sharing list (the agency on one side of every row) is in the document's
    state when its name gives none: "Orange County Sheriffs Department" of a report whose rows are
    mostly "(CA)" agencies."""
    if not relations or not state:
        return
    sides = [{r.source.id, r.recipient.id} for r in relations]
    owners = set.intersection(*sides)
    for r in relations:
        for e in (r.source, r.recipient):
            if e.id in owners and not e.jurisdictions and e.level not in ("federal", None):
                ref = resolve_agency(e.name, any_name=True)
                e.jurisdictions = ref.jurisdictions(state) if ref is not None else [state]
