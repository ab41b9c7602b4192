"""Operations commands: `foialens serve`, `foialens worker` and `foialens watch`."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Annotated, Optional

import typer

from foialens.cli.common import (
    BackendOption,
    DataDirOption,
    EsUrlOption,
    console,
    fail,
    make_settings,
)

SERVER_HOWTO = (
    "start a Prefect server first (`prefect server start`, UI on http://127.0.0.1:4200) and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api (or `prefect config set PREFECT_API_URL=...`)"
)


def worker(
    documents: Annotated[int, typer.Option(help="Documents at once in this worker (each extracts in its own "
                                                "process when more than 1).")] = 1,
    limit: Annotated[int, typer.Option(help="Deployment flow runs at once (their documents go to the workers).")] = 1,
    name: Annotated[str, typer.Option(help="Deployment name.")] = "foialens-ingest",
    deployment: Annotated[bool, typer.Option(
        "--deployment/--no-deployment",
        help="Also serve the ingest deployment (one per cluster is enough; extra workers can leave it out).")] = True,
    data_dir: Annotated[Optional[Path], typer.Option("--data-dir", help="Default data directory of runs.")] = None,
    backend: Annotated[Optional[str], typer.Option("--backend", help="Default backend of runs.")] = None,
) -> None:
    """Work for a Prefect server (needs PREFECT_API_URL): process the documents of every ingest
    (N workers on one or many hosts share a batch), and serve the ingest deployment.

    Runs created from the Prefect UI or CLI, `foialens watch` or the API are executed here; so are
    the documents of `foialens ingest` and web uploads whose process reaches the same server."""
    from foialens.flows.deploy import api_url, serve_worker

    if not api_url():
        fail(f"no PREFECT_API_URL: {SERVER_HOWTO}")
    defaults = {k: v for k, v in {"data_dir": str(data_dir) if data_dir else None, "backend": backend}.items() if v}
    console.print(f"Worker for {api_url()}: documents {documents} at a time"
                  + (f"; serving ingest_batch/{name} (limit {limit})" if deployment else "") + ". Ctrl-C stops.")
    if deployment:
        console.print(
            f"Start a run: prefect deployment run 'ingest_batch/{name}' --param paths='[\"/path/to/batch\"]' "
            "--param batch=NAME"
        )
    serve_worker(documents=documents, limit=limit, name=name, defaults=defaults, deployment=deployment)


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
    data_dir: DataDirOption = None,
    backend: BackendOption = None,
) -> None:
    """Start an ingest run for each new batch folder or PDF file appearing in FOLDER.

    An entry is triggered once its size has settled; what was triggered is remembered in the
    data directory, so a restart does not trigger it again."""
    from foialens.flows.deploy import api_url
    from foialens.flows.watch import (
        Watcher,
        WatchState,
        deployment_trigger,
        direct_trigger,
    )

    if not folder.is_dir():
        fail(f"{folder}: no such folder")
    settings = make_settings(data_dir, backend)
    use_direct = direct if direct is not None else not api_url()
    run_data_dir = str(data_dir) if data_dir else None
    if use_direct:
        trigger = direct_trigger(settings)
        mode = "in this process"
    else:
        if not api_url():
            fail(f"--deployment needs PREFECT_API_URL: {SERVER_HOWTO}")
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


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[Optional[str], typer.Option(help="Access token (env FOIALENS_TOKEN).")] = None,
    max_upload_mb: Annotated[Optional[int], typer.Option(help="Upload limit per request (env FOIALENS_MAX_UPLOAD_MB).")] = None,
    public_url: Annotated[Optional[str], typer.Option(
        help="The address users reach the UI at, e.g. https://foia.example.org/ (env FOIALENS_PUBLIC_URL); "
             "citation URLs in exports are built from it.")] = None,
    proxy_headers: Annotated[bool, typer.Option(
        "--proxy-headers", help="Behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For from "
                                "--forwarded-allow-ips (the session cookie is then Secure).")] = False,
    forwarded_allow_ips: Annotated[str, typer.Option(
        help="Comma-separated addresses of the proxies whose X-Forwarded-* headers are trusted.")] = "127.0.0.1",
    data_dir: DataDirOption = None,
    backend: BackendOption = None,
    es_url: EsUrlOption = None,
) -> None:
    """Serve the web UI and JSON API (docs at /docs)."""
    settings = make_settings(data_dir, backend, es_url, token=token, max_upload_mb=max_upload_mb,
                             public_url=public_url)
    try:
        from foialens.web.app import create_app

        web_app = create_app(settings, host=host, port=port, proxy_headers=proxy_headers,
                             forwarded_allow_ips=forwarded_allow_ips)
    except ValueError as exc:
        fail(str(exc))
    import uvicorn

    console.print(f"foialens web UI on http://{host}:{port}/ (data: {settings.data_dir})")
    # proxy headers are handled inside the app (create_app), only when asked for
    uvicorn.run(web_app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)
