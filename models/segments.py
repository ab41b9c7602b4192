"""Split page text into paragraphs with collapsed whitespace, keeping a map back to page offsets.

PDF text wraps lines anywhere ("license\\nplate reader"); spaCy would make the line break a token
and phrase patterns would miss the term. Each paragraph (separated by a blank line) is therefore
normalised to single spaces, and :meth:`Segment.to_page` maps a span of the normalised text back
to exact character offsets in the page text.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\r\f\v]*\n")
_WHITESPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Segment:
    text: str  # normalised paragraph text (single spaces, stripped)
    base: int  # page offset of the paragraph's first non-space character
    breaks: tuple[int, ...]  # normalised positions after which the shift grows
    shifts: tuple[int, ...]  # cumulative extra characters removed before each break

    def _page_index(self, i: int) -> int:
        k = bisect_right(self.breaks, i) - 1
        return self.base + i + (self.shifts[k] if k >= 0 else 0)

    def to_page(self, start: int, end: int) -> tuple[int, int]:
        """Page offsets of the normalised span [start, end) (end > start)."""
        return self._page_index(start), self._page_index(end - 1) + 1


def _segment(text: str, offset: int) -> Segment | None:
    lead = len(text) - len(text.lstrip())
    body = text.strip()
    if not body:
        return None
    parts: list[str] = []
    breaks: list[int] = []
    shifts: list[int] = []
    pos = 0  # in body
    norm_len = 0
    removed = 0
    for m in _WHITESPACE.finditer(body):
        parts.append(body[pos : m.start()])
        norm_len += m.start() - pos
        parts.append(" ")
        norm_len += 1
        extra = m.end() - m.start() - 1
        if extra:
            removed += extra
            breaks.append(norm_len)
            shifts.append(removed)
        pos = m.end()
    parts.append(body[pos:])
    return Segment("".join(parts), offset + lead, tuple(breaks), tuple(shifts))


def segments(page_text: str) -> list[Segment]:
    """Paragraphs of a page, in order, empty ones dropped."""
    out: list[Segment] = []
    start = 0
    for m in _PARAGRAPH_BREAK.finditer(page_text):
        seg = _segment(page_text[start : m.start()], start)
        if seg:
            out.append(seg)
        start = m.end()
    seg = _segment(page_text[start:], start)
    if seg:
        out.append(seg)
    return out
