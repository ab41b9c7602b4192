"""``extract_document``: one PDF file in, one ``ExtractedDocument`` out, never an exception.

Pages are read one at a time with pypdfium2 (text layer + a cheap survey of the page objects).
Pages that need OCR are rendered in this thread (pdfium is not thread-safe) and handed to a small
thread pool whose threads each run one tesseract process: at most ``ocr_workers`` tesseract
processes at once, each single-threaded, and at most ``2 * ocr_workers`` rendered pages held in
memory, so a 2,000-page scan is processed in bounded memory while the next page renders.
pdfplumber then runs only on pages whose survey found dark filled shapes (vector redactions).

``ocr_gate`` (optional) is a context manager entered around the tesseract work of each page, e.g.
a semaphore shared by several processes extracting documents side by side
(``flows.parallel``), so that their tesseract processes together stay within a cap.
"""

from __future__ import annotations

import re
import time
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from foialens.environment import configure_environment
from foialens.extractors.foia import find_bates, find_exemptions
from foialens.extractors.image_redactions import WORK_DPI, blank_boxes, find_dark_boxes
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.ocr import OcrResult, OcrTimeout, ocr_image, render_dpi, render_gray, tesseract_version
from foialens.extractors.page_survey import survey_page
from foialens.extractors.pdf_open import OpenedPdf, open_pdf
from foialens.extractors.records import BBox, ExtractedDocument, ExtractionError, PageText, Redaction
from foialens.extractors.text_quality import ocr_reason
from foialens.extractors.vector_redactions import find_vector_redactions

# Message prefix of failures no specific check caught (the fuzz test asserts there are none).
UNEXPECTED = "unexpected extraction failure"
_TITLE_MAX = 200
_FILENAME_TITLE = re.compile(r"(^[A-Za-z]:\\|[\\/])|\.(tiff?|png|jpe?g|docx?|pdf|wpd|rtf|txt)$", re.I)
_OFFICE_PREFIX = re.compile(r"^(Microsoft (Word|PowerPoint|Excel) - )", re.I)
_PLACEHOLDER_TITLES = frozenset({"untitled", "untitled document", "document", "title", "none", "unknown"})


@dataclass
class _OcrJob:
    page: PageText
    image: Image.Image
    dpi: float
    layer_text: str  # the sparse text layer kept beside the OCR text (e.g. a Bates stamp)
    original_text: str = ""  # the page's whole text layer: kept when OCR does not finish


def extract_document(
    path: Path | str,
    limits: ExtractLimits | None = None,
    ocr: bool = True,
    ocr_gate: AbstractContextManager | None = None,
) -> ExtractedDocument:
    """Extract the pages of one PDF. Bad input never raises: it becomes an ``ExtractionError``
    (document-level with ``page=None``, which makes ``doc.failed`` true, or per page).

    ``ocr_gate``: entered (``with ocr_gate:``) around each page's tesseract calls, from the OCR
    threads; e.g. a ``multiprocessing`` semaphore shared with other extracting processes. The
    page's OCR time budget is counted from the moment the gate is passed."""
    configure_environment()  # OMP_THREAD_LIMIT=1 for tesseract (see foialens.environment)
    limits = limits or ExtractLimits()
    started = time.monotonic()
    deadline = started + limits.max_seconds
    path = Path(path)
    doc = ExtractedDocument(doc_id="", path=str(path))
    opened: OpenedPdf | None = None
    try:
        opened = open_pdf(path)
        doc.doc_id, doc.size_bytes, doc.page_count = opened.doc_id, opened.size_bytes, opened.page_count
        if opened.pdf is None:
            doc.errors.append(opened.error)
            return doc
        if opened.page_count > limits.max_pages:
            doc.errors.append(
                ExtractionError(
                    code="too_many_pages",
                    message=f"{opened.page_count} pages is over the limit of {limits.max_pages}",
                )
            )
            return doc
        _extract_pages(opened.pdf, path, doc, limits, ocr, deadline, ocr_gate or nullcontext())
        doc.title = _title(opened.pdf, doc)
    except Exception as exc:  # last line of defence: a batch must never stop on one file
        doc.errors.append(ExtractionError(code="corrupt", message=f"{UNEXPECTED}: {type(exc).__name__}: {exc}"))
    finally:
        if opened is not None and opened.pdf is not None:
            opened.pdf.close()
        doc.seconds = round(time.monotonic() - started, 3)
    return doc


