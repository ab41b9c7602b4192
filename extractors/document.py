"""``extract_document``: one PDF file in, one ``ExtractedDocument`` out, never an exception.

Pages are read one at a time with pypdfium2 (text layer + a cheap survey of the page objects).
Pages that need OCR are rendered in this thread (pdfium is not thread-safe) and handed to a small
thread pool whose threads each run one tesseract process: at most ``ocr_workers`` tesseract
processes at once, each single-threaded, and at most ``2 * ocr_workers`` rendered pages held in
memory, so a 2,000-page scan is processed in bounded memory while the next page renders.
Vector redaction boxes are read from the same open page (the survey's walk over its objects
found the dark filled shapes; see ``vector_redactions``): there is no second parse of the file.
A text layer that looks like junk is judged once per document and kind of flag by OCR of a sample
band of the first page so flagged (``layer_check``), in this thread, before deciding for the rest.
When ``max_seconds`` runs out, the pages done are kept (``time_limit``).

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
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from foialens.environment import configure_environment
from foialens.extractors.foia import find_bates, find_exemptions
from foialens.extractors.image_redactions import WORK_DPI, blank_boxes, find_dark_boxes
from foialens.extractors.layer_check import MIN_TOKENS, agreement, agrees, sample_band, tokens
from foialens.extractors.layout import is_tabular, looks_tabular, text_layer_cells
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.ocr import OcrResult, OcrTimeout, ocr_image, render_dpi, render_gray, tesseract_version
from foialens.extractors.page_survey import survey_page
from foialens.extractors.pdf_open import OpenedPdf, open_pdf
from foialens.extractors.records import BBox, ExtractedDocument, ExtractionError, LayerCheck, PageText, Redaction
from foialens.extractors.text_quality import OcrFlag, ocr_reason
from foialens.extractors.time_limit import record_timeout
from foialens.extractors.vector_redactions import PageTooComplex, page_redactions
from foialens.pdfium_lock import PDFIUM

# Message prefix of failures no specific check caught (the fuzz test asserts there are none).
UNEXPECTED = "unexpected extraction failure"
_TITLE_MAX = 200
# A file name or path given as the title: a drive letter, a leading slash, separators in a name
# without spaces, or a document file extension. "ICE/HSI agreement" is a title.
_FILENAME_TITLE = re.compile(r"^[A-Za-z]:[\\/]|^[\\/]|^\S*[\\/]\S*$|\.(tiff?|png|jpe?g|docx?|pdf|wpd|rtf|txt)$", re.I)
_OFFICE_PREFIX = re.compile(r"^(Microsoft (Word|PowerPoint|Excel) - )", re.I)
_PLACEHOLDER_TITLES = frozenset({"untitled", "untitled document", "document", "title", "none", "unknown"})


@dataclass
class _OcrJob:
    page: PageText
    image: Image.Image
    dpi: float
    layer_text: str  # the sparse text layer kept beside the OCR text (e.g. a Bates stamp)
    original_text: str = ""  # the page's whole text layer: kept when OCR does not finish


@dataclass
class _Run:
    """One document's extraction state, shared by the page steps."""

    doc: ExtractedDocument
    limits: ExtractLimits
    ocr: bool  # OCR asked for
    can_ocr: bool  # ... and tesseract can run
    deadline: float
    gate: AbstractContextManager
    cut: list[int] = field(default_factory=list)  # pages whose OCR the time limit stopped
    checks: dict[str, LayerCheck] = field(default_factory=dict)  # sample verdict per garbage kind


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
        with PDFIUM:
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
        can_ocr = ocr and tesseract_version() is not None
        run = _Run(doc, limits, ocr, can_ocr, deadline, ocr_gate or nullcontext())
        _extract_pages(opened.pdf, run)
        with PDFIUM:
            doc.title = _title(opened.pdf, doc)
    except Exception as exc:  # last line of defence: a batch must never stop on one file
        doc.errors.append(ExtractionError(code="corrupt", message=f"{UNEXPECTED}: {type(exc).__name__}: {exc}"))
    finally:
        if opened is not None and opened.pdf is not None:
            with PDFIUM:
                opened.pdf.close()
        doc.seconds = round(time.monotonic() - started, 3)
    return doc


