"""The whole operations path for real: `prefect server start`, `foialens worker` serving the
ingest deployment, a watcher creating a run of it for a PDF dropped into a folder, the served
worker running it to completion."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(check, seconds: float, what: str, procs=()):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        for p in procs:
            assert p.poll() is None, f"{what}: process exited with {p.returncode}"
        try:
            value = check()
            if value:
                return value
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)


def test_watch_triggers_a_run_of_the_served_deployment(tmp_path, sample_batch):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from foialens.flows.launcher import FULL_NAME
    from foialens.flows.watch import Watcher, WatchState, deployment_trigger

    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    data, inbox = tmp_path / "data", tmp_path / "inbox"
    inbox.mkdir()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_API_URL": api,
           "FOIALENS_DATA_DIR": str(data)}
    logs = tmp_path / "logs"
    logs.mkdir()
    server = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=open(logs / "server.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    worker = None
    try:
        wait_for(lambda: urllib.request.urlopen(f"{api}/health", timeout=2).status == 200, 180,
                 "prefect server", [server])
        worker = subprocess.Popen(
            [sys.executable, "-m", "foialens.cli.main", "worker"], env=env, cwd=tmp_path,
            stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        with temporary_settings(updates={PREFECT_API_URL: api}):
            with get_client(sync_client=True) as client:
                wait_for(lambda: client.read_deployment_by_name(FULL_NAME), 180, "the served deployment",
                         [server, worker])
            shutil.copy(sample_batch / "cbp-venntel-location-data-sow.pdf", inbox / "venntel-sow.pdf")
            state = WatchState.for_folder(data, inbox)
            watcher = Watcher(inbox, deployment_trigger(), state, settle=0.5)
            fired = wait_for(watcher.poll_once, 30, "the watcher to trigger")
            assert [e.batch for e in fired] == ["venntel-sow"], watcher.errors
            run_id = state.triggered["venntel-sow.pdf"]["run"]
            with get_client(sync_client=True) as client:
                run = wait_for(
                    lambda: (r := client.read_flow_run(run_id)).state.is_final() and r, 240,
                    "the flow run", [server, worker])
            assert run.state.is_completed(), (run.state, (logs / "worker.log").read_text()[-3000:])
            assert run.parameters["paths"] == [str((inbox / "venntel-sow.pdf").resolve())]
            # a second look (or a restarted watcher) creates no new run
            assert Watcher(inbox, deployment_trigger(), WatchState.for_folder(data, inbox), settle=0).poll_once() == []
        summary = json.loads((data / "batches" / "venntel-sow.json").read_text())
        assert summary["documents"] == 1 and summary["failed"] == [] and "venntel" in summary["vendors"]
        assert summary["flow_run_id"] == str(run_id)
    finally:
        if worker is not None:
            stop(worker)
        stop(server)
