"""A batch as a plain function: discover -> one ``ingest_document`` per file -> summary.

``run_batch`` runs the documents ``extract_workers`` at a time (each extracts in its own worker
process, tags under a shared lock, saves and indexes), adds their outcomes to the summary in file
order, and writes the summary whatever happens (a Ctrl-C or an unexpected error mid-batch still
leaves a summary saying what was done). ``submit`` decides how one document runs: in a thread
(default), or as a Prefect task (``flows.ingest``, the flow every ingest normally goes through).
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from foialens.flows.document import BatchContext, Outcome, extract_in_process, ingest_document
from foialens.flows.parallel import ExtractionPool
from foialens.flows.pipeline import discover_pdfs, get_tagger, pipeline_version
from foialens.flows.request import IngestRequest
from foialens.flows.summary import SummaryBuilder
from foialens.search.factory import open_backend
from foialens.store.batches import BatchSummary, compare_batches, default_batch_name
from foialens.store.datadir import DataDir

log = logging.getLogger(__name__)

# submit(path, ctx) -> something with .result() returning the Outcome
Submit = Callable[[Path, BatchContext], object]
# publish(summary, rows): called once the summary is final (Prefect artifacts)
Publish = Callable[[BatchSummary, list[dict]], None]


def add_outcome(summary: SummaryBuilder, outcome: Outcome) -> None:
    """Count one document's outcome in the batch summary."""
    path = str(outcome.path)
    if outcome.status == "duplicate":
        summary.duplicates += 1
        return
    if outcome.result is None:
        first, *rest = outcome.failures
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
) -> BatchSummary:
    """Ingest the request's files as one batch; returns the batch summary (also saved)."""
    settings = request.settings()
    batch = default_batch_name(request.paths, request.batch)
    summary = SummaryBuilder(batch, datetime.now(timezone.utc), settings.backend)
    summary.extract_workers = workers = settings.extract_workers
    data = DataDir(settings.data_dir).prepare()
    found = discover_pdfs(request.paths)
    for problem in found.problems:
        summary.add_problem(problem)
    tagger = get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)
    backend = open_backend(settings.backend_config())
    pool = ExtractionPool(workers, ocr_slots=settings.ocr_workers) if workers > 1 else None
    threads = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="document") if submit is None else None
    if submit is None:
        def submit(path, ctx):
            return threads.submit(ingest_document, path, ctx)
    ctx = BatchContext(
        batch=batch, version=pipeline_version(tagger), data=data, backend=backend, tagger=tagger,
        limits=settings.extract_limits(), ocr=settings.ocr, force=request.force,
        extract=pool.extract if pool is not None else extract_in_process,
    )
    pending: deque = deque()
    try:
        with _progress(progress) as bar:
            job = bar.add_task("ingest", total=len(found.files), current="") if bar else None

            def collect() -> None:
                path, future = pending.popleft()
                outcome = future.result()
                add_outcome(summary, outcome)
                log.info("%s: %s", path.name, outcome.status)
                if bar:
                    bar.update(job, current=path.name)
                    bar.advance(job)

            for path in found.files:
                pending.append((path, submit(path, ctx)))
                while len(pending) > workers:
                    collect()
            while pending:
                collect()
    except BaseException as exc:
        for path, _future in pending:  # documents not finished: say so in the summary
            summary.add_problem({"path": str(path), "code": "interrupted",
                                 "message": f"the batch stopped before this document finished ({type(exc).__name__})"})
        raise
    finally:
        if threads is not None:
            threads.shutdown(wait=True, cancel_futures=True)
        if pool is not None:
            pool.close()
        backend.close()
        final = summary.finish()
        final.comparison = compare_batches(final, data.summaries())
        final.flow_run_id = run_id
        data.save_summary(final)
        if publish is not None:
            publish(final, summary.rows)
    return final
