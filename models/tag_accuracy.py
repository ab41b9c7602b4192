"""Accuracy against a ground truth, shared by the tests and bench/tagging.py (one scorer each).

- :func:`score_documents`: precision/recall of tag ids (vendors, data types) per document. Both
  sides are sets of ids per document; documents are scored separately and the counts summed
  (micro average); the macro average of per-document precision and recall is reported too.
- :func:`score_clauses`: per-label precision/recall/F1 of clause labels against labelled
  sentences, matched by character-span overlap on the page.
"""

from __future__ import annotations

from pydantic import BaseModel


class TagScore(BaseModel):
    documents: int
    tp: int
    fp: int
    fn: int
    precision: float  # micro
    recall: float  # micro
    macro_precision: float
    macro_recall: float
    errors: list[str]  # "doc: +id" (false positive) / "doc: -id" (missed)


def score_documents(docs: dict[str, tuple[set[str], set[str]]]) -> TagScore:
    """``docs``: document name -> (predicted ids, true ids)."""
    tp = fp = fn = 0
    precisions: list[float] = []
    recalls: list[float] = []
    errors: list[str] = []
    for name, (predicted, truth) in sorted(docs.items()):
        t, p, n = len(predicted & truth), len(predicted - truth), len(truth - predicted)
        tp, fp, fn = tp + t, fp + p, fn + n
        precisions.append(t / (t + p) if t + p else 1.0)
        recalls.append(t / (t + n) if t + n else 1.0)
        errors += [f"{name}: +{i}" for i in sorted(predicted - truth)] + [f"{name}: -{i}" for i in sorted(truth - predicted)]
    count = len(docs)
    return TagScore(
        documents=count, tp=tp, fp=fp, fn=fn,
        precision=round(tp / (tp + fp), 4) if tp + fp else 1.0,
        recall=round(tp / (tp + fn), 4) if tp + fn else 1.0,
        macro_precision=round(sum(precisions) / count, 4) if count else 1.0,
        macro_recall=round(sum(recalls) / count, 4) if count else 1.0,
        errors=errors,
    )


# ---------------------------------------------------------------------------------------------
# Clause labels: predicted sentences against the ground truth's labelled sentences


class ClauseLabelScore(BaseModel):
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    f1: float
    support: int  # true sentences with the label


class ClauseMatch(BaseModel):
    """One true sentence (or one prediction that matched none) and the labels predicted on it."""

    doc: str
    page: int
    text: str
    truth: list[str]  # true labels (empty for an unmatched prediction)
    predicted: list[str]
    near_miss: bool = False
    located: bool = True  # the true sentence was found in the page text (else matched by text)


class ClauseScore(BaseModel):
    labels: dict[str, ClauseLabelScore]
    clauses: list[ClauseMatch]  # every true sentence
    unmatched: list[ClauseMatch]  # predicted sentences that overlap no true sentence (all FP)

    def errors(self, label: str) -> list[str]:
        """"+text" (false positive) / "-text" (missed) for one label."""
        out = []
        for m in (*self.clauses, *self.unmatched):
            if (label in m.predicted) != (label in m.truth):
                out.append(("+" if label in m.predicted else "-") + f"{m.doc} p{m.page}: {m.text}")
        return out

    def near_misses_tagged(self, label: str = "ice_access") -> list[ClauseMatch]:
        return [m for m in self.clauses if m.near_miss and label in m.predicted]


def _collapse(text: str) -> tuple[str, list[int]]:
    """Whitespace-collapsed text and, per character of it, its offset in ``text``."""
    out: list[str] = []
    where: list[int] = []
    space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if not space:
                out.append(" ")
                where.append(i)
            space = True
        else:
            out.append(ch)
            where.append(i)
            space = False
    return "".join(out), where


FUZZY_MIN = 85.0  # rapidfuzz score (0..100) for a sentence read differently (another OCR, hyphenation)


def locate(page_text: str, sentence: str, after: int = 0, fuzzy: bool = False) -> tuple[int, int] | None:
    """Page offsets [start, end) of ``sentence`` in ``page_text``, whitespace-insensitive. With
    ``fuzzy``, a sentence not found verbatim is aligned with rapidfuzz (a gold sentence written
    from another reading of the page: different OCR, joined hyphenation, reading order)."""
    collapsed, where = _collapse(page_text)
    needle = " ".join(sentence.split())
    if not needle or not collapsed:
        return None
    start_c = next((k for k, off in enumerate(where) if off >= after), len(where))
    k = collapsed.find(needle, start_c)
    if k < 0:
        k = collapsed.find(needle)
    if k >= 0:
        return where[k], where[k + len(needle) - 1] + 1
    if not fuzzy:
        return None
    from rapidfuzz import fuzz

    found = fuzz.partial_ratio_alignment(needle, collapsed, score_cutoff=FUZZY_MIN)
    if found is None or found.dest_end <= found.dest_start:
        return None
    return where[found.dest_start], where[found.dest_end - 1] + 1


MIN_OVERLAP = 0.5  # of the shorter span


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    inter = min(a[1], b[1]) - max(a[0], b[0])
    return inter > 0 and inter >= MIN_OVERLAP * min(a[1] - a[0], b[1] - b[0])


def _same_text(a: str, b: str) -> bool:
    a, b = " ".join(a.split()), " ".join(b.split())
    return bool(a and b) and (a in b or b in a)


