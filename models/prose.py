"""Is a sentence prose that can carry a clause, or a row of a table or list?

A clause is a sentence: it has function words ("shall", "the", "to", ...) and is mostly lower-case
words. Rows of agency names, headings, letterheads, signature blocks and table rows are mostly
capitalised words, numbers and ids with hardly a function word. Those become relations (sharing
reports) or nothing; the clause classifier never sees them.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
FUNCTION_WORDS = frozenset(
    "a an the of and or to in on at by for with from as that which who this these those it its "
    "shall will may must can could should would not no is are be been being was were has have had do does "
    "if when where upon under any all each such than into within without only".split()
)
MIN_WORDS = 5
MIN_FUNCTION_SHARE = 0.12  # of the words
MAX_CAPITALISED_SHARE = 0.7  # of the words that are not function words


def is_prose(text: str) -> bool:
    words = _WORD.findall(text)
    if len(words) < MIN_WORDS:
        return False
    function = [w for w in words if w.lower() in FUNCTION_WORDS]
    if len(function) < MIN_FUNCTION_SHARE * len(words):
        return False
    content = [w for w in words if w.lower() not in FUNCTION_WORDS]
    capitalised = sum(w[0].isupper() for w in content)
    return not content or capitalised <= MAX_CAPITALISED_SHARE * len(content)
