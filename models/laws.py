"""Laws, ordinances and policies: the restrictions they impose, as restrict relations (who may not
share what with whom), with the provision as evidence.

    law_relations(pages, tags, year) -> [Relation(polarity="restrict", ...)]

A statute is read as its structure: provisions marked "(a)", "(1)", "(A)", "(i)" nest, and a
provision is read together with the lead-ins above it ("California law enforcement agencies shall
not: (1) use agency moneys ... for immigration enforcement purposes, including: (C) providing
information regarding a person's release date"). A provision (so read) is a restriction when it

- prohibits ("shall not", "may not", "must not", "is prohibited", "unlawful"), and is not an
  exception ("nothing in this section prohibits", "does not prevent");
- names an act of sharing ("share", "sell", "transfer", "disclose", "provide", "make available",
  "respond to requests for notification", "use ... personnel for the purpose of") or, for bans on
  a technology, of obtaining it ("obtain, retain, access, or use" face recognition);
- says whom it protects the data from (``recipient_classes``): ``immigration`` (immigration
  enforcement purposes, federal immigration authorities, ICE), ``federal``, ``out_of_state``,
  ``private``, ``any``. "except to another public agency" forbids everyone else: when the
  document defines a public agency as one of the state (Cal. Civ. Code § 1798.90.5), federal and
  out-of-state agencies are not public agencies.

Its scope: the **jurisdiction** of the document (a state, from its citations or name: "Cal. Gov.
Code", "RCW", "ORS", "California"; a city or county for an ordinance: "CA/oakland"), the agencies it
**covers** there ("law enforcement agencies", "public agency": state, local and fusion; "state
agencies": state; an ordinance's "City department": local), the **data** it names (the document's
data type tags inside the provision, plus phrases statutes use: "release date", "home address",
"ALPR information"; one relation per data type, none when it names none) and the **purpose** it
forbids (immigration enforcement).

A **policy** (a department's general order or policy manual) binds the agency that issues it: its
place ("CA/irvine", the state from its name or the state the document names) and its level.

Each restriction is one :class:`Relation` with ``polarity="restrict"``: source = the class of
agencies bound (level ``class``, id ``class-<jurisdiction>-<covers>``; a policy's own agency), recipient = the class of
recipients ruled out, ``section = "law:<citation>"`` and the provision as evidence.
``foialens network --conflicts`` pairs them with the grants they cover (search/conflicts.py).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from foialens.models.agency_ids import STATE_NAMES
from foialens.models.gazetteer import slugify
from foialens.models.records import AgencyEnd, Evidence, Kind, Relation

# --- jurisdiction and citation -------------------------------------------------------------------

_CODE_STATES: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\bCal(?:\.|ifornia)\s+(?:Gov(?:\.|ernment)|Civ(?:\.|il)|Penal|Pen\.|Veh(?:\.|icle)|Health|Educ?(?:\.|ation))"
                r"(?:\s+(?:&|and)\s+Saf(?:\.|ety))?\s+Code", re.I), "CA"),
    (re.compile(r"\bRCW\b|\bRevised Code of Washington\b|\bWash\.\s+Rev\.\s+Code\b"), "WA"),
    (re.compile(r"\bORS\b|\bOr(?:\.|egon)\s+Rev(?:\.|ised)\s+Stat(?:\.|utes)?"), "OR"),
    (re.compile(r"\bN\.Y\.\s+(?:Veh\.|Vehicle|Exec\.|Executive)\b|\bNew York (?:Vehicle and Traffic|Executive) Law\b"), "NY"),
    (re.compile(r"\b(?:Ill\.|Illinois)\s+Comp(?:\.|iled)\s+Stat"), "IL"),
]
_CITATIONS = [
    re.compile(r"\b(?:Cal(?:\.|ifornia)\s+)?(?:Gov(?:\.|ernment)|Civ(?:\.|il)|Penal|Veh(?:\.|icle))\s+Code\s+(?:§+|[Ss]ection)\s*\d+(?:\.\d+)*"),
    re.compile(r"\bRCW\s+\d+[A-Z]?\.\d+[A-Z]?\.\d+"),
    re.compile(r"\b(?:ORS|Or\.\s+Rev\.\s+Stat\.)\s+(?:§\s*)?\d+[A-Z]?\.\d+"),
    re.compile(r"\bOrdinance\s+No\.?\s*[\w-]+", re.I),
    re.compile(r"\b(?:[A-Z][a-z]+\s+){1,3}Municipal Code\s+(?:§+|[Cc]hapter|[Ss]ection)\s*[\d.]+"),
    re.compile(r"\b(?:Senate|Assembly|House)\s+Bill\s+(?:No\.\s*)?\d+"),
    re.compile(r"\b(?:SB|AB|HB)\s?\d{1,4}\b"),
]
_CITY = re.compile(r"\b(?:City|Town)\s+of\s+(?P<name>(?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})")
_COUNTY = re.compile(r"\bCounty\s+of\s+(?P<name>(?:[A-Z][a-z]+)(?:\s+[A-Z][a-z]+){0,2})|"
                     r"\b(?P<name2>(?:[A-Z][a-z]+\s+){1,2})County\s+Board\s+of\s+Supervisors")
_LOCAL_LAW = re.compile(r"\bordinance\b|\bmunicipal code\b|\bcity council\b|\bboard of supervisors\b|\badministrative code\b", re.I)
HEAD = 3000


@dataclass(frozen=True)
class Jurisdiction:
    state: str
    place: str | None = None  # slug of the city or county of an ordinance
    citation: str = ""

    @property
    def id(self) -> str:
        return f"{self.state}/{self.place}" if self.place else self.state

    def describe(self) -> str:
        state = next((n.title() for n, c in STATE_NAMES.items() if c == self.state), self.state)
        return f"{self.place.replace('-', ' ').title()}, {state}" if self.place else state


def jurisdiction(text: str) -> Jurisdiction | None:
    """Where a law binds: a state from its citations or the state it names most in its opening,
    a city or county when it is an ordinance of one; None when no state can be told."""
    head = text[:HEAD]
    state = next((code for rx, code in _CODE_STATES if rx.search(head)), None)
    if state is None:
        counts: dict[str, int] = {}
        for name, code in STATE_NAMES.items():
            n = len(re.findall(rf"\b{re.escape(name.title())}\b", head))
            if n:
                counts[code] = n
        state = max(counts, key=counts.get) if counts else None
    if state is None:
        return None
    place = None
    if _LOCAL_LAW.search(head):
        m = _CITY.search(head)
        c = _COUNTY.search(head)
        if m and (c is None or m.start() <= c.start()):
            place = slugify(m.group("name"))
        elif c:
            place = slugify((c.group("name") or c.group("name2")).strip()) + "-county"
    citation = next((m.group(0) for rx in _CITATIONS if (m := rx.search(head))), "")
    return Jurisdiction(state=state, place=place, citation=" ".join(citation.split()))


# --- provisions ----------------------------------------------------------------------------------

_MARKER = re.compile(r"(?:(?<=\n)|(?<=^)|(?<=[:;.]\s)|(?<=[:;.]))[ \t]*\((?P<m>[a-z]{1,2}|\d{1,2}|[A-Z]|[ivx]{1,4})\)[ \t]+")
_ROMAN = {"i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x"}


@dataclass
class Provision:
    page: int
    start: int  # offset of its text in the page
    end: int
    text: str
    marker: str = ""
    kind: str = ""  # lower | digit | upper | roman | "" (the text before the first marker)
    parents: list[Provision] = field(default_factory=list)
    children: int = 0

    def reading(self) -> str:
        """The provision read with the lead-ins above it."""
        return " ".join(p.lead() for p in self.parents) + " " + self.text

    def lead(self) -> str:
        return self.text


def _marker_kind(marker: str, previous_lower: str | None) -> str:
    if marker.isdigit():
        return "digit"
    if marker.isupper():
        return "upper"
    if marker in _ROMAN and not (previous_lower and ord(marker[0]) == ord(previous_lower[-1]) + 1 and len(marker) == 1):
        return "roman"
    return "lower"


def provisions(pages: Sequence[tuple[int, str]]) -> list[Provision]:
    """The provisions of a document in order, each knowing the provisions above it. A section
    heading ("Section 1798.90.55.", "Sec. 2.", "§ 43.17.425") starts over: nothing above it."""
    out: list[Provision] = []
    stack: list[Provision] = []
    last_lower: str | None = None
    for page, text in pages:
        cuts = sorted([(m.start(), m.end(), m.group("m")) for m in _MARKER.finditer(text)] +
                      [(m.start(), m.start(), "§") for m in _SECTION.finditer(text)])
        spans = [(0, cuts[0][0] if cuts else len(text), "")]
        for i, (_s, e, mark) in enumerate(cuts):
            spans.append((e, cuts[i + 1][0] if i + 1 < len(cuts) else len(text), mark))
        for start, end, mark in spans:
            body = " ".join(text[start:end].split())
            if not body:
                continue
            if mark == "§" or (not mark and not stack):  # a section heading and its lead-in
                stack, last_lower = [], None
                out.append(Provision(page, start, end, body))
                stack.append(out[-1])
                continue
            if not mark:  # the provision above, continued on this page
                stack[-1].text += " " + body
                continue
            kind = _marker_kind(mark, last_lower)
            if kind == "lower":
                last_lower = mark
            if kind in {p.kind for p in stack}:
                while stack[-1].kind != kind:
                    stack.pop()
                stack.pop()  # its sibling
            prov = Provision(page, start, end, body, mark, kind, parents=list(stack))
            for p in stack:
                p.children += 1
            out.append(prov)
            stack.append(prov)
    return out


_SECTION = re.compile(r"(?m)^[ \t]*(?:§+[ \t]*\d|Sec(?:tion|\.)[ \t]+\d|SECTION[ \t]+\d|SEC\.[ \t]+\d)")


# --- what a provision forbids ----------------------------------------------------------------------

_PROHIBIT = re.compile(r"\b(?:shall|may|must|will)\s+not\b|\bis\s+prohibited\b|\bare\s+prohibited\b|\bprohibited\s+from\b|"
                       r"\bunlawful\b|\bno\s+[\w\s,]{1,120}?\s+(?:shall|may)\b", re.I)
_EXCEPTION = re.compile(r"\b(?:nothing\s+in|does\s+not\s+(?:prohibit|prevent|restrict|apply)|shall\s+not\s+be\s+construed|"
                        r"is\s+not\s+(?:prohibited|intended)|notwithstanding\s+any\s+other\s+provision\s+of\s+this)\b", re.I)
_SHARE = re.compile(r"\b(?:shar(?:e|es|ed|ing)|sell(?:s|ing)?|sold|transfer(?:s|red|ring)?|disclos(?:e|es|ed|ing|ure)|"
                    r"provid(?:e|es|ed|ing)|mak(?:e|ing)\b[^.;:]{0,240}?\bavailable|"
                    r"give\s+(?:\w+\s+){0,4}access|grant(?:ing)?\s+(?:\w+\s+){0,4}access|transmit(?:s|ted|ting)?|"
                    r"exchang(?:e|es|ed|ing)|respond(?:ing)?\s+to\s+requests|notif(?:y|ying|ication)|"
                    r"use\s+(?:\w+\s+){0,6}(?:moneys|monies|funds|personnel|equipment|resources|databases?)|"
                    r"us(?:e|ing)\s+(?:\w+\s+){0,3}data)\b", re.I)
_OBTAIN = re.compile(r"\b(?:obtain|acquire|retain|access|use|purchase)\b[^.;]{0,60}\b(?:face|facial)\s+recognition|"
                     r"\b(?:face|facial)\s+recognition[^.;]{0,40}\b(?:obtain|acquire|retain|access|use)", re.I)
_IMMIGRATION = re.compile(r"\bimmigration\s+(?:enforcement|authorit|purpose|officer|agent)|\bfederal\s+immigration\b|"
                          r"\bcivil\s+immigration\b|(?-i:\bICE\b)|immigration and customs enforcement|"
                          r"\bpersons?\s+of\s+foreign\s+citizenship\b", re.I)
_PURPOSE = re.compile(r"\b(?:for|on\s+behalf\s+of)\s+(?:the\s+purposes?\s+of\s+)?(?:civil\s+)?immigration\s+enforcement|"
                      r"\bimmigration\s+enforcement\s+purposes?|\bfederal\s+immigration\s+laws?\b|\bapprehending\s+persons?", re.I)
_EXCEPT_PUBLIC = re.compile(r"\b(?:except|other\s+than|unless)\s+(?:to|with)?\s*(?:another|other|a)\s+public\s+agenc", re.I)
_FEDERAL = re.compile(r"\bfederal\s+(?:agenc|government|authorit|law\s+enforcement)", re.I)
_OUT_OF_STATE = re.compile(r"\bout[- ]of[- ]state\b|\boutside\s+(?:of\s+)?(?:the|this)\s+state\b|\bother\s+states\b|\banother\s+state\b", re.I)
_PRIVATE = re.compile(r"\bprivate\s+(?:entit|person|part|compan|individual)|\bcommercial\s+(?:entit|purpose)|\bsell\b|\bsold\b", re.I)
_ANYONE = re.compile(r"\b(?:to|with)\s+(?:any|a)\s+(?:third\s+part|person\s+or\s+entit|other\s+entit|entity|person|one)|"
                     r"\b(?:to|with)\s+anyone\b", re.I)
_PUBLIC_AGENCY_DEF = re.compile(r"[\"“]public\s+agency[\"”]\s+means\b(?P<def>[^.]{0,300})", re.I)
_IN_STATE = re.compile(r"\bof\s+(?:the|this)\s+state\b|\bpolitical\s+subdivision\s+of\s+the\s+state\b", re.I)

# who a provision binds
_COVERS = [
    (re.compile(r"\b(?:city|county)\s+(?:departments?|staff|officials?|employees?|agenc)|\bany\s+department\b", re.I), ("local",)),
    (re.compile(r"\bstate\s+agenc(?:y|ies)\b(?!\s+or\s+local)", re.I), ("state",)),
    (re.compile(r"\blaw\s+enforcement\s+agenc|\bpublic\s+agenc|\bstate\s+or\s+local\b|\blocal\s+agenc|\bpolice\b|\bsheriff", re.I),
     ("state", "local", "fusion")),
]

# data statutes name in their own words (beside the document's data type tags)
_LAW_DATA: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\brelease\s+dates?\b|\bdate\s+of\s+release\b|\brelease\s+information\b|\bnotification\s+of\s+(?:the\s+)?release\b", re.I), "booking_records"),
    (re.compile(r"\bhome\s+address|\bwork\s+address|\bpersonal\s+information\b|\bpersonally\s+identifiable\b", re.I), "identity_records"),
    (re.compile(r"\bALPR\b|\blicense\s+plate\b", re.I), "alpr"),
    (re.compile(r"\b(?:face|facial)\s+recognition\b|\bface\s+surveillance\b", re.I), "face_images"),
    (re.compile(r"\bimmigration\s+status\b|\bcitizenship\s+status\b|\bplace\s+of\s+birth\b", re.I), "immigration_status"),
    (re.compile(r"\bfingerprints?\b|\bbiometric", re.I), "fingerprints"),
]


_CARVE_OUT = re.compile(r"\b(?:other\s+than|excluding|except\s+for)\b[^,;.]*", re.I)


def law_data(text: str) -> tuple[str, ...]:
    """Data types a provision names in a statute's words, not counting carve-outs ("databases ...
    or the information therein other than information regarding citizenship")."""
    kept = _CARVE_OUT.sub(" ", text)
    return tuple(dict.fromkeys(dtype for rx, dtype in _LAW_DATA if rx.search(kept)))


