"""Labelled clause data (JSON Lines) and its train/test split.

One JSON object per line::

    {"text": "...", "labels": ["ice_restriction"], "source": "policy", "negated": true,
     "group": "except-warrant"}

- ``labels``: any of models.records.CLAUSE_LABELS (empty list = no label);
- ``negated``: the sentence negates or conditions ICE/DHS access (shall not / no / nothing /
  except / unless / only with a warrant); such a sentence must never be tagged ``ice_access``;
- ``group`` (optional, default: the text): paraphrases of one clause idea share a group. The split
  is by group and stratified: groups are put in strata (ice_restriction, else ice_access, else their
  first label, else "none"), ordered by sha256 of the group name, and every TEST_EVERY-th group of
  each stratum is held out for testing. Deterministic for a given file; no seed involved.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from pydantic import BaseModel, Field, field_validator

from foialens.models.records import CLAUSE_LABELS

DEFAULT_DATA = Path(__file__).resolve().parent / "data" / "clauses.jsonl"
TEST_EVERY = 4  # 1 group in 4 is held out


class Example(BaseModel):
    text: str
    labels: list[str] = Field(default_factory=list)
    source: str = ""
    negated: bool = False
    group: str | None = None

    @field_validator("labels")
    @classmethod
    def _known(cls, v: list[str]) -> list[str]:
        unknown = set(v) - set(CLAUSE_LABELS)
        if unknown:
            raise ValueError(f"unknown clause label(s): {sorted(unknown)}")
        return v

    @property
    def group_key(self) -> str:
        return self.group or self.text


def load_examples(path: Path) -> list[Example]:
    """Read a labelled JSONL file; raises ValueError naming the line of a bad record."""
    out: list[Example] = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            out.append(Example.model_validate_json(line))
        except ValueError as exc:
            raise ValueError(f"{path}:{n}: {exc}") from exc
    return out


def _stratum(labels: set[str]) -> str:
    for label in ("ice_restriction", "ice_access"):
        if label in labels:
            return label
    return min(labels) if labels else "none"


def test_groups(examples: list[Example]) -> set[str]:
    """Group keys held out for testing (see module docstring)."""
    labels: dict[str, set[str]] = {}
    for ex in examples:
        labels.setdefault(ex.group_key, set()).update(ex.labels)
    strata: dict[str, list[str]] = {}
    for group, group_labels in labels.items():
        strata.setdefault(_stratum(group_labels), []).append(group)
    held_out: set[str] = set()
    for groups in strata.values():
        groups.sort(key=lambda g: hashlib.sha256(g.encode("utf-8")).hexdigest())
        held_out.update(g for i, g in enumerate(groups) if i % TEST_EVERY == TEST_EVERY - 1)
    return held_out


def split(examples: list[Example]) -> tuple[list[Example], list[Example]]:
    """(train, test) examples."""
    held_out = test_groups(examples)
    train = [ex for ex in examples if ex.group_key not in held_out]
    test = [ex for ex in examples if ex.group_key in held_out]
    return train, test


def file_sha256(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def label_matrix(examples: list[Example]) -> list[list[int]]:
    return [[int(label in ex.labels) for label in CLAUSE_LABELS] for ex in examples]


def dump_examples(examples: list[Example], path: Path) -> None:
    with Path(path).open("w", encoding="utf-8") as f:
        for ex in examples:
            f.write(json.dumps(ex.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
