"""The Prefect flow `ingest_batch`: discover -> extract -> tag -> index -> summarise.

Each document's result is saved in the data directory as soon as it is tagged and indexed right
after, so a crash loses at most the document in flight, and a re-run skips documents whose result
(by content hash and pipeline version) is already there.
"""

from __future__ import annotations

import re
from collections import deque
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

from foialens.flows.environment import configure_environment

configure_environment()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from foialens.extractors.document import extract_document  # noqa: E402
from foialens.extractors.fingerprint import file_sha256  # noqa: E402
from foialens.extractors.limits import ExtractLimits  # noqa: E402
from foialens.extractors.records import ExtractedDocument  # noqa: E402
from foialens.flows.pipeline import Discovery, discover_pdfs, get_tagger, pipeline_version, tag_document  # noqa: E402
from foialens.flows.results import DocumentResult  # noqa: E402
from foialens.flows.settings import Settings  # noqa: E402
from foialens.flows.store import ResultStore, save_json  # noqa: E402
from foialens.flows.parallel import ExtractionPool, per_document_limits  # noqa: E402
from foialens.flows.summary import (  # noqa: E402
    BatchSummary,
    SummaryBuilder,
    compare_batches,
    load_summaries,
    to_markdown,
)
from foialens.models.records import DocumentTags  # noqa: E402
from foialens.search.backend import SearchBackend  # noqa: E402
from foialens.search.factory import open_backend  # noqa: E402


def default_batch_name(paths: list[str]) -> str:
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0]).resolve().name
    return "batch-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


@task(name="discover", cache_policy=NONE)
def discover(paths: list[str]) -> Discovery:
    return discover_pdfs(paths)


@task(name="extract", cache_policy=NONE, retries=2, retry_delay_seconds=[2, 10])
def extract(path: Path, limits: ExtractLimits, ocr: bool, pool: ExtractionPool | None = None) -> ExtractedDocument:
    """extract_document never raises on bad input; what does raise (a worker process killed, an
    unexpected bug, a file vanishing mid-read) is retried with backoff, then recorded as failed."""
    if pool is None:
        return extract_document(path, limits=limits, ocr=ocr)
    return pool.extract(path, limits, ocr)


@task(name="tag", cache_policy=NONE, retries=1, retry_delay_seconds=[2])
def tag(extracted: ExtractedDocument, spacy_model: str | None, use_ner: bool) -> DocumentTags:
    return tag_document(extracted, get_tagger(spacy_model, use_ner))


@task(name="index", cache_policy=NONE, retries=3, retry_delay_seconds=[1, 5, 20])
def index(result: DocumentResult, backend: SearchBackend) -> int:
    records = result.page_records()
    report = backend.replace_documents(records)
    if report.errors:
        raise RuntimeError(f"indexing {result.doc_id} failed: {report.errors[:3]}")
    return report.indexed


@task(name="summarise", cache_policy=NONE)
def summarise_batch(settings: Settings, summary: BatchSummary, rows: list[dict]) -> BatchSummary:
    """Compare with the earlier batches, save the JSON summary, publish the Prefect artifacts."""
    summary.comparison = compare_batches(summary, load_summaries(settings.batches_dir))
    summary.flow_run_id = flow_run.get_id()
    save_json(settings.batches_dir / f"{_slug(summary.batch)}.json", summary.model_dump(mode="json"))
    publish_artifacts(summary, rows)
    return summary


def publish_artifacts(summary: BatchSummary, rows: list[dict]) -> None:
    key = "batch-" + _slug(summary.batch)
    batch = summary.batch
    create_markdown_artifact(key=key, markdown=to_markdown(summary), description=f"Batch {batch}")
    create_table_artifact(
        key=key + "-documents",
        table=rows or [{"file": "", "pages": 0, "pages_ocr": 0, "status": "no documents", "vendors": "", "clauses": ""}],
        description=f"Documents of batch {batch}",
    )
    create_table_artifact(
        key=key + "-failures",
        table=[f.model_dump() for f in summary.failed] or [{"path": "", "code": "", "message": "none"}],
        description=f"Failed documents in batch {batch}",
    )


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "batch"


def _progress(enabled: bool):
    if not enabled:
        return nullcontext(None)
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[current]}"),
    )


def _already_indexed(backend: SearchBackend, result: DocumentResult) -> bool:
    return len(backend.document_pages(result.doc_id)) == len(result.extracted.pages)


