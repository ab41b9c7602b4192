"""The labelled real-document set (models/data/real/, guidelines in models/ANNOTATION.md).

- ``documents.jsonl``: one line per public document: file name, sha256, ``split`` (train | dev,
  by document), ``kind``, parties and defined terms, gold vendors / data types / agencies /
  programs (the programs and systems the document names; absent where not labelled), the pages
  whose sentences were labelled exhaustively, source and licence.
- ``clauses.jsonl``: labelled sentences (doc, page, text, labels, negated, hard_negative).
- ``relations.jsonl``: gold data-sharing relations, one per row of a sharing report or list.

The PDFs themselves are not part of the project: they are read from a corpus folder
(``../shared/corpus/real`` in development) and matched by sha256.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path

from pydantic import BaseModel, Field

from foialens.models.clause_data import Example
from foialens.models.context import DocumentContext, document_context, rewrite

REAL_DIR = Path(__file__).resolve().parent / "data" / "real"


class RealDocument(BaseModel):
    doc: str  # PDF file name in the corpus folder
    sha256: str
    split: str  # train | dev
    kind: str
    pages: int = 0
    pages_labelled: list[int] = Field(default_factory=list)
    pages_ocr_needed: list[int] = Field(default_factory=list)
    words: int | None = None
    parties: list[dict] = Field(default_factory=list)
    defined_terms: dict[str, str] = Field(default_factory=dict)
    has_ice_content: bool | None = None
    vendors: list[str] = Field(default_factory=list)
    vendors_other: list[str] = Field(default_factory=list)
    data_types: list[str] = Field(default_factory=list)
    agencies_federal: list[str] = Field(default_factory=list)
    agencies_local: list[dict] = Field(default_factory=list)
    programs: list[str] | None = None  # gold program ids (programs.json); None: not labelled
    owner: dict | None = None
    source: dict = Field(default_factory=dict)


class RealSentence(BaseModel):
    doc: str
    page: int
    text: str
    labels: list[str] = Field(default_factory=list)
    negated: bool = False
    hard_negative: bool = False
    note: str | None = None

    def example(self, context: DocumentContext) -> Example:
        """As a training example: the text read in its document's context (defined terms replaced
        by role tokens, as the tagger reads it); the group is the document, so splits and folds
        never cut one."""
        return Example(text=rewrite(self.text, context), labels=self.labels, source=f"real:{context.kind}",
                       negated=self.negated, group=f"doc:{self.doc}")


def _lines(path: Path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@cache
def documents(real_dir: Path = REAL_DIR) -> dict[str, RealDocument]:
    return {d["doc"]: RealDocument.model_validate(d) for d in _lines(real_dir / "documents.jsonl")}


@cache
def sentences(real_dir: Path = REAL_DIR) -> tuple[RealSentence, ...]:
    return tuple(RealSentence.model_validate(s) for s in _lines(real_dir / "clauses.jsonl"))


@cache
def relations(real_dir: Path = REAL_DIR) -> tuple[dict, ...]:
    return tuple(_lines(real_dir / "relations.jsonl"))


def split_documents(split: str, real_dir: Path = REAL_DIR) -> list[RealDocument]:
    return [d for d in documents(real_dir).values() if d.split == split]


def annotated_context(doc: str, real_dir: Path = REAL_DIR) -> DocumentContext:
    """A document's context from its annotation: its kind, and the defined terms found by the
    tagger's own rules in its labelled sentences (which include the preambles defining them)."""
    pages: dict[int, list[str]] = {}
    for s in sentences(real_dir):
        if s.doc == doc:
            pages.setdefault(s.page, []).append(s.text)
    return document_context([(p, "\n".join(texts)) for p, texts in sorted(pages.items())], kind=documents(real_dir)[doc].kind)


def examples(splits: tuple[str, ...] | None, real_dir: Path = REAL_DIR) -> list[Example]:
    """Labelled real sentences of the documents in ``splits`` (None: all) as training examples."""
    docs = documents(real_dir)
    contexts: dict[str, DocumentContext] = {}
    out = []
    for s in sentences(real_dir):
        if splits is None or docs[s.doc].split in splits:
            if s.doc not in contexts:
                contexts[s.doc] = annotated_context(s.doc, real_dir)
            out.append(s.example(contexts[s.doc]))
    return out


TRAINING_FIELDS = ("doc", "sha256", "split", "kind")  # what training reads of a document


def data_sha256(real_dir: Path = REAL_DIR) -> str:
    """One hash of the labelled real data a clause model learns from: the labelled sentences and,
    of each document, its split and kind (gold tags such as vendors or programs are not read by
    training: adding them does not retrain the model)."""
    digest = hashlib.sha256()
    for d in _lines(real_dir / "documents.jsonl"):
        digest.update(json.dumps({k: d.get(k) for k in TRAINING_FIELDS}, sort_keys=True).encode())
    digest.update((real_dir / "clauses.jsonl").read_bytes())
    return digest.hexdigest()
