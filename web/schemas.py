"""Response and request models of the JSON API (what /openapi.json documents)."""

from __future__ import annotations

from pydantic import BaseModel, Field

from foialens.search.records import SearchResult


class ErrorBody(BaseModel):
    error: str = Field(description="machine-readable code, e.g. invalid_request, query_syntax, unknown_parameter")
    detail: str = Field(description="what was wrong, for people")


class ApiSearchResult(SearchResult):
    page: int
    page_size: int
    labels: dict[str, dict[str, str]] = Field(
        default_factory=dict, description="display names of the ids in hits and facets: field -> id -> name")


class MentionOut(BaseModel):
    page: int
    text: str
    start: int | None = None
    end: int | None = None


class EntityOut(BaseModel):
    id: str
    name: str = ""
    mentions: list[MentionOut] = Field(default_factory=list)


class ClauseOut(BaseModel):
    label: str = Field(description="ice_access, ice_restriction, third_party_sharing, retention, ...")
    score: float
    page: int
    text: str
    start: int | None = None
    end: int | None = None


class AgencyEndOut(BaseModel):
    id: str
    name: str = ""
    path: list[str] = Field(default_factory=list)


class EvidenceOut(BaseModel):
    page: int
    text: str = ""
    bbox: list[float] | None = None


class RelationOut(BaseModel):
    source: AgencyEndOut
    recipient: AgencyEndOut
    data_type: str | None = None
    platform_vendor: str | None = None
    kind: str
    direction: str = "sharing"
    polarity: str = "grant"
    as_of: str | None = None
    section: str | None = None
    evidence: EvidenceOut


class ExemptionOut(BaseModel):
    code: str
    page: int
    text: str
    start: int | None = None
    end: int | None = None


class RedactionOut(BaseModel):
    page: int
    bbox: list[float]
    source: str
    text_underneath: bool = False


class ErrorOut(BaseModel):
    code: str
    message: str
    page: int | None = None
    fatal: bool | None = None


class DocumentOut(BaseModel):
    """The stored analysis of one document: the `foialens analyze --json` output contract."""

    doc_id: str
    path: str
    title: str
    pages: int
    batch: str
    batches: list[str]
    pages_ocr: list[int]
    ocr_confidence: dict[str, float]
    errors: list[ErrorOut]
    vendors: list[EntityOut]
    data_types: list[EntityOut]
    agencies: list[EntityOut]
    clauses: list[ClauseOut]
    key_clauses: list[ClauseOut]
    relations: list[RelationOut]
    kind: str = ""
    exemptions: list[ExemptionOut]
    bates: list[str]
    redactions: list[RedactionOut]
    redacted_share: float
    pipeline_version: str

    model_config = {"extra": "allow"}


class PageOut(BaseModel):
    doc_id: str
    title: str
    path: str
    batch: str
    page: int
    pages: int
    text: str
    method: str
    ocr_confidence: float | None = None
    width: float | None = None
    height: float | None = None
    rotation: int | None = None
    tags: dict[str, list[str]]
    mentions: list[dict]
    clauses: list[ClauseOut]
    exemptions: list[ExemptionOut]
    bates: list[str]
    redactions: list[RedactionOut]
    leaked: list[dict] = Field(default_factory=list,
                               description="bad redactions: the text still under each box (index, bbox, text)")
    redacted_share: float = 0.0
    image_url: str
    pdf_url: str
    highlights: list[list[int]] = Field(default_factory=list,
                                        description="with ?q=: [start, end] of the query's words in text")

    model_config = {"extra": "allow"}


# multipart/form-data of an upload (documented for Swagger's file picker; the body is streamed)
UPLOAD_FORM = {
    "title": "UploadForm", "type": "object", "required": ["files"],
    "properties": {
        "files": {"type": "array", "items": {"type": "string", "format": "binary"},
                  "description": "PDF files (the field repeated once per file)"},
        "batch": {"type": "string", "description": "Batch name (default: upload-<UTC time>)"},
    },
}
