"""Train the clause classifier from labelled JSONL and write the joblib artifact.

The model is fitted on the train split only (see models/clause_data.py); per-label thresholds are
tuned on out-of-fold predictions (GroupKFold over the train groups) to maximise F1. The artifact
records MODEL_VERSION, the data file's sha256 and the thresholds.

Training is a build step: the artifact lives in a cache directory outside the package
(``<cache_dir>/models/``, default ``~/.cache/foialens``), its file name versioned by the model
version, the training data's hash and the scikit-learn version (:func:`artifact_path`), so an
installed package never writes into site-packages and a changed training set builds a new file.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import time
from datetime import datetime, timezone
from pathlib import Path

import joblib
import numpy as np
import sklearn
from pydantic import BaseModel
from sklearn.model_selection import GroupKFold

from foialens.files import write_atomic
from foialens.models import real_data
from foialens.models.clause_data import DEFAULT_DATA, Example, file_sha256, label_matrix, load_examples, split
from foialens.models.clauses import MODEL_VERSION, ClauseModel, build_estimator
from foialens.models.records import CLAUSE_LABELS
from foialens.paths import default_cache_dir

log = logging.getLogger(__name__)

THRESHOLD_GRID = np.round(np.arange(0.20, 0.91, 0.025), 3)
OOF_FOLDS = 5


class TrainReport(BaseModel):
    out_path: str
    data_path: str
    data_sha256: str
    version: str
    seed: int
    n_train: int
    n_test: int
    label_counts: dict[str, int]
    extra_examples: int = 0  # labelled sentences given besides the data (corrections)
    thresholds: dict[str, float]
    oof_f1: dict[str, float]  # out-of-fold F1 on the train split at the tuned threshold
    seconds: float


def _f1(y: np.ndarray, pred: np.ndarray) -> float:
    tp = int(np.sum(y & pred))
    fp = int(np.sum(~y & pred))
    fn = int(np.sum(y & ~pred))
    return 0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)


def tune_thresholds(y: np.ndarray, proba: np.ndarray) -> tuple[dict[str, float], dict[str, float]]:
    """Per label, the grid threshold with the best F1 (ties: the higher threshold)."""
    thresholds: dict[str, float] = {}
    scores: dict[str, float] = {}
    for j, label in enumerate(CLAUSE_LABELS):
        truth = y[:, j].astype(bool)
        best = (-1.0, 0.5)
        for t in THRESHOLD_GRID:
            f = _f1(truth, proba[:, j] >= t)
            if f >= best[0]:
                best = (f, float(t))
        scores[label], thresholds[label] = round(best[0], 4), best[1]
    return thresholds, scores


def _oof_proba(texts: list[str], y: np.ndarray, groups: list[str], seed: int) -> np.ndarray:
    proba = np.zeros(y.shape, dtype=float)
    folds = GroupKFold(n_splits=min(OOF_FOLDS, len(set(groups))))
    for train_idx, test_idx in folds.split(texts, y, groups):
        fold = ClauseModel(estimator=build_estimator(seed).fit([texts[i] for i in train_idx], y[train_idx]), thresholds={}, data_sha256="")
        proba[test_idx] = fold.predict_proba([texts[i] for i in test_idx])
    return proba


def save_model(model: ClauseModel, out_path: Path) -> None:
    """Write atomically (a concurrent reader never sees a half-written file)."""
    buf = io.BytesIO()
    joblib.dump(model, buf)
    write_atomic(out_path, buf.getvalue())


# Labelled real documents the shipped model learns from (models/data/real/, split by document):
# all of them. `foialens evaluate` scores the dev documents with a second model trained without
# them (flows/evaluation.py EVAL_SPLITS), so the dev numbers are for documents the model never saw.
REAL_SPLITS: tuple[str, ...] = ("train", "dev")


def data_hash(data_path: Path = DEFAULT_DATA, real_splits: tuple[str, ...] = REAL_SPLITS,
              extra: tuple[dict, ...] | list[dict] = ()) -> str:
    """One hash of everything a model is trained from: the sentence file, the real documents and
    any extra labelled sentences (reviewers' corrections)."""
    digest = hashlib.sha256(file_sha256(data_path).encode())
    if real_splits:
        digest.update(real_data.data_sha256().encode())
        digest.update(",".join(real_splits).encode())
    if extra:
        digest.update(json.dumps(list(extra), sort_keys=True).encode())
    return digest.hexdigest()


def extra_examples(extra: tuple[dict, ...] | list[dict]) -> list[Example]:
    """Plain labelled sentences ({"text", "labels", ...}, e.g. reviewers' corrections from the
    data directory, passed in by the caller) as training examples; a bad one raises ValueError."""
    out = []
    for n, item in enumerate(extra, start=1):
        try:
            out.append(Example.model_validate(item))
        except ValueError as exc:
            raise ValueError(f"extra example {n}: {exc}") from exc
    return out


def training_examples(data_path: Path = DEFAULT_DATA, real_splits: tuple[str, ...] = REAL_SPLITS):
    """(train, held-out) examples: the sentence file's split plus the real documents of
    ``real_splits`` (whole documents, read in their context; see models/real_data.py)."""
    train_set, test_set = split(load_examples(data_path))
    return train_set + (real_data.examples(real_splits) if real_splits else []), test_set


def artifact_path(cache_dir: Path | None = None, data_path: Path = DEFAULT_DATA,
                  real_splits: tuple[str, ...] = REAL_SPLITS, extra: tuple[dict, ...] | list[dict] = ()) -> Path:
    """Where the artifact trained on this data by this code version lives."""
    base = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    key = f"{MODEL_VERSION}-{data_hash(data_path, real_splits, extra)[:12]}-sklearn{sklearn.__version__}"
    return base / "models" / f"{key}.joblib"


def train(data_path: Path = DEFAULT_DATA, out_path: Path | None = None, seed: int = 13,
          real_splits: tuple[str, ...] = REAL_SPLITS, extra: tuple[dict, ...] | list[dict] = ()) -> TrainReport:
    """Fit on the train split of ``data_path``, the real documents of ``real_splits`` and the
    ``extra`` labelled sentences (plain dicts: reviewers' corrections), tune thresholds, write
    the artifact to ``out_path``."""
    started = time.perf_counter()
    data_path = Path(data_path)
    out_path = Path(out_path) if out_path is not None else artifact_path(None, data_path, real_splits, extra)
    train_set, test_set = training_examples(data_path, real_splits)
    train_set = train_set + extra_examples(extra)
    if not train_set:
        raise ValueError(f"{data_path}: no training examples")
    texts = [ex.text for ex in train_set]
    y = np.asarray(label_matrix(train_set), dtype=int)
    missing = [label for j, label in enumerate(CLAUSE_LABELS) if y[:, j].sum() < 3]
    if missing:
        raise ValueError(f"{data_path}: fewer than 3 training examples for {missing}")
    groups = [ex.group_key for ex in train_set]
    thresholds, oof_f1 = tune_thresholds(y, _oof_proba(texts, y, groups, seed))
    estimator = build_estimator(seed).fit(texts, y)
    sha = data_hash(data_path, real_splits, extra)
    model = ClauseModel(
        estimator=estimator,
        thresholds=thresholds,
        data_sha256=sha,
        seed=seed,
        sklearn_version=sklearn.__version__,
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        n_train=len(train_set),
        info={"data_path": str(data_path), "oof_f1": oof_f1, "real_splits": list(real_splits),
              "extra_examples": len(extra)},
    )
    save_model(model, out_path)
    report = TrainReport(
        out_path=str(out_path),
        data_path=str(data_path),
        data_sha256=sha,
        version=MODEL_VERSION,
        seed=seed,
        n_train=len(train_set),
        n_test=len(test_set),
        label_counts={label: int(y[:, j].sum()) for j, label in enumerate(CLAUSE_LABELS)},
        extra_examples=len(extra),
        thresholds=thresholds,
        oof_f1=oof_f1,
        seconds=round(time.perf_counter() - started, 2),
    )
    log.info("trained clause model %s on %d examples in %.1fs -> %s", MODEL_VERSION, len(train_set), report.seconds, out_path)
    return report


def load_model(path: Path) -> ClauseModel:
    model = joblib.load(path)
    if not isinstance(model, ClauseModel):
        raise ValueError(f"{path} is not a clause model artifact")
    return model


def is_current(model: ClauseModel) -> bool:
    """True when the artifact was made by this code (model version, scikit-learn version). Its
    training data need no check: artifact paths are named by the data's hash (artifact_path)."""
    return model.version == MODEL_VERSION and model.sklearn_version == sklearn.__version__


def ensure_model(path: Path | None = None, data_path: Path = DEFAULT_DATA, seed: int = 13,
                 real_splits: tuple[str, ...] = REAL_SPLITS) -> ClauseModel:
    """Load the artifact (default: :func:`artifact_path` in the default cache directory); (re)train
    it first when missing, unreadable or stale, and log that."""
    path = Path(path) if path is not None else artifact_path(None, data_path, real_splits)
    if path.exists():
        try:
            model = load_model(path)
            if is_current(model):
                return model
            log.warning("clause model %s was made by another version; retraining", path)
        except Exception as exc:  # noqa: BLE001 - a corrupt or incompatible pickle is rebuilt
            log.warning("clause model %s unreadable (%s); retraining", path, exc)
    else:
        log.warning("clause model %s missing; training it from %s", path, data_path)
    train(data_path, path, seed, real_splits)
    return load_model(path)
