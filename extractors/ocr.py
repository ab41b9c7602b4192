"""Render a page with pypdfium2 and OCR it with tesseract (through pytesseract).

One tesseract process per page call, each single-threaded (``OMP_THREAD_LIMIT=1``), so running
N calls at once uses N cores and no more. Orientation: when the mean word confidence is below a
threshold, tesseract's orientation detection (``--psm 0``) is asked; if it says the page is
turned, the image is rotated and OCR'd again, and the better of the two readings is kept.
"""

from __future__ import annotations

import functools
import math
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pypdfium2 as pdfium
import pytesseract
from PIL import Image

from foialens.extractors.layout import ocr_cells

POINTS_PER_INCH = 72.0
# Orientation detection must be at least this sure before a page is rotated.
MIN_ORIENTATION_CONFIDENCE = 1.5


class OcrTimeout(Exception):
    """Tesseract did not finish within the time it was given."""


@dataclass(frozen=True)
class OcrResult:
    text: str
    confidence: float | None  # mean word confidence 0..100; None when no word was read
    words: int
    rotation: int = 0  # degrees (clockwise) the image was turned before reading
    cells: tuple = ()  # text runs with their boxes (points when ocr_image got points_per_pixel; extractors/layout.py ocr_cells)


@functools.cache
def tesseract_version() -> str | None:
    """The installed tesseract version, or None when the binary cannot be run."""
    try:
        return str(pytesseract.get_tesseract_version())
    except (pytesseract.TesseractNotFoundError, OSError):
        return None


def render_dpi(width_pt: float, height_pt: float, dpi: int, max_pixels: int) -> float:
    """The resolution to render a page at: ``dpi``, lowered so the bitmap stays within
    ``max_pixels``."""
    pixels = (width_pt * dpi / POINTS_PER_INCH) * (height_pt * dpi / POINTS_PER_INCH)
    if pixels <= max_pixels:
        return float(dpi)
    return dpi * math.sqrt(max_pixels / pixels)


def render_gray(page: pdfium.PdfPage, dpi: float, scan: bool = False) -> Image.Image:
    """The page as an 8-bit grayscale image (page rotation applied, annotations drawn).

    ``scan``: the page is mostly an image. pdfium's grayscale mode composites images ~2.5x slower
    than its RGBX mode, and for image pixels both give the same gray values (RGBX converted with
    PIL's luma weights), so scans are rendered in RGBX and converted. Text and vector pages stay
    on pdfium's grayscale mode: its text anti-aliasing differs from the colour mode's.
    """
    if scan:
        bitmap = page.render(scale=dpi / POINTS_PER_INCH, draw_annots=True, prefer_bgrx=True, rev_byteorder=True)
        try:
            return bitmap.to_pil().convert("L")  # a new image: detached from the pdfium buffer
        finally:
            bitmap.close()
    bitmap = page.render(scale=dpi / POINTS_PER_INCH, grayscale=True, draw_annots=True)
    try:
        return bitmap.to_pil().copy()  # copy: detach from the pdfium buffer before closing it
    finally:
        bitmap.close()


def _words_to_text(data: dict[str, list]) -> tuple[str, float | None, int]:
    lines: list[str] = []
    current: list[str] = []
    key = None
    confidences: list[float] = []
    for i, word in enumerate(data["text"]):
        if int(data["level"][i]) != 5:
            continue
        word = (word or "").strip()
        if not word:
            continue
        line_key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        if line_key != key and current:
            lines.append(" ".join(current))
            if key is not None and line_key[:2] != key[:2]:
                lines.append("")  # blank line between paragraphs
            current = []
        key = line_key
        current.append(word)
        conf = float(data["conf"][i])
        if conf >= 0:
            confidences.append(conf)
    if current:
        lines.append(" ".join(current))
    mean = sum(confidences) / len(confidences) if confidences else None
    return "\n".join(lines), mean, len(confidences)


def _run(call, *args, **kwargs):
    try:
        return call(*args, **kwargs)
    except RuntimeError as exc:  # pytesseract signals its timeout with a bare RuntimeError
        if "timeout" in str(exc).lower():
            raise OcrTimeout(str(exc)) from exc
        raise


def _read(path: str, lang: str, timeout: float, points_per_pixel: float = 1.0) -> OcrResult:
    data = _run(
        pytesseract.image_to_data,
        path,
        lang=lang,
        config="--psm 3",
        timeout=timeout,
        output_type=pytesseract.Output.DICT,
    )
    text, conf, words = _words_to_text(data)
    return OcrResult(text=text, confidence=conf, words=words, cells=tuple(ocr_cells(data, points_per_pixel)))


def _orientation(path: str, timeout: float) -> int:
    """Clockwise degrees that make the page upright (0 when unsure or too little text)."""
    try:
        osd = _run(
            pytesseract.image_to_osd,
            path,
            config="--psm 0",
            timeout=timeout,
            output_type=pytesseract.Output.DICT,
        )
    except pytesseract.TesseractError:  # "Too few characters", blank page
        return 0
    if float(osd.get("orientation_conf", 0.0)) < MIN_ORIENTATION_CONFIDENCE:
        return 0
    return int(osd.get("rotate", 0)) % 360


def _score(result: OcrResult) -> float:
    return (result.confidence or 0.0) * math.log1p(result.words)


def ocr_image(
    image: Image.Image,
    lang: str = "eng",
    timeout: float = 60.0,
    osd_below_confidence: float = 60.0,
    points_per_pixel: float = 1.0,
) -> OcrResult:
    """OCR one grayscale page image. Raises ``OcrTimeout`` when ``timeout`` seconds run out and
    ``pytesseract.TesseractError`` when tesseract fails. Cells are in points when
    ``points_per_pixel`` (72 / the render dpi) is given: the layout rules (line tolerance, column
    slack) are in points, so words are merged into runs on the page's scale, not the bitmap's."""
    from time import monotonic

    deadline = monotonic() + timeout

    def remaining() -> float:
        left = deadline - monotonic()
        if left <= 0:
            raise OcrTimeout("no time left for OCR")
        return left

    with tempfile.TemporaryDirectory(prefix="foialens-ocr-") as tmp:
        # PGM: uncompressed, so writing it costs next to nothing (PNG encoding costs ~10%).
        path = str(Path(tmp) / "page.pgm")
        image.save(path, format="PPM")
        result = _read(path, lang, remaining(), points_per_pixel)
        if result.confidence is not None and result.confidence >= osd_below_confidence:
            return result
        if result.words == 0 and result.confidence is None and _blank(image):
            return result
        rotation = _orientation(path, remaining())
        if rotation == 0:
            return result
        # PIL rotates counter-clockwise.
        image.rotate(-rotation, expand=True).save(path, format="PPM")
        turned = _read(path, lang, remaining(), points_per_pixel)
        turned = OcrResult(turned.text, turned.confidence, turned.words, rotation, turned.cells)
        return turned if _score(turned) > _score(result) else result


def _blank(image: Image.Image) -> bool:
    """A page with (almost) nothing dark on it: no point asking for its orientation."""
    lo, _hi = image.getextrema()
    return lo > 200