def _extract_pages(pdf: pdfium.PdfDocument, run: _Run) -> None:
    doc, limits, deadline = run.doc, run.limits, run.deadline
    pending: deque[tuple[_OcrJob, Future]] = deque()
    unread = None  # the first page not read when the time limit stopped the loop
    pool: ThreadPoolExecutor | None = None
    try:
        for index in range(doc.page_count):
            if time.monotonic() > deadline:
                unread = index + 1
                break
            number = index + 1
            try:
                with PDFIUM:  # one page's pdfium work; its OCR (below) runs outside the lock
                    page = pdf[index]
                    try:
                        job = _read_page(page, number, run)
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
            pending.append((job, pool.submit(_run_ocr, job, limits, deadline, run.gate)))
            while len(pending) >= 2 * limits.ocr_workers:
                _collect(pending.popleft(), run)
        while pending:
            _collect(pending.popleft(), run)
    finally:
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    for page in doc.pages:
        page.redacted_share = _covered_share(page.redactions, page.width, page.height)
        page.exemptions = find_exemptions(page.text, page.page)
        page.bates = find_bates(page.text, page.page)
    if run.cut or unread:
        record_timeout(doc, limits.max_seconds, run.cut, unread)


def _read_page(page: pdfium.PdfPage, number: int, run: _Run) -> _OcrJob | None:
    """Fill in one page from its text layer and vector layer; return an OCR job when the page
    needs one."""
    doc, limits = run.doc, run.limits
    width, height = page.get_size()
    record = PageText(page=number, width=round(width, 2), height=round(height, 2))
    doc.pages.append(record)
    textpage = page.get_textpage()
    try:
        text = record.text = _normalise(textpage.get_text_range())
        if looks_tabular(text):  # a list or a table: keep its text runs apart (extractors/layout.py)
            box = page.get_mediabox()
            cells = text_layer_cells(textpage, box[2] - box[0], box[3] - box[1], page.get_rotation())
            record.cells = cells if is_tabular(cells) else []
        survey = survey_page(page, limits.max_page_rects, limits.max_page_seconds)
        if survey.dark and not survey.too_complex:
            page_deadline = min(run.deadline, time.monotonic() + limits.max_page_seconds)
            try:
                record.redactions = page_redactions(
                    page, textpage, survey, number, limits.max_page_rects, page_deadline
                )
            except PageTooComplex as exc:
                survey.too_complex = str(exc)
    finally:
        textpage.close()
    if survey.too_complex:
        doc.errors.append(
            ExtractionError(
                code="page_too_complex",
                page=number,
                message=f"redaction boxes not looked for: {survey.too_complex}",
            )
        )

    flag = ocr_reason(text, survey)
    if flag is None:
        if survey.mostly_image:  # a scan with its own OCR layer: look for burnt-in boxes
            dpi = render_dpi(width, height, int(WORK_DPI), limits.max_page_pixels)
            record.redactions += _image_redactions(render_gray(page, dpi), dpi, number)
        return None

    record.needs_ocr = True
    record.method = "none"
    if not run.can_ocr:  # the page keeps its text layer, flagged as needing OCR
        why = "OCR is turned off" if not run.ocr else "tesseract is not installed or cannot be run"
        doc.errors.append(
            ExtractionError(code="ocr_unavailable", page=number, message=f"{why}; page needs OCR ({flag.detail})")
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
    image = None
    if flag.reason == "garbage":
        check = run.checks.get(flag.kind)
        if check is None:  # the first page so flagged is the document's sample for this kind
            image = render_gray(page, dpi, scan=survey.mostly_image)
            check = run.checks[flag.kind] = _check_layer(page, image, dpi, flag, number, run)
        record.layer_check = check
        if check.trusted:  # the sample's OCR said what its text layer says: keep the layer
            record.needs_ocr = False
            record.method = "text_layer"
            if survey.mostly_image:  # a scan with its own OCR layer: look for burnt-in boxes
                dpi = render_dpi(width, height, int(WORK_DPI), limits.max_page_pixels)
                record.redactions += _image_redactions(render_gray(page, dpi), dpi, number)
            return None
    if image is None:
        image = render_gray(page, dpi, scan=survey.mostly_image)
    # A junk layer is not kept beside the OCR text; a sparse one (a Bates stamp on a scan) is.
    record.text = "" if flag.reason == "garbage" else text
    return _OcrJob(page=record, image=image, dpi=dpi, layer_text=record.text, original_text=text)


def _check_layer(
    page: pdfium.PdfPage, image: Image.Image, dpi: float, flag: OcrFlag, number: int, run: _Run
) -> LayerCheck:
    """OCR a band of the page (``layer_check.sample_band``) and score it against the text layer
    in the same band; the whole page when the band cannot be placed or is too thin."""
    sample, layer = image, None
    band = sample_band(image) if page.get_rotation() == 0 else None
    if band is not None:
        top, bottom = band
        left, _bottom, right, page_top = page.get_bbox()
        textpage = page.get_textpage()
        try:
            layer = textpage.get_text_bounded(
                left=left, right=right, top=page_top - top * 72 / dpi, bottom=page_top - bottom * 72 / dpi
            )
        finally:
            textpage.close()
        if len(tokens(layer)) >= MIN_TOKENS:
            sample = image.crop((0, top, image.width, bottom))
        else:
            layer = None
    if layer is None:
        textpage = page.get_textpage()
        try:
            layer = textpage.get_text_range()
        finally:
            textpage.close()
    score = None
    try:
        with run.gate:
            left_s = run.deadline - time.monotonic()
            if left_s > 0:
                result = ocr_image(sample, run.limits.ocr_language, timeout=left_s, osd_below_confidence=0)
                score = agreement(result.text, layer)
    except (OcrTimeout, pytesseract.TesseractError, OSError, RuntimeError):
        score = None
    return LayerCheck(flag=f"{flag.kind}: {flag.detail}", sample_page=number, agreement=score, trusted=agrees(score))


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
                image, limits.ocr_language, timeout=left, osd_below_confidence=limits.osd_below_confidence,
                points_per_pixel=72.0 / job.dpi,
            )
    finally:
        job.image = None  # release the bitmap as soon as tesseract is done with it


