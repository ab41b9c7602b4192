"""Cells: the text runs of a page with their boxes, grouped into lines, for pages laid out as lists
and tables (agency sharing reports, network lists, logs).

Page text reads a two-column list as one line per row with both names run together ("Anaheim
Police Department Antioch Police Department CA"); the cells keep them apart. They come from
pdfium's text rects on text-layer pages (each rect is a run of text on one line; a column gap
starts a new rect) and from tesseract's word boxes on OCR'd pages (words of a line split where
the gap between them is wider than a word gap: :func:`merge_runs`).

Only pages that look tabular keep their cells (:func:`is_tabular`: enough lines with two or more
cells, or many short lines): prose pages would only add weight to the stored results.
"""

from __future__ import annotations

import ctypes
import statistics
from collections.abc import Iterable
from typing import NamedTuple

import pypdfium2.raw as pdfium_c

from foialens.extractors.records import Cell

LINE_TOLERANCE = 3.0  # points: runs whose tops differ by less are on one line
FLAT_HEIGHT = 1.0  # points: a piece lower than this (a dash, a dot) belongs to the line around it
GAP_HEIGHTS = 1.6  # a gap wider than this many text heights separates two cells (columns)
WORD_GAP_HEIGHTS = 0.6  # wider than a space between words
COLUMN_SLACK = 4.0  # points: starts this close are one column start
COLUMN_SHARE = 0.25  # of the lines: a column start is where pieces start this often
MIN_TABULAR_LINES = 5
TABULAR_SHARE = 0.3  # of the lines with two or more cells
SHORT_LINE_WORDS = 8


def lines_of(cells: Iterable[Cell]) -> list[list[Cell]]:
    """Cells grouped into lines (top to bottom), each line left to right. A flat piece (a dash or
    a dot that pdfium or tesseract boxes with almost no height, often near the baseline) joins the
    line whose height it sits in rather than starting a line of its own."""
    lines: list[list[Cell]] = []
    flat: list[Cell] = []
    for c in sorted(cells, key=lambda c: (c.bbox[1], c.bbox[0])):
        if c.bbox[3] - c.bbox[1] < FLAT_HEIGHT:
            flat.append(c)
        elif lines and abs(lines[-1][0].bbox[1] - c.bbox[1]) < LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    spans = [(min(x.bbox[1] for x in line), max(x.bbox[3] for x in line)) for line in lines]  # top, bottom
    for c in flat:
        middle = (c.bbox[1] + c.bbox[3]) / 2
        home = next((i for i, (top, bottom) in enumerate(spans) if top <= middle <= bottom), None)
        if home is None:
            lines.append([c])
            spans.append((c.bbox[1], c.bbox[3]))
        else:
            lines[home].append(c)
            spans[home] = (min(spans[home][0], c.bbox[1]), max(spans[home][1], c.bbox[3]))
    return [sorted(line, key=lambda c: c.bbox[0]) for line in sorted(lines, key=lambda line: min(c.bbox[1] for c in line))]


class _Box(NamedTuple):
    """A text run of the page before its text is read: its box as displayed (what :func:`lines_of`
    and :func:`_runs` look at) and in PDF space (what pdfium reads text from)."""

    bbox: tuple[float, float, float, float]
    rect: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def text_layer_cells(textpage, width: float, height: float, rotation: int = 0) -> list[Cell]:
    """pdfium text rects of one page as cells, in the page as displayed: top-left origin, PDF
    points, the page's /Rotate applied (``width``/``height``: the unrotated page size; a landscape
    scan turned by 270 degrees has its text rects running down the page in PDF space).

    The runs are grouped into cells by their boxes alone (:func:`_runs`), and when the cells do
    not line up in rows (:func:`is_tabular`) the page has no table and no text is read (none is
    returned). A cell's text is what pdfium reads inside the box around its runs, spaced as in the
    page text: one read per cell, not per run. A page positioned letter by letter has a run per
    letter; reading each run cost ~50 us (a prose page has hundreds of runs, a font change starts
    one) and spaced the letters apart ("San Leandr o PD"), and runs that overlap repeated a letter
    ("Users may s see")."""
    rects = [textpage.get_rect(i) for i in range(textpage.count_rects())]
    runs = _runs([_Box(_displayed(rect, width, height, rotation % 360), rect) for rect in rects])
    boxes = [_span(run) for run in runs]
    if not is_tabular([_Box(box) for box in boxes]):
        return []
    read = _bounded_text(textpage)
    cells = []
    for run, box in zip(runs, boxes):
        left, bottom = min(r.rect[0] for r in run), min(r.rect[1] for r in run)
        right, top = max(r.rect[2] for r in run), max(r.rect[3] for r in run)
        text = " ".join(read(left, bottom, right, top).split())
        if text:
            cells.append(Cell(text=text, bbox=box))
    return cells


