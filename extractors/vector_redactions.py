"""Redaction boxes drawn as filled dark rectangles in a page's vector layer, read with pypdfium2
while the page is open (the page survey has already walked its objects: no second parse).

A box is a filled rectangle (a subpath of a dark filled path: a move and three or four straight
lines on the corners of an axis-aligned rectangle, after the path's and its forms' matrices) at
least ``MIN_SIDE`` pt in both directions, whose fill is dark in every channel (brightness <= 0.3:
black or dark gray, not red or blue). Not boxes:
- a dark rectangle with a lighter filled shape drawn *after* it over at least ``FRAME_COVER`` of
  its area: a stamp or form field drawn as a dark rectangle and a light one inside it (what shows
  is a dark border, and the text on the light part is visible).

``text_underneath`` (a "bad" redaction: the text was hidden, not removed) needs a dark character
of the text layer lying (almost) wholly inside the box: at least ``HIDDEN_SHARE`` of its glyph box
inside. A bar touching the edge of a line, or a box over part of a character, hides nothing whole.
Light characters on a box are the visible labels redaction tools print on it, e.g. a white
"(b)(6)".

Cost: only text objects whose bounds meet a box are looked at; one wholly inside a box is hidden
text without looking at its characters; for one crossing a box's edge, its characters are found
from one character under the overlap (``FPDFText_GetCharIndexAtPos``) and walked while they belong
to that object and have not passed the box's left or right edge (text running left to right).
Reading every character's box of a page through ctypes would cost ~3-6 us each.

Limits (``ExtractLimits.max_page_rects`` / ``max_page_seconds``): past that many rectangles or that
long, ``PageTooComplex`` is raised and the page gets a ``page_too_complex`` error.
"""

from __future__ import annotations

import ctypes
import time

import numpy as np
import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from foialens.extractors.page_survey import (
    PageSurvey,
    Shape,
    apply,
    compose,
    object_matrix,
    text_objects,
    transform_bounds,
)
from foialens.extractors.records import BBox, Redaction

MIN_SIDE = 4.0
TEXT_CHANNEL_MAX = 127  # a character this dark (0..255, brightest channel) is hidden under a box
HIDDEN_SHARE = 0.9  # share of a character's glyph box inside the box for it to count as hidden
FRAME_COVER = 0.5  # a later light fill over this share of a dark rectangle makes it a frame
_TOL = 0.5  # pt: how far a rectangle's corner may be off its bounds
_MAX_WALK = 2000  # characters walked from a probe (one text object)

UserBox = tuple[float, float, float, float]  # left, bottom, right, top in PDF user space


class PageTooComplex(Exception):
    """The page has more rectangles than ``max_rects``, or took longer than allowed."""


def _segments(obj) -> list[tuple[int, float, float]]:
    n = pdfium_c.FPDFPath_CountSegments(obj)
    out = []
    x, y = ctypes.c_float(), ctypes.c_float()
    for i in range(n):
        seg = pdfium_c.FPDFPath_GetPathSegment(obj, i)
        pdfium_c.FPDFPathSegment_GetPoint(seg, ctypes.byref(x), ctypes.byref(y))
        out.append((pdfium_c.FPDFPathSegment_GetType(seg), x.value, y.value))
    return out


def _rectangle(points: list[tuple[float, float]]) -> UserBox | None:
    """The box when ``points`` (a move and 3-4 lines) are the corners of an axis-aligned
    rectangle, else None."""
    if len(points) == 5 and abs(points[4][0] - points[0][0]) <= _TOL and abs(points[4][1] - points[0][1]) <= _TOL:
        points = points[:4]
    if len(points) != 4:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    left, right, bottom, top = min(xs), max(xs), min(ys), max(ys)
    for x, y in points:
        if min(abs(x - left), abs(x - right)) > _TOL or min(abs(y - bottom), abs(y - top)) > _TOL:
            return None
    return left, bottom, right, top


def rectangles(shape: Shape, room: int) -> list[UserBox]:
    """The axis-aligned rectangles among the subpaths of a filled path, in page space; raises
    ``PageTooComplex`` past ``room`` subpaths."""
    matrix = compose(object_matrix(shape.obj), shape.matrix)
    found: list[UserBox] = []
    current: list[tuple[float, float]] = []
    subpaths = 0
    line, move = pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_MOVETO
    bad = False
    for kind, x, y in _segments(shape.obj) + [(move, 0.0, 0.0)]:
        if kind == move:
            if current and not bad:
                box = _rectangle(current)
                if box is not None:
                    found.append(box)
            subpaths += 1
            if subpaths > room + 1:
                raise PageTooComplex(f"a path of over {room} subpaths")
            current, bad = [apply(matrix, x, y)], False
        elif kind == line:
            current.append(apply(matrix, x, y))
        else:  # a curve: not a rectangle
            bad = True
    return [b for b in found if b[2] - b[0] >= MIN_SIDE and b[3] - b[1] >= MIN_SIDE]