def _extract_pages(
    pdf: pdfium.PdfDocument,
    path: Path,
    doc: ExtractedDocument,
    limits: ExtractLimits,
    ocr: bool,
    deadline: float,
    ocr_gate: AbstractContextManager,
) -> None:
    can_ocr = ocr and tesseract_version() is not None
    vector_pages: list[int] = []
    pending: deque[tuple[_OcrJob, Future]] = deque()
    cut: list[int] = []  # pages whose OCR was stopped by the time limit
    unread = None  # the first page not read when the time limit stopped the loop
    pool: ThreadPoolExecutor | None = None
    try:
        for index in range(doc.page_count):
            if time.monotonic() > deadline:
                unread = index + 1
                break
            number = index + 1
            try:
                page = pdf[index]
                try:
                    job = _read_page(page, number, doc, limits, ocr, can_ocr, vector_pages)
                finally:
                    page.close()
            except pdfium.PdfiumError as exc:
                if not doc.pages or doc.pages[-1].page != number:
                    doc.pages.append(PageText(page=number, method="none"))
                doc.errors.append(ExtractionError(code="page_failed", page=number, message=str(exc)))
                continue
            if job is None:
                continue
            if pool is None:
                pool = ThreadPoolExecutor(max_workers=limits.ocr_workers, thread_name_prefix="ocr")
            pending.append((job, pool.submit(_run_ocr, job, limits, deadline, ocr_gate)))
            while len(pending) >= 2 * limits.ocr_workers:
                _collect(pending.popleft(), doc, deadline, cut)
        while pending:
            _collect(pending.popleft(), doc, deadline, cut)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    if vector_pages and time.monotonic() < deadline:
        _add_vector_redactions(path, vector_pages, doc, deadline)
    for page in doc.pages:
        page.redacted_share = _covered_share(page.redactions, page.width, page.height)
        page.exemptions = find_exemptions(page.text, page.page)
        page.bates = find_bates(page.text, page.page)
    if cut or unread:
        _record_timeout(doc, limits, cut, unread)


def _usable(page: PageText) -> bool:
    """A page the rest of the pipeline can use: read (text layer or OCR), or with some text."""
    return page.method != "none" or bool(page.text.strip())


def _record_timeout(doc: ExtractedDocument, limits: ExtractLimits, cut: list[int], unread: int | None) -> None:
    """The time limit stopped the document: the pages done are kept. One ``timeout`` error names
    the first page not finished (every other page whose OCR was cut has its own); it is
    document-level (``doc.failed``) only when no page is usable."""
    first = min([*cut, *([unread] if unread else [])])
    parts = []
    if cut:
        parts.append(f"OCR of {_plural(len(cut), 'page')} not finished ({_numbers(cut)}), text layer kept")
    if unread:
        parts.append(f"pages {unread}-{doc.page_count} not read")
    usable = sum(_usable(p) for p in doc.pages)
    message = (
        f"stopped after {limits.max_seconds:g} s (max_seconds) at page {first} of {doc.page_count}: "
        + "; ".join(parts)
        + f"; {_plural(usable, 'page')} usable"
    )
    others = sorted((e for e in doc.errors if e.code == "timeout" and e.page != first), key=lambda e: e.page or 0)
    doc.errors = [e for e in doc.errors if e.code != "timeout"]
    doc.errors.append(ExtractionError(code="timeout", page=first if usable else None, message=message))
    doc.errors.extend(others)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _numbers(pages: list[int], show: int = 10) -> str:
    shown = ", ".join(str(n) for n in sorted(pages)[:show])
    return shown + (", ..." if len(pages) > show else "")


def _read_page(
    page: pdfium.PdfPage,
    number: int,
    doc: ExtractedDocument,
    limits: ExtractLimits,
    ocr: bool,
    can_ocr: bool,
    vector_pages: list[int],
) -> _OcrJob | None:
    """Fill in one page from its text layer; return an OCR job when the page needs one."""
    width, height = page.get_size()
    textpage = page.get_textpage()
    try:
        text = _normalise(textpage.get_text_range())
    finally:
        textpage.close()
    survey = survey_page(page)
    record = PageText(page=number, text=text, width=round(width, 2), height=round(height, 2))
    doc.pages.append(record)
    if survey.dark_filled_paths:
        vector_pages.append(number)

    reason = ocr_reason(text, survey)
    keep_layer = text if reason and reason[0] != "garbage" else ""
    if reason is None:
        if survey.mostly_image:  # a scan with its own OCR layer: look for burnt-in boxes
            dpi = render_dpi(width, height, int(WORK_DPI), limits.max_page_pixels)
            image = render_gray(page, dpi)
            record.redactions = _image_redactions(image, dpi, number)
        return None

    record.needs_ocr = True
    record.method = "none"
    record.text = keep_layer
    kind, detail = reason
    if not can_ocr:
        why = "OCR is turned off" if not ocr else "tesseract is not installed or cannot be run"
        doc.errors.append(
            ExtractionError(code="ocr_unavailable", page=number, message=f"{why}; page needs OCR ({detail})")
        )
        return None
    dpi = render_dpi(width, height, limits.ocr_dpi, limits.max_page_pixels)
    if dpi < limits.min_ocr_dpi:
        doc.errors.append(
            ExtractionError(
                code="page_too_large",
                page=number,
                message=f"page of {width:.0f}x{height:.0f} pt cannot be rendered at "
                f"{limits.min_ocr_dpi} dpi within max_page_pixels={limits.max_page_pixels}",
            )
        )
        return None
    image = render_gray(page, dpi, scan=survey.mostly_image)
    return _OcrJob(page=record, image=image, dpi=dpi, layer_text=keep_layer, original_text=text)


