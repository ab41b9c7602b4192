"""The Prefect deployment of `ingest_batch`: ``foialens worker`` serves it (runs are created with
``foialens.flows.launcher.submit_run``, the Prefect UI or the Prefect CLI).

    prefect server start                                   # API + UI on http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    foialens worker                                        # serves ingest_batch/foialens-ingest
    prefect deployment run 'ingest_batch/foialens-ingest' --param paths='["/srv/foia/ICLI-2019"]' \\
        --param batch=ICLI-2019

`foialens worker` is ``ingest_batch.serve(...)``: it registers the deployment with the server and
runs each of its flow runs in a subprocess, ``limit`` at a time (default 1: a batch already uses
every core). It needs a real Prefect server; the temporary one a plain flow call starts is gone
when the process ends, so nobody could send it runs.
"""

from __future__ import annotations

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