@dataclass(frozen=True)
class Rule:
    covers: tuple[str, ...]
    recipients: tuple[str, ...]
    data: tuple[str, ...]
    purpose: str | None
    direction: str  # sharing (what the bound agencies may not give) | receiving (may not obtain)


def rule_of(reading: str, own: str, public_in_state: bool, place: str | None, own_data: bool = False,
            data_text: str | None = None) -> Rule | None:
    """The restriction a provision (read with its lead-ins) imposes, or None. The act or the data
    must be in the provision's own words: under "shall not use personnel for immigration
    enforcement, including: (B) detaining a person on a hold request", (B) shares nothing."""
    if not _PROHIBIT.search(reading) or _EXCEPTION.search(own):
        return None
    obtains = bool(_OBTAIN.search(reading))
    if not _SHARE.search(reading) and not obtains:
        return None
    if not (_SHARE.search(own) or _OBTAIN.search(own) or own_data):
        return None
    purpose = "immigration_enforcement" if _PURPOSE.search(reading) else None
    recipients: list[str] = []
    if _IMMIGRATION.search(reading):
        recipients.append("immigration")
    if _EXCEPT_PUBLIC.search(reading):
        recipients += ["federal", "out_of_state", "private"] if public_in_state else ["private"]
    if _FEDERAL.search(reading) and purpose is None:  # "any federal agency for immigration enforcement": the purpose limits it
        recipients.append("federal")
    if _OUT_OF_STATE.search(reading):
        recipients.append("out_of_state")
    if _PRIVATE.search(reading):
        recipients.append("private")
    if _ANYONE.search(reading) and not _EXCEPT_PUBLIC.search(reading) and purpose is None:
        recipients.append("any")  # "available to anyone for the purpose of immigration enforcement": the purpose limits it
    direction = "sharing"
    if obtains and not recipients:
        recipients, direction = ["any"], "receiving"
    if not recipients:
        return None
    covers: tuple[str, ...] = ()
    for rx, levels in _COVERS:
        if rx.search(reading):
            covers = levels
            break
    if place and (not covers or covers == ("state", "local", "fusion")) and re.search(r"\bcity\b|\bcounty\b", reading, re.I):
        covers = ("local",)
    if not covers:
        covers = ("local",) if place else ("state", "local", "fusion")
    data = law_data(data_text if data_text is not None else reading)
    return Rule(covers=covers, recipients=tuple(dict.fromkeys(recipients)), data=data, purpose=purpose, direction=direction)


