"""Kill a real ingest mid-batch (SIGKILL to the CLI process and everything it started), run it
again, and check that finished documents were not redone and every document is indexed once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def corpus() -> Path:
    from foialens.samples.corpus import generate_bench_corpus

    # 16 documents of 1-40 pages, a few scanned: long enough to be caught mid-way
    return generate_bench_corpus(ROOT / ".cache" / "resume-corpus", pages=300, scanned_share=0.08, seed=11)


def ingest_cmd(corpus: Path, data_dir: Path) -> tuple[list[str], dict]:
    env = {**os.environ, "FOIALENS_DATA_DIR": str(data_dir), "FOIALENS_EXTRACT_WORKERS": "2"}
    return [sys.executable, "-m", "foialens.cli.main", "ingest", str(corpus), "--batch", "resume", "--json"], env


def test_killed_run_resumes_without_redoing_or_duplicating(corpus, tmp_path):
    truth = json.loads((corpus / "ground_truth.json").read_text())["documents"]
    data = tmp_path / "data"
    results = data / "results"
    cmd, env = ingest_cmd(corpus, data)

    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=ROOT)
    deadline = time.monotonic() + 240
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if results.is_dir() and len(list(results.glob("*.json"))) >= 3:
                break
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the CLI, its extraction workers, tesseract, Prefect server
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    time.sleep(0.5)
    done = {p.name: p.stat().st_mtime_ns for p in results.glob("*.json")}
    assert 3 <= len(done) < len(truth), "the run was not caught mid-way"
    assert not (data / "batches" / "resume.json").exists()

    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=400, cwd=ROOT)
    assert rerun.returncode == 0, rerun.stderr[-3000:]
    summary = json.loads(rerun.stdout)

    # finished documents were reused, not redone; the rest was processed once
    assert summary["unchanged"] == len(done)
    assert summary["processed"] == len(truth) - len(done)
    assert {p.name: p.stat().st_mtime_ns for p in results.glob("*.json") if p.name in done} == done
    assert len(list(results.glob("*.json"))) == len(truth)

    # the final summary covers the whole batch
    assert summary["documents"] == len(truth) and summary["failed"] == []
    assert summary["pages"] == sum(d["pages"] for d in truth)
    assert summary["pages_ocr"] == sum(len(d["scanned_pages"]) for d in truth)

    # every document indexed exactly once, with all its pages
    engine = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    try:
        by_id = {json.loads((results / name).read_text())["extracted"]["path"]: name[:-5]
                 for name in os.listdir(results) if name.endswith(".json")}
        for d in truth:
            doc_id = by_id[str(corpus / d["file"])]
            pages = engine.document_pages(doc_id)
            assert [p.page for p in pages] == list(range(1, d["pages"] + 1)), d["file"]
        assert engine.count() == summary["pages"]
    finally:
        engine.close()
