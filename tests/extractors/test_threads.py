"""Regression: documents read side by side in threads of one process.

A batch with one extraction worker runs its documents as Prefect tasks in threads; two PDFs read
at once corrupted pdfium's heap and killed the process (SIGSEGV / "free(): invalid pointer"),
which left `foialens ingest --backend elasticsearch` hanging with its ephemeral Prefect server.
Every pdfium call now holds foialens.pdfium_lock.PDFIUM. The reading runs in a child process so
that a crash fails this test instead of killing pytest."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = textwrap.dedent("""
    import sys
    from concurrent.futures import ThreadPoolExecutor
    from pathlib import Path

    from foialens.extractors.document import extract_document
    from foialens.store.pages import render_page_png

    files = sorted(Path(sys.argv[1]).glob("*.pdf"))
    cache = Path(sys.argv[2])

    def read(i_path):
        i, path = i_path
        doc = extract_document(path, ocr=False)
        render_page_png(path, cache / f"{i}", 1)  # the web UI's page images, from other threads
        return len(doc.pages)

    with ThreadPoolExecutor(4) as pool:
        pages = list(pool.map(read, enumerate(files * 2)))
    print(len(pages), sum(pages))
""")


def test_documents_read_in_threads_side_by_side(sample_batch, tmp_path):
    files = sorted(sample_batch.glob("*.pdf"))
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(sample_batch), str(tmp_path)], capture_output=True,
                          text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    count, _pages = done.stdout.split()
    assert int(count) == 2 * len(files)
