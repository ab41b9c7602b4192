"""The Prefect deployment of `ingest_batch`, and starting runs of it.

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

from foialens.flows.environment import configure_environment

configure_environment()

from typing import Any  # noqa: E402

FLOW_NAME = "ingest_batch"
DEPLOYMENT = "foialens-ingest"
FULL_NAME = f"{FLOW_NAME}/{DEPLOYMENT}"


def api_url() -> str | None:
    """The configured PREFECT_API_URL (environment or Prefect profile), or None."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def run_parameters(
    paths: list[str],
    batch: str | None = None,
    backend: str | None = None,
    data_dir: str | None = None,
    force: bool = False,
    extract_workers: int | None = None,
) -> dict[str, Any]:
    """The parameters of one ingest run, leaving out what the worker's own settings decide."""
    params: dict[str, Any] = {"paths": [str(p) for p in paths]}
    for key, value in (("batch", batch), ("backend", backend), ("data_dir", data_dir),
                       ("extract_workers", extract_workers)):
        if value is not None:
            params[key] = value
    if force:
        params["force"] = True
    return params


def serve_ingest(limit: int = 1, name: str = DEPLOYMENT, defaults: dict[str, Any] | None = None) -> None:
    """Register the deployment and run its flow runs until interrupted (blocks)."""
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


def trigger_run(
    parameters: dict[str, Any],
    name: str = FULL_NAME,
    idempotency_key: str | None = None,
    flow_run_name: str | None = None,
    wait_seconds: float | None = 0,
):
    """Create a flow run of the deployment; with ``wait_seconds`` 0 return at once (the served
    worker picks it up), else wait that long for it to finish. Returns the FlowRun."""
    from prefect.deployments import run_deployment

    return run_deployment(
        name=name,
        parameters=parameters,
        idempotency_key=idempotency_key,
        flow_run_name=flow_run_name,
        timeout=wait_seconds,
        as_subflow=False,
    )