_SECTION_NUMBER = re.compile(r"^\s*(?:Section|SECTION|Sec\.|SEC\.|§+)\s*(?P<n>\d[\w.-]*?)\.?(?:\s|$)")


def section_citation(citation: str, prov: Provision) -> str:
    """The citation of the section a provision is in: "Cal. Civ. Code § 1798.90.55" in a code
    cited as "Cal. Civ. Code §§ 1798.90.5"; "ORDINANCE NO. 2024-17, § 3"; the document's
    citation when the section has no number."""
    head = next((p for p in prov.parents if not p.kind), prov if not prov.kind else None)
    m = _SECTION_NUMBER.match(head.text) if head is not None else None
    if not m or not citation:
        return citation
    number = m.group("n").rstrip(".")
    if re.search(r"ordinance|bill|municipal", citation, re.I):
        return f"{citation}, § {number}"
    base = re.match(r"^(.*?)\s*(?:§+|[Ss]ection)?\s*\d", citation)
    if not base or not base.group(1).strip():
        return citation
    prefix = base.group(1).strip()
    return f"{prefix} {number}" if prefix.isupper() else f"{prefix} § {number}"  # "ORS 180.805", "Cal. Civ. Code § ..."


_CLASS_NAMES = {"immigration": "immigration enforcement (ICE/DHS)", "federal": "federal agencies",
                "out_of_state": "out-of-state agencies", "private": "private parties", "any": "anyone"}
