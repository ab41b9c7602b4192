"""Background ingest jobs started from the web UI.

Each job runs the ingest flow (``flows.ingest.ingest_batch`` by default) in its own worker
process (``python -m web.worker``), one job at a time, so a crash or a slow OCR run never takes
the web server down and the server's cores stay free for searches. Job state lives in
``<data_dir>/jobs/<id>.json`` (written atomically by the server and the worker) with the
worker's log next to it; the batch page shows it.
"""

from __future__ import annotations

import os
import queue
import secrets
import subprocess
import sys
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from foialens.flows.store import write_atomic

State = Literal["queued", "running", "done", "failed", "interrupted"]
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_RUNNER = "foialens.flows.ingest:ingest_batch"


def now() -> datetime:
    return datetime.now(timezone.utc)


class Job(BaseModel):
    id: str
    batch: str
    paths: list[str]
    source: Literal["folder", "upload", "api"] = "folder"
    force: bool = False
    state: State = "queued"
    created_at: datetime = Field(default_factory=now)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    summary: dict | None = None  # the batch summary the flow returned
    pid: int | None = None

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


def save_job(path: Path, job: Job) -> None:
    write_atomic(path, job.model_dump_json(indent=2))


def load_job(path: Path) -> Job:
    return Job.model_validate_json(path.read_text(encoding="utf-8"))


def settings_env(settings) -> dict[str, str]:
    """FOIALENS_* variables that reproduce ``settings`` in a child process."""
    env = {}
    for name, value in settings.model_dump().items():
        if value is None:
            continue
        env[f"FOIALENS_{name.upper()}"] = str(value).lower() if isinstance(value, bool) else str(value)
    return env


class JobManager:
    def __init__(self, settings, runner: str = DEFAULT_RUNNER):
        self.settings = settings
        self.runner = runner
        self.dir = Path(settings.data_dir) / "jobs"
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for job in self.list():
            if job.active:  # left over by a server that stopped mid-job
                job.state, job.finished_at = "interrupted", now()
                job.error = job.error or "the server stopped before this job finished; submit it again to resume"
                save_job(self._path(job.id), job)
        self._thread = threading.Thread(target=self._loop, name="foialens-ingest", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping = True
        self._queue.put(None)
        with self._lock:
            proc = self._proc
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self._thread is not None:
            self._thread.join(timeout)

    # --- API ----------------------------------------------------------------------------------

    def submit(self, paths: list[str], batch: str, source: str = "folder", force: bool = False) -> Job:
        job = Job(id=now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(4), batch=batch,
                  paths=paths, source=source, force=force)
        self.dir.mkdir(parents=True, exist_ok=True)
        save_job(self._path(job.id), job)
        self._queue.put(job.id)
        return job

    def get(self, job_id: str) -> Job | None:
        if not job_id.replace("-", "").isalnum():
            return None
        path = self._path(job_id)
        return load_job(path) if path.is_file() else None

    def list(self) -> list[Job]:
        if not self.dir.is_dir():
            return []
        jobs = []
        for path in self.dir.glob("*.json"):
            try:
                jobs.append(load_job(path))
            except (ValueError, OSError):
                continue
        return sorted(jobs, key=lambda j: j.created_at, reverse=True)

    def log_tail(self, job_id: str, limit: int = 4000) -> str:
        path = self.dir / f"{job_id}.log"
        if not path.is_file():
            return ""
        data = path.read_bytes()[-limit:]
        return data.decode("utf-8", "replace")

    # --- worker -------------------------------------------------------------------------------

    def _path(self, job_id: str) -> Path:
        return self.dir / f"{job_id}.json"

    def _loop(self) -> None:
        while True:
            job_id = self._queue.get()
            if job_id is None or self._stopping:
                return
            try:
                self._run(job_id)
            except Exception as exc:  # never let the worker thread die
                job = self.get(job_id)
                if job is not None:
                    job.state, job.error, job.finished_at = "failed", f"{type(exc).__name__}: {exc}", now()
                    save_job(self._path(job_id), job)

    def _run(self, job_id: str) -> None:
        path = self._path(job_id)
        env = {**os.environ, **settings_env(self.settings)}
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
        with open(self.dir / f"{job_id}.log", "ab") as log:
            with self._lock:
                if self._stopping:
                    return
                self._proc = subprocess.Popen(
                    [sys.executable, "-m", "foialens.web.worker", str(path), "--runner", self.runner],
                    stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env, cwd=str(ROOT),
                )
            code = self._proc.wait()
            with self._lock:
                self._proc = None
        job = load_job(path)
        if job.active:  # the worker died without recording an outcome
            job.state = "interrupted" if self._stopping else "failed"
            job.finished_at = now()
            tail = self.log_tail(job_id, 600).strip().splitlines()
            job.error = f"worker exited with status {code}" + (f": {tail[-1]}" if tail else "")
            save_job(path, job)
