"""Open a PDF with pypdfium2, turning every way it can fail into an ``ExtractionError``."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractors.records import ExtractionError

# The PDF spec allows junk before the header; readers accept it within the first 1 KiB.
_HEADER = b"%PDF-"
_HEADER_WINDOW = 1024


@dataclass
class OpenedPdf:
    pdf: pdfium.PdfDocument
    doc_id: str  # sha256 of the file bytes
    size_bytes: int
    page_count: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _has_pdf_header(path: Path) -> bool:
    with path.open("rb") as fh:
        return _HEADER in fh.read(_HEADER_WINDOW)


def open_pdf(path: Path) -> OpenedPdf | ExtractionError:
    """Open ``path``; never raises for bad input. The caller closes ``OpenedPdf.pdf``."""
    try:
        if not path.is_file():
            return ExtractionError(code="not_found", message=f"no such file: {path}")
        size = path.stat().st_size
        if size == 0:
            return ExtractionError(code="empty_file", message="the file is empty (0 bytes)")
        has_header = _has_pdf_header(path)
        doc_id = file_sha256(path)
    except OSError as exc:
        return ExtractionError(code="not_found", message=f"cannot read {path}: {exc.strerror or exc}")

    try:
        pdf = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        return _load_error(exc, has_header)

    page_count = len(pdf)
    if page_count == 0:
        pdf.close()
        return ExtractionError(code="zero_pages", message="the PDF has no pages")
    return OpenedPdf(pdf=pdf, doc_id=doc_id, size_bytes=size, page_count=page_count)


def _load_error(exc: pdfium.PdfiumError, has_header: bool) -> ExtractionError:
    code = exc.err_code
    if code in (pdfium_c.FPDF_ERR_PASSWORD, pdfium_c.FPDF_ERR_SECURITY):
        return ExtractionError(
            code="encrypted",
            message="the PDF is encrypted and needs a password (or uses an unsupported security handler)",
        )
    if not has_header:
        return ExtractionError(code="not_pdf", message="not a PDF: no %PDF- header in the first 1 KiB")
    return ExtractionError(code="corrupt", message=f"the PDF cannot be parsed: {exc}")
