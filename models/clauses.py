"""Multi-label clause classifier over sentences (scikit-learn).

Features
- word 1-3-grams (TF-IDF) over a normalised token stream: ICE/DHS names become ``ICE_``, other
  agencies ``AGENCY_``; tokens inside a negation scope (after "not", "no", "nothing", "except",
  "unless", "prohibited", ... up to the next punctuation or "but/however") get a ``NEG_`` prefix,
  so "shall not be shared with ICE" yields ``NEG_ICE_`` while "shall be shared with ICE" yields
  ``ICE_``;
- hand features capturing scope: negation cue within NEG_WINDOW tokens before an ICE mention,
  negation right after one ("ICE shall have no access"), exception + warrant/court order,
  "only with/upon ... warrant", prohibition verbs, "nothing in/herein", double negation
  ("nothing ... shall prohibit"), grant verbs, "without a warrant", immigration-enforcement
  purpose, other agency mentions, retention/audit/purpose/sensitive-location vocabulary.

Model: one-vs-rest logistic regression, each calibrated (sigmoid, 3-fold CalibratedClassifierCV),
so scores are calibrated probabilities. A threshold per label, tuned on out-of-fold predictions
with folds split by group, is stored with the model. For speed, the fitted calibrated ensemble is
also compiled into one weight matrix (:class:`LinearCalibrated`): prediction is one sparse
product plus the sigmoids, numerically the same as the scikit-learn ``predict_proba``.

Negation gate: a sentence whose negation scope covers the ICE/DHS mention (a negation cue within
NEG_WINDOW tokens before or after it, or "nothing in/herein", "no provision", "does not
authorize"), unless it is a double negative ("nothing ... shall prohibit ... sharing") or "without
a warrant", has its ice_access probability multiplied by NEGATION_GATE. A grant and a prohibition
must not be confused; this rule keeps negated sentences out of ice_access even for wordings the
training data never showed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
from scipy import sparse
from sklearn.calibration import CalibratedClassifierCV
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.multiclass import OneVsRestClassifier
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.preprocessing import FunctionTransformer

from models.records import CLAUSE_LABELS

MODEL_VERSION = "clauses-3"
NEG_WINDOW = 6
NEGATION_GATE = 0.2

_ICE = re.compile(
    r"\b(?:ICE|ERO|HSI|DHS|CBP|USCIS|LESC|ICE/HSI|ICE/ERO)\b"
    r"|\b(?:U\.?S\.? |United States )?(?i:immigration and customs enforcement(?: \(ICE\))?"
    r"|homeland security investigations(?: \(HSI\))?|department of homeland security"
    r"|customs and border protection|enforcement and removal operations|border patrol"
    r"|(?:federal )?immigration (?:authorit(?:y|ies)|enforcement agenc(?:y|ies)|agenc(?:y|ies)|officials|agents|officers))"
)
_AGENCY = re.compile(
    r"(?i:\b(?:FBI|DEA|ATF|U\.S\. Marshals Service|district attorney|fusion center|intelligence center"
    r"|(?:other |outside |neighboring |partner |participating |criminal justice |law enforcement )+agenc(?:y|ies)"
    r"|police departments?|sheriff'?s? (?:office|department)|state police|highway patrol|probation departments?"
    r"|nlets participants|third part(?:y|ies)|affiliates|subprocessors|service providers|commercial partners)\b)"
)
_TOKEN = re.compile(r"ICE_|AGENCY_|[a-z0-9]+(?:['’][a-z]+)?|[.,;:!?]", re.IGNORECASE)
NEG_CUES = frozenset(
    "not no never nothing none neither nor without cannot can't won't n't prohibited prohibit prohibits "
    "forbidden forbid barred except unless excluding exclude refuse refused deny denied decline declined "
    "reject rejected block".split()
)
_SCOPE_END = frozenset(list(".,;:!?") + "but however while whereas provided".split())

# Phrase features (regular expressions over the raw sentence).
_PHRASES = [
    ("exception_warrant", re.compile(r"\b(?:except|unless)\b.{0,80}\b(?:warrant|court order|subpoena|judge)", re.I)),
    ("only_warrant", re.compile(r"\bonly (?:with|upon|pursuant to|when|if|in connection)\b", re.I)),
    ("nothing_in", re.compile(r"\bnothing (?:in|herein)\b|\bno provision\b|\bdoes not authorize\b", re.I)),
    ("double_negative", re.compile(r"\b(?:nothing|no provision)\b.{0,120}\b(?:prohibit|prevent|restrict)\w*\b.{0,80}\b(?:send|receiv|shar|exchang|provid)", re.I)),
    ("without_warrant", re.compile(r"\b(?:without|does not require) (?:a |any )?(?:warrant|subpoena|court order|prior approval)", re.I)),
    ("immigration_purpose", re.compile(r"\bimmigration (?:enforcement|law|status|purposes|detainers?)\b|\bremoval\b|\b287\(g\)", re.I)),
]
# Vocabulary features: a token starting with one of the prefixes (tokens are lower-cased).
_VOCAB = [
    ("prohibit", ("prohibit", "forbid", "barred", "refus", "declin", "deny", "denied", "reject", "block", "exclud", "revok", "rescind", "terminat", "deactivat", "disabl", "suspend", "cease", "restrict", "limited", "withdr")),
    ("grant_verb", ("provide", "share", "sharing", "grant", "quer", "search", "transmit", "disclos", "furnish", "deliver", "available", "notify", "upload", "access", "supply")),
    ("retention", ("retain", "retention", "purg", "delet", "destroy", "destruction", "stor", "kept")),
    ("audit", ("audit", "log", "review", "report", "inspector", "oversight", "disciplin", "misuse")),
    ("purpose", ("only", "solely", "purpose", "limited", "legitimate", "official")),
    ("sensitive", ("school", "worship", "hospital", "medical", "courthouse", "shelter", "church", "polling", "clinic", "daycare", "mosque", "synagogue", "campus", "funeral", "protected")),
]


def normalize(text: str) -> str:
    """Replace ICE/DHS names with ICE_ and other agencies with AGENCY_."""
    return _AGENCY.sub(" AGENCY_ ", _ICE.sub(" ICE_ ", text))


def clause_tokens(text: str) -> list[str]:
    """Normalised, lower-cased tokens with NEG_ marks inside negation scopes (punctuation dropped)."""
    return list(_clause_tokens(text))


@lru_cache(maxsize=8192)
def _clause_tokens(text: str) -> tuple[str, ...]:
    out: list[str] = []
    negating = False
    for raw in _TOKEN.findall(normalize(text)):
        tok = raw if raw in ("ICE_", "AGENCY_") else raw.lower()
        if tok in _SCOPE_END:
            negating = False
            continue
        if tok in NEG_CUES:
            negating = True
            out.append(tok)
            continue
        out.append("NEG_" + tok if negating else tok)
    return tuple(out)


def _scope_features(tokens: tuple[str, ...]) -> tuple[float, float, float]:
    """(negation before ICE within window, negation after ICE within window, ICE mentioned)."""
    before = after = 0.0
    ice_positions = [i for i, t in enumerate(tokens) if t.endswith("ICE_")]
    for i in ice_positions:
        if tokens[i].startswith("NEG_") or any(t in NEG_CUES for t in tokens[max(0, i - NEG_WINDOW) : i]):
            before = 1.0
        if any(t in NEG_CUES for t in tokens[i + 1 : i + 1 + NEG_WINDOW]):
            after = 1.0
    return before, after, float(bool(ice_positions))


def hand_features(texts) -> sparse.csr_matrix:
    rows = []
    for text in texts:
        tokens = _clause_tokens(text)
        before, after, ice = _scope_features(tokens)
        plain = {t[4:] if t.startswith("NEG_") else t for t in tokens}
        any_neg = float(not NEG_CUES.isdisjoint(plain))
        row = [before, after, ice, float("AGENCY_" in plain), any_neg]
        row += [float(bool(rx.search(text))) for _, rx in _PHRASES]
        row += [float(any(t.startswith(prefixes) for t in plain)) for _, prefixes in _VOCAB]
        rows.append(row)
    return sparse.csr_matrix(np.asarray(rows, dtype=np.float64).reshape(len(rows), len(HAND_FEATURE_NAMES)))


def negation_gate(texts: list[str]) -> np.ndarray:
    """True where ICE access is negated in scope (see module docstring)."""
    phrases = dict(_PHRASES)
    out = np.zeros(len(texts), dtype=bool)
    for i, text in enumerate(texts):
        before, after, ice = _scope_features(_clause_tokens(text))
        if not ice:
            continue
        negated = before or after or phrases["nothing_in"].search(text)
        exempt = phrases["double_negative"].search(text) or phrases["without_warrant"].search(text)
        out[i] = bool(negated) and not exempt
    return out


HAND_FEATURE_NAMES = (
    "neg_before_ice", "neg_after_ice", "ice", "other_agency", "any_negation",
    *(n for n, _ in _PHRASES), *(n for n, _ in _VOCAB),
)


def build_estimator(seed: int = 13) -> Pipeline:
    features = FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(
                    tokenizer=clause_tokens, lowercase=False, token_pattern=None, ngram_range=(1, 3),
                    sublinear_tf=True, min_df=1,
                ),
            ),
            ("hand", FunctionTransformer(hand_features, accept_sparse=True)),
        ]
    )
    base = LogisticRegression(C=8.0, solver="liblinear", random_state=seed)
    clf = OneVsRestClassifier(CalibratedClassifierCV(base, method="sigmoid", cv=3))
    return Pipeline([("features", features), ("clf", clf)])


@dataclass
class LinearCalibrated:
    """The one-vs-rest calibrated logistic regressions as arrays.

    Column k of ``weights`` is one fold's regression of label ``label_of[k]``; its calibrated
    probability is ``1 / (1 + exp(a[k] * decision + b[k]))``; a label's probability is the mean
    over its folds (as CalibratedClassifierCV averages its calibrated classifiers).
    """

    weights: np.ndarray  # (n_features, n_columns)
    intercepts: np.ndarray  # (n_columns,)
    a: np.ndarray
    b: np.ndarray
    label_of: np.ndarray  # (n_columns,) label index of each column
    n_labels: int

    @classmethod
    def from_estimator(cls, clf: OneVsRestClassifier) -> "LinearCalibrated":
        weights, intercepts, a, b, label_of = [], [], [], [], []
        for j, calibrated in enumerate(clf.estimators_):
            for member in calibrated.calibrated_classifiers_:
                lr, sigmoid = member.estimator, member.calibrators[0]
                weights.append(lr.coef_.ravel())
                intercepts.append(float(lr.intercept_[0]))
                a.append(float(sigmoid.a_))
                b.append(float(sigmoid.b_))
                label_of.append(j)
        return cls(
            np.stack(weights, axis=1), np.asarray(intercepts), np.asarray(a), np.asarray(b),
            np.asarray(label_of), len(clf.estimators_),
        )

    def predict_proba(self, features) -> np.ndarray:
        decision = np.asarray(features @ self.weights) + self.intercepts
        proba = 1.0 / (1.0 + np.exp(self.a * decision + self.b))
        out = np.zeros((proba.shape[0], self.n_labels))
        counts = np.bincount(self.label_of, minlength=self.n_labels)
        for k, j in enumerate(self.label_of):
            out[:, j] += proba[:, k]
        return out / counts


@dataclass
class ClauseModel:
    """The stored artifact (joblib)."""

    estimator: Pipeline
    thresholds: dict[str, float]
    data_sha256: str
    labels: tuple[str, ...] = CLAUSE_LABELS
    version: str = MODEL_VERSION
    seed: int = 13
    sklearn_version: str = ""
    trained_at: str = ""
    n_train: int = 0
    info: dict = field(default_factory=dict)
    linear: LinearCalibrated | None = None

    def __post_init__(self) -> None:
        if self.linear is None:
            self.linear = LinearCalibrated.from_estimator(self.estimator.named_steps["clf"])

    def predict_proba(self, texts: list[str]) -> np.ndarray:
        """Calibrated probabilities, shape (len(texts), len(labels))."""
        if not texts:
            return np.zeros((0, len(self.labels)))
        proba = self.linear.predict_proba(self.estimator.named_steps["features"].transform(texts))
        if "ice_access" in self.labels:
            proba[negation_gate(texts), self.labels.index("ice_access")] *= NEGATION_GATE
        return proba

    def predict(self, texts: list[str]) -> list[list[tuple[str, float]]]:
        """Per text, the (label, probability) pairs at or above the label's threshold."""
        proba = self.predict_proba(texts)
        cut = np.array([self.thresholds[label] for label in self.labels])
        out: list[list[tuple[str, float]]] = []
        for row in proba:
            out.append([(self.labels[j], float(row[j])) for j in np.flatnonzero(row >= cut)])
        return out
