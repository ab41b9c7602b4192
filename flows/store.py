"""The data directory's durable parts: one JSON result per document (kept so an index can be
rebuilt with `foialens reindex`), a content-addressed copy of each original PDF, batch summaries."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

from foialens.flows.results import DocumentResult


def write_atomic(path: Path, data: str) -> None:
    """Write text so that readers see the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ResultStore:
    def __init__(self, results_dir: Path, files_dir: Path):
        self.results_dir = results_dir
        self.files_dir = files_dir

    def _path(self, doc_id: str) -> Path:
        return self.results_dir / f"{doc_id}.json"

    def load(self, doc_id: str) -> DocumentResult | None:
        path = self._path(doc_id)
        if not path.is_file():
            return None
        return DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))

    def save(self, result: DocumentResult) -> None:
        write_atomic(self._path(result.doc_id), result.model_dump_json())

    def is_current(self, doc_id: str, pipeline_version: str) -> bool:
        result = self.load(doc_id)
        return result is not None and result.pipeline_version == pipeline_version

    def __iter__(self) -> Iterator[DocumentResult]:
        if not self.results_dir.is_dir():
            return
        for path in sorted(self.results_dir.glob("*.json")):
            yield DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))

    def __len__(self) -> int:
        return len(list(self.results_dir.glob("*.json"))) if self.results_dir.is_dir() else 0

    def keep_original(self, source: Path, doc_id: str) -> Path:
        """Copy the original PDF into the data directory (served by the web UI)."""
        target = self.original(doc_id)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_suffix(".tmp")
            shutil.copyfile(source, tmp)
            os.replace(tmp, target)
        return target

    def original(self, doc_id: str) -> Path:
        return self.files_dir / f"{doc_id}.pdf"


def save_json(path: Path, obj: dict) -> None:
    write_atomic(path, json.dumps(obj, indent=2, sort_keys=True, default=str))
