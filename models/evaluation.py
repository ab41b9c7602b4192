"""Evaluate a clause model artifact on held-out or user-supplied labelled data.

``evaluate(model_path, None)`` scores the held-out split of the data the model was trained on
(models/data/clauses.jsonl). With a ``data_path`` whose sha256 equals the model's training data,
also only its held-out split is scored; any other file is scored in full.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pydantic import BaseModel

from foialens.models.clause_data import DEFAULT_DATA, Example, label_matrix, load_examples, split
from foialens.models.records import CLAUSE_LABELS
from foialens.models.training import data_hash, load_model

ICE_CLASSES = ("ice_access", "ice_restriction", "both", "neither")


class LabelScore(BaseModel):
    precision: float
    recall: float
    f1: float
    support: int
    predicted: int


class EvalReport(BaseModel):
    model_path: str
    data_path: str
    scope: str  # "held_out" or "all"
    n: int
    labels: dict[str, LabelScore]
    micro_f1: float
    # gold class -> predicted class -> count, classes ICE_CLASSES
    ice_confusion: dict[str, dict[str, int]]
    negated: int  # negated sentences in the evaluated set
    negated_tagged_ice_access: int
    negated_ice_access_examples: list[str]


def _ice_class(labels: set[str]) -> str:
    access, restriction = "ice_access" in labels, "ice_restriction" in labels
    return "both" if access and restriction else "ice_access" if access else "ice_restriction" if restriction else "neither"


def _score(truth: np.ndarray, pred: np.ndarray) -> LabelScore:
    tp = int(np.sum(truth & pred))
    fp = int(np.sum(~truth & pred))
    fn = int(np.sum(truth & ~pred))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return LabelScore(precision=round(p, 4), recall=round(r, 4), f1=round(f, 4), support=int(truth.sum()), predicted=int(pred.sum()))


def score_examples(model, examples: list[Example]) -> tuple[dict[str, LabelScore], float, dict, list[str]]:
    predicted = [{label for label, _ in row} for row in model.predict([ex.text for ex in examples])]
    y = np.asarray(label_matrix(examples), dtype=bool).reshape(len(examples), len(CLAUSE_LABELS))
    p = np.asarray([[label in row for label in CLAUSE_LABELS] for row in predicted], dtype=bool).reshape(y.shape)
    labels = {label: _score(y[:, j], p[:, j]) for j, label in enumerate(CLAUSE_LABELS)}
    micro = _score(y.ravel(), p.ravel()).f1
    confusion = {g: {c: 0 for c in ICE_CLASSES} for g in ICE_CLASSES}
    for ex, pred in zip(examples, predicted):
        confusion[_ice_class(set(ex.labels))][_ice_class(pred)] += 1
    negated_hits = [ex.text for ex, pred in zip(examples, predicted) if ex.negated and "ice_access" in pred]
    return labels, micro, confusion, negated_hits


def evaluate(model_path: Path, data_path: Path | None = None) -> EvalReport:
    model = load_model(Path(model_path))
    path = Path(data_path) if data_path is not None else DEFAULT_DATA
    examples = load_examples(path)
    held_out = data_hash(path, tuple(model.info.get("real_splits", ()))) == model.data_sha256
    if held_out:
        examples = split(examples)[1]
    if not examples:
        raise ValueError(f"{path}: no examples to evaluate")
    labels, micro, confusion, negated_hits = score_examples(model, examples)
    return EvalReport(
        model_path=str(model_path),
        data_path=str(path),
        scope="held_out" if held_out else "all",
        n=len(examples),
        labels=labels,
        micro_f1=micro,
        ice_confusion=confusion,
        negated=sum(ex.negated for ex in examples),
        negated_tagged_ice_access=len(negated_hits),
        negated_ice_access_examples=negated_hits,
    )
