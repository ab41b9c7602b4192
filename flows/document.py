"""One document through the pipeline, as a plain function (no Prefect): hash -> reuse or
extract -> tag -> save -> index. ``flows.ingest`` runs it as one Prefect task per document.

``ingest_document`` never raises for a document's own trouble: everything that goes wrong (a
worker process killed, a bug in a tagger rule, a full disk while saving, a search backend that
is down) becomes a failure with a code and a reason in its :class:`Outcome`, and the batch goes on.
Extraction and tagging are retried (``BatchContext.retry_delays``) before giving up, since what
raises there is mostly transient (a worker process killed, a file still being copied).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from foialens.extractors.fingerprint import file_sha256
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument
from foialens.files import safe_text
from foialens.search.backend import SearchBackend
from foialens.search.records import RelationQuery
from foialens.store.datadir import DataDir
from foialens.store.results import DocumentResult

if TYPE_CHECKING:  # the PDF and NLP libraries load when a document is processed, not on import
    from foialens.models.tagger import Tagger

log = logging.getLogger(__name__)

Extractor = Callable[[Path, ExtractLimits, bool], ExtractedDocument]


def extract_in_process(path: Path, limits: ExtractLimits, ocr: bool) -> ExtractedDocument:
    from foialens.extractors.document import extract_document

    return extract_document(path, limits=limits, ocr=ocr)


@dataclass
class BatchContext:
    """What every document of one batch shares. Thread-safe: documents run side by side."""

    batch: str
    version: str  # pipeline version: stored results of another version are recomputed
    data: DataDir
    backend: SearchBackend | None  # None: it could not be opened (index_down says why)
    tagger: Tagger | None  # None only where documents never run (a batch sent to workers)
    limits: ExtractLimits
    ocr: bool = True
    force: bool = False
    extract: Extractor = extract_in_process  # or ExtractionPool.extract (worker processes)
    retry_delays: tuple[float, ...] = (2.0, 10.0)  # waits before each retry of extract/tag
    index_down: str | None = None  # set once indexing failed after the backend's own retries
    _tag_lock: threading.Lock = field(default_factory=threading.Lock)  # spaCy is not thread-safe
    _seen_lock: threading.Lock = field(default_factory=threading.Lock)
    _seen: set[str] = field(default_factory=set)

    def first_time(self, doc_id: str) -> bool:
        """True the first time a content hash comes up in this batch."""
        with self._seen_lock:
            if doc_id in self._seen:
                return False
            self._seen.add(doc_id)
            return True


@dataclass
class Failure:
    code: str
    message: str


@dataclass
class Outcome:
    path: Path
    status: str  # processed | reused | duplicate | failed
    result: DocumentResult | None = None  # None when the document yielded nothing
    failures: list[Failure] = field(default_factory=list)  # also for a processed document (not indexed)
    pages_indexed: int = 0


def ingest_document(path: Path, ctx: BatchContext) -> Outcome:
    """Bring one file into the data directory and the index; never raises for the file's trouble."""
    path = Path(path)
    try:
        doc_id = file_sha256(path)
        if doc_id and not ctx.first_time(doc_id):
            return Outcome(path, "duplicate")
        stored = _stored(ctx, doc_id, path)
        if stored is not None and not ctx.force and stored.pipeline_version == ctx.version:
            outcome = Outcome(path, "reused", stored)
            member = stored.in_batch(ctx.batch)  # the same document in another (overlapping) batch
            if member is not stored:
                try:
                    outcome.result = ctx.data.save(member)
                except OSError as exc:
                    outcome.result = member  # indexed with both batches all the same
                    outcome.failures.append(Failure("store_error", f"could not record batch {ctx.batch!r} in its "
                                                                   f"stored result: {exc}"))
        else:
            extracted = _retry(lambda: ctx.extract(path, ctx.limits, ctx.ocr), ctx, "extract", path)
            if isinstance(extracted, Failure):
                return Outcome(path, "failed", failures=[extracted])
            tags = _retry(lambda: _tag(extracted, ctx), ctx, "tag", path)
            if isinstance(tags, Failure):
                return Outcome(path, "failed", failures=[tags])
            # a file name that is not UTF-8 is stored (and shown) with its odd bytes as \xNN
            extracted.path = safe_text(str(path))
            # reprocessed (--force, a new pipeline version): it stays in the batches it was in
            batches = list(dict.fromkeys([*(stored.all_batches if stored is not None else []), ctx.batch]))
            result = DocumentResult(pipeline_version=ctx.version, batch=batches[0], batches=batches,
                                    extracted=extracted, tags=tags)
            outcome = Outcome(path, "processed", result)
            if result.doc_id:
                try:
                    if not result.failed:
                        ctx.data.keep_original(path, result.doc_id)
                    outcome.result = result = ctx.data.save(result)
                except OSError as exc:
                    outcome.failures.append(Failure("store_error", f"could not save the result: {exc}"))
                    return outcome
        _index(outcome, ctx)
        return outcome
    except Exception as exc:  # noqa: BLE001 - whatever it is, the batch goes on
        log.exception("%s: failed", path)
        return Outcome(path, "failed", failures=[Failure("unexpected_error", f"{type(exc).__name__}: {exc}")])


