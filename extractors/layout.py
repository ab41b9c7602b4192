"""Cells: the text runs of a page with their boxes, grouped into lines, for pages laid out as lists
and tables (agency sharing reports, network lists, logs).

Page text reads a two-column list as one line per row with both names run together ("Anaheim
Police Department Antioch Police Department CA"); the cells keep them apart. They come from
pdfium's text rects on text-layer pages (each rect is a run of text on one line; a column gap
starts a new rect) and from tesseract's word boxes on OCR'd pages (words of a line split where
the gap between them is several times the line's usual word gap).

Only pages that look tabular keep their cells (:func:`is_tabular`: enough lines with two or more
cells, or many short lines): prose pages would only add weight to the stored results.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable

from foialens.extractors.records import Cell

LINE_TOLERANCE = 3.0  # points: runs whose tops differ by less are on one line
GAP_FACTOR = 3.0  # OCR words further apart than this many times the line's median gap: a new cell
MIN_GAP_PT = 14.0  # and at least this far apart (points)
MIN_TABULAR_LINES = 5
TABULAR_SHARE = 0.3  # of the lines with two or more cells
SHORT_LINE_WORDS = 8


def lines_of(cells: Iterable[Cell]) -> list[list[Cell]]:
    """Cells grouped into lines (top to bottom), each line left to right."""
    lines: list[list[Cell]] = []
    for c in sorted(cells, key=lambda c: (c.bbox[1], c.bbox[0])):
        if lines and abs(lines[-1][0].bbox[1] - c.bbox[1]) < LINE_TOLERANCE:
            lines[-1].append(c)
        else:
            lines.append([c])
    return [sorted(line, key=lambda c: c.bbox[0]) for line in lines]


def text_layer_cells(textpage, page_height: float) -> list[Cell]:
    """pdfium text rects of one page as cells (top-left origin, PDF points)."""
    out = []
    for i in range(textpage.count_rects()):
        left, bottom, right, top = textpage.get_rect(i)
        text = " ".join(textpage.get_text_bounded(left, bottom, right, top).split())
        if text:
            out.append(Cell(text=text, bbox=(round(left, 1), round(page_height - top, 1),
                                             round(right, 1), round(page_height - bottom, 1))))
    return out


def ocr_cells(data: dict[str, list], scale: float) -> list[Cell]:
    """Cells from tesseract's word data (``image_to_data`` dict; pixel boxes times ``scale`` are
    points): the words of each line, split at wide gaps."""
    words: dict[tuple, list[tuple[float, float, float, float, str]]] = {}
    for i, text in enumerate(data["text"]):
        text = (text or "").strip()
        if int(data["level"][i]) != 5 or not text:
            continue
        key = (data["block_num"][i], data["par_num"][i], data["line_num"][i])
        x0, top = data["left"][i] * scale, data["top"][i] * scale
        words.setdefault(key, []).append((x0, top, x0 + data["width"][i] * scale, top + data["height"][i] * scale, text))
    out: list[Cell] = []
    for line in words.values():
        line.sort()
        gaps = [b[0] - a[2] for a, b in zip(line, line[1:])]
        usual = statistics.median(gaps) if gaps else 0.0
        cell = [line[0]]
        for word, gap in zip(line[1:], gaps):
            if gap > max(GAP_FACTOR * max(usual, 1.0), MIN_GAP_PT):
                out.append(_cell(cell))
                cell = []
            cell.append(word)
        out.append(_cell(cell))
    return out


def _cell(words: list[tuple[float, float, float, float, str]]) -> Cell:
    return Cell(text=" ".join(w[4] for w in words),
                bbox=(round(min(w[0] for w in words), 1), round(min(w[1] for w in words), 1),
                      round(max(w[2] for w in words), 1), round(max(w[3] for w in words), 1)))


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
    if len(lines) < 2 * MIN_TABULAR_LINES:
        return False
    short = sum(len(line.split()) <= SHORT_LINE_WORDS for line in lines)
    return short >= 0.5 * len(lines) or sum(len(line) for line in lines) / len(lines) < 60
