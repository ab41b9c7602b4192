"""Item 4: `foialens reindex` never drops a document written while it runs. One writer rule:
ingests share the data directory, a reindex needs it to itself (a lock file in the data
directory; a refusal names the holder; a killed holder never leaves it locked)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from concurrent.futures import Future

import pytest

from foialens.flows.batch import run_batch
from foialens.flows.document import ingest_document
from foialens.flows.reindex import rebuild_index
from foialens.flows.request import IngestRequest
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.settings import Settings
from foialens.store.datadir import DataDir
from foialens.store.locks import DataDirBusy, WriterLock
from tests.faults.conftest import CONTRACT, MOU, POLICY


def request(paths, data_dir, batch="b") -> IngestRequest:
    return IngestRequest(paths=[str(p) for p in paths], batch=batch, data_dir=str(data_dir), extract_workers=1,
                         ocr=False)


def indexed_doc_ids(data_dir) -> set[str]:
    backend = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    try:
        return {d.doc_id for d in backend.documents(limit=1000).documents}
    finally:
        backend.close()


@pytest.mark.slow
def test_a_document_ingested_during_a_reindex_is_not_dropped(sample_batch, tmp_path):
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    shutil.copy(sample_batch / CONTRACT, first / CONTRACT)
    shutil.copy(sample_batch / MOU, first / MOU)
    shutil.copy(sample_batch / POLICY, later / POLICY)
    data = tmp_path / "data"
    run_batch(request([first], data, batch="first"))

    loaded, go = threading.Event(), threading.Event()

    def slow_load(result):  # the reindex has read the first stored result and goes on slowly
        loaded.set()
        go.wait(30)

    reindex = threading.Thread(target=rebuild_index, args=(Settings(data_dir=data),), kwargs={"on_result": slow_load})
    reindex.start()
    assert loaded.wait(30)
    out: dict = {}
    ingest = threading.Thread(target=lambda: out.setdefault("summary", run_batch(request([later], data, "later"))))
    ingest.start()
    time.sleep(3)  # the ingest would have finished by now (three pages, no OCR)
    go.set()
    reindex.join(60)
    ingest.join(120)
    assert out["summary"].failed == []
    assert indexed_doc_ids(data) == {r.doc_id for r in DataDir(data).results()}  # all three, none dropped


def test_reindex_refuses_while_an_ingest_runs_and_names_it(text_pdfs, tmp_path):
    data = tmp_path / "data"
    run_batch(request([text_pdfs], data, batch="seed"))
    started, finish = threading.Event(), threading.Event()

    def submit(path, ctx):  # an ingest in progress: its documents take until `finish`
        started.set()
        finish.wait(60)
        future: Future = Future()
        future.set_result(ingest_document(path, ctx))
        return future

    ingest = threading.Thread(target=run_batch, args=(request([text_pdfs], data, batch="slow"),),
                              kwargs={"submit": submit})
    ingest.start()
    try:
        assert started.wait(60)
        env = {**os.environ, "FOIALENS_DATA_DIR": str(data)}
        done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "reindex"], capture_output=True,
                              text=True, env=env, timeout=120)
        assert done.returncode == 2, done.stdout + done.stderr
        message = " ".join(done.stderr.split())
        assert "ingest of batch 'slow'" in message and f"pid {os.getpid()}" in message
        assert "Traceback" not in done.stderr
    finally:
        finish.set()
        ingest.join(60)
    assert WriterLock(data, "reindex", exclusive=True).acquire(wait=5)  # free again afterwards


def test_ingests_share_the_directory(text_pdfs, tmp_path):
    data = tmp_path / "data"
    held = WriterLock(data, "ingest of batch 'other'", exclusive=False).acquire()
    try:
        summary = run_batch(request([text_pdfs], data))  # a second ingest is not blocked
        assert summary.failed == [] and summary.processed == 3
        with pytest.raises(DataDirBusy, match="ingest of batch 'other'"):
            rebuild_index(Settings(data_dir=data))
    finally:
        held.release()
    assert rebuild_index(Settings(data_dir=data)).documents == 3


def test_a_killed_holder_leaves_no_lock_behind(text_pdfs, tmp_path):
    data = tmp_path / "data"
    run_batch(request([text_pdfs], data))
    code = ("import sys, time; from pathlib import Path; from foialens.store.locks import WriterLock; "
            "WriterLock(Path(sys.argv[1]), \"ingest of batch 'doomed'\", exclusive=False).acquire(); "
            "print('held', flush=True); time.sleep(120)")
    holder = subprocess.Popen([sys.executable, "-c", code, str(data)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DataDirBusy, match="doomed"):
            rebuild_index(Settings(data_dir=data))
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    assert rebuild_index(Settings(data_dir=data)).documents == 3
    assert not list((data / "locks").glob("*.json"))  # its record was cleaned up
