"""The one way to start an ingest: an :class:`IngestRequest`, then

- :func:`run_ingest` — run the flow in this process and return the batch summary (the CLI's
  ``foialens ingest``, ``foialens watch --direct``, and web jobs in their child process);
- :func:`submit_run` — create a run of the served Prefect deployment (``foialens worker``
  executes it; ``foialens watch --deployment``);
- ``python -m foialens.flows.launcher JOB.json`` — run a request stored in a job file and record
  its state and summary there;
- ``python -m foialens.flows.launcher --serve`` — the same for a stream of job files named on
  standard input, one per line, in one long-lived process that is warmed up first (Prefect
  imported and its API reached — the temporary API server, when no PREFECT_API_URL is set, is
  started once and kept — and the tagger loaded), so a one-page upload is searchable in
  seconds instead of paying ~20 s of start-up per job. The web UI keeps one such child process,
  so a crash or a long OCR run never takes the web server down; it answers ``ready`` once warm
  and ``done JOB`` after each job on standard output, and writes each job's output to
  ``JOB.log`` beside the job file.

A request carries only non-secret overrides (data_dir, backend, es_url, ocr, extract_workers):
credentials stay in the environment of the process that runs the flow, never in run parameters.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from datetime import datetime, timezone
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, computed_field

from foialens.environment import configure_environment
from foialens.files import safe_text, write_atomic
from foialens.flows.request import IngestRequest
from foialens.store.locks import process_identity

FLOW_NAME = "ingest_batch"
DEPLOYMENT = "foialens-ingest"
FULL_NAME = f"{FLOW_NAME}/{DEPLOYMENT}"


def now() -> datetime:
    return datetime.now(timezone.utc)


def run_ingest(request: IngestRequest, progress: bool = False) -> dict:
    """Run the ingest flow in this process (a Prefect flow run) and return the batch summary."""
    from foialens.flows.ingest import ingest_batch

    return ingest_batch(**request.flow_parameters(), progress=progress)


def submit_run(
    request: IngestRequest,
    name: str = FULL_NAME,
    idempotency_key: str | None = None,
    flow_run_name: str | None = None,
    wait_seconds: float | None = 0,
):
    """Create a run of the served deployment; with ``wait_seconds`` 0 return at once (the
    worker picks it up), else wait that long for it to finish. Returns the FlowRun."""
    from prefect.deployments import run_deployment

    return run_deployment(
        name=name,
        parameters=request.flow_parameters(),
        idempotency_key=idempotency_key,
        flow_run_name=flow_run_name,
        timeout=wait_seconds,
        as_subflow=False,
    )


# --- job files: a request with its state, run by a child process --------------------------------

JobState = Literal["queued", "running", "done", "failed", "interrupted"]


class Job(BaseModel):
    id: str
    request: IngestRequest
    source: Literal["folder", "upload", "api"] = "folder"
    state: JobState = "queued"
    created_at: datetime = Field(default_factory=now)
    started_at: datetime | None = None
    finished_at: datetime | None = None
    error: str | None = None
    summary: dict | None = None  # the batch summary the flow returned
    pid: int | None = None
    # which processes the job belongs to (store.locks.process_identity: host, pid, start time):
    # the web server that queued it, and the worker process running it. A server starting on
    # the same data directory leaves the jobs of a live server (or a live worker) alone.
    server: str | None = None
    worker: str | None = None

    @computed_field  # the job's batch and paths at the top level of its JSON (API clients read them)
    @property
    def batch(self) -> str:
        return self.request.batch or ""

    @computed_field
    @property
    def paths(self) -> list[str]:
        return [safe_text(p) for p in self.request.paths]  # for display: always encodable

    @property
    def active(self) -> bool:
        return self.state in ("queued", "running")


def save_job(path: Path, job: Job) -> None:
    write_atomic(path, job.model_dump_json(indent=2))


def load_job(path: Path) -> Job:
    return Job.model_validate_json(Path(path).read_text(encoding="utf-8"))


def run_job(path: Path, runner: str | None = None) -> int:
    """Run the request of a job file, recording running/done/failed and the summary in it.
    ``runner`` ("module:function", called with the IngestRequest) replaces :func:`run_ingest`
    (the web tests use stand-ins to exercise the job machinery in seconds)."""
    job = load_job(path)
    job.state, job.started_at, job.pid, job.worker = "running", now(), os.getpid(), process_identity()
    save_job(path, job)
    try:
        run = run_ingest
        if runner:
            module, _, name = runner.partition(":")
            run = getattr(importlib.import_module(module), name)
        summary = run(job.request)
    except BaseException as exc:  # record every failure, including KeyboardInterrupt
        traceback.print_exc()
        job = load_job(path)
        job.state, job.finished_at = "failed", now()
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        save_job(path, job)
        return 1
    job = load_job(path)
    job.state, job.finished_at = "done", now()
    job.summary = summary if isinstance(summary, dict) else None
    save_job(path, job)
    return 0


def warm_up() -> None:
    """What every ingest in this process needs, done once: Prefect imported and its API reached
    (starting the temporary server when no PREFECT_API_URL is set; it then lives as long as
    this process), the tagger loaded."""
    from prefect.client.orchestration import get_client

    import foialens.flows.ingest  # noqa: F401 - Prefect, the flow, the pipeline modules
    from foialens.flows.pipeline import get_tagger
    from foialens.settings import Settings

    with get_client(sync_client=True) as client:
        client.hello()
    settings = Settings()
    get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)


def serve_jobs(runner: str | None = None, stdin=None, reply=None) -> int:
    """Run the job files named on ``stdin`` (one path per line) until it closes; see the module
    docstring. Each job's standard output and error go to ``<job>.log``."""
    stdin = stdin or sys.stdin
    if reply is None:  # answers on the original standard output; everything else goes to stderr
        reply = os.fdopen(os.dup(1), "w", buffering=1)
        os.dup2(2, 1)
    saved = os.dup(1), os.dup(2)
    if runner is None:
        try:
            warm_up()
        except Exception:  # noqa: BLE001 - each job will say what is wrong
            traceback.print_exc()
    reply.write("ready\n")
    for line in stdin:
        path = Path(line.strip())
        if not line.strip():
            continue
        sys.stdout.flush()
        sys.stderr.flush()
        with open(path.with_suffix(".log"), "ab") as log:
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                code = run_job(path, runner)
            except BaseException:  # noqa: BLE001 - a job file that cannot be read: say so, go on
                traceback.print_exc()
                code = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
        reply.write(f"done {path.stem} {code}\n")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m foialens.flows.launcher",
                                     description="Run the ingest request stored in a job file.")
    parser.add_argument("job", type=Path, nargs="?")
    parser.add_argument("--serve", action="store_true", help="run the job files named on standard input, warm")
    parser.add_argument("--runner", help="module:function to run instead of the ingest flow")
    args = parser.parse_args(argv)
    configure_environment()
    if args.serve:
        return serve_jobs(args.runner)
    if args.job is None:
        parser.error("a job file, or --serve")
    return run_job(args.job, args.runner)


if __name__ == "__main__":
    sys.exit(main())
