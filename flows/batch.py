"""A batch as a plain function: discover -> one ``ingest_document`` per file -> summary.

``run_batch`` runs the documents ``extract_workers`` at a time (each extracts in its own worker
process, tags under a shared lock, saves and indexes), adds their outcomes to the summary in file
order, and writes the summary whatever happens (a Ctrl-C or an unexpected error mid-batch still
leaves a summary saying what was done). ``submit`` decides how one document runs: in a thread
(default), or as a Prefect task (``flows.ingest``, the flow every ingest normally goes through).
"""

from __future__ import annotations

import logging
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from foialens.files import safe_text
from foialens.flows.alerts import check_saved_searches
from foialens.flows.document import BatchContext, Failure, Outcome, extract_in_process, ingest_document
from foialens.flows.parallel import ExtractionPool
from foialens.flows.pipeline import discover_pdfs, get_tagger, pipeline_version
from foialens.flows.request import IngestRequest
from foialens.flows.summary import SummaryBuilder
from foialens.search.factory import open_backend
from foialens.store.batches import BatchSummary, compare_batches, default_batch_name
from foialens.store.batches import Failure as StoredFailure
from foialens.store.datadir import DataDir
from foialens.store.locks import WriterLock

log = logging.getLogger(__name__)

INGEST_LOCK_WAIT = 3600.0  # seconds an ingest waits for a running reindex to finish

# submit(path, ctx) -> something with .result() returning the Outcome
Submit = Callable[[Path, BatchContext], object]
# publish(summary, rows): called once the summary is final (Prefect artifacts)
Publish = Callable[[BatchSummary, list[dict]], None]
# remote(batch, data, local) -> a RemoteDocuments (documents go to workers) or None (run here)
Remote = Callable[[str, DataDir, Callable[[Path], Outcome]], object]


def add_outcome(summary: SummaryBuilder, outcome: Outcome) -> None:
    """Count one document's outcome in the batch summary."""
    path = safe_text(str(outcome.path))
    if outcome.status == "duplicate":
        summary.duplicates += 1
        return
    if outcome.result is None:
        first, *rest = outcome.failures or [Failure("unexpected_error", f"no result and no reason ({outcome.status})")]
        summary.add_problem({"path": path, "code": first.code, "message": first.message})
    else:
        summary.add(outcome.result, reused=outcome.status == "reused")
        rest = outcome.failures
    for f in rest:
        summary.add_failure(path, f.code, f.message)
    summary.pages_indexed += outcome.pages_indexed


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        TimeRemainingColumn(), TextColumn("{task.fields[current]}"),
    )


