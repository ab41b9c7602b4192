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
) -> dict:
    """Ingest PDFs (files or folders) into the search index and summarise the batch.

    ``data_dir``, ``backend``, ``es_url``, ``ocr`` and ``extract_workers`` override the settings
    of the process running the flow (FOIALENS_* environment); credentials come only from that
    environment, never from run parameters. Returns the batch summary (JSON-able dict)."""
    if isinstance(paths, str):  # e.g. `prefect deployment run ... --param paths=/srv/foia/batch`
        paths = [paths]
    request = IngestRequest(paths=paths, batch=batch, force=force, ocr=ocr, extract_workers=extract_workers,
                            data_dir=data_dir, backend=backend, es_url=es_url)
    summary = run_batch(
        request, submit=lambda path, ctx: document.submit(path, quote(ctx)), progress=progress,
        publish=publish_artifacts, run_id=flow_run.get_id(),
    )
    return summary.model_dump(mode="json")
