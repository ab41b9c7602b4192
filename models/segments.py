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
    bounds: tuple[int, ...] = ()  # normalised positions where a structural block starts (after the first)

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


_ITEM = re.compile(r"^\s*(?:[•·▪◦●■□➢►✓*–—-]\s|\(?[0-9]{1,3}[.)]\s|\(?[a-zA-Z][.)]\s|\([ivxlc]{1,5}\)\s|[ivx]{1,4}\.\s)")
# a line ending with one of these words (or a comma, hyphen, open bracket) continues on the next line
_CONTINUES = frozenset(
    "a an the of and or to in on at by for with from as that which who whom whose than nor but if "
    "any all each such this these those its their his her our your is are be been was were will shall "
    "may must can not no per via including".split()
)
_PAGE_LINE = re.compile(r"^(?:page\s*\d+(?:\s*of\s*\d+)?|[-–]?\s*\d{1,4}\s*[-–]?)$", re.I)
SHORT_LINE = 0.6  # of the page's typical (90th percentile) line length
MIN_TYPICAL = 40  # characters: pages of short lines only (a list) use this as their typical length


def _typical_length(lines: list[str]) -> float:
    lengths = sorted(len(line.strip()) for line in lines if line.strip())
    if not lengths:
        return MIN_TYPICAL
    return max(lengths[int(0.9 * (len(lengths) - 1))], MIN_TYPICAL)


def structural_break(line: str, following: str, typical: float) -> bool:
    """Does the layout end the block after ``line`` (the next non-empty line is ``following``)?"""
    this, nxt = line.strip(), following.strip()
    if not this or not nxt:
        return True
    if _ITEM.match(following) or _PAGE_LINE.match(this) or _PAGE_LINE.match(nxt):
        return True
    if this.endswith(":"):
        return True
    if len(this) >= SHORT_LINE * typical:
        return False  # a full line: the sentence wraps
    if this[-1] in ",;-–(/&" or this.split()[-1].lower() in _CONTINUES:
        return False
    return nxt[0].isupper() or nxt[0].isdigit() or not nxt[0].isalnum()


def _bounds(paragraph: str) -> tuple[int, ...]:
    """Normalised positions where the paragraph's structural blocks start (the first excluded).
    The normalised paragraph is its blocks' normalised texts joined by single spaces."""
    lines = paragraph.split("\n")
    typical = _typical_length(lines)
    bounds: list[int] = []
    block: list[str] = []
    pos = 0
    for i, line in enumerate(lines):
        block.append(line)
        if i + 1 < len(lines) and not structural_break(line, lines[i + 1], typical):
            continue
        words = " ".join(block).split()
        if words:
            if pos:
                bounds.append(pos)
            pos += len(" ".join(words)) + 1
        block = []
    return tuple(bounds)


def segments(page_text: str) -> list[Segment]:
    """Paragraphs of a page, in order, empty ones dropped, with their structural bounds."""
    out: list[Segment] = []
    start = 0
    spans = []
    for m in _PARAGRAPH_BREAK.finditer(page_text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(page_text)))
    for start, end in spans:
        seg = _segment(page_text[start:end], start)
        if seg:
            bounds = _bounds(page_text[start:end]) if "\n" in page_text[start:end].strip() else ()
            out.append(Segment(seg.text, seg.base, seg.breaks, seg.shifts, bounds))
    return out
