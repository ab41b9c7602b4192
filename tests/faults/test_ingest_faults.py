"""Item 1: no exception in the batch loop hides the real error or loses the summary. Real PDFs,
a real data directory (on a tmpfs that fills up), a real SQLite index, a real osmem server
behind a fault proxy, and real Prefect runs of the CLI for the exit status."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from foialens.flows.batch import run_batch
from foialens.flows.request import IngestRequest
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import SearchQuery
from foialens.store.datadir import DataDir
from tests.faults.conftest import CONTRACT, MOU, POLICY
from tests.support.faults import fill, mount_tmpfs, non_utf8_name

ROOT = Path(__file__).resolve().parents[2]
NON_UTF8 = non_utf8_name(b"caf\xe9-contract")  # 'caf\udce9-contract.pdf'
SHOWN = "caf\\xe9-contract.pdf"  # how it is stored and shown


def request(paths, data_dir, batch="b", **kw) -> IngestRequest:
    return IngestRequest(paths=[str(p) for p in paths], batch=batch, data_dir=str(data_dir), extract_workers=1,
                         ocr=False, **kw)


def big_pdf(path: Path, mbytes: float = 1.2) -> Path:
    """A real text PDF made large by an incompressible image (a scanned exhibit)."""
    side = int((mbytes * 2**20 / 3) ** 0.5)
    noise = np.random.default_rng(3).integers(0, 255, (side, side, 3), dtype=np.uint8)
    buf = io.BytesIO()
    Image.fromarray(noise, "RGB").save(buf, format="PNG")
    buf.seek(0)
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    c.drawString(72, 720, "Exhibit A: Vigilant Solutions license plate reader data sharing agreement.")
    c.drawString(72, 704, "The County shall not share records with Immigration and Customs Enforcement.")
    c.drawImage(ImageReader(buf), 72, 300, width=300, height=300)
    c.showPage()
    c.save()
    return path


def search(data_dir: Path, text: str):
    backend = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite", read_only=True))
    try:
        return backend.search(SearchQuery(text=text))
    finally:
        backend.close()


# --- file names that are not UTF-8 ------------------------------------------------------------


def test_a_non_utf8_file_name_is_ingested_stored_and_shown(sample_batch, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_batch / CONTRACT, folder / NON_UTF8)
    shutil.copy(sample_batch / MOU, folder / MOU)
    data = tmp_path / "data"
    summary = run_batch(request([folder], data))
    assert summary.failed == [] and summary.processed == 2
    stored = json.loads((data / "batches" / "b.json").read_text(encoding="utf-8"))
    assert stored["documents"] == 2
    results = {r.extracted.path: r for r in DataDir(data).results()}
    assert str(folder / SHOWN) in results  # stored, readable, UTF-8
    hit = next(h for h in search(data, "vigilant").hits if h.path.endswith(SHOWN))
    assert hit.title  # shown in search results
    # the web UI shows it too (document page, batches API)
    from fastapi.testclient import TestClient

    from foialens.settings import Settings
    from foialens.web.app import create_app

    with TestClient(create_app(Settings(data_dir=data), start_jobs=False), base_url="http://127.0.0.1") as client:
        assert client.get("/api/batches").status_code == 200
        page = client.get(f"/documents/{hit.doc_id}")
        assert page.status_code == 200 and "caf\\xe9-contract.pdf" in page.text


def test_a_non_utf8_batch_folder_name(sample_batch, tmp_path):
    folder = tmp_path / non_utf8_name(b"lot-\xff", "")
    folder.mkdir()
    shutil.copy(sample_batch / MOU, folder / MOU)
    summary = run_batch(IngestRequest(paths=[str(folder)], data_dir=str(tmp_path / "data"), extract_workers=1,
                                      ocr=False))
    assert summary.batch == "lot-\\xff" and summary.failed == []


@pytest.mark.slow
def test_cli_ingest_of_non_utf8_names_exits_0_with_its_summary(sample_batch, tmp_path):
    """A real `foialens ingest` (Prefect flow run, artifacts published): the file is given both
    inside a folder and by name on the command line."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_batch / CONTRACT, folder / NON_UTF8)
    loose = tmp_path / non_utf8_name(b"m\xe9mo")
    shutil.copy(sample_batch / MOU, loose)
    env = {**os.environ, "FOIALENS_DATA_DIR": str(tmp_path / "data"), "FOIALENS_EXTRACT_WORKERS": "1",
           "FOIALENS_OCR": "false"}
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "ingest", str(folder), str(loose),
                           "--batch", "names", "--json"],
                          capture_output=True, env=env, timeout=400, cwd=ROOT)
    assert done.returncode == 0, done.stderr.decode(errors="replace")[-3000:]
    summary = json.loads(done.stdout)
    assert summary["processed"] == 2 and summary["failed"] == []
    assert summary["flow_run_id"]
    paths = {r.extracted.path for r in DataDir(tmp_path / "data").results()}
    assert paths == {str(folder / SHOWN), str(tmp_path / "m\\xe9mo.pdf")}


