"""``DataDir``: the data directory's durable parts, the one way flows/, web/ and the CLI reach them.

    <data_dir>/
      layout.json            {"layout": N}: the layout version (older directories are migrated
                             when opened for writing, see MIGRATIONS)
      results/<doc_id>.json  everything extracted and tagged per document (reindex rebuilds from it)
      files/<doc_id>.pdf     a content-addressed copy of each original PDF
      batches/<slug>.json    batch summaries
      cache/pages/<doc_id>/  rendered page images (disposable)
      index.sqlite           the embedded search index (owned by foialens.search)
      jobs/, uploads/, watch/  web ingest jobs, uploaded files, watched-folder state
      workbench/             saved searches (and their alerts), notes and corrections of tags

A ``doc_id`` is the sha256 of a file's bytes: 64 lower-case hex characters. Every path built from
a doc_id is checked here, so no caller can reach outside the directory with a crafted id.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable, Iterator
from pathlib import Path

from pydantic_core import PydanticSerializationError

from foialens.files import copy_atomic, safe_text, save_json, scrub_surrogates, write_atomic
from foialens.store.batches import BatchSummary, read_summaries, summary_file_name
from foialens.store.pages import render_page_png
from foialens.store.results import DocumentResult
from foialens.store.workbench import Corrections, SavedSearches

log = logging.getLogger(__name__)

DOC_ID = re.compile(r"^[0-9a-f]{64}$")
LAYOUT_FILE = "layout.json"


class UnsafePath(ValueError):
    """A requested id or path would leave the data directory."""


def valid_doc_id(doc_id: str) -> bool:
    return bool(DOC_ID.fullmatch(doc_id or ""))


def inside(base: Path, path: Path) -> Path:
    """``path`` resolved, provided it lies inside ``base`` (resolved); UnsafePath otherwise."""
    root = Path(base).resolve()
    target = Path(path).resolve()
    if target != root and root not in target.parents:
        raise UnsafePath(f"{path} is outside {base}")
    return target


class DataDir:
    def __init__(self, root: Path | str):
        self.root = Path(root).expanduser()

    # --- layout ---------------------------------------------------------------------------------

    @property
    def results_dir(self) -> Path:
        return self.root / "results"

    @property
    def files_dir(self) -> Path:
        return self.root / "files"

    @property
    def batches_dir(self) -> Path:
        return self.root / "batches"

    @property
    def jobs_dir(self) -> Path:
        return self.root / "jobs"

    @property
    def uploads_dir(self) -> Path:
        return self.root / "uploads"

    @property
    def pages_cache_dir(self) -> Path:
        return self.root / "cache" / "pages"

    @property
    def index_path(self) -> Path:
        return self.root / "index.sqlite"

    def layout_version(self) -> int:
        """The directory's layout version; 1 for a directory written before layout.json existed."""
        try:
            return int(json.loads((self.root / LAYOUT_FILE).read_text(encoding="utf-8"))["layout"])
        except (OSError, ValueError, KeyError, TypeError):
            return 1

    def prepare(self) -> DataDir:
        """Create the directory for writing and run the migrations it still needs."""
        self.root.mkdir(parents=True, exist_ok=True)
        current = self.layout_version()
        for version, migrate in MIGRATIONS:
            if current < version:
                log.info("data directory %s: migrating layout %d -> %d", self.root, current, version)
                migrate(self)
                save_json(self.root / LAYOUT_FILE, {"layout": version})
                current = version
        if not (self.root / LAYOUT_FILE).exists():
            save_json(self.root / LAYOUT_FILE, {"layout": LAYOUT})
        return self

    # --- per-document results ---------------------------------------------------------------

    def _result_path(self, doc_id: str) -> Path:
        if not valid_doc_id(doc_id):
            raise UnsafePath(f"not a document id: {doc_id!r}")
        return self.results_dir / f"{doc_id}.json"

    def load(self, doc_id: str) -> DocumentResult | None:
        """The stored result of a document, or None (also for an id that is not a sha256)."""
        try:
            path = self._result_path(doc_id)
        except UnsafePath:
            return None
        if not path.is_file():
            return None
        return DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))

    def save(self, result: DocumentResult) -> DocumentResult:
        """Store a result (atomically) and return it as stored: text that cannot be encoded as
        UTF-8 (lone surrogates from a broken PDF or a file name that is not UTF-8) is made
        encodable first, so what is indexed is what was saved."""
        target = self._result_path(result.doc_id)
        try:
            payload = result.model_dump_json()
        except PydanticSerializationError:
            result = _encodable(result)
            payload = result.model_dump_json()
        write_atomic(target, payload)
        return result

    def results(self, on_error: Callable[[Path, Exception], None] | None = None) -> Iterator[DocumentResult]:
        """Every stored result, in doc_id order. With ``on_error``, a result file that cannot be
        read is reported to it and skipped (without: the error is raised)."""
        if not self.results_dir.is_dir():
            return
        for path in sorted(self.results_dir.glob("*.json")):
            try:
                result = DocumentResult.model_validate_json(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                if on_error is None:
                    raise
                on_error(path, exc)
                continue
            yield result

    def count_results(self) -> int:
        return sum(1 for _ in self.results_dir.glob("*.json")) if self.results_dir.is_dir() else 0

    # --- originals ----------------------------------------------------------------------------

    def original(self, doc_id: str) -> Path:
        """Path of the stored copy of a document's PDF (it may not exist)."""
        if not valid_doc_id(doc_id):
            raise UnsafePath(f"not a document id: {doc_id!r}")
        return self.files_dir / f"{doc_id}.pdf"

    def keep_original(self, source: Path, doc_id: str) -> Path:
        """Copy the original PDF into the data directory (once per content hash)."""
        target = self.original(doc_id)
        if not target.exists():
            copy_atomic(source, target)
        return target

    def page_image(self, doc_id: str, page: int) -> Path:
        """A cached PNG of one page of a stored original (rendered on first use).
        Raises PageNotFound (foialens.store.pages) when there is no such page or original."""
        return render_page_png(self.original(doc_id), self.pages_cache_dir / doc_id, page)

    # --- reviewers' additions -------------------------------------------------------------------

    def saved_searches(self) -> SavedSearches:
        return SavedSearches(self.root)

    def corrections(self) -> Corrections:
        return Corrections(self.root)

    # --- batch summaries ----------------------------------------------------------------------

    def summaries(self) -> list[BatchSummary]:
        """Every stored batch summary, oldest first."""
        return read_summaries(self.batches_dir)

    def save_summary(self, summary: BatchSummary) -> Path:
        path = self.batches_dir / summary_file_name(summary.batch)
        save_json(path, summary.model_dump(mode="json"))
        return path

    def names(self) -> dict[str, dict[str, str]]:
        """Display names of every tag id in the batches: facet field -> id -> name."""
        out: dict[str, dict[str, str]] = {}
        for summary in self.summaries():
            for field, names in summary.names.items():
                out.setdefault(field, {}).update(names)
        return out


def _encodable(result: DocumentResult) -> DocumentResult:
    """A copy of ``result`` whose strings all encode as UTF-8: the path keeps undecodable bytes
    visible as \\xNN, every other string has lone surrogates replaced by U+FFFD (offsets kept)."""

    def clean(value):
        if isinstance(value, str):
            return scrub_surrogates(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, tuple):
            return tuple(clean(v) for v in value)
        if isinstance(value, dict):
            return {clean(k): clean(v) for k, v in value.items()}
        return value

    data = result.model_dump()
    data["extracted"]["path"] = safe_text(data["extracted"]["path"])
    return DocumentResult.model_validate(clean(data))


# --- migrations ---------------------------------------------------------------------------------


def _add_summary_names(data: DataDir) -> None:
    """Layout 2: batch summaries carry the display names of their tag ids (read from the stored
    results of their documents)."""
    for summary in data.summaries():
        if summary.names:
            continue
        for doc_id in summary.doc_ids:
            result = data.load(doc_id)
            if result is not None:
                for field, names in result.names().items():
                    summary.names.setdefault(field, {}).update(names)
        data.save_summary(summary)


MIGRATIONS: list[tuple[int, Callable[[DataDir], None]]] = [(2, _add_summary_names)]
LAYOUT = MIGRATIONS[-1][0]
