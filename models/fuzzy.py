"""OCR-tolerant vendor names on OCR'd pages (rapidfuzz).

Tesseract reads logos and letterheads with errors ("Vigi1ant Solutions", "F1ock Safety",
"Ce11ebrite"); phrase matching misses them. On pages that were OCR'd, every run of one to three
capitalised tokens not already tagged is compared with the vendors' unambiguous names and
products of at least MIN_LENGTH characters; a close enough match (FUZZY_MIN, rapidfuzz ratio on
lower-cased text, same first letter) is a mention of that vendor. Ambiguous short names
("Flock", "Axon") are never matched this way.
"""

from __future__ import annotations

from functools import cache

from rapidfuzz import fuzz, process

from foialens.models.gazetteer import load_gazetteer

MIN_LENGTH = 7
FUZZY_MIN = 86.0
MAX_WORDS = 3
_OCR_DIGITS = str.maketrans({"1": "l", "0": "o", "5": "s", "|": "l"})  # digits tesseract reads for letters


@cache
def _candidates() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(lower-cased names, vendor id of each)."""
    names: list[str] = []
    ids: list[str] = []
    for e in load_gazetteer("vendor").entries:
        for term in (*e.aliases, *e.products):
            if len(term) >= MIN_LENGTH and len(term.split()) <= MAX_WORDS:
                names.append(term.lower())
                ids.append(e.id)
    return tuple(names), tuple(ids)


def fuzzy_vendor_spans(doc, taken: set[int]) -> list[tuple[int, int, str]]:
    """(start token, end token, vendor id) of fuzzy vendor mentions in a spaCy Doc, avoiding the
    token indices in ``taken`` (already tagged)."""
    names, ids = _candidates()
    out: list[tuple[int, int, str]] = []
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or not tok.text[:1].isupper() or not tok.is_alpha and not any(c.isdigit() for c in tok.text):
            i += 1
            continue
        found = None
        for n in range(MAX_WORDS, 0, -1):
            span = doc[i : i + n]
            if len(span) < n or any(j in taken or doc[j].is_punct for j in range(i, i + n)) or len(span.text) < MIN_LENGTH - 1:
                continue
            text = span.text.lower().translate(_OCR_DIGITS)
            match = process.extractOne(text, names, scorer=fuzz.ratio, score_cutoff=FUZZY_MIN)
            # an OCR misreading keeps the length (substituted letters), not a longer or shorter word
            if match and match[0] != span.text.lower() and match[0][0] == text[0] and abs(len(match[0]) - len(text)) <= 1:
                found = (i, i + n, ids[match[2]])
                break
        if found:
            out.append(found)
            i = found[1]
        else:
            i += 1
    return out