# --- a full disk -----------------------------------------------------------------------------


def test_disk_full_while_keeping_an_original(sample_batch, tmp_path):
    """ENOSPC copying one original: that document is recorded as failed (store_error, with the
    OS's reason), the others are processed and indexed, the summary is written; once there is
    room again a re-run picks the document up."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_batch / CONTRACT, folder / "a-contract.pdf")
    big_pdf(folder / "b-exhibit.pdf")
    shutil.copy(sample_batch / MOU, folder / "c-mou.pdf")
    with mount_tmpfs(tmp_path / "disk", "4m") as disk:
        data = disk / "data"
        DataDir(data).prepare()
        fill(disk, leave=900 * 1024)  # room for results and the index, not for the 1.2 MB original
        summary = run_batch(request([folder], data))
        [failure] = summary.failed
        assert failure.code == "store_error" and failure.path.endswith("b-exhibit.pdf")
        assert "No space left on device" in failure.message
        assert summary.documents == 3 and summary.pages_indexed == sum(
            len(r.extracted.pages) for r in DataDir(data).results())
        saved = json.loads((data / "batches" / "b.json").read_text())
        assert [f["code"] for f in saved["failed"]] == ["store_error"]
        assert not [p for p in (data / "files").iterdir() if p.name.startswith(".")]  # no half copies
        (disk / ".filler").unlink()
        again = run_batch(request([folder], data))
        assert again.failed == [] and again.unchanged == 2 and again.processed == 1
        assert any(h.path.endswith("b-exhibit.pdf") for h in search(data, "exhibit").hits)


def test_disk_completely_full_the_summary_is_still_returned(sample_batch, tmp_path):
    """Not even the summary fits: run_batch does not raise an OSError over the documents'
    failures; the summary it returns says it could not be saved."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(sample_batch / MOU, folder / MOU)
    with mount_tmpfs(tmp_path / "disk", "1m") as disk:
        data = disk / "data"
        DataDir(data).prepare()
        open_backend(BackendConfig(sqlite_path=data / "index.sqlite")).close()
        fill(disk, leave=0)
        summary = run_batch(request([folder], data))
        codes = [f.code for f in summary.failed]
        assert codes[0] in ("store_error", "unexpected_error") and "summary_not_saved" in codes
        assert any("No space left" in f.message for f in summary.failed)


# --- the search backend fails ------------------------------------------------------------------


@pytest.fixture
def es_env(monkeypatch, es_config):
    """FOIALENS_ES_* for the osmem server with this test's index prefix and quick retries."""
    for key, value in {"PLAIN_JSON": "true", "INDEX_PREFIX": es_config.index_prefix, "MAX_RETRIES": "1",
                       "RETRY_BACKOFF": "0.05", "REQUEST_TIMEOUT": "5"}.items():
        monkeypatch.setenv(f"FOIALENS_ES_{key}", value)
    return es_config