def _collect(item: tuple[_OcrJob, Future], run: _Run) -> None:
    """Fill in a page from its OCR job. When OCR does not finish (time limit) or fails, the page
    keeps its original text layer (``method`` stays "none", ``needs_ocr`` true)."""
    job, future = item
    page, doc = job.page, run.doc
    try:
        boxes, result = future.result(timeout=max(run.deadline - time.monotonic(), 0.0) + 5.0)
    except (OcrTimeout, FutureTimeout):
        page.text = job.original_text
        run.cut.append(page.page)
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
    page.redactions += [Redaction(page=page.page, bbox=b, source="image") for b in boxes]
    page.method = "ocr"
    page.needs_ocr = False
    page.ocr_confidence = None if result.confidence is None else round(result.confidence, 1)
    page.rotation = result.rotation
    page.text = _merge(result.text, job.layer_text)
    cells = list(result.cells)  # already in points (ocr_image's points_per_pixel)
    page.cells = cells if is_tabular(cells) else []


def _merge(ocr_text: str, layer_text: str) -> str:
    """OCR text, followed by the lines of a sparse text layer the OCR did not read (stamps)."""
    flat = " ".join(ocr_text.split())
    extra = [line for line in layer_text.splitlines() if line.strip() and " ".join(line.split()) not in flat]
    return "\n".join([ocr_text, *extra]) if extra else ocr_text


def _image_redactions(image: Image.Image, dpi: float, number: int) -> list[Redaction]:
    return [Redaction(page=number, bbox=b, source="image") for b in find_dark_boxes(image, dpi)]


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
