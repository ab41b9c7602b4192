"""Names of state and local agencies found by pattern: plausible names only, one name per agency.

A pattern agency is a head phrase ("Sheriff's Office", "Department of Corrections") extended
leftwards over capitalised words (models/entities.py). Real text puts other things there: a
person's name and title in a letterhead ("Shinn Director Arizona Department of Corrections"), the
end of a federal name on the line before ("Removal Operations Etowah County Sheriff's Office"),
OCR errors ("Arimna Department of Corrections", "ArizonaA ...", "WhoviUe Police Department").

- :func:`name_start`: how many leading words of a found name to drop (titles and words that
  never begin a local agency's name), and whether the rest is plausible at all: no digits or
  stray capitals inside a word, and a state-level head ("Department of Corrections", "State
  Police") needs a US state name (or a county/city: then it is a local agency).
- :func:`merge_variants`: within one document, a name that is another found name with up to
  three extra leading words is that agency ("Ithe Eugene Police Department" -> "Eugene Police
  Department").
"""

from __future__ import annotations

import re

US_STATES = frozenset(
    s.lower() for s in (
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
        "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
        "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
        "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico",
        "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania",
        "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont",
        "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming", "District of Columbia",
        "Puerto Rico", "Guam",
    )
)
LOCAL_WORDS = frozenset({"county", "city", "parish", "town", "township", "village", "borough", "metropolitan", "metro"})
# Words that never begin a state or local agency's name: people's titles and the tail ends of
# federal names that run into the next line.
NOT_A_NAME = frozenset(
    "director chief commander mayor officer deputy captain lieutenant sergeant detective superintendent "
    "commissioner secretary attorney general assistant acting executive special agent agents supervisor "
    "operations enforcement security removal immigration customs homeland investigations federal "
    "honorable hon mr mrs ms dr sir madam re subject attn attention".split()
)
_WORD = re.compile(r"^(?:[A-Z][a-z]+(?:[A-Z][a-z]{2,})*|[A-Z]{2,}|[A-Z][a-z]?\.|Mc[A-Z][a-z]+|[A-Z]['’][A-Z][a-z]+|St\.?)$")


def plausible_word(word: str) -> bool:
    """A capitalised name word: "Riverside", "DeKalb", "McHenry", "O'Brien", "ST", "St." —
    not "ArizonaA", "WhoviUe", "Aru.ona", "0akland"."""
    return bool(_WORD.match(word.strip("’'"))) if word else False


def name_start(words: list[str], head_is_state: bool, head: str = "") -> tuple[int, str] | None:
    """(index of the first name word to keep, prefix "state" | "local") for the name words found
    before a head, or None when no plausible name is left. A name made only of place-type words
    ("County") is no name; before a "Department of ..." head a local name says what place it is
    ("City of Chicago Department of Police", not "Rahm Emanuel Department of Police")."""
    start = 0
    for i, w in enumerate(words):
        if w.lower().strip(".,") in NOT_A_NAME:
            start = i + 1
    kept = words[start:]
    if not kept or not all(plausible_word(w) or w.lower() in ("of", "and", "de", "la", "del") for w in kept):
        return None
    lowered_words = {w.lower() for w in kept}
    if lowered_words <= LOCAL_WORDS | {"of", "the"}:
        return None
    if not head_is_state:
        if head.lower().startswith(("department of", "bureau of", "office of")) and not lowered_words & LOCAL_WORDS:
            return None
        return start, "local"
    lowered = " ".join(kept).lower()
    if lowered in US_STATES or any(lowered.endswith(s) for s in US_STATES if " " in s and lowered.endswith(" " + s)):
        return start, "state"
    if lowered.startswith("state of ") and lowered[9:] in US_STATES:
        return start, "state"
    if LOCAL_WORDS & {w.lower() for w in kept}:
        return start, "local"
    return None


def normalised(name: str) -> str:
    return " ".join(re.sub(r"['’]", "", name).lower().split())


def merge_variants(names: list[str]) -> dict[str, str]:
    """Map each name to the shorter found name it extends by one to three leading words."""
    norm = {n: normalised(n) for n in names}
    out = {}
    for name, n in norm.items():
        best = None
        for other, o in norm.items():
            if other is name or len(o) >= len(n) or not n.endswith(" " + o):
                continue
            extra = len(n.split()) - len(o.split())
            if 1 <= extra <= 3 and (best is None or len(o) > len(norm[best])):
                best = other
        if best is not None:
            out[name] = best
    return out