def _overlap(a: UserBox, b: UserBox) -> float:
    w = min(a[2], b[2]) - max(a[0], b[0])
    h = min(a[3], b[3]) - max(a[1], b[1])
    return w * h if w > 0 and h > 0 else 0.0


def _area(b: UserBox) -> float:
    return max(b[2] - b[0], 0.0) * max(b[3] - b[1], 0.0)


def _not_frames(boxes: list[tuple[int, UserBox]], light: list[Shape]) -> list[tuple[int, UserBox]]:
    """Drop dark rectangles with a lighter fill drawn after them over most of their area."""
    if not light or not boxes:
        return boxes
    lz = np.array([s.z for s in light])
    lb = np.array([s.bounds for s in light], dtype=np.float64)
    kept = []
    for z, b in boxes:
        w = np.clip(np.minimum(lb[:, 2], b[2]) - np.maximum(lb[:, 0], b[0]), 0, None)
        h = np.clip(np.minimum(lb[:, 3], b[3]) - np.maximum(lb[:, 1], b[1]), 0, None)
        cover = (w * h)[lz > z]
        if cover.size and cover.max() >= FRAME_COVER * _area(b):
            continue
        kept.append((z, b))
    return kept


def _address(obj) -> int | None:
    return ctypes.cast(obj, ctypes.c_void_p).value


def _text_object_address():
    """``FPDFText_GetTextObject`` returning the object's address as an int (None for none): a
    private function pointer, so pypdfium2's own binding keeps its pointer return type."""
    try:
        from pypdfium2_raw.bindings import _libs

        fn = _libs["pdfium"]["FPDFText_GetTextObject"]
        fn.argtypes = pdfium_c.FPDFText_GetTextObject.argtypes
        fn.restype = ctypes.c_void_p
        return fn
    except (ImportError, KeyError, AttributeError):  # another build of the bindings: the slow way
        return lambda textpage, i: _address(pdfium_c.FPDFText_GetTextObject(textpage, i))


_GET_TEXT_OBJECT = _text_object_address()


def _dark_text(obj) -> bool:
    r, g, b, a = (ctypes.c_uint(0) for _ in range(4))
    if not pdfium_c.FPDFPageObj_GetFillColor(obj, *(ctypes.byref(c) for c in (r, g, b, a))):
        return True  # unknown colour: count it as ink
    return max(r.value, g.value, b.value) <= TEXT_CHANNEL_MAX


class _Chars:
    """Character lookups on one text page."""

    def __init__(self, textpage: pdfium.PdfTextPage):
        self.raw = textpage.raw
        self.count = pdfium_c.FPDFText_CountChars(self.raw)
        self._box = [ctypes.c_double() for _ in range(4)]
        self._refs = [ctypes.byref(v) for v in self._box]

    def owner(self, i: int) -> int | None:
        return _GET_TEXT_OBJECT(self.raw, i)

    def glyph(self, i: int) -> UserBox | None:
        """The glyph box of a visible (non-space) character, or None."""
        ch = pdfium_c.FPDFText_GetUnicode(self.raw, i)
        if ch <= 32 or ch in (0xA0, 0x2002, 0x2003, 0x2009, 0xFFFE, 0xFFFF):
            return None
        if not pdfium_c.FPDFText_GetCharBox(self.raw, i, *self._refs):
            return None
        left, right, bottom, top = (v.value for v in self._box)
        return left, bottom, right, top

    def object_text(self, obj) -> str:
        size = pdfium_c.FPDFTextObj_GetText(obj, self.raw, None, 0)
        if size <= 2:
            return ""
        buffer = ctypes.create_string_buffer(size)
        pdfium_c.FPDFTextObj_GetText(obj, self.raw, ctypes.cast(buffer, ctypes.POINTER(pdfium_c.FPDF_WCHAR)), size)
        return buffer.raw[: size - 2].decode("utf-16-le", errors="ignore")

    def at(self, x: float, y: float, tol_x: float, tol_y: float) -> int:
        return pdfium_c.FPDFText_GetCharIndexAtPos(self.raw, x, y, tol_x, tol_y)


def _hidden(glyph: UserBox | None, box: UserBox) -> bool:
    if glyph is None:
        return False
    area = _area(glyph)
    if area <= 0:  # a zero-width glyph box: inside when its position is
        return box[0] <= glyph[0] <= box[2] and box[1] <= glyph[1] <= box[3]
    return _overlap(glyph, box) >= HIDDEN_SHARE * area


