"""Memory of one big document stays bounded: extracting four times as many pages (text pages with
vector redaction boxes, so the redaction pass runs on a quarter of them, plus scanned pages that
are OCR'd) must not raise the peak RSS by more than a few MiB. Measured as bench/extraction.py
does (``bench.extraction.PEAK_RSS``: VmHWM of a fresh process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pypdfium2 as pdfium
import pytest

from bench.extraction import PEAK_RSS

ROOT = Path(__file__).resolve().parent.parent

# Growth allowed from the small to the big document. The output itself grows (the text of every
# page is kept: ~5 KiB per page with its records) and so does pdfium's document cache; what must
# not happen is memory per page processed (pages, bitmaps, parsed layouts kept alive).
MAX_GROWTH_MIB = 40


def _build(sample_batch: Path, out: Path, pages: int) -> Path:
    doc = pdfium.PdfDocument.new()
    scan = pdfium.PdfDocument(sample_batch / "riverton-pd-clearview-pilot-scanned.pdf")
    doc.import_pages(scan, [0, 1, 2])
    scan.close()
    texts = ["ice-foia-production-2019-ICLI-00001.pdf", "harrow-county-vigilant-alpr-contract.pdf",
             "oregon-dmv-fusion-center-mou.pdf", "ice-hsi-palantir-icm-task-order.pdf",
             "riverton-pd-alpr-policy.pdf"]
    while len(doc) < pages:
        for name in texts:
            src = pdfium.PdfDocument(sample_batch / name)
            take = min(len(src), pages - len(doc))
            if take > 0:
                doc.import_pages(src, list(range(take)))
            src.close()
    doc.save(out)
    doc.close()
    return out


def _peak(path: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path), "1"], capture_output=True, text=True,
                          cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT), "OMP_THREAD_LIMIT": "1"},
                          timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return json.loads(proc.stdout)


@pytest.mark.slow
def test_peak_rss_does_not_grow_with_page_count(sample_batch, tmp_path):
    small = _peak(_build(sample_batch, tmp_path / "small.pdf", 300))
    big = _peak(_build(sample_batch, tmp_path / "big.pdf", 1200))
    print(f"\npeak RSS: 300 pages {small['peak_rss_mib']} MiB, 1200 pages {big['peak_rss_mib']} MiB "
          f"({small['seconds']} s, {big['seconds']} s)")
    assert (small["pages"], big["pages"]) == (300, 1200)
    assert small["ocr_pages"] == big["ocr_pages"] == 3 and not small["errors"] and not big["errors"]
    assert big["peak_rss_mib"] - small["peak_rss_mib"] <= MAX_GROWTH_MIB, (small, big)