def _bounded_text(textpage):
    """``textpage.get_text_bounded`` in one pdfium call instead of two: a buffer as long as the
    page's text is made once and reused (pypdfium2 asks for the length first, then for the text,
    and each call looks through every character of the page: half the time of a table page)."""
    size = textpage.count_chars() + 1
    buffer = (ctypes.c_ushort * size)()

    def read(left: float, bottom: float, right: float, top: float) -> str:
        n = pdfium_c.FPDFText_GetBoundedText(textpage.raw, left, top, right, bottom, buffer, size)
        if n <= 0:
            return ""
        return ctypes.string_at(buffer, 2 * n).decode("utf-16-le", errors="ignore").split("\x00", 1)[0]

    return read


def _displayed(rect: tuple[float, float, float, float], width: float, height: float, rotation: int):
    """[x0, top, x1, bottom] on the displayed page of a PDF-space rect (left, bottom, right, top)."""
    left, bottom, right, top = rect
    if rotation == 90:
        return (bottom, left, top, right)
    if rotation == 180:
        return (width - right, bottom, width - left, top)
    if rotation == 270:
        return (height - top, width - right, height - bottom, width - left)
    return (left, height - top, right, height - bottom)


def ocr_cells(data: dict[str, list], scale: float) -> list[Cell]:
    """Cells from tesseract's word data (``image_to_data`` dict; pixel boxes times ``scale`` are
    points): its words, merged into runs (:func:`merge_runs`)."""
    words = []
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if int(data["level"][i]) != 5 or not text:
            continue
        x0, top = data["left"][i] * scale, data["top"][i] * scale
        words.append(Cell(text=text, bbox=(x0, top, x0 + data["width"][i] * scale, top + data["height"][i] * scale)))
    return merge_runs(words)


def merge_runs(pieces: list[Cell]) -> list[Cell]:
    """Words (or short runs) on one line joined into cells (:func:`_runs`)."""
    return [_joined(run) for run in _runs(pieces)]


def _runs(pieces: list) -> list[list]:
    """Words (or short runs) grouped into the pieces of each cell, line by line. Two neighbours
    belong to one cell unless the gap between them is wider than GAP_HEIGHTS text heights (words are a fraction of
    a height apart), or the second starts at one of the page's column starts (an x where pieces
    start on many lines) with more than a word gap before it: a long name in the left column can
    come within a few points of the right column. Text layers made by OCR give one rect per word."""
    lines = lines_of(pieces)
    columns = _column_starts(lines)
    out: list[list] = []
    for line in lines:
        height = statistics.median(c.bbox[3] - c.bbox[1] for c in line) or 1.0
        run = [line[0]]
        for c in line[1:]:
            gap = c.bbox[0] - run[-1].bbox[2]
            at_column = gap > WORD_GAP_HEIGHTS * height and any(abs(c.bbox[0] - x) <= COLUMN_SLACK for x in columns)
            if gap > GAP_HEIGHTS * height or at_column:
                out.append(run)
                run = []
            run.append(c)
        out.append(run)
    return out


def _column_starts(lines: list[list[Cell]]) -> list[float]:
    """x positions (points) where cells start on at least COLUMN_SHARE of the lines (and 3): starts
    after a gap wider than GAP_HEIGHTS text heights, so the second words of names that happen to
    line up ("Fontana Police", "Gardena Police") never make a column."""
    from collections import Counter

    starts: Counter[int] = Counter()
    for line in lines:
        height = statistics.median(c.bbox[3] - c.bbox[1] for c in line) or 1.0
        starts.update({round(c.bbox[0] / COLUMN_SLACK) for a, c in zip(line, line[1:])
                       if c.bbox[0] - a.bbox[2] > GAP_HEIGHTS * height})
    need = max(3, COLUMN_SHARE * len(lines))
    return [b * COLUMN_SLACK for b, n in starts.items() if n >= need]


def _joined(run: list[Cell]) -> Cell:
    return Cell(text=" ".join(c.text for c in run), bbox=_span(run))


def _span(run: list) -> tuple[float, float, float, float]:
    """The box around a run's pieces, to a tenth of a point."""
    return (round(min(c.bbox[0] for c in run), 1), round(min(c.bbox[1] for c in run), 1),
            round(max(c.bbox[2] for c in run), 1), round(max(c.bbox[3] for c in run), 1))


def is_tabular(cells: list[Cell]) -> bool:
    """Does a page read as rows (lists, tables, logs) rather than prose?"""
    lines = lines_of(cells)
    if len(lines) < MIN_TABULAR_LINES:
        return False
    multi = sum(len(line) >= 2 for line in lines)
    return multi >= MIN_TABULAR_LINES and multi >= TABULAR_SHARE * len(lines)


def looks_tabular(text: str) -> bool:
    """A cheap look at page text before asking pdfium for its text runs: many lines and most of
    them short (list rows, table rows, log lines). Prose pages skip the cell pass entirely."""
    lines = [line for line in text.splitlines() if line.strip()]
    if len(lines) < MIN_TABULAR_LINES:
        return False
    short = sum(len(line.split()) <= SHORT_LINE_WORDS for line in lines)
    return short >= 0.5 * len(lines) or sum(len(line) for line in lines) / len(lines) < 60
