"""Scale-out: each document of a batch as a Prefect task run executed by `foialens worker`
processes (Prefect task workers), on this host or others, all writing one data directory (shared
storage) and one search backend.

- Worker side: :data:`remote_document` is the task the workers serve. A worker keeps the tagger
  and the search backend open between documents (no per-document start-up), runs the plain
  :func:`foialens.flows.document.ingest_document`, and returns a small outcome; the document's
  result itself is in ``<data_dir>/results/`` (content-addressed), where the coordinator reads it.
  While it works on a document it keeps a *lease*, ``<data_dir>/leases/<task run id>.json``
  (which process, on which host), touched every few seconds.
- Coordinator side: :class:`RemoteDocuments` is what ``flows.batch.run_batch`` submits documents
  to when the batch runs on workers (``ingest_batch`` decides: FOIALENS_DISPATCH). It submits a
  task run per document (``task.delay``: the Prefect server hands it to one idle worker over its
  websocket), skips duplicate files by content hash, and waits for the runs in file order.

Nothing is lost when a worker dies mid-batch (SIGKILL, OOM, a host gone): Prefect leaves a task
run whose worker died as it was (RUNNING, or SCHEDULED when the worker had already taken it off
the queue), so the coordinator watches the workers itself. A document whose lease belongs to a
process that is gone (same host) or has not been touched for ``LEASE_STALE`` seconds (another
host) is submitted again as a new task run; when a worker leaves the server's list of task
workers (its websocket closed) for ``WORKER_GONE_AFTER`` seconds, so is every document not yet
started anywhere (the dead worker may have taken it off the queue). The old run is marked
Crashed, so a worker that still finds it skips it. Doing a document twice is harmless: results are written
atomically under the document's hash and indexing replaces the document's pages. If no worker is
left at all for ``NO_WORKERS_FALLBACK`` seconds, the coordinator processes the rest itself.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from prefect import task
from prefect.cache_policies import NONE

from foialens.files import write_atomic
from foialens.flows.document import BatchContext, Failure, Outcome, extract_in_process, ingest_document
from foialens.flows.request import IngestRequest
from foialens.store.datadir import DataDir
from foialens.store.locks import WriterLock, identity_alive, process_identity
from foialens.store.results import DocumentResult

log = logging.getLogger(__name__)

LEASES_DIR = "leases"
LEASE_HEARTBEAT = 3.0  # seconds between touches of a lease
LEASE_STALE = 30.0  # a lease untouched this long belongs to a dead worker (or a lost host)
WORKER_GONE_AFTER = 3.0  # seconds a worker must be missing from the server's list to count as dead
POLL = 1.0  # seconds between looks at the workers while waiting
NO_WORKERS_FALLBACK = 30.0  # no worker at all this long: the coordinator does the rest itself


# --- worker side ---------------------------------------------------------------------------------


class _WorkerState:
    """What a worker process keeps between documents: search backends by configuration, the
    extraction pool (documents > 1), and one lock around tagging (spaCy is not thread-safe)."""

    def __init__(self):
        self.lock = threading.Lock()
        self.tag_lock = threading.Lock()
        self.backends: dict[str, Any] = {}
        self.pool = None
        self.documents = 1  # documents at once in this process (serve_documents sets it)

    def backend(self, settings):
        """(backend, None) or (None, reason): one open backend per configuration, reused."""
        from foialens.search.factory import open_backend

        config = settings.backend_config()
        key = config.model_dump_json()
        with self.lock:
            if key not in self.backends:
                try:
                    self.backends[key] = open_backend(config)
                except Exception as exc:  # noqa: BLE001 - the document is saved, not indexed
                    return None, f"{type(exc).__name__}: {exc}"
            return self.backends[key], None

    def extractor(self, settings):
        if self.documents <= 1:
            return extract_in_process
        from foialens.flows.parallel import ExtractionPool

        with self.lock:
            if self.pool is None:
                self.pool = ExtractionPool(self.documents, ocr_slots=settings.ocr_workers)
            return self.pool.extract


_state = _WorkerState()


class Lease:
    """``<data_dir>/leases/<task run id>.json`` while a worker works on a document, touched every
    ``LEASE_HEARTBEAT`` seconds by a thread; removed when the document is done."""

    def __init__(self, data: DataDir, run_id: str, worker: str, path: str):
        self.path = data.root / LEASES_DIR / f"{run_id}.json"
        self.body = {"worker": worker, "process": process_identity(), "path": path}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name="lease", daemon=True)

    def __enter__(self) -> Lease:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(self.path, json.dumps(self.body))
        self._thread.start()
        return self

    def _beat(self) -> None:
        while not self._stop.wait(LEASE_HEARTBEAT):
            with suppress(OSError):
                os.utime(self.path)

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        with suppress(OSError):
            self.path.unlink()


def worker_id() -> str:
    """How the Prefect server names this task worker (TaskWorker.client_id)."""
    import socket

    return f"{socket.gethostname()}-{os.getpid()}"


def run_remote_document(path: str, job: dict, run_id: str | None) -> dict:
    """One document in a worker process: the plain per-document step with the worker's warm
    tagger and backend; returns a small outcome (see :func:`outcome_to_dict`)."""
    from foialens.flows.pipeline import get_tagger, pipeline_version

    request = IngestRequest.model_validate(job["request"])
    settings = request.settings()
    data = DataDir(settings.data_dir).prepare()
    tagger = get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)
    backend, index_down = _state.backend(settings)
    ctx = BatchContext(
        batch=job["batch"], version=pipeline_version(tagger), data=data, backend=backend, tagger=tagger,
        limits=settings.extract_limits(), ocr=settings.ocr, force=request.force, extract=_state.extractor(settings),
        index_down=index_down, _tag_lock=_state.tag_lock,
    )
    lock = WriterLock(data.root, f"worker {worker_id()} (batch {job['batch']!r})", exclusive=False)
    lock.acquire(wait=3600.0)
    try:
        with Lease(data, run_id or "local", worker_id(), path):
            outcome = ingest_document(Path(path), ctx)
    finally:
        lock.release()
    return outcome_to_dict(outcome)


@task(name="ingest-document", cache_policy=NONE, persist_result=True)
def remote_document(path: str, job: dict) -> dict:
    """A document of a batch, run by a `foialens worker` (Prefect task worker)."""
    from prefect.runtime import task_run

    return run_remote_document(path, job, str(task_run.id))


def outcome_to_dict(outcome: Outcome) -> dict:
    """A small, JSON-able outcome: the result is referenced by its document id when it was saved
    (the coordinator reads it from the shared data directory), sent whole only when it was not."""
    result = outcome.result
    saved = result is not None and bool(result.doc_id) and not any(f.code == "store_error" for f in outcome.failures)
    return {
        "path": str(outcome.path), "status": outcome.status, "pages_indexed": outcome.pages_indexed,
        "failures": [[f.code, f.message] for f in outcome.failures],
        "doc_id": result.doc_id if result is not None else "",
        "result": None if saved or result is None else result.model_dump_json(),
        "worker": worker_id(),
    }


def outcome_from_dict(d: dict, path: Path, data: DataDir) -> Outcome:
    result = None
    if d.get("result"):
        result = DocumentResult.model_validate_json(d["result"])
    elif d.get("doc_id"):
        result = data.load(d["doc_id"])
    failures = [Failure(code, message) for code, message in d.get("failures", [])]
    if result is None and d.get("doc_id") and d["status"] in ("processed", "reused"):
        failures.append(Failure("store_error", f"the worker saved the result {d['doc_id'][:12]} but it cannot be "
                                               "read here: is the data directory shared with the workers?"))
    return Outcome(path, d["status"], result, failures, d.get("pages_indexed", 0))


def serve_documents(documents: int = 1, warm: bool = True) -> None:
    """Serve :data:`remote_document` (blocks; Ctrl-C/SIGTERM stops). ``documents``: documents
    at once in this process (each extracts in its own process when > 1). ``warm``: load the
    tagger before taking the first document."""
    from prefect.task_worker import serve

    _state.documents = documents
    if warm:
        from foialens.flows.pipeline import get_tagger
        from foialens.settings import Settings

        settings = Settings()
        get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)
    serve(remote_document, limit=documents)


# --- coordinator side ----------------------------------------------------------------------------


def live_workers() -> set[str]:
    """Ids of the task workers the Prefect server currently lists for the document task."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        response = client.request("POST", "/task_workers/filter",
                                  json={"task_worker_filter": {"task_keys": [remote_document.task_key]}})
        return {w["identifier"] for w in response.json()}