def test_backend_down_from_the_start(text_pdfs, tmp_path, es_env, fault_proxy):
    """The cluster answers 503 to everything: every document is still extracted and saved, the
    failures say why and how to catch up, and the summary is written."""
    proxy = fault_proxy(lambda m, p, b: "503")
    data = tmp_path / "data"
    summary = run_batch(request([text_pdfs], data, backend="elasticsearch", es_url=proxy.url))
    assert summary.documents == 3 and summary.processed == 3
    assert DataDir(data).count_results() == 3
    codes = {f.code for f in summary.failed}
    assert codes <= {"index_error", "not_indexed"} and codes
    assert all("unavailable" in f.message or "reindex" in f.message for f in summary.failed)
    assert (data / "batches" / "b.json").is_file()


@pytest.mark.slow
def test_backend_fails_while_checking_what_is_indexed(text_pdfs, tmp_path, es_env, fault_proxy):
    """BackendUnavailable from the "already indexed?" lookup of reused documents: recorded per
    document, the batch goes on, the summary is written; a later run catches up."""
    data = tmp_path / "data"
    healthy = fault_proxy()
    first = run_batch(request([text_pdfs], data, backend="elasticsearch", es_url=healthy.url))
    assert first.failed == []
    reads_fail = fault_proxy(lambda m, p, b: "503" if "_search" in p else "forward")
    second = run_batch(request([text_pdfs], data, batch="b2", backend="elasticsearch", es_url=reads_fail.url))
    assert second.documents == 3 and second.unchanged == 3
    assert [f.code for f in second.failed][:1] == ["index_error"]
    assert "unavailable" in second.failed[0].message
    assert (data / "batches" / "b2.json").is_file()
    third = run_batch(request([text_pdfs], data, batch="b2", backend="elasticsearch", es_url=healthy.url))
    assert third.failed == []


@pytest.mark.slow
def test_cli_exits_1_when_the_backend_fails_mid_batch(text_pdfs, tmp_path, es_env, fault_proxy):
    """A real `foialens ingest`: the CLI's start-up check passes, then every bulk write gets 503:
    exit 1, the summary printed, each document listed with its reason."""
    proxy = fault_proxy(lambda m, p, b: "503" if "_bulk" in p else "forward")
    env = {**os.environ, "FOIALENS_DATA_DIR": str(tmp_path / "data"), "FOIALENS_EXTRACT_WORKERS": "1"}
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "ingest", str(text_pdfs), "--batch", "cli",
                           "--backend", "elasticsearch", "--es-url", proxy.url, "--json", "--no-ocr"],
                          capture_output=True, text=True, env=env, timeout=400, cwd=ROOT)
    assert done.returncode == 1, done.stderr[-3000:]
    summary = json.loads(done.stdout)
    assert summary["processed"] == 3 and len(summary["failed"]) == 3
    assert summary["failed"][0]["code"] == "index_error" and "unavailable" in summary["failed"][0]["message"]
    assert {f["code"] for f in summary["failed"]} <= {"index_error", "not_indexed"}  # 2 documents are in flight
    assert (tmp_path / "data" / "batches" / "cli.json").is_file()


def test_a_document_whose_task_crashed_is_recorded(text_pdfs, tmp_path):
    """The Prefect task of one document crashed (its future raises, e.g. the task run was
    cancelled or its worker thread died): that document is a failure with the real error and
    the batch goes on."""
    from foialens.flows.document import ingest_document

    def submit(path, ctx):
        future: Future = Future()
        if path.name == MOU:
            future.set_exception(RuntimeError("task run crashed: worker thread died"))
        else:
            future.set_result(ingest_document(path, ctx))
        return future

    data = tmp_path / "data"
    summary = run_batch(request([text_pdfs], data), submit=submit)
    assert summary.documents == 3
    [failure] = summary.failed
    assert failure.path.endswith(MOU) and failure.code == "unexpected_error"
    assert "worker thread died" in failure.message
    assert {Path(r.extracted.path).name for r in DataDir(data).results()} == {CONTRACT, POLICY}
