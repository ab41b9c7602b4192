"""Open a PDF with pypdfium2, turning every way it can fail into an ``ExtractionError``."""

from __future__ import annotations

import mmap
import re
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foialens.extractors.fingerprint import file_sha256
from foialens.extractors.records import ExtractionError

# The PDF spec allows junk before the header; readers accept it within the first 1 KiB.
_HEADER = b"%PDF-"
_HEADER_WINDOW = 1024
_EMPTY_PAGE_TREE = re.compile(rb"/Type\s*/Pages\b[^>]*/Count\s+0\b|/Count\s+0\b[^>]*/Type\s*/Pages\b")


@dataclass
class OpenedPdf:
    """The outcome of opening one file: ``pdf`` is set on success, ``error`` otherwise.
    ``doc_id`` (sha256 of the bytes) is known whenever the file could be read."""

    doc_id: str = ""
    size_bytes: int = 0
    page_count: int = 0
    pdf: pdfium.PdfDocument | None = None
    error: ExtractionError | None = None


def _contains(path: Path, pattern: re.Pattern[bytes] | bytes) -> bool:
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if isinstance(pattern, bytes):
            return data.find(pattern) >= 0
        return pattern.search(data) is not None


def open_pdf(path: Path) -> OpenedPdf:
    """Open ``path``; never raises for bad input. The caller closes ``OpenedPdf.pdf``."""
    result = OpenedPdf()
    try:
        if not path.is_file():
            result.error = ExtractionError(code="not_found", message=f"no such file: {path}")
            return result
        result.size_bytes = path.stat().st_size
        if result.size_bytes == 0:
            result.error = ExtractionError(code="empty_file", message="the file is empty (0 bytes)")
            return result
        with path.open("rb") as fh:
            has_header = _HEADER in fh.read(_HEADER_WINDOW)
        result.doc_id = file_sha256(path)
        if not result.doc_id:
            raise OSError(f"cannot read {path}")
    except OSError as exc:
        result.error = ExtractionError(code="not_found", message=f"cannot read {path}: {exc.strerror or exc}")
        return result

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        result.error = _load_error(path, exc, has_header)
        return result

    result.page_count = len(pdf)
    if result.page_count == 0:
        pdf.close()
        result.error = ExtractionError(code="zero_pages", message="the PDF has no pages")
        return result
    result.pdf = pdf
    return result


def _load_error(path: Path, exc: pdfium.PdfiumError, has_header: bool) -> ExtractionError:
    # pdfium's error code is global state that a failed load does not always reset, so it is
    # checked against the bytes before being believed.
    if not has_header:
        return ExtractionError(code="not_pdf", message="not a PDF: no %PDF- header in the first 1 KiB")
    try:
        encrypted = _contains(path, b"/Encrypt")
        empty_tree = _contains(path, _EMPTY_PAGE_TREE)
    except (OSError, ValueError):
        encrypted = empty_tree = False
    if encrypted and exc.err_code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return ExtractionError(
            code="encrypted",
            message="the PDF is encrypted and needs a password (or uses an unsupported security handler)",
        )
    if empty_tree:
        return ExtractionError(code="zero_pages", message="the PDF has no pages (empty page tree)")
    return ExtractionError(code="corrupt", message=f"the PDF cannot be parsed: {exc}")