_COVER_NAMES = {("state", "local", "fusion"): "public and law enforcement agencies", ("state",): "state agencies",
                ("local",): "city / county departments"}


_POLICY_NUMBER = re.compile(r"\b(?:General\s+Order|Special\s+Order|Policy|Directive|Procedure)\s+(?:No\.?\s*|#\s*)?\d[\w.-]*", re.I)


def policy_party(pages: Sequence[tuple[int, str]], tags) -> tuple[Jurisdiction, AgencyEnd] | None:
    """The agency a policy binds (its most-named state or local agency) and where it is: its
    place, in the state its name gives or the document names most; None when either is unknown."""
    from foialens.models.agency_ids import document_state, resolve_agency

    local = [t for t in tags.agencies if "-" in t.id]
    if not local:
        return None
    best = max(local, key=lambda t: len(t.mentions))
    ref = resolve_agency(best.name)
    if ref is None or ref.federal:
        return None
    text = "\n".join(t for _, t in pages)
    named = jurisdiction(text)
    state = ref.state or document_state(text, at_least=1) or (named.state if named else None)
    if state is None:
        return None
    number = _POLICY_NUMBER.search(text[:HEAD])
    citation = f"{ref.name} {number.group(0)}" if number else f"{ref.name} policy"
    where = Jurisdiction(state=state, place=ref.place if ref.level == "local" else None, citation=" ".join(citation.split()))
    party = AgencyEnd(id=best.id, name=best.name, path=[best.id], level=ref.level, jurisdictions=ref.jurisdictions(state))
    return where, party


