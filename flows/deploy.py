"""The Prefect deployment of `ingest_batch`: ``foialens worker`` serves it (runs are created with
``foialens.flows.launcher.submit_run``, the Prefect UI or the Prefect CLI).

    prefect server start                                   # API + UI on http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    foialens worker                                        # serves ingest_batch/foialens-ingest
    prefect deployment run 'ingest_batch/foialens-ingest' --param paths='["/srv/foia/ICLI-2019"]' \\
        --param batch=ICLI-2019

`foialens worker` does two things for a real Prefect server (the temporary one a plain flow call
starts is gone when its process ends, so nobody could send it runs):

- it is a Prefect *task worker* for the per-document step (``flows.remote.remote_document``):
  it loads the tagger once and then takes documents as the server hands them out, ``documents``
  at a time. Every ingest whose flow sees a worker (FOIALENS_DISPATCH=auto, the default, with
  PREFECT_API_URL set) sends its documents to the workers: N `foialens worker` processes on one
  or many hosts share a batch;
- in a child process it serves the deployment ``ingest_batch/foialens-ingest``
  (``ingest_batch.serve``), whose runs (from the Prefect UI or CLI, `foialens watch`) run each
  in a subprocess, ``limit`` at a time; their documents go to the workers in turn.
  ``--no-deployment`` leaves this out (extra workers on other hosts need just one deployment).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from typing import Any

from foialens.environment import configure_environment
from foialens.flows.launcher import DEPLOYMENT


def api_url() -> str | None:
    """The configured PREFECT_API_URL (environment or Prefect profile), or None."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def serve_ingest(limit: int = 1, name: str = DEPLOYMENT, defaults: dict[str, Any] | None = None) -> None:
    """Register the deployment and run its flow runs until interrupted (blocks)."""
    configure_environment()
    from prefect.deployments.runner import EntrypointType

    from foialens.flows.ingest import ingest_batch

    ingest_batch.serve(
        name=name,
        limit=limit,
        parameters=defaults or None,
        tags=["foialens"],
        description="Extract, tag and index a batch of PDFs (files or folders) and summarise it.",
        pause_on_shutdown=False,
        # the flow is imported by module name, so runs work from any working directory
        entrypoint_type=EntrypointType.MODULE_PATH,
    )


def serve_worker(documents: int = 1, limit: int = 1, name: str = DEPLOYMENT, defaults: dict[str, Any] | None = None,
                 deployment: bool = True) -> None:
    """`foialens worker`: the deployment in a child process (unless ``deployment`` is False),
    the document task worker here; blocks until interrupted."""
    configure_environment()
    child = None
    if deployment:
        child = subprocess.Popen([sys.executable, "-m", "foialens.flows.deploy", "--limit", str(limit), "--name", name,
                                  "--defaults", json.dumps(defaults or {})])
    try:
        from foialens.flows.remote import serve_documents

        serve_documents(documents)
    finally:
        if child is not None and child.poll() is None:
            child.terminate()
            try:
                child.wait(20)
            except subprocess.TimeoutExpired:
                child.kill()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m foialens.flows.deploy",
                                     description="Serve the ingest deployment (foialens worker runs this).")
    parser.add_argument("--limit", type=int, default=1)
    parser.add_argument("--name", default=DEPLOYMENT)
    parser.add_argument("--defaults", default="{}")
    args = parser.parse_args(argv)
    try:
        serve_ingest(limit=args.limit, name=args.name, defaults=json.loads(args.defaults) or None)
    except KeyboardInterrupt:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
