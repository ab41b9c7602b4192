"""Records produced by the NLP models: entity mentions and clause labels, per page."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

EntityKind = Literal["vendor", "data_type", "agency", "program"]

CLAUSE_LABELS: tuple[str, ...] = (
    "ice_access",
    "ice_restriction",
    "third_party_sharing",
    "retention",
    "audit_oversight",
    "purpose_limitation",
    "sensitive_locations",
)


class Mention(BaseModel):
    page: int
    text: str
    start: int  # character offsets in that page's text
    end: int


class EntityTag(BaseModel):
    """One canonical entity found in a document, with every mention."""

    id: str  # canonical id from the gazetteer, e.g. "vigilant_solutions", "alpr", "ice"
    name: str  # display name, e.g. "Vigilant Solutions"; for pattern agencies the name as found
    kind: EntityKind
    mentions: list[Mention] = Field(default_factory=list)
    parents: list[str] = Field(default_factory=list)  # agencies, programs: the ids above it (hsi -> ice, dhs)


class Clause(BaseModel):
    label: str  # one of CLAUSE_LABELS
    score: float  # calibrated probability 0..1
    page: int
    text: str  # the sentence or passage
    start: int | None = None
    end: int | None = None


# --- data-sharing relations (models/relations.py) -------------------------------------------------

Kind = Literal["detections", "hot_list", "query_access", "records", "system_access"]


class AgencyEnd(BaseModel):
    id: str
    name: str
    path: list[str] = Field(default_factory=list)  # the agency and the agencies above it
    # federal | state | local | fusion | agency (a list row of unknown type) | class (the agencies a rule binds)
    level: str | None = None
    # the jurisdictions it is in, widest first: ["US"], ["CA", "CA/irvine"]; [] when not known
    jurisdictions: list[str] = Field(default_factory=list)


class Evidence(BaseModel):
    page: int
    text: str
    bbox: tuple[float, float, float, float] | None = None  # [x0, top, x1, bottom], PDF points


class Relation(BaseModel):
    source: AgencyEnd
    recipient: AgencyEnd
    data_type: str | None = None
    platform_vendor: str | None = None
    kind: Kind
    direction: Literal["sharing", "receiving"] = "sharing"  # as the document states it
    polarity: Literal["grant", "restrict"] = "grant"
    as_of: str | None = None  # the document's date (year) when known
    section: str | None = None  # the report section it comes from ("law:<citation>" for a rule)
    evidence: Evidence
    via: list[str] = Field(default_factory=list)  # programs / systems it passes through, in order (ngi, ident)
    # restrict relations read from laws and policies (models/laws.py): the rule's scope
    jurisdiction: str | None = None  # where it binds: "CA", "CA/oakland"
    covers: list[str] = Field(default_factory=list)  # levels of agencies it binds there: state, local, fusion
    recipient_classes: list[str] = Field(default_factory=list)  # immigration | federal | out_of_state | private | any
    purpose: str | None = None  # the purpose it forbids, e.g. immigration_enforcement
    citation: str | None = None  # "Cal. Civ. Code § 1798.90.55"



class DocumentTags(BaseModel):
    vendors: list[EntityTag] = Field(default_factory=list)
    data_types: list[EntityTag] = Field(default_factory=list)
    agencies: list[EntityTag] = Field(default_factory=list)
    programs: list[EntityTag] = Field(default_factory=list)  # government programs and systems (programs.json)
    clauses: list[Clause] = Field(default_factory=list)
    key_clauses: list[Clause] = Field(default_factory=list)  # the strongest, a few per label (key_clauses())
    relations: list[Relation] = Field(default_factory=list)  # who shares what with whom (models/relations.py)
    kind: str = ""  # document kind (models/context.py DOC_KINDS)
    words: int = 0  # words tagged (for throughput figures)

    def page_ids(self, page: int) -> dict[str, list[str]]:
        """Tag ids present on one page, by facet name."""

        def ids(tags: list[EntityTag]) -> list[str]:
            return sorted({t.id for t in tags if any(m.page == page for m in t.mentions)})

        def with_parents(tags: list[EntityTag]) -> list[str]:
            """A page naming HSI is found by an "ice" or "dhs" filter too (JEM by "287g")."""
            return sorted({i for t in tags if any(m.page == page for m in t.mentions) for i in (t.id, *t.parents)})

        return {
            "vendors": ids(self.vendors),
            "data_types": ids(self.data_types),
            "agencies": with_parents(self.agencies),
            "programs": with_parents(self.programs),
            "clauses": sorted({c.label for c in self.clauses if c.page == page}),
        }


KEY_CLAUSES_PER_LABEL = 3


def key_clauses(clauses: list[Clause], per_label: int = KEY_CLAUSES_PER_LABEL) -> list[Clause]:
    """A document's key clauses: per label (in CLAUSE_LABELS order, ICE labels first) its
    ``per_label`` highest-scoring sentences, each sentence once per label."""
    out: list[Clause] = []
    for label in CLAUSE_LABELS:
        seen: set[tuple[int, str]] = set()
        for c in sorted((c for c in clauses if c.label == label), key=lambda c: (-c.score, c.page, c.start or 0)):
            key = (c.page, " ".join(c.text.split()))
            if key in seen:
                continue
            seen.add(key)
            out.append(c)
            if len(seen) == per_label:
                break
    return out
