"""A cheap look at a page's objects with pypdfium2: how much of it is image, and whether it
draws any dark filled shape that could be a redaction box (only then is pdfplumber worth its cost)."""

from __future__ import annotations

import ctypes
from dataclasses import dataclass

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

# A filled path counts as a possible redaction box when it is this dark (0..255, every channel)
# and at least this large in both directions (PDF points).
DARK_CHANNEL_MAX = 80
MIN_BOX_SIDE = 4.0


@dataclass(frozen=True)
class PageSurvey:
    images: int = 0
    paths: int = 0
    image_coverage: float = 0.0  # share of the page area under image objects (capped at 1)
    dark_filled_paths: int = 0  # filled, dark, box-sized path objects

    @property
    def mostly_image(self) -> bool:
        return self.image_coverage >= 0.6


def _clipped_area(bounds: tuple[float, float, float, float], width: float, height: float) -> float:
    left, bottom, right, top = bounds
    w = min(right, width) - max(left, 0.0)
    h = min(top, height) - max(bottom, 0.0)
    return max(w, 0.0) * max(h, 0.0)


def _is_dark_filled(obj) -> bool:
    fillmode, stroke = ctypes.c_int(0), ctypes.c_int(0)
    if not pdfium_c.FPDFPath_GetDrawMode(obj, ctypes.byref(fillmode), ctypes.byref(stroke)):
        return False
    if fillmode.value == pdfium_c.FPDF_FILLMODE_NONE:
        return False
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
        return False
    return a.value > 0 and max(r.value, g.value, b.value) <= DARK_CHANNEL_MAX


def _objects(page: pdfium.PdfPage, max_depth: int = 3):
    """Raw handles of the page's objects, descending into form XObjects. Uses the C API directly:
    wrapping every object (text pages have thousands) costs three times as much."""
    count, get = pdfium_c.FPDFPage_CountObjects, pdfium_c.FPDFPage_GetObject
    stack = [(page.raw, count, get, 0)]
    while stack:
        parent, count, get, depth = stack.pop()
        for i in range(count(parent)):
            obj = get(parent, i)
            kind = pdfium_c.FPDFPageObj_GetType(obj)
            if kind == pdfium_c.FPDF_PAGEOBJ_FORM and depth < max_depth:
                stack.append(
                    (obj, pdfium_c.FPDFFormObj_CountObjects, pdfium_c.FPDFFormObj_GetObject, depth + 1)
                )
            elif kind in (pdfium_c.FPDF_PAGEOBJ_IMAGE, pdfium_c.FPDF_PAGEOBJ_PATH):
                yield obj, kind


def survey_page(page: pdfium.PdfPage) -> PageSurvey:
    width, height = page.get_size()
    area = max(width * height, 1e-6)
    images = paths = dark = 0
    covered = 0.0
    box = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(v) for v in box]
    for obj, kind in _objects(page):
        if not pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            continue
        bounds = tuple(v.value for v in box)
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            images += 1
            covered += _clipped_area(bounds, width, height)
            continue
        paths += 1
        left, bottom, right, top = bounds
        if right - left >= MIN_BOX_SIDE and top - bottom >= MIN_BOX_SIDE and _is_dark_filled(obj):
            dark += 1
    return PageSurvey(
        images=images, paths=paths, image_coverage=min(covered / area, 1.0), dark_filled_paths=dark
    )
