"""Plain records the search backends index and return. No PDF or NLP types here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Per-page tag lists (values are plain string ids). "redactions" holds "redacted" for a page with
# redaction boxes and "text_under_box" when text is still there under a box (a bad redaction).
TAG_FIELDS: tuple[str, ...] = ("vendors", "data_types", "agencies", "programs", "clauses", "exemptions", "redactions")
# Fields every backend can filter and facet on.
FACET_FIELDS: tuple[str, ...] = (*TAG_FIELDS, "batch", "year")


class PageRecord(BaseModel):
    """One page of one document, as indexed."""
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it

    doc_id: str
    page: int
    path: str
    title: str = ""
    batch: str = ""  # the first batch the document came in (shown)
    # every batch the document came in, in order (filters and facets); empty means [batch]
    batches: list[str] = Field(default_factory=list)
    year: str = ""  # document year as text ("2019"), "" when unknown
    text: str = ""
    method: str = "text_layer"
    ocr_confidence: float | None = None
    vendors: list[str] = Field(default_factory=list)
    data_types: list[str] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)  # government programs and systems (and those above them)
    clauses: list[str] = Field(default_factory=list)
    exemptions: list[str] = Field(default_factory=list)
    redactions: list[str] = Field(default_factory=list)

    @property
    def id(self) -> str:
        """Stable unique key of the page: also the pagination tiebreaker."""
        return f"{self.doc_id}:{self.page:05d}"

    @property
    def redacted(self) -> bool:
        """The page has redaction boxes (stored by the backends as a plain boolean too)."""
        return "redacted" in self.redactions

    def tags(self) -> dict[str, list[str]]:
        return {field: getattr(self, field) for field in TAG_FIELDS}

    def all_batches(self) -> list[str]:
        return list(dict.fromkeys(self.batches or ([self.batch] if self.batch else [])))


class SearchQuery(BaseModel):
    """A search request. ``text`` uses the query syntax in search/query.py; it may be empty
    only when at least one filter is given (browse by tag)."""

    text: str = ""
    # field -> accepted values. Values of one field are OR-ed, fields are AND-ed.
    filters: dict[str, list[str]] = Field(default_factory=dict)
    page: int = 1  # 1-based result page (offset pagination)
    page_size: int = 10
    cursor: str | None = None  # opaque search_after cursor from a previous result; wins over page
    facets: bool = True
    # no text and no filters: every page (facet counts of the whole index); refused otherwise
    all_pages: bool = False

    @field_validator("filters")
    @classmethod
    def _known_fields(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(FACET_FIELDS)
        if unknown:
            raise ValueError(f"unknown filter field(s): {', '.join(sorted(unknown))}")
        return {k: list(vals) for k, vals in v.items() if vals}

    @field_validator("page_size")
    @classmethod
    def _page_size(cls, v: int) -> int:
        if not 1 <= v <= 500:
            raise ValueError("page_size must be between 1 and 500")
        return v

    @field_validator("page")
    @classmethod
    def _page(cls, v: int) -> int:
        if v < 1:
            raise ValueError("page must be >= 1")
        return v


class SearchHit(BaseModel):
    doc_id: str
    path: str
    title: str
    page: int
    score: float
    # Highlighted snippet: HTML-escaped text where only <mark> and </mark> are markup.
    snippet: str
    vendors: list[str] = Field(default_factory=list)
    data_types: list[str] = Field(default_factory=list)
    agencies: list[str] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list)  # government programs and systems (and those above them)
    clauses: list[str] = Field(default_factory=list)
    exemptions: list[str] = Field(default_factory=list)
    redactions: list[str] = Field(default_factory=list)
    batch: str = ""
    batches: list[str] = Field(default_factory=list)  # every batch of the document (batch is the first)
    year: str = ""
    method: str = "text_layer"


class FacetValue(BaseModel):
    value: str
    count: int
    # Only in a field that has chosen values (values of one field are OR-ed): ``count`` is then the
    # pages this value has under the query and the *other* fields' filters, and ``adds`` (for a
    # value not chosen yet) how many pages choosing it too adds to the current total.
    adds: int | None = None


class SearchResult(BaseModel):
    total: int
    hits: list[SearchHit]
    facets: dict[str, list[FacetValue]] = Field(default_factory=dict)
    next_cursor: str | None = None


class IndexReport(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it
    indexed: int = 0  # pages written
    relations: int = 0  # relations written (rebuild)
    documents: int = 0
    errors: list[dict] = Field(default_factory=list)  # per-document failures: {doc_id, reason}


class DocumentSummary(BaseModel):
    """One indexed document, for listings (web UI)."""
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it

    doc_id: str
    title: str = ""
    path: str = ""
    batch: str = ""
    batches: list[str] = Field(default_factory=list)  # every batch of the document (batch is the first)
    year: str = ""
    pages: int = 0


class DocumentList(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it
    total: int  # documents matching the listing filter
    documents: list[DocumentSummary]


# --- data-sharing relations ---------------------------------------------------------------------

RELATION_FILTERS: tuple[str, ...] = (
    "source", "recipient", "data_type", "platform_vendor", "kind", "polarity", "batch", "doc_id", "via", "jurisdiction",
)


class RelationRecord(BaseModel):
    """One data-sharing relation (source agency -> recipient agency), with its evidence."""
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it

    doc_id: str
    n: int  # position among the document's relations
    path: str = ""
    title: str = ""
    batch: str = ""
    year: str = ""
    page: int
    source_id: str
    source_name: str = ""
    recipient_id: str
    recipient_name: str = ""
    # the agency and the agencies above it (hsi -> hsi, ice, dhs): filters match any of them
    source_path: list[str] = Field(default_factory=list)
    recipient_path: list[str] = Field(default_factory=list)
    data_type: str = ""
    platform_vendor: str = ""
    kind: str = ""
    direction: str = "sharing"
    polarity: str = "grant"
    as_of: str = ""
    section: str = ""
    text: str = ""  # the evidence: the row or sentence as printed
    bbox: list[float] | None = None
    via: list[str] = Field(default_factory=list)  # programs / systems it passes through, in order (ngi, ident)
    # levels (federal | state | local | fusion | agency | class) and jurisdictions ("CA", "CA/irvine")
    source_level: str = ""
    recipient_level: str = ""
    source_jurisdictions: list[str] = Field(default_factory=list)
    recipient_jurisdictions: list[str] = Field(default_factory=list)
    # restrict relations of laws and policies: where the rule binds, whom, against which recipients
    jurisdiction: str = ""
    covers: list[str] = Field(default_factory=list)
    recipient_classes: list[str] = Field(default_factory=list)
    purpose: str = ""
    citation: str = ""

    @property
    def id(self) -> str:
        return f"{self.doc_id}:r{self.n:06d}"


class RelationQuery(BaseModel):
    """Filters of a relation search: values of one field are OR-ed, fields AND-ed. ``source`` and
    ``recipient`` match the agency or any agency above it (``recipient=["ice"]`` finds HSI too)."""
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it

    filters: dict[str, list[str]] = Field(default_factory=dict)
    offset: int = Field(0, ge=0)
    limit: int = Field(100, ge=0, le=100_000)
    counts: bool = True  # distinct counts per source and per recipient

    @field_validator("filters")
    @classmethod
    def _known(cls, v: dict[str, list[str]]) -> dict[str, list[str]]:
        unknown = set(v) - set(RELATION_FILTERS)
        if unknown:
            raise ValueError(f"unknown relation filter(s): {', '.join(sorted(unknown))}")
        return {k: list(vals) for k, vals in v.items() if vals}


class RelationResult(BaseModel):
    model_config = ConfigDict(defer_build=True)  # built on first use: searching never needs it
    total: int
    relations: list[RelationRecord]
    # relations per source id and per recipient id over the whole filtered set (top values)
    sources: list[FacetValue] = Field(default_factory=list)
    recipients: list[FacetValue] = Field(default_factory=list)
