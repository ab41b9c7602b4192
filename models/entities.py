"""Turn span-ruler matches into entity hits; resolve ambiguous names by context.

Rules for an ambiguous form ("Falcon", "CLEAR", "Axon", "Vigilant", "NEC", "Flock", "Rekor",
"Locate X", ...), for each candidate entity that lists the form:

- rejected when the previous token is in ``reject_prev`` or the next token in ``reject_next``
  ("Falcon Heights", "a Flock of", "remain Vigilant"), or when an ``anti_context`` cue occurs in
  the window ("neuron" near "Axon", "Sigstore" near "Rekor");
- otherwise scored: +1 per distinct ``context`` cue within WINDOW tokens on either side, +2 when
  the same entity has an unambiguous mention on the same page ("Palantir" ... "FALCON"), +1 when
  the optional NER labels the span ORG/PRODUCT; NER labels PERSON/GPE/LOC/FAC/NORP reject it;
- +1.5 when it has an unambiguous mention elsewhere in the document;
- the best-scoring candidate with score >= 1 wins (ties: gazetteer order); no winner, no mention.

Cues containing an upper-case letter compare exactly ("ICE"); lower-case cues compare
case-insensitively. Lower-case forms are never matched (forms are case-sensitive).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from spacy.tokens import Doc, Span

from foialens.models.agency_ids import resolve_agency
from foialens.models.agency_names import name_start
from foialens.models.gazetteer import AmbiguousTerm, gazetteers, pattern_agency_id
from foialens.models.pipeline import AMBIGUOUS, PATTERN_LABEL, SPANS_KEY
from foialens.models.records import EntityKind

WINDOW = 20
# Capitalised words that start sentences or headings but never begin an agency's name.
_NAME_STOPWORDS = frozenset(
    {
        "the", "a", "an", "this", "that", "these", "those", "said", "such", "any", "each", "all",
        "every", "no", "and", "or", "but", "by", "with", "to", "for", "from", "of", "in", "on",
        "at", "as", "between", "among", "agreement", "memorandum", "understanding", "contract",
        "exhibit", "attachment", "appendix", "section", "article", "re", "subject", "dear",
        "u.s.", "us", "u.s", "united", "states", "federal", "national", "department", "office",
        "customer", "vendor", "contractor", "agency", "agencies", "participating", "other",
        "including", "includes", "per", "via", "notify", "whereas", "provided", "mou", "page",
        "if", "when", "where", "upon", "under", "our", "your", "their", "its", "his", "her",
        "local", "state", "city", "police", "sheriff", "sheriff's", "which", "who", "will",
        "shall", "may", "must", "not", "request", "requests", "records", "record", "data",
        "email", "from:", "to:", "cc", "attn", "i", "we", "you", "they", "he", "she", "it",
    }
)
_NAME_WORD = re.compile(r"^[A-Z][A-Za-z.\-'’]*$")
MAX_NAME_WORDS = 4
_NER_REJECT = {"PERSON", "GPE", "LOC", "FAC", "NORP"}
_NER_SUPPORT = {"ORG", "PRODUCT"}


@dataclass(frozen=True)
class Hit:
    kind: EntityKind
    id: str
    start: int  # character offsets in the Doc's text
    end: int
    name: str | None = None  # name as found (pattern agencies only)


@dataclass
class AmbiguousHit:
    start: int
    end: int
    # (kind, id, score) of the candidates that were not rejected
    candidates: list[tuple[EntityKind, str, int]] = field(default_factory=list)


@cache
def ambiguous_index() -> dict[str, tuple[tuple[EntityKind, str, AmbiguousTerm], ...]]:
    """Ambiguous form -> candidate entities (in gazetteer order)."""
    index: dict[str, list[tuple[EntityKind, str, AmbiguousTerm]]] = {}
    for g in gazetteers():
        for e in g.entries:
            for amb in e.ambiguous:
                for form in amb.forms:
                    index.setdefault(form, []).append((g.kind, e.id, amb))
    return {k: tuple(v) for k, v in index.items()}


def _priority(span: Span) -> int:
    if span.label_ == AMBIGUOUS:
        return 2
    if span.label_.startswith(PATTERN_LABEL):
        return 1
    return 0


def select_spans(spans) -> list[Span]:
    """Non-overlapping spans: longest first; on equal length gazetteer > pattern > ambiguous."""
    ordered = sorted(spans, key=lambda s: (-(s.end - s.start), _priority(s), s.start))
    taken: list[Span] = []
    used: set[int] = set()
    for s in ordered:
        if used.isdisjoint(range(s.start, s.end)):
            taken.append(s)
            used.update(range(s.start, s.end))
    return sorted(taken, key=lambda s: s.start)


def _cue_hit(cue: str, lowers: set[str], orths: set[str]) -> bool:
    return cue in orths if cue != cue.lower() else cue in lowers


def _match_any(cues: tuple[str, ...], lowers: set[str], orths: set[str]) -> bool:
    return any(_cue_hit(c, lowers, orths) for c in cues)


def _ambiguous_hit(doc: Doc, span: Span, has_ner: bool) -> AmbiguousHit:
    lo, hi = max(0, span.start - WINDOW), min(len(doc), span.end + WINDOW)
    window = [t for t in doc[lo:hi] if not (span.start <= t.i < span.end)]
    lowers = {t.lower_ for t in window}
    orths = {t.text for t in window}
    prev = doc[span.start - 1] if span.start > 0 else None
    nxt = doc[span.end] if span.end < len(doc) else None
    ner = span[0].ent_type_ if has_ner else ""
    hit = AmbiguousHit(span.start_char, span.end_char)
    if ner in _NER_REJECT:
        return hit
    for kind, ent_id, amb in ambiguous_index().get(span.text, ()):
        if prev is not None and _match_any(amb.reject_prev, {prev.lower_}, {prev.text}):
            continue
        if nxt is not None and _match_any(amb.reject_next, {nxt.lower_}, {nxt.text}):
            continue
        if _match_any(amb.anti_context, lowers, orths):
            continue
        score = sum(_cue_hit(c, lowers, orths) for c in set(amb.context))
        if ner in _NER_SUPPORT:
            score += 1
        hit.candidates.append((kind, ent_id, score))
    return hit


def _agency_name(span: Span, bounds: set[int] = frozenset()) -> Span | None:
    """Extend a head phrase ("Sheriff's Office") leftwards over up to MAX_NAME_WORDS capitalised
    words cased like the head ("Lamar County"), never across a structural bound (a line that
    ends a heading or a list row); None when there is no name word."""
    doc = span.doc
    head_upper = span[0].is_upper
    start = span.start
    while start > 0 and span.start - start < MAX_NAME_WORDS and start not in bounds:
        tok = doc[start - 1]
        if tok.lower_ in _NAME_STOPWORDS or not _NAME_WORD.match(tok.text):
            break
        if tok.is_alpha and len(tok) > 1 and tok.is_upper != head_upper:
            break
        start -= 1
    if start == span.start:
        return None
    return Span(doc, start, span.end, label=span.label_, span_id=span.id_)


def _plausible_agency(span: Span, head: int) -> Span | None:
    """The agency span without leading titles and stray words, with the prefix its name calls
    for (a state-level head with a county or city name is local); None when the name is not
    plausible (models/agency_names.py)."""
    words = [t.text for t in span[: len(span) - head]]
    prefix = span.id_
    found = name_start(words, head_is_state=prefix == "state", head=span[len(span) - head :].text)
    if found is None:
        return None
    first, level = found
    if first >= len(words):
        return None
    if prefix in ("state", "local"):
        prefix = level
    return Span(span.doc, span.start + first, span.end, label=PATTERN_LABEL + prefix, span_id=prefix)


def doc_hits(doc: Doc, has_ner: bool = False, bounds: set[int] = frozenset()) -> tuple[list[Hit], list[AmbiguousHit]]:
    """Unambiguous hits and still-unresolved ambiguous hits of one Doc (``bounds``: indices of
    tokens starting a structural block, see models/segments.py)."""
    hits: list[Hit] = []
    ambiguous: list[AmbiguousHit] = []
    candidates = []
    for span in doc.spans[SPANS_KEY]:
        if span.label_.startswith(PATTERN_LABEL):
            head = span.end - span.start
            span = _agency_name(span, bounds)  # name + head, or None without a name
            span = _plausible_agency(span, head) if span is not None else None
        if span is not None:
            candidates.append(span)
    # programs are a layer of their own: "Secure Communities" is a program and (as before) ICE,
    # "NCIC" a program and criminal history; each layer keeps its own longest spans
    program_spans = [s for s in candidates if _program_span(s)]
    others = [s for s in candidates if not _program_span(s)]
    for span in select_spans(others) + select_spans(program_spans):
        label = span.label_
        if label == AMBIGUOUS:
            amb = _ambiguous_hit(doc, span, has_ner)
            if amb.candidates:
                ambiguous.append(amb)
        elif label.startswith(PATTERN_LABEL):
            ref = resolve_agency(span.text)  # one id per agency, whatever the spelling (models/agency_ids.py)
            agency_id = ref.id if ref is not None and not ref.federal else pattern_agency_id(span.id_, span.text)
            hits.append(Hit("agency", agency_id, span.start_char, span.end_char, span.text))
            if span.id_ == "fusion":  # a named fusion center is a member of the class
                hits.append(Hit("program", FUSION_PROGRAM, span.start_char, span.end_char))
        else:
            hits.append(Hit(label, span.id_, span.start_char, span.end_char))  # type: ignore[arg-type]
    return hits, ambiguous


FUSION_PROGRAM = "fusion_center"


def _program_span(span: Span) -> bool:
    """A span of the program layer: a program term, or an ambiguous form only programs list."""
    if span.label_ == "program":
        return True
    if span.label_ == AMBIGUOUS:
        candidates = ambiguous_index().get(span.text, ())
        return bool(candidates) and all(kind == "program" for kind, _, _ in candidates)
    return False


def resolve(amb: AmbiguousHit, present: set[tuple[str, str]], in_document: set[tuple[str, str]] = frozenset()) -> Hit | None:
    """Pick the winning candidate given the (kind, id) pairs found unambiguously on the page
    (+2) and elsewhere in the document (+1.5: a Flock network list says "Falcon" for Flock's
    camera on pages that never name Flock)."""
    best: tuple[float, EntityKind, str] | None = None
    for kind, ent_id, score in amb.candidates:
        total = score + (2 if (kind, ent_id) in present else 1.5 if (kind, ent_id) in in_document else 0)
        if total >= 1 and (best is None or total > best[0]):
            best = (total, kind, ent_id)
    if best is None:
        return None
    return Hit(best[1], best[2], amb.start, amb.end)
