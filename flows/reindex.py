"""`foialens reindex` as a plain function: rebuild the search index from the stored results."""

from __future__ import annotations

import logging
from collections.abc import Callable

from foialens.search.factory import open_backend
from foialens.search.records import IndexReport
from foialens.settings import Settings
from foialens.store.datadir import DataDir
from foialens.store.locks import WriterLock
from foialens.store.results import DocumentResult

log = logging.getLogger(__name__)


def rebuild_index(settings: Settings, on_result: Callable[[DocumentResult], None] | None = None) -> IndexReport:
    """Build a new index from every stored result and swap it in. ``on_result`` is called with
    each result as it is read (progress).

    The rebuilt index holds what the results held when they were read, so nothing else may
    write meanwhile: the data directory's writer lock is taken exclusively, and DataDirBusy
    (naming the ingest that holds it) is raised at once when an ingest runs; ingests that start
    during the rebuild wait for it. Stored results that cannot be read are skipped and listed in
    the report's errors."""
    data = DataDir(settings.data_dir)
    with WriterLock(data.root, "foialens reindex", exclusive=True).acquire(wait=0):
        report = IndexReport()
        backend = open_backend(settings.backend_config())
        relations: list = []  # filled while the pages stream in; the backend reads it after them
        try:
            def records():
                for result in data.results(on_error=lambda path, exc: report.errors.append(
                        {"doc_id": path.stem, "reason": f"stored result unreadable: {type(exc).__name__}: {exc}"})):
                    if on_result is not None:
                        on_result(result)
                    if not result.failed:
                        relations.extend(result.relation_records())
                        yield from result.page_records()

            built = backend.rebuild(records(), relations)
        finally:
            backend.close()
    built.errors = report.errors + built.errors
    return built
