"""Per-document limits for extraction: page count, render size, wall-clock time and OCR settings."""

from __future__ import annotations

import os

from pydantic import BaseModel, Field


def _default_workers() -> int:
    return max(1, os.cpu_count() or 1)


class ExtractLimits(BaseModel):
    """Limits and OCR settings for one ``extract_document`` call.

    A document over ``max_pages`` is rejected as a whole (``too_many_pages``); a page whose render
    at ``ocr_dpi`` would exceed ``max_page_pixels`` is rendered at a lower resolution, and refused
    (``page_too_large``) when that resolution would fall below ``min_ocr_dpi``. ``max_seconds``
    bounds the wall-clock time of one document: it is checked between pages and passed to every
    tesseract call as its timeout. ``max_page_rects`` / ``max_page_seconds`` cap the survey and
    redaction pass of one page (``page_too_complex``).
    """

    max_pages: int = Field(2000, ge=1)
    max_page_pixels: int = Field(40_000_000, ge=10_000)  # ~ a 17x22 in sheet at 300 dpi
    max_seconds: float = Field(600.0, gt=0)
    # 200 dpi: as accurate as 300 on 150-300 dpi scans and about 1.5-2x faster (bench/README.md).
    ocr_dpi: int = Field(200, ge=72, le=600)
    min_ocr_dpi: int = Field(100, ge=36, le=600)
    ocr_language: str = "eng"
    ocr_workers: int = Field(default_factory=_default_workers, ge=1)
    # Confidence (0..100) under which tesseract's orientation detection is consulted.
    osd_below_confidence: float = Field(60.0, ge=0, le=100)
    # Work per page of the object survey and the vector redaction pass: box-sized filled shapes
    # (and rectangles in them) considered, and seconds. Over either: a ``page_too_complex`` page
    # error, and no redaction boxes for that page.
    max_page_rects: int = Field(5_000, ge=1)
    max_page_seconds: float = Field(5.0, gt=0)
