"""Records produced by the extractors: one ExtractedDocument per input file, one PageText per page.

These are plain pydantic models; the rest of the pipeline reads them and never re-opens the PDF
for text. Pages are numbered from 1. Bounding boxes are PDF points in top-left origin
coordinates ``[x0, top, x1, bottom]`` (pdfplumber's convention).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

BBox = tuple[float, float, float, float]

ExtractionMethod = Literal["text_layer", "ocr", "none"]

ErrorCode = Literal[
    "not_found",
    "not_pdf",
    "empty_file",
    "encrypted",
    "corrupt",
    "zero_pages",
    "too_many_pages",
    "page_too_large",
    "page_too_complex",
    "timeout",
    "ocr_unavailable",
    "ocr_failed",
    "page_failed",
]


class ExtractionError(BaseModel):
    """Why a document (page=None) or one page could not be (fully) extracted."""

    code: ErrorCode
    message: str
    page: int | None = None

    @property
    def fatal(self) -> bool:
        return self.page is None


class Redaction(BaseModel):
    page: int
    bbox: BBox
    source: Literal["vector", "image"] = "vector"
    # True when a text layer still carries characters under a vector box (a "bad" redaction).
    text_underneath: bool = False


class Exemption(BaseModel):
    code: str  # normalised id: b1..b9, b7a..b7f
    page: int
    text: str  # as printed, e.g. "(b)(7)(C)"
    start: int | None = None  # character offsets in the page text
    end: int | None = None


class BatesNumber(BaseModel):
    page: int
    text: str
    start: int | None = None
    end: int | None = None


class Cell(BaseModel):
    """A run of text with its box, on a page laid out as rows (extractors/layout.py)."""

    text: str
    bbox: BBox


class LayerCheck(BaseModel):
    """How a text layer that looked like junk was judged (``extractors.layer_check``): by OCR of
    one sample page per document and kind of flag, compared with that page's text layer."""

    flag: str  # what the heuristics saw, e.g. "few_letters: only 32% letters"
    sample_page: int  # the page OCR'd as the sample for this kind of flag
    agreement: float | None  # 0..100 similarity of its OCR and text-layer tokens; None: no OCR result
    trusted: bool  # True: the text layer is kept (no OCR); False: the page is OCR'd


class PageText(BaseModel):
    page: int
    text: str = ""
    method: ExtractionMethod = "text_layer"
    needs_ocr: bool = False
    # Set when the text layer was doubted as junk: how the decision to trust it or OCR was made.
    layer_check: LayerCheck | None = None
    ocr_confidence: float | None = None  # mean word confidence 0..100 when method == "ocr"
    width: float = 0.0  # points
    height: float = 0.0
    rotation: int = 0  # degrees applied to make the page upright (OCR orientation)
    redactions: list[Redaction] = Field(default_factory=list)
    redacted_share: float = 0.0  # share of the page area covered by redaction boxes
    exemptions: list[Exemption] = Field(default_factory=list)
    bates: list[BatesNumber] = Field(default_factory=list)
    cells: list[Cell] = Field(default_factory=list)  # only for pages laid out as lists or tables


class ExtractedDocument(BaseModel):
    doc_id: str  # sha256 of the file bytes ("" when the file could not be read)
    path: str
    size_bytes: int = 0
    page_count: int = 0
    title: str | None = None
    pages: list[PageText] = Field(default_factory=list)
    errors: list[ExtractionError] = Field(default_factory=list)
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        """True when the document as a whole could not be extracted."""
        return any(e.fatal for e in self.errors)

    @property
    def pages_ocr(self) -> list[int]:
        return [p.page for p in self.pages if p.method == "ocr"]

    @property
    def redacted_share(self) -> float:
        """Share of the document's page area covered by redaction boxes."""
        total = sum(p.width * p.height for p in self.pages)
        if total <= 0:
            return 0.0
        return sum(p.redacted_share * p.width * p.height for p in self.pages) / total
