"""Redaction boxes drawn as filled dark rectangles in a page's vector layer (pdfplumber).

pdfplumber is slow (pdfminer interprets the whole content stream in Python), so it only runs on
the pages where ``page_survey`` saw a dark filled path, with one pdfplumber document per file.
A box is a filled rectangle (pdfplumber's ``rect`` objects) at least 4x4 pt whose fill is dark in
every channel (brightness <= 0.3: black or dark gray, not red or blue). ``text_underneath`` is
set when dark characters of the text layer have their centre inside the box: the text was
hidden, not removed (a "bad" redaction). Light characters on a box are the visible labels
redaction tools print on it, e.g. a white "(b)(6)".

Cost: ``page.rects`` / ``page.chars`` turn *every* object of the page (thousands of characters)
into a dict of ~20 resolved attributes, which took two thirds of the pass. Here the page's
pdfplumber layout tree (``page.layout``, pdfminer's objects) is walked once and only the filled
rectangles, then the characters lying inside a box, are converted, with pdfplumber's own
coordinate rules (``Page.process_object``: top-left origin, MediaBox offset). The result is the
same as the ``page.rects`` / ``page.chars`` version (``tests/test_extract_document.py`` compares
them page by page).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

import pdfplumber
from pdfminer.layout import LTChar, LTContainer, LTRect
from pdfminer.pdfpage import PDFPage
from pdfplumber.page import Page
from pdfplumber.utils import resolve_all

from foialens.extractors.records import BBox, Redaction

# pdfminer logs a warning for every damaged object it skips; the result is what matters here.
logging.getLogger("pdfminer").setLevel(logging.ERROR)

MIN_SIDE = 4.0
MAX_BRIGHTNESS = 0.3
TEXT_BRIGHTNESS = 0.5


def brightness(color) -> float | None:
    """The brightest RGB channel, 0 (black) .. 1, of a pdfplumber colour (gray, RGB or CMYK);
    None when unknown (patterns, missing)."""
    if isinstance(color, (int, float)):
        color = (color,)
    if not isinstance(color, (tuple, list)) or not all(isinstance(c, (int, float)) for c in color):
        return None
    if len(color) == 1:
        return float(color[0])
    if len(color) == 3:
        r, g, b = color
    elif len(color) == 4:
        c, m, y, k = color
        r, g, b = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    else:
        return None
    return max(r, g, b)


def _inside(x: float, y: float, box: BBox) -> bool:
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _leaves(objects) -> Iterator:
    """The layout's objects, descending into containers (figures), as ``Page.iter_layout_objects``."""
    for obj in objects:
        if isinstance(obj, LTContainer):
            yield from _leaves(obj._objs)
        else:
            yield obj


def page_redactions(page: Page, page_number: int) -> list[Redaction]:
    rects: list[LTRect] = []
    chars: list[LTChar] = []
    for obj in _leaves(page.layout._objs):
        name = type(obj).__name__  # pdfplumber's object_type is the class name: exact classes only
        if name == "LTChar":
            chars.append(obj)
        elif name == "LTRect" and obj.fill:
            rects.append(obj)
    if not rects:
        return []
    # Page.process_object's coordinates: top-left origin, shifted by the MediaBox origin.
    height, width = page.height, float(page.width)
    mb_x0, mb_top = page.mediabox[:2]

    def x(v: float) -> float:
        return v + mb_x0 if mb_x0 != 0 else v

    boxes: list[BBox] = []
    for rect in rects:
        level = brightness(resolve_all(rect.non_stroking_color))
        if level is None or level > MAX_BRIGHTNESS:
            continue
        x0, top = max(x(rect.x0), 0.0), max((height - rect.y1) + mb_top, 0.0)
        x1, bottom = min(x(rect.x1), width), min((height - rect.y0) + mb_top, float(page.height))
        if x1 - x0 < MIN_SIDE or bottom - top < MIN_SIDE:
            continue
        boxes.append((round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)))
    if not boxes:
        return []
    hidden = []
    for c in chars:
        cx = (x(c.x0) + x(c.x1)) / 2
        cy = ((height - c.y1) + mb_top + (height - c.y0) + mb_top) / 2
        if not any(_inside(cx, cy, box) for box in boxes):
            continue
        color = c.graphicstate.ncolor
        if c.get_text().strip() and (brightness(color if isinstance(color, tuple) else (color,)) or 0.0) <= TEXT_BRIGHTNESS:
            hidden.append((cx, cy))
    return [
        Redaction(
            page=page_number,
            bbox=box,
            source="vector",
            text_underneath=any(_inside(cx, cy, box) for cx, cy in hidden),
        )
        for box in boxes
    ]


def find_vector_redactions(
    path: Path, page_numbers: Iterable[int], deadline: float | None = None
) -> dict[int, list[Redaction]]:
    """Redaction boxes of the given pages (1-based), by page number, from one pdfplumber document.
    Pages are read in order, each page's parsed objects are dropped once it is done, and the page
    tree is not walked past the last wanted page. Stops early (returning what it has) once
    ``time.monotonic()`` passes ``deadline``."""
    wanted = sorted(set(page_numbers))
    found: dict[int, list[Redaction]] = {}
    if not wanted:
        return found
    todo = set(wanted)
    with pdfplumber.open(path, pages=wanted) as pdf:
        for number, page_obj in enumerate(PDFPage.create_pages(pdf.doc), start=1):
            if number not in todo:
                continue
            if deadline is not None and time.monotonic() > deadline:
                break
            page = Page(pdf, page_obj, page_number=number)
            try:
                found[number] = page_redactions(page, number)
            finally:
                page.close()
            todo.discard(number)
            if not todo:
                break
    return found
