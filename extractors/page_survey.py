"""One cheap walk over a page's objects with pypdfium2: how much of it is image, and which filled
shapes it draws (the vector redaction pass reads those, with the page still open). Text objects
are skipped here; ``text_objects`` walks them on the pages that draw a dark box.

The walk descends into form XObjects (objects there are in the form's own space: ``matrix`` maps
them to page space) and is capped: past ``max_rects`` box-sized filled shapes or ``max_seconds``
it stops and marks the page ``too_complex`` (a page of 300,000 tiny boxes would otherwise take
minutes), keeping what it counted so far.
"""

from __future__ import annotations

import ctypes
import time
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A filled path counts as a possible redaction box when it is this dark (0..255, every channel)
# and at least this large in both directions (PDF points).
DARK_CHANNEL_MAX = 76  # brightness 0.3: black or dark gray, not red or blue
MIN_BOX_SIDE = 4.0
_TIME_CHECK_EVERY = 1024  # objects between two looks at the clock

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass(frozen=True)
class Shape:
    """A page object kept for the redaction pass: its drawing order, raw handle (valid while the
    page is open), the matrix from its container's space to page space, and its bounds in page
    space ``(left, bottom, right, top)``."""

    z: int
    obj: object
    matrix: Matrix
    bounds: tuple[float, float, float, float]


@dataclass
class PageSurvey:
    images: int = 0
    paths: int = 0
    image_coverage: float = 0.0  # share of the page area under image objects (capped at 1)
    dark_filled_paths: int = 0  # filled, dark, box-sized path objects
    too_complex: str | None = None  # why the walk stopped early (over a cap), else None
    dark: list[Shape] = field(default_factory=list)  # the dark filled box-sized paths
    light: list[Shape] = field(default_factory=list)  # other filled box-sized paths

    @property
    def mostly_image(self) -> bool:
        return self.image_coverage >= 0.6


def apply(m: Matrix, x: float, y: float) -> tuple[float, float]:
    return m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]


def compose(inner: Matrix, outer: Matrix) -> Matrix:
    """The matrix applying ``inner`` first, then ``outer`` (PDF row-vector convention)."""
    a, b, c, d, e, f = inner
    A, B, C, D, E, F = outer
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def transform_bounds(m: Matrix, bounds: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    if m is IDENTITY:
        return bounds
    left, bottom, right, top = bounds
    xs, ys = zip(*(apply(m, x, y) for x in (left, right) for y in (bottom, top)))
    return min(xs), min(ys), max(xs), max(ys)


def object_matrix(obj) -> Matrix:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(obj, m):
        return IDENTITY
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _clipped_area(bounds: tuple[float, float, float, float], box: tuple[float, float, float, float]) -> float:
    left, bottom, right, top = bounds
    w = min(right, box[2]) - max(left, box[0])
    h = min(top, box[3]) - max(bottom, box[1])
    return max(w, 0.0) * max(h, 0.0)


def _fill(obj) -> int | None:
    """The brightest channel (0..255) of a filled path's fill colour; None when not filled."""
    fillmode, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke)):
        return None
    if fillmode.value == pdfium_c.FPDF_FILLMODE_NONE:
        return None
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
        return None
    if a.value == 0:
        return None
    return max(r.value, g.value, b.value)


def objects(page: pdfium.PdfPage, kinds: frozenset[int], max_depth: int = 3):
    """(drawing order, raw handle, type, matrix to page space) of the page's objects of the given
    types, descending into form XObjects. Uses the C API directly with local names: wrapping every
    object (text pages have thousands) costs three times as much."""
    count, get = pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject
    get_type, form = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_FORM
    form_count, form_get = pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject
    stack = [(page.raw, count, get, 0, 0, IDENTITY)]
    z = 0
    while stack:
        parent, count, get, depth, start, matrix = stack.pop()
        for i in range(start, count(parent)):
            obj = get(parent, i)
            kind = get_type(obj)
            z += 1
            if kind in kinds:
                yield z, obj, kind, matrix
            elif kind == form and depth < max_depth:
                # Finish the form's objects before the parent's next ones: drawing order.
                stack.append((parent, count, get, depth, i + 1, matrix))
                stack.append((obj, form_count, form_get, depth + 1, 0, compose(object_matrix(obj), matrix)))
                break


def text_objects(page: pdfium.PdfPage) -> list[tuple[int, object, Matrix]]:
    """(drawing order, raw handle, matrix to page space) of the page's text objects."""
    return [(z, obj, m) for z, obj, _kind, m in objects(page, _TEXT)]


_TEXT = frozenset({pdfium_c.FPDF_PAGEOBJ_TEXT})
_SHAPES = frozenset({pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH})


def survey_page(page: pdfium.PdfPage, max_rects: int = 5_000, max_seconds: float = 5.0) -> PageSurvey:
    left, bottom, right, top = page.get_bbox()
    page_box = (left, bottom, right, top)
    area = max((right - left) * (top - bottom), 1e-6)
    survey = PageSurvey()
    covered = 0.0
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    image_t = pdfium_c.FPDF_PAGEOBJ_IMAGE
    get_bounds = pdfium_c.FPDFPageObj_GetBounds
    stop = time.monotonic() + max_seconds
    filled = seen = 0
    for z, obj, kind, matrix in objects(page, _SHAPES):
        seen += 1
        if seen % _TIME_CHECK_EVERY == 0 and time.monotonic() > stop:
            survey.too_complex = f"walking the page's objects took over {max_seconds:g} s ({seen} shapes)"
            break
        if not get_bounds(obj, *refs):
            continue
        bounds = transform_bounds(matrix, (box[0].value, box[1].value, box[2].value, box[3].value))
        if kind == image_t:
            survey.images += 1
            covered += _clipped_area(bounds, page_box)
            continue
        survey.paths += 1
        if bounds[2] - bounds[0] < MIN_BOX_SIDE or bounds[3] - bounds[1] < MIN_BOX_SIDE:
            continue
        level = _fill(obj)
        if level is None:
            continue
        filled += 1
        if filled > max_rects:
            survey.too_complex = f"over {max_rects} filled shapes (max_page_rects)"
            break
        shape = Shape(z, obj, matrix, bounds)
        if level <= DARK_CHANNEL_MAX:
            survey.dark_filled_paths += 1
            survey.dark.append(shape)
        else:
            survey.light.append(shape)
    survey.image_coverage = min(covered / area, 1.0)
    return survey