def _run_ocr(
    job: _OcrJob, limits: ExtractLimits, deadline: float, gate: AbstractContextManager
) -> tuple[list[BBox], OcrResult]:
    try:
        boxes = find_dark_boxes(job.image, job.dpi)
        image = blank_boxes(job.image, boxes, job.dpi)
        with gate:
            left = deadline - time.monotonic()
            if left <= 0:
                raise OcrTimeout("no time left for OCR")
            return boxes, ocr_image(
                image, limits.ocr_language, timeout=left, osd_below_confidence=limits.osd_below_confidence
            )
    finally:
        job.image = None  # release the bitmap as soon as tesseract is done with it


def _collect(item: tuple[_OcrJob, Future], doc: ExtractedDocument, deadline: float, cut: list[int]) -> None:
    """Fill in a page from its OCR job. When OCR does not finish (time limit) or fails, the page
    keeps its original text layer (``method`` stays "none", ``needs_ocr`` true)."""
    job, future = item
    page = job.page
    try:
        boxes, result = future.result(timeout=max(deadline - time.monotonic(), 0.0) + 5.0)
    except (OcrTimeout, FutureTimeout):
        page.text = job.original_text
        cut.append(page.page)
        doc.errors.append(
            ExtractionError(
                code="timeout", page=page.page, message="OCR stopped: max_seconds reached; text layer kept"
            )
        )
        return
    except (pytesseract.TesseractError, OSError, RuntimeError) as exc:
        page.text = job.original_text
        doc.errors.append(ExtractionError(code="ocr_failed", page=page.page, message=str(exc)[:500]))
        return
    page.redactions = [Redaction(page=page.page, bbox=b, source="image") for b in boxes]
    page.method = "ocr"
    page.needs_ocr = False
    page.ocr_confidence = None if result.confidence is None else round(result.confidence, 1)
    page.rotation = result.rotation
    page.text = _merge(result.text, job.layer_text)


def _merge(ocr_text: str, layer_text: str) -> str:
    """OCR text, followed by the lines of a sparse text layer the OCR did not read (stamps)."""
    flat = " ".join(ocr_text.split())
    extra = [line for line in layer_text.splitlines() if line.strip() and " ".join(line.split()) not in flat]
    return "\n".join([ocr_text, *extra]) if extra else ocr_text


def _image_redactions(image: Image.Image, dpi: float, number: int) -> list[Redaction]:
    return [Redaction(page=number, bbox=b, source="image") for b in find_dark_boxes(image, dpi)]


def _add_vector_redactions(path: Path, numbers: list[int], doc: ExtractedDocument, deadline: float) -> None:
    try:
        found = find_vector_redactions(path, numbers, deadline)
    except Exception as exc:  # pdfminer has its own ways to fail on damaged files
        doc.errors.append(
            ExtractionError(
                code="page_failed",
                page=numbers[0],
                message=f"vector redaction scan failed: {type(exc).__name__}: {exc}"[:500],
            )
        )
        return
    by_number = {p.page: p for p in doc.pages}
    for number, boxes in found.items():
        if number in by_number:
            by_number[number].redactions.extend(boxes)


def _covered_share(redactions: list[Redaction], width: float, height: float) -> float:
    """Share of the page covered by the union of its boxes (rasterised on a <= 1000 cell grid)."""
    if not redactions or width <= 0 or height <= 0:
        return 0.0
    scale = min(1.0, 1000.0 / max(width, height))
    grid = np.zeros((max(1, round(height * scale)), max(1, round(width * scale))), dtype=bool)
    for r in redactions:
        x0, top, x1, bottom = (round(v * scale) for v in r.bbox)
        grid[max(top, 0) : max(bottom, 0), max(x0, 0) : max(x1, 0)] = True
    return round(float(grid.mean()), 4)


def _normalise(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _title(pdf: pdfium.PdfDocument, doc: ExtractedDocument) -> str | None:
    """PDF metadata title when it is a real title, else the first non-empty line of text."""
    try:
        meta = (pdf.get_metadata_dict().get("Title") or "").strip()
    except (pdfium.PdfiumError, UnicodeDecodeError):
        meta = ""
    meta = _OFFICE_PREFIX.sub("", meta).strip()
    usable = meta.lower() not in _PLACEHOLDER_TITLES and not _FILENAME_TITLE.search(meta)
    if usable and any(ch.isalpha() for ch in meta):
        return meta[:_TITLE_MAX]
    for page in doc.pages:
        for line in page.text.splitlines():
            line = " ".join(line.split())
            if sum(ch.isalpha() for ch in line) >= 3:
                return line[:_TITLE_MAX]
    return None