def _stored(ctx: BatchContext, doc_id: str, path: Path) -> DocumentResult | None:
    """The stored result of a document, None when there is none or it cannot be read (then the
    document is processed again and the damaged file replaced)."""
    if not doc_id:
        return None
    try:
        return ctx.data.load(doc_id)
    except Exception as exc:  # noqa: BLE001 - a damaged result file is redone, not fatal
        log.warning("%s: stored result %s unreadable (%s: %s); processing it again",
                    path.name, doc_id[:12], type(exc).__name__, exc)
        return None


def _tag(extracted: ExtractedDocument, ctx: BatchContext):
    from foialens.flows.pipeline import tag_document

    with ctx._tag_lock:
        return tag_document(extracted, ctx.tagger)


def _retry(step: Callable, ctx: BatchContext, name: str, path: Path):
    """Run ``step``; on an exception wait and try again (``ctx.retry_delays``); return a Failure
    with code ``<name>_error`` once the retries are spent."""
    for attempt in range(len(ctx.retry_delays) + 1):
        try:
            return step()
        except Exception as exc:  # noqa: BLE001 - recorded below
            reason = f"{type(exc).__name__}: {exc}"
            if attempt == len(ctx.retry_delays):
                log.error("%s: %s failed after %d attempt(s): %s", path.name, name, attempt + 1, reason)
                return Failure(f"{name}_error", reason)
            log.warning("%s: %s failed (%s); retrying", path.name, name, reason)
            time.sleep(ctx.retry_delays[attempt])
    raise AssertionError("unreachable")


def _index(outcome: Outcome, ctx: BatchContext) -> None:
    """Index the document's pages unless they are already in the index (or the backend failed
    earlier in this batch: then the result is saved and the failure says how to catch up)."""
    result = outcome.result
    if result is None or result.failed:
        return
    if ctx.index_down or ctx.backend is None:
        outcome.failures.append(Failure(
            "not_indexed", f"search backend unavailable in this batch ({ctx.index_down}); "
            "results are saved: re-run the batch or `foialens reindex` when it is back"))
        return
    try:
        if not ctx.force and _already_indexed(ctx.backend, result):
            return
        report = ctx.backend.replace_documents(result.page_records())
        ctx.backend.replace_relations(result.doc_id, result.relation_records())
    except Exception as exc:  # noqa: BLE001 - the backend already retried with backoff
        ctx.index_down = f"{type(exc).__name__}: {exc}"
        outcome.failures.append(Failure("index_error", ctx.index_down))
        return
    outcome.pages_indexed = report.indexed
    if report.errors:  # this document's pages were refused (the backend itself works)
        outcome.failures.append(Failure("index_error", f"pages refused by the search backend: {report.errors[:3]}"))


def _already_indexed(backend: SearchBackend, result: DocumentResult) -> bool:
    """The document is in the index as stored: every page, with its batches, in the document
    listing and with its relations (Elasticsearch keeps those in their own indices, which an
    outage can leave behind the pages index)."""
    expected = len(result.page_records())
    if expected == 0:
        return True
    pages = backend.document_pages(result.doc_id)
    if len(pages) != expected or pages[0].all_batches() != result.all_batches:
        return False
    listed = backend.document(result.doc_id)
    if listed is None or listed.pages != expected or listed.batches != result.all_batches:
        return False
    relations = backend.search_relations(RelationQuery(filters={"doc_id": [result.doc_id]}, limit=0, counts=False))
    return relations.total == len(result.tags.relations)