@flow(name="ingest_batch", task_runner=ThreadPoolTaskRunner(max_workers=8))
def ingest_batch(
    paths: list[str] | str,
    batch: str | None = None,
    backend: str | None = None,
    data_dir: str | None = None,
    force: bool = False,
    ocr: bool | None = None,
    progress: bool = False,
    extract_workers: int | None = None,
) -> dict:
    """Ingest PDFs (files or folders) into the search index and summarise the batch.

    Documents are extracted ``extract_workers`` at a time (default: settings.extract_workers,
    env FOIALENS_EXTRACT_WORKERS) while the flow tags, saves and indexes the ones already extracted, in order.
    Each result is saved as soon as it is tagged; a re-run skips documents whose saved result has
    the current pipeline version (indexing them if their pages are missing from the index)."""
    logger = get_run_logger()
    if isinstance(paths, str):  # e.g. `prefect deployment run ... --param paths=/srv/foia/batch`
        paths = [paths]
    overrides = {k: v for k, v in {"backend": backend, "data_dir": data_dir, "ocr": ocr}.items() if v is not None}
    settings = Settings(**overrides)
    batch = batch or default_batch_name(paths)
    started = datetime.now(timezone.utc)
    workers = extract_workers or settings.extract_workers

    found = discover(paths)
    store = ResultStore(settings.results_dir, settings.files_dir)
    tagger = get_tagger(settings.spacy_model, settings.use_ner)
    version = pipeline_version(tagger)
    limits = per_document_limits(settings.extract_limits(), workers)
    search_backend = open_backend(settings.backend_config())
    summary = SummaryBuilder(batch, started, settings.backend)
    summary.extract_workers = workers
    for problem in found.problems:
        summary.add_problem(problem)
    index_down: str | None = None
    seen: set[str] = set()

    def index_result(result: DocumentResult) -> None:
        nonlocal index_down
        if result.failed or not (force or not _already_indexed(search_backend, result)):
            return
        if index_down:
            summary.add_failure(result.extracted.path, "not_indexed",
                                f"search backend failed earlier in this batch ({index_down}); "
                                "results are saved: re-run the batch or `foialens reindex`")
            return
        state = index(result, search_backend, return_state=True)
        if state.is_completed():
            summary.pages_indexed += state.result()
        else:
            index_down = _failure_reason(state)
            summary.add_failure(result.extracted.path, "index_error", index_down)
            logger.error("indexing %s failed after retries: %s", result.extracted.path, index_down)

    def finish(path: Path, doc_id: str, future) -> None:
        future.wait()
        if not future.state.is_completed():
            reason = _failure_reason(future.state)
            logger.error("%s: extraction failed after retries: %s", path.name, reason)
            summary.add_problem({"path": str(path), "code": "extract_error", "message": reason})
            return
        extracted = future.result()
        tags = tag(extracted, settings.spacy_model, settings.use_ner, return_state=True)
        if not tags.is_completed():
            reason = _failure_reason(tags)
            logger.error("%s: tagging failed after retries: %s", path.name, reason)
            summary.add_problem({"path": str(path), "code": "tag_error", "message": reason})
            return
        result = DocumentResult(pipeline_version=version, batch=batch, extracted=extracted, tags=tags.result())
        if result.doc_id:
            if not result.failed:
                store.keep_original(path, result.doc_id)
            store.save(result)
        index_result(result)
        summary.add(result)
        logger.info("%s: %d pages", path.name, result.extracted.page_count)

    pool = ExtractionPool(workers, ocr_slots=limits.ocr_workers) if workers > 1 else None
    pending: deque = deque()
    try:
        with _progress(progress) as bar:
            job = bar.add_task("ingest", total=len(found.files), current="") if bar else None

            def done(path: Path) -> None:
                if bar:
                    bar.update(job, current=path.name)
                    bar.advance(job)

            for path in found.files:
                doc_id = file_sha256(path)
                if doc_id and doc_id in seen:
                    summary.duplicates += 1
                    logger.info("%s: same content as an earlier file of this batch, skipped", path.name)
                    done(path)
                    continue
                seen.add(doc_id)
                result = None if force or not doc_id else store.load(doc_id)
                if result is not None and result.pipeline_version == version:
                    index_result(result)
                    summary.add(result, reused=True)
                    done(path)
                    continue
                pending.append((path, doc_id, extract.submit(path, limits, settings.ocr, pool)))
                while len(pending) > workers:
                    item = pending.popleft()
                    finish(*item)
                    done(item[0])
            while pending:
                item = pending.popleft()
                finish(*item)
                done(item[0])
    finally:
        for _, _, future in pending:  # only after an error: do not leave extractions running
            future.cancel()
        if pool is not None:
            pool.close()
        search_backend.close()
    final = summarise_batch(settings, summary.finish(), summary.rows)
    return final.model_dump(mode="json")


def _failure_reason(state) -> str:
    """What made a task end in a non-completed state, as a one-line reason for the summary."""
    try:
        state.result()
    except BaseException as exc:  # noqa: BLE001 - any failure becomes a recorded reason
        return f"{type(exc).__name__}: {exc}"
    return f"task ended in state {state.name}"
