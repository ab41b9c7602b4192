"""Documents extracted side by side in worker processes, OCR capped across them."""

from __future__ import annotations

import threading
import time

import pytest

import extractors.document as document
from extractors.document import extract_document
from extractors.limits import ExtractLimits
from flows.parallel import ExtractionPool, _init_worker, default_extract_workers


def test_ocr_calls_share_the_slots(monkeypatch):
    """The worker initialiser makes every tesseract call of extract_document take a shared slot."""
    running, peak, lock = 0, 0, threading.Lock()

    def fake_ocr(*args, **kwargs):
        nonlocal running, peak
        with lock:
            running += 1
            peak = max(peak, running)
        time.sleep(0.05)
        with lock:
            running -= 1
        return "text"

    monkeypatch.setattr(document, "ocr_image", fake_ocr)
    _init_worker(threading.BoundedSemaphore(2))  # patches document.ocr_image (undone by monkeypatch)
    threads = [threading.Thread(target=document.ocr_image) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2


@pytest.mark.slow
def test_pool_results_equal_in_process_extraction(sample_batch):
    files = [sample_batch / "riverton-pd-alpr-policy.pdf", sample_batch / "riverton-pd-clearview-pilot-scanned.pdf"]
    limits = ExtractLimits(ocr_workers=2)
    with ExtractionPool(2, ocr_slots=2) as pool:
        threads_out = {}

        def run(path):
            threads_out[path.name] = pool.extract(path, limits, True)

        threads = [threading.Thread(target=run, args=(p,)) for p in files]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    for path in files:
        ours, ref = threads_out[path.name], extract_document(path, limits=limits)
        assert ours.doc_id == ref.doc_id and ours.pages_ocr == ref.pages_ocr
        assert [p.text for p in ours.pages] == [p.text for p in ref.pages]


def test_default_workers_from_environment(monkeypatch):
    monkeypatch.setenv("FOIALENS_EXTRACT_WORKERS", "3")
    assert default_extract_workers() == 3
    monkeypatch.setenv("FOIALENS_EXTRACT_WORKERS", "0")
    assert default_extract_workers() == 1