def score_clauses(
    docs: dict[str, tuple[dict[int, str], list[dict], list]], labels: tuple[str, ...] | None = None,
    fuzzy: bool = False,
) -> ClauseScore:
    """Per-label precision/recall/F1 of predicted clause labels against labelled sentences.

    ``docs``: document name -> (page number -> page text, page truths (``ground_truth.json``
    ``page_truth`` entries of the scored pages: ``page`` and ``clauses`` with ``text``, ``labels``,
    ``near_miss``), predicted clauses (objects with ``label``, ``page``, ``text``, ``start``, ``end``;
    models.records.Clause)).

    A predicted sentence matches a true one when their character spans on the page overlap by at
    least half of the shorter span (sentence splitting may differ: "Task 3. Access ... The
    contractor shall ..." may come out as two predictions for one true sentence, or one prediction
    may cover two). A true sentence gets the union of the labels of the predictions matching it;
    per label it is then a TP, FP or FN. A true sentence with no labels (a near miss) makes every
    label predicted on it a FP. Predictions matching no true sentence are FPs for their labels. If a
    true sentence cannot be found in the page text, matching falls back to containment in either
    direction of the whitespace-collapsed texts. ``fuzzy``: locate true sentences with rapidfuzz
    too (real documents, whose gold text comes from another reading of the page).
    """
    from foialens.models.records import CLAUSE_LABELS

    labels = tuple(labels or CLAUSE_LABELS)
    clauses: list[ClauseMatch] = []
    unmatched: list[ClauseMatch] = []
    for name, (texts, truth, predicted) in sorted(docs.items()):
        by_page: dict[int, dict[tuple[int, int], tuple[str, set[str]]]] = {}
        for c in predicted:
            start, end = c.start, c.end
            if start is None or end is None:
                found = locate(texts.get(c.page, ""), c.text)
                start, end = found if found else (-1, -1)
            by_page.setdefault(c.page, {}).setdefault((start, end), (c.text, set()))[1].add(c.label)
        used: set[tuple[int, tuple[int, int]]] = set()
        for pt in truth:
            page = pt["page"]
            preds = by_page.get(page, {})
            after = 0
            for clause in pt["clauses"]:
                span = locate(texts.get(page, ""), clause["text"], after, fuzzy=fuzzy)
                got: set[str] = set()
                for key, (text, lab) in preds.items():
                    hit = _overlaps(span, key) if span and key[0] >= 0 else _same_text(text, clause["text"])
                    if hit:
                        got |= lab
                        used.add((page, key))
                if span:
                    after = span[1]
                clauses.append(ClauseMatch(
                    doc=name, page=page, text=" ".join(clause["text"].split()), truth=sorted(clause["labels"]),
                    predicted=sorted(got), near_miss=bool(clause.get("near_miss")), located=span is not None,
                ))
        for page, preds in sorted(by_page.items()):
            for key, (text, lab) in sorted(preds.items()):
                if (page, key) not in used:
                    unmatched.append(ClauseMatch(doc=name, page=page, text=" ".join(text.split()), truth=[], predicted=sorted(lab)))
    scores: dict[str, ClauseLabelScore] = {}
    for label in labels:
        tp = sum(label in m.truth and label in m.predicted for m in clauses)
        fn = sum(label in m.truth and label not in m.predicted for m in clauses)
        fp = sum(label in m.predicted and label not in m.truth for m in (*clauses, *unmatched))
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        scores[label] = ClauseLabelScore(
            tp=tp, fp=fp, fn=fn, precision=round(p, 3), recall=round(r, 3),
            f1=round(2 * p * r / (p + r), 3) if p + r else 0.0, support=tp + fn,
        )
    return ClauseScore(labels=scores, clauses=clauses, unmatched=unmatched)


# ---------------------------------------------------------------------------------------------
# Data-sharing relations: predicted rows against the gold rows of a sharing report


class RelationScore(BaseModel):
    tp: int
    fp: int
    fn: int
    precision: float
    recall: float
    errors: list[str]  # "+section: name" (extra) / "-section: name" (missed)


RELATION_FUZZY_MIN = 85.0


def _row_name(text: str) -> str:
    return " ".join(text.replace("’", "'").lower().split())


def score_relations(predicted: list[tuple[str, str]], gold: list[tuple[str, str]]) -> RelationScore:
    """``predicted`` and ``gold``: (section, row text as printed). Rows are matched within a
    section, exactly after normalising case and spaces, then by rapidfuzz ratio (another OCR
    reading of the same row); each gold row matches once."""
    from rapidfuzz import fuzz

    tp = 0
    errors: list[str] = []
    sections = {s for s, _ in predicted} | {s for s, _ in gold}
    for section in sorted(sections):
        left = [_row_name(t) for s, t in gold if s == section]
        extra = []
        for s, text in predicted:
            if s != section:
                continue
            name = _row_name(text)
            if name in left:
                left.remove(name)
                tp += 1
                continue
            extra.append(name)
        for name in extra:
            best = max(left, key=lambda g: fuzz.ratio(name, g), default=None)
            if best is not None and fuzz.ratio(name, best) >= RELATION_FUZZY_MIN:
                left.remove(best)
                tp += 1
            else:
                errors.append(f"+{section}: {name}")
        errors += [f"-{section}: {g}" for g in left]
    fp = sum(e.startswith("+") for e in errors)
    fn = sum(e.startswith("-") for e in errors)
    return RelationScore(tp=tp, fp=fp, fn=fn, precision=round(tp / (tp + fp), 4) if tp + fp else 1.0,
                         recall=round(tp / (tp + fn), 4) if tp + fn else 1.0, errors=errors)
