"""Redaction boxes drawn as filled dark rectangles in a page's vector layer (pdfplumber).

pdfplumber is slow (it parses the whole content stream in Python), so it only runs on the pages
where ``page_survey`` saw a dark filled path. A box is a filled rectangle at least 4x4 pt whose
fill is dark in every channel (brightness <= 0.3: black or dark gray, not red or blue). ``text_underneath`` is set when dark characters of the text layer
have their centre inside the box: the text was hidden, not removed (a "bad" redaction). Light
characters on a box are the visible labels redaction tools print on it, e.g. a white "(b)(6)".
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from pathlib import Path

import pdfplumber

from extractors.records import BBox, Redaction

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


def page_redactions(page: pdfplumber.page.Page, page_number: int) -> list[Redaction]:
    boxes: list[BBox] = []
    for rect in page.rects:
        if not rect.get("fill"):
            continue
        level = brightness(rect.get("non_stroking_color"))
        if level is None or level > MAX_BRIGHTNESS:
            continue
        x0, top = max(rect["x0"], 0.0), max(rect["top"], 0.0)
        x1, bottom = min(rect["x1"], float(page.width)), min(rect["bottom"], float(page.height))
        if x1 - x0 < MIN_SIDE or bottom - top < MIN_SIDE:
            continue
        boxes.append((round(x0, 1), round(top, 1), round(x1, 1), round(bottom, 1)))
    if not boxes:
        return []
    hidden = [
        ((c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2)
        for c in page.chars
        if c.get("text", "").strip()
        and (brightness(c.get("non_stroking_color")) or 0.0) <= TEXT_BRIGHTNESS
    ]
    return [
        Redaction(
            page=page_number,
            bbox=box,
            source="vector",
            text_underneath=any(_inside(x, y, box) for x, y in hidden),
        )
        for box in boxes
    ]


def find_vector_redactions(
    path: Path, page_numbers: Iterable[int], deadline: float | None = None
) -> dict[int, list[Redaction]]:
    """Redaction boxes of the given pages (1-based), by page number. Stops early (returning what
    it has) once ``time.monotonic()`` passes ``deadline``."""
    wanted = sorted(set(page_numbers))
    found: dict[int, list[Redaction]] = {}
    if not wanted:
        return found
    with pdfplumber.open(path, pages=wanted) as pdf:
        for page in pdf.pages:
            if deadline is not None and time.monotonic() > deadline:
                break
            found[page.page_number] = page_redactions(page, page.page_number)
            page.close()
    return found
