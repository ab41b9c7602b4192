"""Background ingest jobs started from the web UI.

Each job is an ``IngestRequest`` in a job file, ``<data_dir>/jobs/<id>.json``; one at a time, a
child process runs it (``python -m foialens.flows.launcher JOB.json``, the launcher every way of
starting an ingest shares), so a crash or a slow OCR run never takes the web server down and the
server's cores stay free for searches. The child records its state and the batch summary in the
job file, with its log next to it; the batches page shows them.
"""

from __future__ import annotations

import queue
import secrets
import subprocess
import sys
import threading
from pathlib import Path

from foialens.flows.launcher import IngestRequest, Job, load_job, now, save_job
from foialens.store.locks import identity_alive, process_identity


class JobManager:
    def __init__(self, jobs_dir: Path, runner: str | None = None):
        self.runner = runner  # module:function instead of the ingest flow (tests)
        self.dir = jobs_dir
        self._queue: queue.Queue[str | None] = queue.Queue()
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._thread: threading.Thread | None = None
        self._stopping = False
        self.identity = process_identity()  # recorded in the jobs this server queues

    # --- lifecycle ----------------------------------------------------------------------------

    def start(self) -> None:
        self.dir.mkdir(parents=True, exist_ok=True)
        for job in self.list():
            if job.active and self._orphaned(job):  # left over by a server that stopped mid-job
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

    @staticmethod
    def _orphaned(job: Job) -> bool:
        """An active job nobody will finish: its server is gone and so is its worker process.
        Jobs of another live server (a second `serve` on this data directory) are left alone;
        so is a job whose worker still runs (it records its own outcome)."""
        if identity_alive(job.worker) or identity_alive(job.server):
            return False
        if job.server is not None and identity_alive(job.server) is None:
            return False  # queued by a server on another host sharing the directory: cannot tell
        return True

    # --- API ----------------------------------------------------------------------------------

    def submit(self, request: IngestRequest, source: str = "folder") -> Job:
        job = Job(id=now().strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(4), request=request, source=source,
                  server=self.identity)
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
        command = [sys.executable, "-m", "foialens.flows.launcher", str(path)]
        if self.runner:
            command += ["--runner", self.runner]
        with open(self.dir / f"{job_id}.log", "ab") as log:
            with self._lock:
                if self._stopping:
                    return
                self._proc = subprocess.Popen(
                    command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, cwd=str(self.dir),
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
