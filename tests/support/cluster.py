"""A small foialens cluster on this machine, for the scale-out tests and bench/run: a real
`prefect server start`, N `foialens worker` processes (each in its own process group, so one can
be SIGKILLed with everything it started), optionally an osmem-server as the one search backend."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        except ProcessLookupError:
            pass


class Cluster:
    """``env``: the environment for everything in the cluster (and for coordinators: the CLI)."""

    def __init__(self, workdir: Path, env: dict | None = None):
        self.workdir = Path(workdir)
        self.logs = self.workdir / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.api = f"http://127.0.0.1:{self.port}/api"
        self.env = {**os.environ, **(env or {}), "PREFECT_API_URL": self.api,
                    "PREFECT_HOME": str(self.workdir / "prefect"), "PYTHONPATH": str(ROOT)}
        self.env.pop("PREFECT_SERVER_ALLOW_EPHEMERAL_MODE", None)
        self.server: subprocess.Popen | None = None
        self.workers: list[subprocess.Popen] = []

    def start_server(self, timeout: float = 180) -> None:
        self.server = subprocess.Popen(
            [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(self.port)],
            env=self.env, stdout=open(self.logs / "server.log", "w"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.wait(lambda: urllib.request.urlopen(f"{self.api}/health", timeout=2).status == 200, timeout,
                  "the Prefect server")

    def start_worker(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        n = len(self.workers)
        proc = subprocess.Popen(
            [sys.executable, "-m", "foialens.cli.main", "worker", "--no-deployment", *args],
            env={**self.env, **(env or {})}, cwd=self.workdir, stdout=open(self.logs / f"worker-{n}.log", "w"),
            stderr=subprocess.STDOUT, start_new_session=True,
        )
        self.workers.append(proc)
        return proc

    def live_workers(self) -> int:
        import json

        request = urllib.request.Request(f"{self.api}/task_workers/filter", data=b"{}", method="POST",
                                         headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as r:
            return len(json.loads(r.read()))

    def wait_workers(self, n: int, timeout: float = 180) -> None:
        self.wait(lambda: self.live_workers() >= n, timeout, f"{n} workers", self.workers)

    def wait(self, check, timeout: float, what: str, procs=()) -> object:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for p in [self.server, *procs]:
                if p is not None and p.poll() is not None:
                    raise RuntimeError(f"{what}: a process exited with {p.returncode}; logs in {self.logs}")
            try:
                value = check()
                if value:
                    return value
            except Exception:  # noqa: BLE001 - not up yet
                pass
            time.sleep(0.3)
        raise TimeoutError(f"timed out waiting for {what}; logs in {self.logs}")

    def kill_worker(self, proc: subprocess.Popen) -> None:
        """SIGKILL a worker and everything it started (extraction processes, tesseract)."""
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def stop_workers(self) -> None:
        for w in self.workers:
            stop(w)
        self.workers = []

    def close(self) -> None:
        self.stop_workers()
        if self.server is not None:
            stop(self.server)

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