@dataclass
class RemoteDocument:
    path: Path
    submitted: float
    future: Any = None  # PrefectDistributedFuture
    outcome: Outcome | None = None
    attempts: int = 1
    runs: list[str] = field(default_factory=list)

    def result(self) -> Outcome:
        return self.owner.wait(self)  # type: ignore[attr-defined]


class RemoteDocuments:
    """Submits a batch's documents to the workers and gets their outcomes back, resubmitting
    what a dead worker held (see the module docstring). ``window``: documents in flight."""

    def __init__(self, request: IngestRequest, batch: str, data: DataDir, workers: set[str],
                 local: Callable[[Path], Outcome] | None = None, window: int | None = None):
        from foialens.extractors.fingerprint import file_sha256

        self._hash = file_sha256
        # the workers write where this batch reads: this process's data directory and backend
        settings = request.settings()
        request = request.model_copy(update={
            "data_dir": str(settings.data_dir), "backend": settings.backend,
            "es_url": settings.es.url if settings.backend == "elasticsearch" else request.es_url})
        import uuid

        # the submission id keeps Prefect's input-based cache of task results from ever handing
        # back another ingest's outcome for the same file
        self.job = {"request": request.model_dump(mode="json"), "batch": batch, "submission": uuid.uuid4().hex}
        self.data = data
        self.local = local  # runs a document in this process (no worker left)
        self.window = window or max(2, 2 * len(workers))
        self.inflight: list[RemoteDocument] = []
        self.seen_ids: set[str] = set()
        self.known: dict[str, float] = dict.fromkeys(workers, time.monotonic())  # worker -> last seen
        self.dead: set[str] = set()
        self._last_check = 0.0
        self._no_workers_since: float | None = None
        self.resubmitted = 0

    @classmethod
    def connect(cls, request: IngestRequest, batch: str, data: DataDir, wait: float = 0.0,
                local: Callable[[Path], Outcome] | None = None) -> RemoteDocuments | None:
        """Documents go to the workers when at least one is there (waiting up to ``wait``
        seconds for one); None when there is none."""
        deadline = time.monotonic() + wait
        while True:
            workers = live_workers()
            if workers:
                return cls(request, batch, data, workers, local)
            if time.monotonic() >= deadline:
                return None
            time.sleep(POLL)

    # --- submitting ------------------------------------------------------------------------

    def submit(self, path: Path, ctx=None) -> RemoteDocument:
        path = Path(path)
        doc = RemoteDocument(path, time.monotonic())
        doc.owner = self  # type: ignore[attr-defined]
        doc_id = self._hash(path)
        if doc_id and doc_id in self.seen_ids:
            doc.outcome = Outcome(path, "duplicate")
            return doc
        if doc_id:
            self.seen_ids.add(doc_id)
        self._send(doc)
        self.inflight.append(doc)
        return doc

    def _send(self, doc: RemoteDocument) -> None:
        doc.future = remote_document.delay(str(doc.path), self.job)
        doc.submitted = time.monotonic()
        doc.runs.append(str(doc.future.task_run_id))

    # --- waiting ---------------------------------------------------------------------------

    def wait(self, doc: RemoteDocument) -> Outcome:
        while doc.outcome is None:
            self._finish_if_final(doc, timeout=POLL)
            if doc.outcome is None:
                self._check()
        with suppress(ValueError):
            self.inflight.remove(doc)
        return doc.outcome

    def _finish_if_final(self, doc: RemoteDocument, timeout: float) -> None:
        try:
            doc.future.wait(timeout=timeout)
            state = doc.future.state
        except Exception as exc:  # noqa: BLE001 - the server hiccuped: look again next time
            log.warning("%s: could not read its task run: %s", doc.path.name, exc)
            time.sleep(timeout)
            return
        if not state.is_final():
            return
        if state.is_completed():
            try:
                doc.outcome = outcome_from_dict(state.result(raise_on_failure=False), doc.path, self.data)
            except Exception as exc:  # noqa: BLE001 - e.g. result storage not shared with the workers
                doc.outcome = Outcome(doc.path, "failed", failures=[Failure(
                    "unexpected_error", f"could not read the worker's outcome: {type(exc).__name__}: {exc}")])
        elif state.is_cancelled() or state.is_crashed():
            if str(doc.future.task_run_id) == doc.runs[-1]:  # nobody else took it over: run it again
                self._resubmit(doc, f"its task run ended {state.name}")
        else:
            doc.outcome = Outcome(doc.path, "failed", failures=[Failure(
                "unexpected_error", f"its task run failed on the worker: {state.message or state.name}")])

    def _check(self) -> None:
        """Look at the workers (at most once per POLL): resubmit what dead workers held."""
        now = time.monotonic()
        if now - self._last_check < POLL:
            return
        self._last_check = now
        try:
            listed = live_workers()
        except Exception as exc:  # noqa: BLE001 - the Prefect server is unreachable: wait
            log.warning("could not list the workers: %s", exc)
            return
        for w in listed:
            self.known[w] = now
            self.dead.discard(w)
        newly_dead = {w for w, seen in self.known.items()
                      if w not in listed and w not in self.dead and now - seen >= WORKER_GONE_AFTER}
        self.dead |= newly_dead
        leases = self._leases()
        for doc in list(self.inflight):
            if doc.outcome is not None:
                continue
            lease = leases.get(doc.runs[-1])
            if lease is not None:
                if self._lease_dead(lease):
                    self._resubmit(doc, f"its worker {lease['worker']} died while working on it")
            elif newly_dead and doc.submitted < now:
                # not started anywhere: it may sit in a dead worker's hands (taken off the queue)
                if not self._running_elsewhere(doc):
                    self._resubmit(doc, f"worker(s) {', '.join(sorted(newly_dead))} died before it started")
        if listed:
            self._no_workers_since = None
        else:
            self._no_workers_since = self._no_workers_since or now
            if self.local is not None and now - self._no_workers_since >= NO_WORKERS_FALLBACK:
                for doc in list(self.inflight):
                    if doc.outcome is None:
                        log.warning("%s: no worker left for %.0f s: processing it here", doc.path.name,
                                    now - self._no_workers_since)
                        self._cancel(doc.runs[-1], "processed by the coordinator instead")
                        doc.outcome = self.local(doc.path)

    def _running_elsewhere(self, doc: RemoteDocument) -> bool:
        try:
            state = doc.future.state
        except Exception:  # noqa: BLE001
            return False
        return state.is_running() or state.is_final()

    def _leases(self) -> dict[str, dict]:
        out = {}
        folder = self.data.root / LEASES_DIR
        for p in folder.glob("*.json") if folder.is_dir() else []:
            try:
                body = json.loads(p.read_text(encoding="utf-8"))
                body["age"] = time.time() - p.stat().st_mtime
            except (OSError, ValueError):
                continue
            out[p.stem] = body
        return out

    @staticmethod
    def _lease_dead(lease: dict) -> bool:
        """A worker on this host: is its process there? On another host: is its lease being
        touched? (Not the server's worker list: a busy worker can drop off it for a moment.)"""
        alive = identity_alive(lease.get("process"))
        if alive is not None:
            return not alive
        return lease["age"] > LEASE_STALE

    def _resubmit(self, doc: RemoteDocument, why: str) -> None:
        log.warning("%s: %s; submitting it again", doc.path.name, why)
        self._cancel(doc.runs[-1], why)
        with suppress(OSError):
            (self.data.root / LEASES_DIR / f"{doc.runs[-1]}.json").unlink()
        doc.attempts += 1
        self.resubmitted += 1
        self._send(doc)

    @staticmethod
    def _cancel(run_id: str, why: str) -> None:
        """Mark a task run given up (Crashed): a worker that still finds it on the queue skips it."""
        from uuid import UUID

        from prefect.client.orchestration import get_client
        from prefect.states import Crashed

        try:
            with get_client(sync_client=True) as client:
                client.set_task_run_state(UUID(run_id), Crashed(message=f"foialens: {why}"), force=True)
        except Exception as exc:  # noqa: BLE001 - at worst the document is done twice
            log.warning("could not mark task run %s crashed: %s", run_id, exc)
