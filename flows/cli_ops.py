"""Operations commands: `foialens worker`, `foialens watch`, and the batch listing/comparison
behind `foialens batches`. Registered on the main app by ``register(app)``."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True)

SERVER_HOWTO = (
    "start a Prefect server first (`prefect server start`, UI on http://127.0.0.1:4200) and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api (or `prefect config set PREFECT_API_URL=...`)"
)


def _settings(data_dir: Path | None = None, backend: str | None = None, es_url: str | None = None):
    from foialens.flows.cli import make_settings

    return make_settings(data_dir, backend, es_url)


def worker(
    limit: Annotated[int, typer.Option(help="Flow runs at once (each already uses every core).")] = 1,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "foialens-ingest",
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Default data directory of runs.")] = None,
    backend: Annotated[Optional[str], typer.Option("--backend", help="Default backend of runs.")] = None,
) -> None:
    """Serve the ingest deployment to a Prefect server (needs PREFECT_API_URL).

    Runs created from the Prefect UI or CLI, `foialens watch` or the API are executed here."""
    from foialens.flows.deploy import api_url, serve_ingest

    if not api_url():
        err.print(f"[bold red]error:[/] no PREFECT_API_URL: {SERVER_HOWTO}")
        raise typer.Exit(2)
    defaults = {k: v for k, v in {"data_dir": str(data_dir) if data_dir else None, "backend": backend}.items() if v}
    console.print(f"Serving ingest_batch/{name} to {api_url()} (limit {limit}); Ctrl-C stops.")
    console.print(
        f"Start a run: prefect deployment run 'ingest_batch/{name}' --param paths='[\"/path/to/batch\"]' "
        "--param batch=NAME"
    )
    serve_ingest(limit=limit, name=name, defaults=defaults)


def watch(
    folder: Annotated[Path, typer.Argument(help="Folder where batch folders or PDF files appear.")],
    direct: Annotated[Optional[bool], typer.Option(
        "--direct/--deployment",
        help="Run the flow in this process, or create runs of the served deployment "
             "(default: --deployment when PREFECT_API_URL is set, else --direct).")] = None,
    deployment: Annotated[str, typer.Option(help="Deployment to trigger.")] = "ingest_batch/foialens-ingest",
    settle: Annotated[float, typer.Option(help="Seconds an entry's size must stay unchanged.")] = 5.0,
    poll: Annotated[float, typer.Option(help="Seconds between looks at the folder.")] = 2.0,
    once: Annotated[bool, typer.Option(help="Look until nothing is left unsettled, then exit.")] = False,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Data directory (env FOIALENS_DATA_DIR).")] = None,
    backend: Annotated[Optional[str], typer.Option("--backend", help="sqlite or elasticsearch.")] = None,
) -> None:
    """Start an ingest run for each new batch folder or PDF file appearing in FOLDER.

    An entry is triggered once its size has settled; what was triggered is remembered in the
    data directory, so a restart does not trigger it again."""
    from foialens.flows.deploy import api_url
    from foialens.flows.watch import Watcher, WatchState, deployment_trigger, direct_trigger

    if not folder.is_dir():
        err.print(f"[bold red]error:[/] {folder}: no such folder")
        raise typer.Exit(2)
    settings = _settings(data_dir, backend)
    use_direct = direct if direct is not None else not api_url()
    run_data_dir = str(data_dir) if data_dir else None
    if use_direct:
        trigger = direct_trigger(str(settings.data_dir), settings.backend)
        mode = "in this process"
    else:
        if not api_url():
            err.print(f"[bold red]error:[/] --deployment needs PREFECT_API_URL: {SERVER_HOWTO}")
            raise typer.Exit(2)
        trigger = deployment_trigger(deployment, data_dir=run_data_dir, backend=backend)
        mode = f"as runs of {deployment} at {api_url()}"
    state = WatchState.for_folder(settings.data_dir, folder)
    watcher = Watcher(folder, trigger, state, settle=settle, poll=poll)
    console.print(f"Watching {folder} (settle {settle:g} s); runs start {mode}. State: {state.path}")

    def report(entry) -> None:
        console.print(f"triggered {entry.kind} {entry.path.name} as batch {entry.batch}: "
                      f"{state.triggered[entry.path.name]['run']}")

    if once:
        import time

        while True:
            for entry in watcher.poll_once():
                report(entry)
            if not watcher._candidates:
                break
            time.sleep(poll)
        return
    stop = threading.Event()
    try:
        watcher.run(stop, on_trigger=report)
    except KeyboardInterrupt:
        stop.set()


def batches_command(as_json: bool, compare: str | None, data_dir: Path | None) -> None:
    """List batches (oldest first) or compare one with the batches before it."""
    from foialens.flows.summary import compare_batches, comparison_markdown, load_summaries

    settings = _settings(data_dir)
    summaries = load_summaries(settings.batches_dir)
    if compare is not None:
        current = next((s for s in summaries if s.batch == compare), None)
        if current is None:
            err.print(f"[bold red]error:[/] no batch named {compare!r} in {settings.data_dir}")
            raise typer.Exit(2)
        comparison = compare_batches(current, summaries)
        if as_json:
            print(json.dumps({"batch": current.batch, **comparison.model_dump(mode="json")}))
        else:
            console.print(f"[bold]Batch {current.batch}[/] ({current.started_at:%Y-%m-%d %H:%M})")
            console.print(comparison_markdown(comparison), markup=False, highlight=False)
        return
    if as_json:
        print(json.dumps([s.model_dump(mode="json") for s in summaries]))
        return
    if not summaries:
        console.print(f"No batches in {settings.data_dir} yet.")
        return
    table = Table("batch", "started", "docs", "pages", "OCR", "failed", "redacted", "vendors",
                  "ice_access", "ice_restriction", "new vs earlier")
    for s in summaries:
        c = s.comparison
        new = "-" if c is None or not c.earlier else (
            ", ".join(c.new_vendors + c.new_agencies + c.new_data_types) or "nothing new")
        table.add_row(
            s.batch, f"{s.started_at:%Y-%m-%d %H:%M}", str(s.documents), str(s.pages), str(s.pages_ocr),
            str(len(s.failed)), f"{s.redacted_share:.1%}", ", ".join(s.vendors) or "-",
            str(s.clauses.get("ice_access", 0)), str(s.clauses.get("ice_restriction", 0)), new,
        )
    console.print(table)
    for s in summaries:
        for f in s.failed:
            console.print(f"[red]{s.batch}: failed[/] {f.path}: {f.code} — {f.message}")


def register(app: typer.Typer) -> None:
    app.command()(worker)
    app.command()(watch)
