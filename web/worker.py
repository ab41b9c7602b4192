"""Worker process of one web ingest job: ``python -m web.worker JOB.json [--runner mod:fn]``.

Runs the ingest flow with the job's paths and batch name (settings come from the FOIALENS_*
environment the server passes down) and records the outcome in the job file."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import traceback
from pathlib import Path

from foialens.web.jobs import DEFAULT_RUNNER, load_job, now, save_job


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="web.worker")
    parser.add_argument("job", type=Path)
    parser.add_argument("--runner", default=DEFAULT_RUNNER)
    args = parser.parse_args(argv)
    job = load_job(args.job)
    job.state, job.started_at = "running", now()
    job.pid = os.getpid()
    save_job(args.job, job)
    try:
        module, _, name = args.runner.partition(":")
        runner = getattr(importlib.import_module(module), name)
        from foialens.flows.settings import Settings

        settings = Settings()
        summary = runner(
            paths=job.paths, batch=job.batch, backend=settings.backend,
            data_dir=str(settings.data_dir), force=job.force,
        )
    except BaseException as exc:  # record every failure, including KeyboardInterrupt
        traceback.print_exc()
        job = load_job(args.job)
        job.state, job.finished_at = "failed", now()
        job.error = f"{type(exc).__name__}: {exc}"[:2000]
        save_job(args.job, job)
        return 1
    job = load_job(args.job)
    job.state, job.finished_at = "done", now()
    job.summary = summary if isinstance(summary, dict) else None
    save_job(args.job, job)
    return 0


if __name__ == "__main__":
    sys.exit(main())
