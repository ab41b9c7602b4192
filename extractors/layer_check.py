"""Does a text layer that looks like junk say what the page shows? OCR of one sample page decides.

``text_quality`` flags a page ``garbage`` from its text alone, and a table of numbers, dates and ids
(an audit log of UUIDs, timestamps and plate counts) looks just like a broken layer to it. So a
garbage flag is a suspicion, settled once per document and kind of flag (``unreadable``,
``few_letters``, ``not_english``): the first page so flagged is OCR'd and its OCR text compared with
its text layer. Both are normalised to tokens (lower case, split on anything that is not a letter
or digit, sorted: reading order and column layout do not matter) and scored with rapidfuzz's
``ratio`` of the two token strings, 0..100. At ``AGREE`` or more the layer reads as what is printed
and it is trusted for every page of the document flagged the same way, without OCR. Below, the
layer is junk (a broken font encoding: ``Wkh txlfn eurzq`` against ``The quick brown``) and those
pages are OCR'd.

The sample is a band of ``SAMPLE_LINES`` text lines from the middle of the page (cut at blank pixel
rows, so no line is split), not the whole page: a dense page of 7-pt log rows takes tesseract
5-15 s, a band of a dozen lines a second or two. The text layer is read within the same band. A
rotated or offset page, or a band with too few tokens, is compared whole.

Measured on generated pages: an audit log's text layer against its OCR scores ~87 (OCR misreads a
character in some UUIDs); the same text with its letters shifted (a broken encoding) ~30-33.
"""

from __future__ import annotations

import re

import numpy as np
from PIL import Image
from rapidfuzz import fuzz

AGREE = 70.0
SAMPLE_LINES = 12
MIN_TOKENS = 20  # a band with fewer tokens in its text layer is not a fair sample
_TOKEN = re.compile(r"[^\W_]+")
_INK = 128  # a pixel darker than this is ink


def tokens(text: str) -> list[str]:
    """Lower-case runs of letters and digits, sorted."""
    return sorted(_TOKEN.findall(text.lower()))


def agreement(ocr_text: str, layer_text: str) -> float:
    """0..100: how far the OCR of a page and its text layer say the same thing."""
    a, b = tokens(ocr_text), tokens(layer_text)
    if not a or not b:
        return 0.0
    return round(fuzz.ratio(" ".join(a), " ".join(b)), 1)


def agrees(score: float | None) -> bool:
    return score is not None and score >= AGREE


def sample_band(image: Image.Image, lines: int = SAMPLE_LINES) -> tuple[int, int] | None:
    """Pixel rows ``(top, bottom)`` of a band of about ``lines`` text lines in the middle of a
    rendered page, cut halfway through the blank rows around it; None when the page has no more
    lines than that (then the whole page is the sample)."""
    ink = (np.asarray(image.convert("L") if image.mode != "L" else image) < _INK).any(axis=1)
    rows = np.flatnonzero(ink)
    if rows.size == 0:
        return None
    breaks = np.flatnonzero(np.diff(rows) > 1)  # ink runs: one per text line (roughly)
    starts = np.concatenate(([rows[0]], rows[breaks + 1]))
    ends = np.concatenate((rows[breaks], [rows[-1]]))
    if len(starts) <= lines:
        return None
    first = (len(starts) - lines) // 2
    last = first + lines - 1
    top = (ends[first - 1] + starts[first]) // 2 + 1 if first > 0 else max(int(starts[first]) - 2, 0)
    bottom = (ends[last] + starts[last + 1]) // 2
    return int(top), int(bottom) + 1