def run_batch(
    request: IngestRequest,
    submit: Submit | None = None,
    progress: bool = False,
    publish: Publish | None = None,
    run_id: str | None = None,
    remote: Remote | None = None,
) -> BatchSummary:
    """Ingest the request's files as one batch; returns the batch summary (also saved).

    Whatever goes wrong, the summary is written: one document's trouble is a failure of that
    document (the batch goes on); a search backend that cannot be opened leaves the documents
    saved but not indexed; an interruption lists the documents in flight as ``interrupted`` and is
    re-raised after the summary is saved. A summary that cannot be saved (disk full) is still
    returned, with a ``summary_not_saved`` failure.

    ``remote(batch, data, local)``: documents go to `foialens worker` processes when it returns a
    :class:`foialens.flows.remote.RemoteDocuments` (``local(path)`` runs one here, the fallback
    when no worker is left); with None they run in this process. The summary's ``seconds`` run
    from ``request.queued_at`` (when the ingest was asked for) to the summary: the wall time."""
    settings = request.settings()
    batch = default_batch_name(request.paths, request.batch)
    started = datetime.now(UTC)
    summary = SummaryBuilder(batch, started, settings.backend, queued_at=request.queued_at)
    summary.extract_workers = workers = settings.extract_workers
    data = DataDir(settings.data_dir).prepare()
    # ingests share the data directory; a reindex has it to itself (it would drop what we write)
    lock = WriterLock(data.root, f"ingest of batch {batch!r}", exclusive=False).acquire(
        wait=INGEST_LOCK_WAIT, on_wait=lambda message: log.warning("waiting: %s", message))
    local = _LocalDocuments(request, settings, batch, data, workers)
    threads = None
    pending: deque = deque()
    try:
        found = discover_pdfs(request.paths)
        for problem in found.problems:
            summary.add_problem(problem)
        dispatcher = remote(batch, data, local.run) if remote is not None and found.files else None
        if dispatcher is not None:
            window = dispatcher.window
            summary.workers = len(dispatcher.known)

            def submit(path, _ctx):
                return dispatcher.submit(path)
            ctx = None
        else:
            window = workers
            ctx = local.context()
            if submit is None:
                threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="document")

                def submit(path, ctx):
                    return threads.submit(ingest_document, path, ctx)
        with _progress(progress) as bar:
            job = bar.add_task("ingest", total=len(found.files), current="") if bar else None

            def collect() -> None:
                path, future = pending[0]
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a crashed task is that document's failure
                    log.error("%s: its task failed: %s: %s", path.name, type(exc).__name__, exc)
                    reason = f"{type(exc).__name__}: {exc}"
                    outcome = Outcome(path, "failed", failures=[Failure("unexpected_error", reason)])
                pending.popleft()
                try:
                    add_outcome(summary, outcome)
                except Exception as exc:  # noqa: BLE001 - never lose the document from the summary
                    log.exception("%s: could not add it to the summary", path.name)
                    summary.add_problem({"path": safe_text(str(path)), "code": "unexpected_error",
                                         "message": f"{type(exc).__name__}: {exc}"})
                log.info("%s: %s", path.name, outcome.status)
                if bar:
                    bar.update(job, current=safe_text(path.name))
                    bar.advance(job)

            for path in found.files:
                pending.append((path, submit(path, ctx)))
                while len(pending) > window:
                    collect()
            while pending:
                collect()
    except BaseException as exc:
        for path, _future in pending:  # documents not finished: say so in the summary
            summary.add_problem({"path": safe_text(str(path)), "code": "interrupted",
                                 "message": f"the batch stopped before this document finished ({type(exc).__name__})"})
        if not pending:  # stopped outside any document (discovery, the tagger): say so
            summary.add_failure("", "batch_error", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        _quietly("stop the document threads",
                 lambda: threads.shutdown(wait=True, cancel_futures=True) if threads else None)
        alerts = []  # saved searches that this batch matches (before the backend closes)
        _quietly("check the saved searches", lambda: alerts.extend(local.saved_search_alerts()))
        _quietly("stop the extraction workers and close the search backend", local.close)
        final = summary.finish()
        final.alerts = alerts
        _quietly("compare with earlier batches",
                 lambda: setattr(final, "comparison", compare_batches(final, data.summaries())))
        final.flow_run_id = run_id
        try:
            data.save_summary(final)
        except Exception as exc:  # noqa: BLE001 - returned (and printed) all the same
            log.error("could not save the summary of batch %s: %s", batch, exc)
            final.failed.append(StoredFailure(path=str(data.batches_dir), code="summary_not_saved",
                                              message=f"{type(exc).__name__}: {exc}"))
        if publish is not None:
            _quietly("publish the summary artifacts", lambda: publish(final, summary.rows))
        lock.release()
    return final


class _LocalDocuments:
    """What documents processed in this process need (tagger, search backend, extraction pool),
    made on first use: a batch that runs on workers never loads them."""

    def __init__(self, request: IngestRequest, settings, batch: str, data: DataDir, workers: int):
        self.request, self.settings, self.batch, self.data, self.workers = request, settings, batch, data, workers
        self.ctx: BatchContext | None = None
        self.backend = self.pool = None
        self._lock = threading.Lock()

    def context(self) -> BatchContext:
        with self._lock:
            if self.ctx is None:
                settings = self.settings
                tagger = get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)
                index_down = None
                try:
                    self.backend = open_backend(settings.backend_config())
                except Exception as exc:  # noqa: BLE001 - documents are still extracted and saved
                    index_down = f"{type(exc).__name__}: {exc}"
                    log.error("search backend unavailable, documents will be saved but not indexed: %s", index_down)
                workers = self.workers
                self.pool = ExtractionPool(workers, ocr_slots=settings.ocr_workers) if workers > 1 else None
                self.ctx = BatchContext(
                    batch=self.batch, version=pipeline_version(tagger), data=self.data, backend=self.backend,
                    tagger=tagger, limits=settings.extract_limits(), ocr=settings.ocr, force=self.request.force,
                    extract=self.pool.extract if self.pool is not None else extract_in_process, index_down=index_down,
                )
            return self.ctx

    def run(self, path: Path) -> Outcome:
        """One document here, outside the batch's duplicate check (the caller did it)."""
        ctx = self.context()
        return ingest_document(path, replace(ctx, _seen=set()))

    def saved_search_alerts(self) -> list:
        """The saved searches this batch matches, asked of this process's backend (opened here
        when the documents ran on workers; none when it could not be opened for the batch, or when
        nobody saved a search)."""
        if not self.data.saved_searches().list():
            return []
        if self.backend is None:
            if self.ctx is not None:  # the backend was down for this batch
                return []
            self.backend = open_backend(self.settings.backend_config())
        return check_saved_searches(self.backend, self.data, self.batch)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.close()
        if self.backend is not None:
            self.backend.close()


def _quietly(what: str, step: Callable[[], object]) -> None:
    """Run a clean-up step; its failure is logged, never raised over the batch's own outcome."""
    try:
        step()
    except Exception as exc:  # noqa: BLE001
        log.error("could not %s: %s: %s", what, type(exc).__name__, exc)
