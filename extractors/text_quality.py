"""Is a page's text layer usable, or does the page need OCR?

Rules (in order), given the pypdfium2 text and the page survey:
1. ``empty``: fewer than ``MIN_CHARS`` visible characters while the page draws an image or many
   paths (a page with nothing drawn at all is blank, not a scan, and is left alone).
2. ``image_page``: the page is mostly image (>= 60% of its area) and its text layer is sparse
   (fewer than ``SPARSE_WORDS`` words), e.g. a scan carrying only a Bates stamp as text.
3. ``garbage``: the text layer looks like junk, of one of three kinds: ``unreadable`` (many
   replacement/private-use/control characters or ``(cid:NN)`` codes), ``few_letters`` (under 40%
   letters) or ``not_english`` (Latin-script text without any common English words, as a broken
   font encoding such as ``Wkh txlfn eurzq`` gives). A table of numbers, dates and ids looks like
   that too, so a garbage flag is only a suspicion: ``layer_check`` settles it per document by
   OCR of one sample page of each kind.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from foialens.extractors.page_survey import PageSurvey

OcrReason = Literal["empty", "image_page", "garbage"]
GarbageKind = Literal["unreadable", "few_letters", "not_english"]


class OcrFlag(NamedTuple):
    """Why a page's text layer is doubted: ``reason``, a human-readable ``detail`` and, for
    ``garbage``, its ``kind`` (otherwise the reason again)."""

    reason: OcrReason
    detail: str
    kind: str

MIN_CHARS = 20
SPARSE_WORDS = 30
MANY_PATHS = 50  # outlined glyphs: text drawn as vector paths

_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[^\W\d_]{2,}")
# Very common English words; ordinary English prose has 20-40% of its words in this set.
_COMMON = frozenset(
    "the of and to a in is for that on with as by be this are or it from at an was shall any "
    "not which will have has all such other under its may their been were if no any these".split()
)
# Replacement character, private-use code points, surrogates and control characters other than
# whitespace: what a text layer without a usable font encoding turns into. (Counted with regexes:
# a per-character unicodedata loop costs ~1.5 ms on a full page.)
_BAD = re.compile(r"[\ufffd\ue000-\uf8ff\ud800-\udfff\x00-\x08\x0e-\x1f\x7f]")
_LETTERS = re.compile(r"[^\W\d_]+")  # runs of letters (counted by length: one list item per run, not per letter)


def visible_chars(text: str) -> int:
    """Characters other than whitespace (``str.split`` and regex ``\\s`` agree on what that is)."""
    return sum(map(len, text.split()))


def garbage_kind(text: str) -> tuple[GarbageKind, str] | None:
    """(kind, detail) when ``text`` looks like a broken text layer, or None when it looks like
    language."""
    cleaned = _CID.sub("\ufffd", text)
    n = visible_chars(cleaned)
    if n < MIN_CHARS:
        return None
    bad = len(_BAD.findall(cleaned))
    if bad / n > 0.1:
        return "unreadable", f"{bad / n:.0%} unreadable characters"
    letters = sum(map(len, _LETTERS.findall(cleaned)))
    if letters / n < 0.4:
        return "few_letters", f"only {letters / n:.0%} letters"
    words = _WORD.findall(cleaned)
    latin = [w for w in words if w.isascii()]
    if len(latin) >= 40 and len(latin) >= 0.8 * len(words):
        common = sum(1 for w in latin if w.lower() in _COMMON)
        if common / len(latin) < 0.03:
            return "not_english", "no common English words in Latin-script text"
    return None


def garbage_reason(text: str) -> str | None:
    """Why ``text`` looks like a broken text layer, or None when it looks like language."""
    found = garbage_kind(text)
    return found[1] if found else None


def ocr_reason(text: str, survey: PageSurvey) -> OcrFlag | None:
    """Why the page should be OCR'd (or, for ``garbage``, checked by OCR), else None."""
    n = visible_chars(text)
    drawn = survey.images > 0 or survey.paths >= MANY_PATHS
    if n < MIN_CHARS:
        if drawn:
            return OcrFlag("empty", f"text layer has {n} characters", "empty")
        return None
    if survey.mostly_image and len(_WORD.findall(text)) < SPARSE_WORDS:
        return OcrFlag("image_page", f"page is {survey.image_coverage:.0%} image with a sparse text layer", "image_page")
    found = garbage_kind(text)
    if found:
        return OcrFlag("garbage", found[1], found[0])
    return None