def _object_hides(chars: _Chars, obj, bounds: UserBox, box: UserBox) -> bool:
    """Whether a dark text object has a character (almost) wholly inside ``box``."""
    if _overlap(bounds, box) >= HIDDEN_SHARE * _area(bounds) > 0:
        return bool(chars.object_text(obj).strip())  # the whole object is under the box
    # Probe one character under the overlap, then walk the object's characters from it.
    x0, y0 = max(bounds[0], box[0]), max(bounds[1], box[1])
    x1, y1 = min(bounds[2], box[2]), min(bounds[3], box[3])
    start = chars.at((x0 + x1) / 2, (y0 + y1) / 2, (x1 - x0) / 2 + 1, (y1 - y0) / 2 + 1)
    me = _address(obj)
    if start < 0:
        return False
    if chars.owner(start) != me:  # the nearest character is another object's: look at them all
        return any(chars.owner(i) == me and _hidden(chars.glyph(i), box) for i in range(chars.count))
    for step in (1, -1):
        i, others = start if step == 1 else start - 1, 0
        for _ in range(_MAX_WALK):
            if not 0 <= i < chars.count:
                break
            owner = chars.owner(i)
            if owner == me:
                others = 0
                glyph = chars.glyph(i)
                if _hidden(glyph, box):
                    return True
                if glyph is not None and (glyph[0] > box[2] if step == 1 else glyph[2] < box[0]):
                    break  # past the box's edge (text runs left to right)
            elif owner is None and others < 2:  # a space or line break pdfium generated
                others += 1
            else:
                break
            i += step
    return False


def page_redactions(
    page: pdfium.PdfPage,
    textpage: pdfium.PdfTextPage,
    survey: PageSurvey,
    page_number: int,
    max_rects: int = 5_000,
    deadline: float | None = None,
) -> list[Redaction]:
    """The redaction boxes of one open page, from the dark filled shapes its survey found.
    Raises ``PageTooComplex`` past ``max_rects`` rectangles or ``deadline`` (``time.monotonic``)."""
    boxes: list[tuple[int, UserBox]] = []
    for n, shape in enumerate(survey.dark):
        if deadline is not None and n % 64 == 0 and time.monotonic() > deadline:
            raise PageTooComplex("the redaction pass ran out of time")
        boxes.extend((shape.z, b) for b in rectangles(shape, max_rects - len(boxes)))
        if len(boxes) > max_rects:
            raise PageTooComplex(f"over {max_rects} filled rectangles (max_page_rects)")
    boxes = _not_frames(boxes, survey.light)
    if not boxes:
        return []

    chars: _Chars | None = None
    texts: list[tuple[object, UserBox]] | None = None
    bounds = np.empty((0, 4))
    dark: dict[int, bool] = {}  # text object index -> dark fill (asked once)
    underneath = []
    for n, (_z, box) in enumerate(boxes):
        if deadline is not None and n % 16 == 0 and time.monotonic() > deadline:
            raise PageTooComplex("the redaction pass ran out of time")
        if texts is None:  # page-space bounds of the text objects, once per page with boxes
            texts = _text_bounds(page)
            bounds = np.array([b for _obj, b in texts], dtype=np.float64).reshape(-1, 4)
        meets = np.flatnonzero(
            (np.minimum(bounds[:, 2], box[2]) > np.maximum(bounds[:, 0], box[0]))
            & (np.minimum(bounds[:, 3], box[3]) > np.maximum(bounds[:, 1], box[1]))
        )
        hit = False
        for k in meets.tolist():
            obj, obj_bounds = texts[k]
            if k not in dark:
                dark[k] = _dark_text(obj)
            if not dark[k]:
                continue
            chars = chars or _Chars(textpage)
            if _object_hides(chars, obj, obj_bounds, box):
                hit = True
                break
        underneath.append(hit)
    found = []
    for (_z, box), hit in zip(boxes, underneath):
        bbox = _top_left(page, box)
        if bbox[2] - bbox[0] >= MIN_SIDE and bbox[3] - bbox[1] >= MIN_SIDE:  # on the page
            found.append(Redaction(page=page_number, bbox=bbox, source="vector", text_underneath=hit))
    return found


def _text_bounds(page: pdfium.PdfPage) -> list[tuple[object, UserBox]]:
    v = [ctypes.c_float() for _ in range(4)]
    refs = [ctypes.byref(x) for x in v]
    out = []
    for _z, obj, matrix in text_objects(page):
        if pdfium_c.FPDFPageObj_GetBounds(obj, *refs):
            out.append((obj, transform_bounds(matrix, (v[0].value, v[1].value, v[2].value, v[3].value))))
    return out


def _top_left(page: pdfium.PdfPage, box: UserBox) -> BBox:
    """A box in PDF user space as ``[x0, top, x1, bottom]`` from the page's top-left corner (of
    its visible area, after its rotation), clipped to the page, rounded to 0.1 pt."""
    left, bottom, right, top = page.get_bbox()
    rotation = page.get_rotation() % 360
    corners = []
    for x, y in ((box[0], box[1]), (box[2], box[3])):
        dx, dy = x - left, top - y  # unrotated, top-left origin
        w, h = right - left, top - bottom
        if rotation == 90:
            dx, dy = h - dy, dx
        elif rotation == 180:
            dx, dy = w - dx, h - dy
        elif rotation == 270:
            dx, dy = dy, w - dx
        corners.append((dx, dy))
    width, height = page.get_size()
    (ax, ay), (bx, by) = corners
    x0, x1 = sorted((ax, bx))
    y0, y1 = sorted((ay, by))
    x0, y0 = max(x0, 0.0), max(y0, 0.0)
    x1, y1 = min(x1, width), min(y1, height)
    return (round(x0, 1), round(y0, 1), round(x1, 1), round(y1, 1))