def law_relations(pages: Sequence[tuple[int, str]], tags, year: str | None = None, kind: str = "law") -> list[Relation]:
    """The restrict relations of a law, ordinance or policy (see the module docstring); [] when
    its jurisdiction cannot be told. A policy (``kind="policy"``) binds the agency that issues it:
    its rules hold in that agency's place, for agencies of its level."""
    text = "\n".join(t for _, t in pages)
    party = policy_party(pages, tags) if kind == "policy" else None
    if kind == "policy" and party is None:
        return []  # a policy binds its own agency; not known, it binds no one (it is no state law)
    where = party[0] if party else jurisdiction(text)
    if where is None:
        return []
    definition = _PUBLIC_AGENCY_DEF.search(text)
    public_in_state = bool(definition and _IN_STATE.search(definition.group("def")))
    tagged: dict[int, list[tuple[int, int, str]]] = {}
    for t in tags.data_types:
        for m in t.mentions:
            tagged.setdefault(m.page, []).append((m.start, m.end, t.id))
    texts = dict(pages)

    def tags_in(p: Provision) -> list[str]:
        """Data type tags inside a provision, outside its carve-outs."""
        body = texts.get(p.page, "")[p.start : p.end]
        carved = [(p.start + m.start(), p.start + m.end()) for m in _CARVE_OUT.finditer(body)]
        return [dtype for s, e, dtype in tagged.get(p.page, ()) if p.start <= s and e <= p.end
                and not any(a <= s < b for a, b in carved)]

    out: list[Relation] = []
    seen: set[tuple] = set()
    for prov in provisions(pages):
        if prov.children:  # read at its provisions (the lead-in alone forbids nothing yet)
            continue
        reading = prov.reading()
        own_tags = tags_in(prov)
        data_text = " ".join([q.text for q in prov.parents if q.kind] + [prov.text])
        rule = rule_of(reading, prov.text, public_in_state, where.place, own_data=bool(own_tags or law_data(prov.text)),
                       data_text=data_text)
        if rule is None:
            continue
        data = list(rule.data)
        for p in (*[q for q in prov.parents if q.kind], prov):  # the lead-ins of its list, not a section's title
            data += [dtype for dtype in tags_in(p) if dtype not in data]
        leads = [p.text[:200] for p in prov.parents if p.kind or len(p.text) <= 120]
        evidence = " … ".join(leads[-2:] + [prov.text])
        key = (rule, tuple(data))
        if key in seen:
            continue
        seen.add(key)
        if party:
            bound, covers = party[1], (party[1].level or "local",)
        else:
            covers = rule.covers
            bound = AgencyEnd(
                id=f"class-{where.id.lower().replace('/', '-')}-{'-'.join(covers)}",
                name=f"{where.describe()} {_COVER_NAMES.get(covers, ' / '.join(covers))}",
                path=[], level="class", jurisdictions=[where.state] + ([where.id] if where.place else []))
        other = AgencyEnd(id="class-" + "-".join(rule.recipients),
                          name=" / ".join(_CLASS_NAMES[c] for c in rule.recipients), path=[], level="class")
        source, recipient = (bound, other) if rule.direction == "sharing" else (other, bound)
        citation = (where.citation if party else section_citation(where.citation, prov)) or where.id
        kind: Kind = "detections" if "alpr" in data else (
            "system_access" if re.search(r"\bdatabases?\b|\bsystems?\b", reading, re.I) else "records")
        for dtype in data or [None]:
            out.append(Relation(
                source=source, recipient=recipient, data_type=dtype, kind=kind, polarity="restrict",
                direction=rule.direction, as_of=year or None, section=f"law:{citation}",
                evidence=Evidence(page=prov.page, text=evidence), jurisdiction=where.id, covers=list(covers),
                recipient_classes=list(rule.recipients), purpose=rule.purpose, citation=citation,
            ))
    return out
