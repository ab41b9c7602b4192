"""Precision/recall of tag ids per document against a ground truth (used by tests and bench).

Both sides are sets of ids per document; documents are scored separately and the counts summed
(micro average); the macro average of per-document precision and recall is reported too.
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
