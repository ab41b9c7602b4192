"""Documents extracted side by side in worker processes, OCR capped across them."""

from __future__ import annotations

import threading

import pytest

import foialens.extractors.document as document
from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from foialens.flows.parallel import ExtractionPool, _init_worker


class CountingGate:
    """A semaphore that records how many holders it had at once and how often it was entered."""

    def __init__(self, slots: int):
        self._sem = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self.running = self.peak = self.entered = 0

    def __enter__(self):
        self._sem.acquire()
        with self._lock:
            self.running += 1
            self.entered += 1
            self.peak = max(self.peak, self.running)

    def __exit__(self, *exc):
        with self._lock:
            self.running -= 1
        self._sem.release()


def _scan(tmp_path, pages: int):
    from tests.support.pdfs import CONTRACT_LINES, image_pdf, page_image

    return image_pdf(tmp_path / "scan.pdf", [page_image(CONTRACT_LINES[i % 4:]) for i in range(pages)])


@pytest.mark.slow
def test_ocr_gate_caps_tesseract_work(tmp_path):
    """extract_document's ocr_gate wraps each page's tesseract calls: 4 OCR threads, 1 slot."""
    path = _scan(tmp_path, 4)
    gate = CountingGate(1)
    doc = extract_document(path, ExtractLimits(ocr_workers=4), ocr_gate=gate)
    assert doc.pages_ocr == [1, 2, 3, 4] and not doc.errors
    assert gate.entered == 4 and gate.peak == 1
    free = extract_document(path, ExtractLimits(ocr_workers=4))
    assert [p.text for p in free.pages] == [p.text for p in doc.pages]


@pytest.mark.slow
def test_worker_extraction_uses_the_shared_slots(tmp_path, monkeypatch):
    """What a worker process runs: extract_document gated by the semaphore _init_worker keeps."""
    import foialens.flows.parallel as parallel

    monkeypatch.setattr(parallel, "_ocr_slots", None)
    gate = CountingGate(2)
    _init_worker(gate)
    doc = parallel._extract_in_worker(_scan(tmp_path, 3), ExtractLimits(ocr_workers=3), True)
    assert doc.pages_ocr == [1, 2, 3]
    assert gate.entered == 3 and gate.peak <= 2
    assert document.ocr_image.__module__ == "foialens.extractors.ocr"  # nothing patched


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


def test_workers_from_environment(monkeypatch):
    from pydantic import ValidationError

    from foialens.settings import Settings

    monkeypatch.setenv("FOIALENS_EXTRACT_WORKERS", "3")
    assert Settings().extract_workers == 3
    monkeypatch.setenv("FOIALENS_EXTRACT_WORKERS", "0")
    with pytest.raises(ValidationError):
        Settings()
