"""Background ingest jobs started from the web UI.

Each job is an ``IngestRequest`` in a job file, ``<data_dir>/jobs/<id>.json``; one at a time, a
long-lived child process runs them (``python -m foialens.flows.launcher --serve``, the launcher
every way of starting an ingest shares), so a crash or a slow OCR run never takes the web server
down and the server's cores stay free for searches. The child is started with the server and
warms up once (Prefect's API, the tagger), so a job pays no start-up: a one-page upload is
searchable in seconds. It records each job's state and batch summary in the job file, with its
log next to it (``<id>.log``); the batches page shows them. If the child dies (a job that crashed
it, the OOM killer), the job it had is marked failed and the next job starts a new child.
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
        threading.Thread(target=self._child, name="foialens-ingest-warm-up", daemon=True).start()

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
        created = now()
        # the batch summary's wall time runs from here (the upload or request received)
        request = request.model_copy(update={"queued_at": request.queued_at or created})
        job = Job(id=created.strftime("%Y%m%d%H%M%S") + "-" + secrets.token_hex(4), request=request, source=source,
                  server=self.identity, created_at=created)
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

    def _child(self) -> subprocess.Popen | None:
        """The runner child process, started (and warmed up) when there is none."""
        with self._lock:
            if self._stopping:
                return None
            if self._proc is None or self._proc.poll() is not None:
                command = [sys.executable, "-m", "foialens.flows.launcher", "--serve"]
                if self.runner:
                    command += ["--runner", self.runner]
                self.dir.mkdir(parents=True, exist_ok=True)
                with open(self.dir / "runner.log", "ab") as log:
                    self._proc = subprocess.Popen(
                        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, cwd=str(self.dir),
                        text=True, bufsize=1,
                    )
            return self._proc

    def _run(self, job_id: str) -> None:
        path = self._path(job_id)
        proc = self._child()
        if proc is None:
            return
        code = None
        try:
            proc.stdin.write(str(path) + "\n")
            proc.stdin.flush()
            while True:  # "ready" (once warm), then "done <id> <code>"
                line = proc.stdout.readline()
                if not line:  # the child died
                    break
                if line.startswith("done "):
                    code = int(line.split()[-1])
                    break
        except (OSError, ValueError):  # a broken pipe: the child is gone
            pass
        if code is None:
            with self._lock:
                status = proc.wait() if self._stopping else proc.poll()
                if status is None:
                    proc.kill()
                    status = proc.wait()
                self._proc = None
            code = status
        job = load_job(path)
        if job.active:  # the worker died without recording an outcome
            job.state = "interrupted" if self._stopping else "failed"
            job.finished_at = now()
            tail = self.log_tail(job_id, 600).strip().splitlines()
            job.error = f"worker exited with status {code}" + (f": {tail[-1]}" if tail else "")
            save_job(path, job)
