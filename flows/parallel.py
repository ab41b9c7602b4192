"""Documents extracted side by side: a small pool of worker *processes* (pdfium is not thread-safe,
so two documents can only overlap in separate processes). Each document keeps its full OCR thread
pool (``ocr_workers``, default: the number of cores) so that a lone scanned document still uses
every core, and a semaphore shared by the workers (passed to ``extract_document`` as its
``ocr_gate``) caps the tesseract processes of all documents together at ``ocr_workers``: no
oversubscription when two scanned documents overlap.

With one worker nothing is spawned: ``extract_document`` runs in the calling thread, as before.
A worker that dies (a PDF that crashes pdfium, the OOM killer) breaks only the documents it had:
the pool is rebuilt on the next call and the flow's task retries take it from there.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from foialens.environment import configure_environment
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument


class WorkerCrashed(RuntimeError):
    """The process extracting a document died (not an exception inside extract_document)."""


# In a worker process: the semaphore shared by all workers (set by _init_worker).
_ocr_slots = None


def _init_worker(ocr_slots) -> None:
    """In each worker process: keep the semaphore shared by all workers (a multiprocessing
    semaphore can only reach a spawned process this way, not as a task argument)."""
    global _ocr_slots
    configure_environment()
    _ocr_slots = ocr_slots


def _extract_in_worker(path: Path, limits: ExtractLimits, ocr: bool) -> ExtractedDocument:
    """extract_document with the shared semaphore as its OCR gate: each page's tesseract work
    takes one of the slots shared by all workers."""
    from foialens.extractors.document import extract_document

    return extract_document(path, limits=limits, ocr=ocr, ocr_gate=_ocr_slots)


class ExtractionPool:
    def __init__(self, workers: int, ocr_slots: int | None = None):
        self.workers = max(1, workers)
        self.ocr_slots = max(1, ocr_slots or os.cpu_count() or 1)
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # spawn, not fork: the parent runs Prefect's threads and event loop
                ctx = multiprocessing.get_context("spawn")
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=ctx,
                    initializer=_init_worker,
                    initargs=(ctx.BoundedSemaphore(self.ocr_slots),),
                )
            return self._pool

    def extract(self, path: Path, limits: ExtractLimits, ocr: bool) -> ExtractedDocument:
        if self.workers == 1:
            from foialens.extractors.document import extract_document

            return extract_document(path, limits=limits, ocr=ocr)
        pool = self._executor()
        try:
            return pool.submit(_extract_in_worker, path, limits, ocr).result()
        except BrokenProcessPool as exc:
            with self._lock:
                if self._pool is pool:
                    self._pool = None
            pool.shutdown(wait=False, cancel_futures=True)
            raise WorkerCrashed(f"extraction worker process died while reading {Path(path).name}") from exc

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ExtractionPool:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
