"""The Prefect flow `ingest_batch`: discover -> extract -> tag -> index -> summarise.

Each document's result is saved in the data directory as soon as it is tagged and indexed right
after, so a crash loses at most the document in flight, and a re-run skips documents whose result
(by content hash and pipeline version) is already there.
"""

from __future__ import annotations

import re
from contextlib import nullcontext
from datetime import datetime, timezone
from pathlib import Path

from flows.environment import configure_environment

configure_environment()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402
from rich.progress import (  # noqa: E402
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from extractors.document import extract_document  # noqa: E402
from extractors.fingerprint import file_sha256  # noqa: E402
from extractors.limits import ExtractLimits  # noqa: E402
from extractors.records import ExtractedDocument  # noqa: E402
from flows.pipeline import Discovery, discover_pdfs, get_tagger, pipeline_version, tag_document  # noqa: E402
from flows.results import DocumentResult  # noqa: E402
from flows.settings import Settings  # noqa: E402
from flows.store import ResultStore, save_json  # noqa: E402
from flows.summary import BatchSummary, summarise, to_markdown  # noqa: E402
from models.records import DocumentTags  # noqa: E402
from search.backend import SearchBackend  # noqa: E402
from search.factory import open_backend  # noqa: E402


def default_batch_name(paths: list[str]) -> str:
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return Path(paths[0]).resolve().name
    return "batch-" + datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


@task(name="discover", cache_policy=NONE)
def discover(paths: list[str]) -> Discovery:
    return discover_pdfs(paths)


@task(name="extract", cache_policy=NONE, retries=2, retry_delay_seconds=[2, 10])
def extract(path: Path, limits: ExtractLimits, ocr: bool) -> ExtractedDocument:
    return extract_document(path, limits=limits, ocr=ocr)


@task(name="tag", cache_policy=NONE)
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
def summarise_batch(
    settings: Settings,
    batch: str,
    started_at: datetime,
    results: list[DocumentResult],
    problems: list[dict],
    unchanged: int,
    pages_indexed: int,
) -> BatchSummary:
    summary = summarise(batch, started_at, results, problems, unchanged, pages_indexed, settings.backend)
    save_json(settings.batches_dir / f"{_slug(batch)}.json", summary.model_dump(mode="json"))
    key = "batch-" + _slug(batch)
    create_markdown_artifact(key=key, markdown=to_markdown(summary), description=f"Batch {batch}")
    create_table_artifact(
        key=key + "-failures",
        table=[f.model_dump() for f in summary.failed] or [{"path": "", "code": "", "message": "none"}],
        description=f"Failed documents in batch {batch}",
    )
    return summary


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


@flow(name="ingest_batch")
def ingest_batch(
    paths: list[str],
    batch: str | None = None,
    backend: str | None = None,
    data_dir: str | None = None,
    force: bool = False,
    ocr: bool | None = None,
    progress: bool = False,
) -> dict:
    """Ingest PDFs (files or folders) into the search index and summarise the batch."""
    logger = get_run_logger()
    overrides = {k: v for k, v in {"backend": backend, "data_dir": data_dir, "ocr": ocr}.items() if v is not None}
    settings = Settings(**overrides)
    batch = batch or default_batch_name(paths)
    started = datetime.now(timezone.utc)

    found = discover(paths)
    store = ResultStore(settings.results_dir, settings.files_dir)
    tagger = get_tagger(settings.spacy_model, settings.use_ner)
    version = pipeline_version(tagger)
    limits = settings.extract_limits()
    search_backend = open_backend(settings.backend_config())
    results: list[DocumentResult] = []
    unchanged = pages_indexed = 0
    try:
        with _progress(progress) as bar:
            job = bar.add_task("ingest", total=len(found.files), current="") if bar else None
            for path in found.files:
                if bar:
                    bar.update(job, current=path.name)
                doc_id = file_sha256(path)
                result = None if force or not doc_id else store.load(doc_id)
                if result is not None and result.pipeline_version == version:
                    unchanged += 1
                else:
                    extracted = extract(path, limits, settings.ocr)
                    tags = tag(extracted, settings.spacy_model, settings.use_ner)
                    result = DocumentResult(
                        pipeline_version=version, batch=batch, extracted=extracted, tags=tags
                    )
                    if result.doc_id:
                        if not result.failed:
                            store.keep_original(path, result.doc_id)
                        store.save(result)
                if not result.failed and (force or not _already_indexed(search_backend, result)):
                    pages_indexed += index(result, search_backend)
                results.append(result)
                logger.info("%s: %d pages", path.name, result.extracted.page_count)
                if bar:
                    bar.advance(job)
    finally:
        search_backend.close()
    summary = summarise_batch(
        settings, batch, started, results, found.problems, unchanged, pages_indexed
    )
    return summary.model_dump(mode="json")
