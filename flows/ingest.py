"""The Prefect flow ``ingest_batch``: ``flows.batch.run_batch`` with each document as a Prefect
task run and the batch summary published as Prefect artifacts.

Each document's result is saved as soon as it is tagged and indexed right after, so a crash loses
at most the documents in flight, and a re-run skips documents whose result (by content hash and
pipeline version) is already there. Start it through ``foialens.flows.launcher`` (the CLI, web
jobs, ``watch`` and deployment runs all do).
"""

from __future__ import annotations

from foialens.environment import configure_environment

configure_environment()

import logging  # noqa: E402
from pathlib import Path  # noqa: E402

from prefect import flow, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NONE  # noqa: E402
from prefect.runtime import flow_run  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402
from prefect.utilities.annotations import quote  # noqa: E402

from foialens.flows.batch import run_batch  # noqa: E402
from foialens.flows.document import BatchContext, Outcome, ingest_document  # noqa: E402
from foialens.flows.request import IngestRequest  # noqa: E402
from foialens.store.batches import BatchSummary, batch_slug, to_markdown  # noqa: E402

logger = logging.getLogger(__name__)
MAX_THREADS = 8  # documents in flight at most (run_batch keeps extract_workers + 1)


@task(name="document", cache_policy=NONE)
def document(path: Path, ctx: quote[BatchContext]) -> Outcome:
    """One document (``ctx`` is quoted: Prefect passes it through without walking its fields)."""
    return ingest_document(path, ctx.unquote() if isinstance(ctx, quote) else ctx)


def publish_artifacts(summary: BatchSummary, rows: list[dict]) -> None:
    key = "batch-" + batch_slug(summary.batch)
    batch = summary.batch
    create_markdown_artifact(key=key, markdown=to_markdown(summary), description=f"Batch {batch}")
    create_table_artifact(
        key=key + "-documents",
        table=rows or [{"file": "", "pages": 0, "pages_ocr": 0, "status": "no documents", "vendors": "", "clauses": ""}],
        description=f"Documents of batch {batch}",
    )
    create_table_artifact(
        key=key + "-failures",
        table=[f.model_dump() for f in summary.failed] or [{"path": "", "code": "", "message": "none"}],
        description=f"Failed documents in batch {batch}",
    )


WORKERS_WAIT = 60.0  # seconds FOIALENS_DISPATCH=workers waits for a first worker


def workers_for(request: IngestRequest):
    """run_batch's ``remote``: where the documents of this request go (see ingest_batch)."""
    from prefect.settings import PREFECT_API_URL

    mode = request.settings().dispatch
    if mode == "local" or not PREFECT_API_URL.value():  # no real server: no workers to reach
        return None

    def remote(batch, data, local):
        from foialens.flows.remote import RemoteDocuments

        try:
            return RemoteDocuments.connect(request, batch, data, wait=WORKERS_WAIT if mode == "workers" else 0.0,
                                           local=local)
        except Exception as exc:  # noqa: BLE001 - the documents run here instead
            logger.warning("could not reach the workers (%s: %s); documents run in this process",
                           type(exc).__name__, exc)
            return None

    return remote


@flow(name="ingest_batch", task_runner=ThreadPoolTaskRunner(max_workers=MAX_THREADS))
def ingest_batch(
    paths: list[str] | str,
    batch: str | None = None,
    force: bool = False,
    ocr: bool | None = None,
    extract_workers: int | None = None,
    data_dir: str | None = None,
    backend: str | None = None,
    es_url: str | None = None,
    progress: bool = False,
    queued_at: str | None = None,
) -> dict:
    """Ingest PDFs (files or folders) into the search index and summarise the batch.

    ``data_dir``, ``backend``, ``es_url``, ``ocr`` and ``extract_workers`` override the settings
    of the process running the flow (FOIALENS_* environment); credentials come only from that
    environment, never from run parameters. Returns the batch summary (JSON-able dict).

    Where the documents run (FOIALENS_DISPATCH of the process running the flow): ``auto`` sends
    them to `foialens worker` processes when the Prefect server (PREFECT_API_URL) lists at least
    one, else runs them here as task runs in threads; ``workers`` waits up to a minute for a worker;
    ``local`` always runs them here. ``queued_at``: when the ingest was asked for (ISO time)."""
    if isinstance(paths, str):  # e.g. `prefect deployment run ... --param paths=/srv/foia/batch`
        paths = [paths]
    request = IngestRequest(paths=paths, batch=batch, force=force, ocr=ocr, extract_workers=extract_workers,
                            data_dir=data_dir, backend=backend, es_url=es_url, queued_at=queued_at)
    summary = run_batch(
        request, submit=lambda path, ctx: document.submit(path, quote(ctx)), progress=progress,
        publish=publish_artifacts, run_id=flow_run.get_id(), remote=workers_for(request),
    )
    return summary.model_dump(mode="json")
