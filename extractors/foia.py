"""FOIA exemption codes and Bates/control numbers in a page's text.

Exemption spellings recognised (case-insensitive letters, any spacing):
``(b)(6)``, ``(b)(7)(C)``, ``(b) (7)(E)``, ``(b)(7)c``, ``b(5)``, ``b6``, ``b7c``, OCR's ``X`` for
``)(`` (``(bX6)``, ``(b)(7XC)``), lists that drop the ``(b)`` (``(b)(6), (7)(C)``,
``(b)(7)(C), (E)``), and letter style ``Exemption 6``, ``Exemptions 6 and 7(C)``.
Ids: ``b1``..``b9`` and ``b7a``..``b7f`` (a bare ``(b)(7)`` is ``b7``).

False positives in ordinary prose are rejected by these rules:
- a code directly after a word that names a part of a text (section, subsection, paragraph,
  clause, article, part, item, §, ...) is a cross-reference: "subsection (b)(2) of the contract";
- a code glued to another citation ("1030(b)(6)", "52.204-21(b)(1)", "552a(b)(7)") is that
  statute's subsection; only ``552(b)(N)`` (the FOIA itself) is kept;
- a code without a (7) subpart that opens a line followed by a capitalised sentence (three or
  more words before any other code) is an outline enumerator: "(b)(1) The Contractor shall ...",
  unless the page is about FOIA (mentions FOIA, an exemption, "withheld", 552(b), or carries a
  (7)(x) code), where "(b)(5) protects inter-agency memoranda ..." explains an exemption;
- a bare ``b1``..``b9`` (no parentheses, no subpart) counts only next to a parenthesised or
  ``b7c``-style code, after "exemption", or alone on its line or after a short field label
  ("To: b6"); a bare ``b7c``-style code is distinctive enough on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from foialens.extractors.records import BatesNumber, Exemption

# "(b)(" / "(bX" (OCR) / "b(" then the number, then for 7 an optional subpart letter.
_PAREN = re.compile(
    r"""
    (?: \(\s*[bB]\s*(?:\)\s*\(|[Xx]) | (?<![A-Za-z])[bB]\s*\( )
    \s*
    (?:
        (?P<num>[1-689])\s*\)
      | (?P<seven>7)
        (?: \s*(?:\)\s*\(|[Xx])\s*(?P<sub>[a-fA-F])\s*\)
          | \s*\)(?P<sub2>[a-fA-F])(?![A-Za-z0-9])
          | \s*\)
        )
    )
    """,
    re.VERBOSE,
)
_BARE = re.compile(r"(?<![\w(])[bB](?P<num>[1-9])(?:(?<=7)(?P<sub>[a-fA-F]))?(?![\w])")
_WORDED = re.compile(
    r"\b[Ee]xemptions?\s+(?P<num>[1-9])(?:\s*\(\s*(?P<sub>[a-fA-F])\s*\))?(?![\w])"
)
# Continuations after an accepted code: ", (7)(C)" / "; (E)" / " and 7(C)" (worded style).
_CONT_PAREN = re.compile(
    r"\s*(?:,|;|&|/|\band\b|\bor\b)\s*(?:\(\s*(?P<num>[1-9])\s*\)(?:\s*\(\s*(?P<sub>[a-fA-F])\s*\))?"
    r"|\(\s*(?P<letter>[a-fA-F])\s*\)(?!\s*\())"
)
_CONT_WORDED = re.compile(
    r"\s*(?:,|;|&|\band\b|\bor\b|,\s*and\b)\s*(?P<num>[1-9])(?:\s*\(\s*(?P<sub>[a-fA-F])\s*\))?(?![\w])"
)

_SECTION_WORDS = frozenset(
    """section sections subsection subsections sec sec. secs. paragraph paragraphs subparagraph
    subparagraphs para para. clause clauses subclause article articles art. part parts item items
    chapter rule rules provision provisions subdivision subpart appendix exhibit § §§ ¶""".split()
)
_PREV_TOKEN = re.compile(r"(\S+)(\s*)$")
_WORD = re.compile(r"[A-Za-z]{2,}")
# Words that make a page a FOIA page: there a line-opening "(b)(5) ..." explains an exemption.
_FOIA_CONTEXT = re.compile(r"\bFOIA\b|Freedom of Information|\bexemptions?\b|\bwithheld\b|\b552\s*\(b\)", re.I)


@dataclass(frozen=True)
class _Hit:
    code: str
    start: int
    end: int
    explicit: bool  # parenthesised or worded (not a bare "b6")


def _code(num: str, sub: str | None) -> str:
    return f"b{num}{sub.lower()}" if sub and num == "7" else f"b{num}"


def _cross_reference(text: str, start: int) -> bool:
    """True when the code at ``start`` is a subsection of something other than the FOIA."""
    m = _PREV_TOKEN.search(text, max(0, start - 40), start)
    if not m:
        return False
    token, gap = m.group(1), m.group(2)
    if token.rstrip(".,").endswith("552") and not token.endswith("552a"):
        return False
    if token.lower().strip(",;:") in _SECTION_WORDS:
        return True
    # Glued to a preceding citation: "1030(b)(6)", "(a)(b)(3)", "552a(b)(7)".
    return gap == "" and (token[-1].isalnum() or token[-1] == ")")


def _line_enumerator(text: str, hit: _Hit, hits: list[_Hit], foia_context: bool) -> bool:
    if len(hit.code) > 2 or foia_context:  # b7c etc. are never outline numbers
        return False
    line_start = text.rfind("\n", 0, hit.start) + 1
    if text[line_start : hit.start].strip():
        return False
    line_end = text.find("\n", hit.end)
    line_end = len(text) if line_end < 0 else line_end
    following = [h.start for h in hits if hit.end <= h.start < line_end]
    words = _WORD.findall(text, hit.end, min(following) if following else line_end)
    return len(words) >= 3 and words[0][0].isupper()


def _continuations(text: str, first: _Hit, worded: bool) -> list[_Hit]:
    hits: list[_Hit] = []
    pattern = _CONT_WORDED if worded else _CONT_PAREN
    last = first
    while m := pattern.match(text, last.end):
        letter = m.groupdict().get("letter")
        if letter:
            if not last.code.startswith("b7"):
                break
            code = _code("7", letter)
            start = m.start("letter") - 1
        else:
            code = _code(m.group("num"), m.group("sub"))
            start = m.start("num") - (0 if worded else 1)
        last = _Hit(code, start, m.end(), True)
        hits.append(last)
    return hits


def find_exemptions(text: str, page: int) -> list[Exemption]:
    """FOIA exemption codes on one page, in text order, with character offsets into ``text``."""
    hits: list[_Hit] = []
    for m in _PAREN.finditer(text):
        hit = _Hit(_code(m.group("num") or "7", m.group("sub") or m.group("sub2")), m.start(), m.end(), True)
        hits.append(hit)
    explicit_paren = list(hits)
    for m in _WORDED.finditer(text):
        hits.append(_Hit(_code(m.group("num"), m.group("sub")), m.start(), m.end(), True))
    worded = [h for h in hits if h not in explicit_paren]
    bare = [
        _Hit(_code(m.group("num"), m.group("sub")), m.start(), m.end(), False)
        for m in _BARE.finditer(text)
    ]

    # only a parenthesised code can be an outline number, so only then is the page's subject read
    foia_context = bool(explicit_paren) and (any(len(h.code) > 2 for h in hits) or bool(_FOIA_CONTEXT.search(text)))
    kept: list[_Hit] = []
    for hit in explicit_paren:
        if _cross_reference(text, hit.start) or _line_enumerator(text, hit, hits + bare, foia_context):
            continue
        kept.append(hit)
        kept.extend(_continuations(text, hit, worded=False))
    for hit in worded:
        kept.append(hit)
        kept.extend(_continuations(text, hit, worded=True))
    anchors = kept + [h for h in bare if len(h.code) > 2]
    for hit in bare:
        if len(hit.code) > 2 or _near_other_code(text, hit, anchors):
            if not _cross_reference(text, hit.start):
                kept.append(hit)

    seen: set[tuple[int, int]] = set()
    result: list[Exemption] = []
    for hit in sorted(kept, key=lambda h: (h.start, h.end)):
        if any(s <= hit.start < e for s, e in seen):
            continue
        seen.add((hit.start, hit.end))
        result.append(
            Exemption(code=hit.code, page=page, text=text[hit.start : hit.end], start=hit.start, end=hit.end)
        )
    return result


# "To: b6", "Phone: b6": a short field label before a stamp-only value.
_HEADER_LABEL = re.compile(r"^\s*[A-Za-z][\w.]*(?:[ -][A-Za-z][\w.]*)?\s*:")
_LIST_GAP = re.compile(r"^\s*(?:[,;&/]|and|or)?\s*$", re.IGNORECASE)


def _near_other_code(text: str, hit: _Hit, anchors: list[_Hit]) -> bool:
    """A bare "b6" is a code when listed next to another code, after "exemption", or as the
    whole value of its line."""
    for other in anchors:
        if other is hit:
            continue
        gap = text[other.end : hit.start] if other.end <= hit.start else text[hit.end : other.start]
        if len(gap) <= 6 and _LIST_GAP.match(gap):
            return True
    before = text[max(0, hit.start - 15) : hit.start].lower()
    if "exemption" in before:
        return True
    line_start = text.rfind("\n", 0, hit.start) + 1
    line_end = text.find("\n", hit.end)
    line = text[line_start : len(text) if line_end < 0 else line_end]
    label = _HEADER_LABEL.match(line)
    rest = line[label.end() :] if label else line
    return rest.strip(" \t.,;:") == text[hit.start : hit.end]


# --- Bates / control numbers -------------------------------------------------------------

# FOIA request-style control numbers: "2019-ICFO-12345", "ICE 2019-ICLI-00001 123" (agency
# prefix and a trailing page sequence at the end of the line are part of the stamp).
_FOIA_CONTROL = re.compile(
    r"(?<![\w-])(?:[A-Z]{2,6}[ -])?(?:19|20)\d{2}-[A-Z]{2,8}-\d{3,7}(?:[ ]\d{1,7}(?=[ \t]*$))?(?![\w-])",
    re.MULTILINE,
)
# Prefix + zero-padded or long number: "DHS-001234", "ICE_0000123", "DHS-ICE-000456", "DHS 000123".
_PREFIXED = re.compile(
    r"(?<![\w-])[A-Z]{2,10}(?:[-_][A-Z]{2,10})*(?:[-_](?P<dash>\d{4,10})|[ ](?P<space>0\d{3,9}))(?![\w-])"
)


def find_bates(text: str, page: int) -> list[BatesNumber]:
    """Bates / control numbers stamped on one page, in text order."""
    spans: list[tuple[int, int]] = [m.span() for m in _FOIA_CONTROL.finditer(text)]
    for m in _PREFIXED.finditer(text):
        digits = m.group("dash") or m.group("space")
        if len(digits) < 5 and not digits.startswith("0"):
            continue  # "ICE-2019" is a year, not a Bates number
        if any(s < m.end() and m.start() < e for s, e in spans):
            continue
        spans.append(m.span())
    return [BatesNumber(page=page, text=text[s:e], start=s, end=e) for s, e in sorted(spans)]
