"""`foialens watch`: settling, remembered triggers, and a real watcher loop starting a real run."""

from __future__ import annotations

import json
import shutil
import threading
import time
from pathlib import Path

import pytest

from foialens.flows.watch import Watcher, WatchState, direct_trigger, signature
from foialens.settings import Settings


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def make_watcher(folder: Path, data_dir: Path, clock: Clock, fired: list, settle: float = 5.0) -> Watcher:
    def trigger(entry):
        fired.append((entry.path.name, entry.kind, entry.batch))
        return f"run-{len(fired)}"

    return Watcher(folder, trigger, WatchState.for_folder(data_dir, folder), settle=settle, clock=clock)


def test_entries_fire_once_settled_and_never_again_after_restart(tmp_path):
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    clock, fired = Clock(), []
    w = make_watcher(inbox, data, clock, fired)
    (inbox / "notes.txt").write_text("not a pdf")
    (inbox / "loose.pdf").write_bytes(b"%PDF-1.4 part")
    (inbox / "big.pdf.part").write_bytes(b"%PDF- downloading")
    batch = inbox / "2019-ICLI-00001"
    batch.mkdir()
    (batch / "a.pdf").write_bytes(b"%PDF-1.4 a")
    assert w.poll_once() == []  # first sight: not settled yet
    clock.now = 3
    (inbox / "loose.pdf").write_bytes(b"%PDF-1.4 part, growing")  # still being copied
    assert w.poll_once() == []
    clock.now = 6
    assert [e.path.name for e in w.poll_once()] == ["2019-ICLI-00001"]  # settled 6 s; loose.pdf 3 s
    clock.now = 9
    assert [e.path.name for e in w.poll_once()] == ["loose.pdf"]
    assert fired == [("2019-ICLI-00001", "folder", "2019-ICLI-00001"), ("loose.pdf", "file", "loose")]
    clock.now = 30
    assert w.poll_once() == []

    # a restarted watcher (same data dir) does not trigger them again
    again = make_watcher(inbox, data, Clock(), fired, settle=0)
    assert again.poll_once() == []
    state = json.loads(again.state.path.read_text())["triggered"]
    assert state["loose.pdf"]["run"] == "run-2" and state["2019-ICLI-00001"]["batch"] == "2019-ICLI-00001"

    # more files copied into a batch folder later: triggered again once settled
    (batch / "b.pdf").write_bytes(b"%PDF-1.4 b")
    assert [e.path.name for e in again.poll_once()] == ["2019-ICLI-00001"]


def test_folders_without_pdfs_or_with_partial_downloads_wait(tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    assert signature(folder) is None
    (folder / "x.pdf").write_bytes(b"%PDF-")
    (folder / "y.pdf.crdownload").write_bytes(b"%PDF-")
    assert signature(folder) is None
    (folder / "y.pdf.crdownload").rename(folder / "y.pdf")
    assert signature(folder) is not None
    assert signature(tmp_path / "missing.pdf") is None


def test_a_failing_trigger_is_retried_on_the_next_poll(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "x.pdf").write_bytes(b"%PDF-")
    calls = []

    def trigger(entry):
        calls.append(entry.path.name)
        if len(calls) == 1:
            raise ConnectionError("server down")
        return "ok"

    w = Watcher(inbox, trigger, WatchState.for_folder(tmp_path / "data", inbox), settle=0)
    assert w.poll_once() == [] and "server down" in w.errors[0]
    assert [e.path.name for e in w.poll_once()] == ["x.pdf"]
    assert w.poll_once() == [] and calls == ["x.pdf", "x.pdf"]


@pytest.mark.slow
def test_watcher_loop_starts_a_real_flow_run(tmp_path, sample_batch):
    """A real Watcher.run loop in a thread with the direct trigger (the flow runs in this process:
    no Prefect server/worker is started here); a batch folder copied in slowly is ingested once."""
    inbox, data = tmp_path / "inbox", tmp_path / "data"
    inbox.mkdir()
    state = WatchState.for_folder(data, inbox)
    watcher = Watcher(inbox, direct_trigger(Settings(data_dir=data)), state, settle=1.0, poll=0.2)
    stop = threading.Event()
    fired = []
    thread = threading.Thread(target=watcher.run, args=(stop, fired.append), daemon=True)
    thread.start()
    try:
        staging = inbox / "2019-ICFO-12345"
        staging.mkdir()
        for name in ("ice-foia-cover-letter-2019-ICFO-12345.pdf", "riverton-pd-alpr-policy.pdf"):
            shutil.copy(sample_batch / name, staging / name)
            time.sleep(0.5)  # still arriving: must not trigger yet
            assert not fired
        deadline = time.monotonic() + 240
        while not fired and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop.set()
        thread.join(timeout=300)
    assert [e.batch for e in fired] == ["2019-ICFO-12345"], watcher.errors
    summary = json.loads((data / "batches" / "2019-icfo-12345.json").read_text())
    assert summary["documents"] == 2 and summary["failed"] == [] and summary["pages_indexed"] == summary["pages"]
    assert "direct:2019-ICFO-12345:2 documents" in state.triggered["2019-ICFO-12345"]["run"]
    # restart: nothing new
    assert Watcher(inbox, direct_trigger(Settings(data_dir=data)), WatchState.for_folder(data, inbox), settle=0).poll_once() == []
