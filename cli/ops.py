"""Operations commands: `foialens serve`, `foialens worker` and `foialens watch`."""

from __future__ import annotations

import threading
from pathlib import Path

import click

from foialens.cli.common import PATH, backend_option, console, data_dir_option, fail, index_options, make_settings

SERVER_HOWTO = (
    "start a Prefect server first (`prefect server start`, UI on http://127.0.0.1:4200) and set "
    "PREFECT_API_URL=http://127.0.0.1:4200/api (or `prefect config set PREFECT_API_URL=...`)"
)


@click.command()
@click.option("--documents", type=int, default=1, show_default=True,
              help="Documents at once in this worker (each extracts in its own process when more than 1).")
@click.option("--limit", type=int, default=1, show_default=True,
              help="Deployment flow runs at once (their documents go to the workers).")
@click.option("--name", default="foialens-ingest", show_default=True, help="Deployment name.")
@click.option("--deployment/--no-deployment", default=True, show_default=True,
              help="Also serve the ingest deployment (one per cluster is enough; extra workers can leave it out).")
@click.option("--data-dir", type=PATH, help="Default data directory of runs.")
@click.option("--backend", help="Default backend of runs.")
def worker(documents: int, limit: int, name: str, deployment: bool, data_dir: Path | None, backend: str | None) -> None:
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


@click.command()
@click.argument("folder", type=PATH)
@click.option("--direct/--deployment", "direct", default=None,
              help="Run the flow in this process, or create runs of the served deployment "
                   "(default: --deployment when PREFECT_API_URL is set, else --direct).")
@click.option("--deployment-name", "deployment", default="ingest_batch/foialens-ingest", show_default=True,
              help="Deployment to trigger.")
@click.option("--settle", type=float, default=5.0, show_default=True, help="Seconds an entry's size must stay unchanged.")
@click.option("--poll", type=float, default=2.0, show_default=True, help="Seconds between looks at the folder.")
@click.option("--once/--no-once", default=False, show_default=True, help="Look until nothing is left unsettled, then exit.")
@data_dir_option
@backend_option
def watch(folder: Path, direct: bool | None, deployment: str, settle: float, poll: float, once: bool,
          data_dir, backend) -> None:
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


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; anything but loopback needs a token.")
@click.option("--port", type=int, default=8000, show_default=True, help="TCP port.")
@click.option("--token", help="Access token (env FOIALENS_TOKEN).")
@click.option("--max-upload-mb", type=int, help="Upload limit per request (env FOIALENS_MAX_UPLOAD_MB).")
@click.option("--public-url", help="The address users reach the UI at, e.g. https://foia.example.org/ "
                                   "(env FOIALENS_PUBLIC_URL); citation URLs in exports are built from it.")
@click.option("--proxy-headers", is_flag=True, help="Behind a TLS-terminating proxy: trust X-Forwarded-Proto/-For "
                                                    "from --forwarded-allow-ips (the session cookie is then Secure).")
@click.option("--forwarded-allow-ips", default="127.0.0.1", show_default=True,
              help="Comma-separated addresses of the proxies whose X-Forwarded-* headers are trusted.")
@index_options
def serve(host: str, port: int, token: str | None, max_upload_mb: int | None, public_url: str | None,
          proxy_headers: bool, forwarded_allow_ips: str, data_dir, backend, es_url) -> None:
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
