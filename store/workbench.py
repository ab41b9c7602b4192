"""What reviewers add to a data directory: saved searches (with the alerts raised when a new batch
matches them) and notes/corrections of tags. Both are small JSON files, changed under an
``flock`` so that the web server and an ingest (another process) never lose each other's writes:

    <data_dir>/workbench/searches.json     saved searches and their alerts
    <data_dir>/workbench/corrections.json  notes: a tag marked wrong, a missing tag added, a remark

Corrections are plain data for the models: ``Correction.training_example`` turns a clause
correction into a labelled sentence (``foialens train --with-corrections``).
"""

from __future__ import annotations

import fcntl
import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, TypeAdapter

from foialens.files import save_json

FOLDER = "workbench"
TAG_KINDS = ("vendors", "data_types", "agencies", "programs", "clauses", "exemptions")


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return secrets.token_hex(6)


class Alert(BaseModel):
    """A batch that brought pages matching a saved search."""

    batch: str
    pages: int  # matching pages in that batch
    documents: list[str] = Field(default_factory=list)  # doc_ids of the first matching pages
    first: list[dict] = Field(default_factory=list)  # up to 5 {doc_id, page, title}
    at: datetime = Field(default_factory=_now)
    seen: bool = False


class SavedSearch(BaseModel):
    id: str = Field(default_factory=_new_id)
    name: str
    text: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=_now)
    alerts: list[Alert] = Field(default_factory=list)

    @property
    def unseen(self) -> int:
        return sum(1 for a in self.alerts if not a.seen)


class Correction(BaseModel):
    """A reviewer's note on one page: a tag that is wrong, a tag that is missing, or a remark."""

    id: str = Field(default_factory=_new_id)
    doc_id: str
    page: int
    action: Literal["wrong", "missing", "note"]
    field: str = ""  # vendors, data_types, agencies, clauses, exemptions ("" for a note)
    value: str = ""  # the tag id or clause label
    text: str = ""  # the sentence or words it is about (clauses: the sentence to learn from)
    note: str = ""
    author: str = ""
    created_at: datetime = Field(default_factory=_now)

    def training_example(self) -> dict | None:
        """A clause correction as a labelled sentence ({"text", "labels", "source", "group"}):
        "missing" says the sentence has the label, "wrong" that it has not (no label; the model
        learns it as a negative). None for other corrections or without a sentence."""
        if self.field != "clauses" or self.action not in ("wrong", "missing") or not self.text.strip():
            return None
        labels = [self.value] if self.action == "missing" else []
        return {"text": " ".join(self.text.split()), "labels": labels, "source": "correction",
                "group": f"correction:{self.id}"}


_SEARCHES = TypeAdapter(list[SavedSearch])
_CORRECTIONS = TypeAdapter(list[Correction])


class _JsonList:
    def __init__(self, path: Path, adapter: TypeAdapter):
        self.path = path
        self.adapter = adapter

    def read(self) -> list:
        try:
            return self.adapter.validate_json(self.path.read_bytes())
        except FileNotFoundError:
            return []

    @contextmanager
    def changing(self) -> Iterator[list]:
        """The list, locked against other writers; written back when the block ends."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.path.with_suffix(".lock"), "a+") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            items = self.read()
            yield items
            save_json(self.path, json.loads(self.adapter.dump_json(items)))


class SavedSearches:
    def __init__(self, root: Path):
        self.store = _JsonList(Path(root) / FOLDER / "searches.json", _SEARCHES)

    def list(self) -> list[SavedSearch]:
        return self.store.read()

    def get(self, search_id: str) -> SavedSearch | None:
        return next((s for s in self.list() if s.id == search_id), None)

    def add(self, name: str, text: str, filters: dict[str, list[str]]) -> SavedSearch:
        saved = SavedSearch(name=name.strip()[:200] or text[:200] or "search", text=text, filters=filters)
        with self.store.changing() as items:
            items.append(saved)
        return saved

    def delete(self, search_id: str) -> bool:
        with self.store.changing() as items:
            before = len(items)
            items[:] = [s for s in items if s.id != search_id]
            return len(items) < before

    def mark_seen(self, search_id: str) -> None:
        with self.store.changing() as items:
            for s in items:
                if s.id == search_id:
                    for a in s.alerts:
                        a.seen = True

    def record_alerts(self, batch: str, check: Callable[[SavedSearch], Alert | None]) -> list[tuple[SavedSearch, Alert]]:
        """Run ``check`` (does this saved search match pages of ``batch``?) for every saved search
        and store the alerts it returns (one per search and batch: a re-run replaces it)."""
        raised = []
        with self.store.changing() as items:
            for s in items:
                alert = check(s)
                s.alerts = [a for a in s.alerts if a.batch != batch]
                if alert is not None:
                    s.alerts.append(alert)
                    raised.append((s, alert))
        return raised


class Corrections:
    def __init__(self, root: Path):
        self.store = _JsonList(Path(root) / FOLDER / "corrections.json", _CORRECTIONS)

    def list(self) -> list[Correction]:
        return self.store.read()

    def for_page(self, doc_id: str, page: int) -> list[Correction]:
        return [c for c in self.list() if c.doc_id == doc_id and c.page == page]

    def for_document(self, doc_id: str) -> list[Correction]:
        return [c for c in self.list() if c.doc_id == doc_id]

    def add(self, correction: Correction) -> Correction:
        with self.store.changing() as items:
            items.append(correction)
        return correction

    def delete(self, correction_id: str) -> bool:
        with self.store.changing() as items:
            before = len(items)
            items[:] = [c for c in items if c.id != correction_id]
            return len(items) < before

    def training_examples(self) -> list[dict]:
        return [ex for c in self.list() if (ex := c.training_example()) is not None]
