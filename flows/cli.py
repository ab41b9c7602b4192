"""The `foialens` command line."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Annotated, Optional

from foialens.flows.environment import configure_environment

configure_environment()

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402
from rich.text import Text  # noqa: E402

app = typer.Typer(
    name="foialens",
    help="Search FOIA releases and contracts for surveillance vendors, data types and ICE-access clauses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
err = Console(stderr=True)

DataDir = Annotated[
    Optional[Path], typer.Option("--data-dir", help="Data directory (env FOIALENS_DATA_DIR).")
]
Backend = Annotated[
    Optional[str],
    typer.Option("--backend", help="sqlite (embedded, default) or elasticsearch (env FOIALENS_BACKEND)."),
]
EsUrl = Annotated[Optional[str], typer.Option("--es-url", help="Elasticsearch URL (env FOIALENS_ES_URL).")]


def make_settings(data_dir: Path | None = None, backend: str | None = None, es_url: str | None = None, **more):
    from pydantic import ValidationError

    from foialens.flows.settings import Settings

    overrides = {"data_dir": data_dir, "backend": backend, "es_url": es_url, **more}
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        fail(f"invalid setting: {exc.errors()[0]['loc'][0]}: {exc.errors()[0]['msg']}")


def fail(message: str, code: int = 2) -> None:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="PDF files and/or folders (searched recursively).")],
    batch: Annotated[Optional[str], typer.Option(help="Batch name (default: folder name or timestamp).")] = None,
    force: Annotated[bool, typer.Option(help="Reprocess documents even if already ingested.")] = False,
    ocr: Annotated[bool, typer.Option(help="OCR scanned pages with tesseract.")] = True,
    as_json: Annotated[bool, typer.Option("--json", help="Print the batch summary as JSON.")] = False,
    data_dir: DataDir = None,
    backend: Backend = None,
    es_url: EsUrl = None,
) -> None:
    """Extract, tag and index PDFs as one batch (a Prefect flow run), then print its summary."""
    from foialens.flows.pipeline import discover_pdfs

    found = discover_pdfs(paths)
    if not found.files:
        for p in found.problems:
            err.print(f"[red]{p['path']}[/]: {p['message']}")
        fail("nothing to ingest: no PDF files found")
    settings = make_settings(data_dir, backend, es_url)
    _check_backend(settings)
    from foialens.flows.ingest import ingest_batch

    summary = ingest_batch(
        paths=[str(p) for p in paths],
        batch=batch,
        backend=settings.backend,
        data_dir=str(settings.data_dir),
        force=force,
        ocr=ocr,
        progress=not as_json and console.is_terminal,
    )
    if as_json:
        print(json.dumps(summary))
    else:
        _print_summary(summary, settings)
    if summary["failed"]:
        raise typer.Exit(1)


def _check_backend(settings) -> None:
    from foialens.search.backend import BackendUnavailable
    from foialens.search.factory import open_backend

    try:
        open_backend(settings.backend_config()).close()
    except BackendUnavailable as exc:
        fail(str(exc))


def _print_summary(s: dict, settings) -> None:
    console.print(
        f"[bold]Batch {s['batch']}[/]: {s['documents']} documents "
        f"({s['processed']} processed, {s['unchanged']} unchanged, {len(s['failed'])} failed), "
        f"{s['pages']} pages ({s['pages_ocr']} OCR), {s['pages_indexed']} pages indexed "
        f"in {s['seconds']:.1f} s"
    )
    table = Table(show_header=True, header_style="bold")
    table.add_column("found")
    table.add_column("ids (documents or count)")
    for key in ("vendors", "data_types", "agencies", "clauses", "exemptions"):
        table.add_row(key, ", ".join(f"{k} ({v})" for k, v in s[key].items()) or "-")
    console.print(table)
    for f in s["failed"]:
        console.print(f"[red]failed[/] {f['path']}: {f['code']} — {f['message']}")
    console.print(f"Data directory: {settings.data_dir} (backend: {s['backend']})")


@app.command()
def analyze(
    files: Annotated[list[Path], typer.Argument(help="PDF files to analyse (nothing is indexed).")],
    as_json: Annotated[bool, typer.Option("--json", help="JSON Lines, one object per document.")] = False,
    batch: Annotated[str, typer.Option(help="Batch name to record in the output.")] = "",
    ocr: Annotated[bool, typer.Option(help="OCR scanned pages with tesseract.")] = True,
) -> None:
    """Analyse PDFs and print vendors, data types, agencies, clauses, exemptions and redactions."""
    from foialens.flows.pipeline import analyze_file, get_tagger

    settings = make_settings()
    tagger = get_tagger(settings.spacy_model, settings.use_ner)
    failures = 0
    for path in files:
        result = analyze_file(path, tagger, batch=batch, limits=settings.extract_limits(), ocr=ocr)
        out = result.contract()
        failures += bool(result.failed)
        if as_json:
            print(json.dumps(out, ensure_ascii=False), flush=True)
        else:
            _print_analysis(out)
    if failures:
        raise typer.Exit(1)


def _print_analysis(d: dict) -> None:
    console.rule(f"[bold]{d['path']}[/]  ({d['pages']} pages, OCR: {d['pages_ocr'] or 'none'})")
    for e in d["errors"]:
        console.print(f"[red]{e['code']}[/] {e['message']}" + (f" (page {e['page']})" if e.get("page") else ""))
    for key in ("vendors", "data_types", "agencies"):
        for t in d[key]:
            pages = sorted({m["page"] for m in t["mentions"]})
            console.print(f"{key[:-1]:>10}: [bold]{t['name']}[/] ({t['id']}) pages {pages}")
    for c in d["clauses"]:
        console.print(f"{'clause':>10}: [bold]{c['label']}[/] {c['score']:.2f} p.{c['page']}: {' '.join(c['text'].split())}")
    if d["exemptions"]:
        codes = sorted({(e["code"], e["page"]) for e in d["exemptions"]})
        console.print(f"{'exemption':>10}: " + ", ".join(f"{c} p.{p}" for c, p in codes))
    if d["redactions"]:
        console.print(f"{'redaction':>10}: {len(d['redactions'])} boxes, {d['redacted_share']:.1%} of page area")


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Query: words, "phrases", OR, -exclude, prefix*.')] = "",
    vendor: Annotated[Optional[list[str]], typer.Option(help="Vendor id filter (repeatable).")] = None,
    data_type: Annotated[Optional[list[str]], typer.Option(help="Data type id filter.")] = None,
    agency: Annotated[Optional[list[str]], typer.Option(help="Agency id filter.")] = None,
    clause: Annotated[Optional[list[str]], typer.Option(help="Clause label filter.")] = None,
    exemption: Annotated[Optional[list[str]], typer.Option(help="FOIA exemption code filter, e.g. b7c.")] = None,
    redaction: Annotated[
        Optional[list[str]], typer.Option(help="redacted (page has redaction boxes) or text_under_box (bad redaction).")
    ] = None,
    batch: Annotated[Optional[list[str]], typer.Option(help="Batch filter.")] = None,
    year: Annotated[Optional[list[str]], typer.Option(help="Year filter.")] = None,
    page: Annotated[int, typer.Option(help="Result page (from 1).")] = 1,
    page_size: Annotated[int, typer.Option(help="Hits per result page.")] = 10,
    cursor: Annotated[Optional[str], typer.Option(help="Cursor from a previous --json result (deep paging).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print hits, facets and next cursor as JSON.")] = False,
    data_dir: DataDir = None,
    backend: Backend = None,
    es_url: EsUrl = None,
) -> None:
    """Search indexed pages; filters narrow by tag."""
    from pydantic import ValidationError

    from foialens.search.backend import SearchError
    from foialens.search.factory import open_backend
    from foialens.search.records import SearchQuery

    filters = {
        "vendors": vendor, "data_types": data_type, "agencies": agency, "clauses": clause,
        "exemptions": exemption, "redactions": redaction, "batch": batch, "year": year,
    }
    filters = {k: v for k, v in filters.items() if v}
    if not query.strip() and not filters:
        fail("empty query: give search words or at least one filter (e.g. --vendor palantir)")
    settings = make_settings(data_dir, backend, es_url)
    if settings.backend == "sqlite" and not (settings.data_dir / "index.sqlite").exists():
        fail(f"no index in {settings.data_dir} yet: run `foialens ingest PATH` first")
    try:
        q = SearchQuery(text=query, filters=filters, page=page, page_size=page_size, cursor=cursor)
    except ValidationError as exc:
        fail(exc.errors()[0]["msg"])
    try:
        engine = open_backend(settings.backend_config())
        try:
            result = engine.search(q)
        finally:
            engine.close()
    except SearchError as exc:
        fail(str(exc))
    if as_json:
        print(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        return
    _print_hits(result, q)


_MARK = re.compile(r"<mark>(.*?)</mark>", re.S)


def snippet_text(snippet: str) -> Text:
    """Render a backend snippet (escaped HTML with <mark>) for the terminal."""
    out = Text()
    pos = 0
    for m in _MARK.finditer(snippet):
        out.append(html.unescape(snippet[pos : m.start()]))
        out.append(html.unescape(m.group(1)), style="bold black on yellow")
        pos = m.end()
    out.append(html.unescape(snippet[pos:]))
    return out


def _print_hits(result, q) -> None:
    from foialens.search.records import TAG_FIELDS

    first = (q.page - 1) * q.page_size
    console.print(f"[bold]{result.total}[/] matching pages" + (f", showing {first + 1}-{first + len(result.hits)}" if result.hits else ""))
    for i, hit in enumerate(result.hits, start=first + 1):
        console.print(f"\n[bold cyan]{i}. {hit.title}[/] — page {hit.page}  [dim]{hit.path}  score {hit.score:.2f}[/]")
        console.print(snippet_text(hit.snippet))
        tags = [f"{k}: {', '.join(v)}" for k in TAG_FIELDS if (v := getattr(hit, k))]
        if tags:
            console.print("[dim]" + " | ".join(tags) + "[/]")
    if result.facets:
        console.print()
        for field, values in result.facets.items():
            if values:
                console.print(f"[bold]{field}[/]: " + ", ".join(f"{v.value} ({v.count})" for v in values[:10]))


@app.command()
def reindex(
    data_dir: DataDir = None,
    backend: Backend = None,
    es_url: EsUrl = None,
) -> None:
    """Rebuild the search index from the stored results (no re-extraction), swapping it in at the end."""
    from foialens.flows.store import ResultStore
    from foialens.search.backend import SearchError
    from foialens.search.factory import open_backend

    settings = make_settings(data_dir, backend, es_url)
    store = ResultStore(settings.results_dir, settings.files_dir)
    if not len(store):
        fail(f"no stored results in {settings.results_dir}: run `foialens ingest PATH` first")

    def records():
        for result in store:
            if not result.failed:
                yield from result.page_records()

    try:
        engine = open_backend(settings.backend_config())
        try:
            report = engine.rebuild(records())
        finally:
            engine.close()
    except SearchError as exc:
        fail(str(exc))
    console.print(f"Reindexed {report.indexed} pages of {report.documents} documents ({settings.backend}).")
    for e in report.errors:
        console.print(f"[red]failed[/] {e}")
    if report.errors:
        raise typer.Exit(1)


@app.command()
def batches(
    as_json: Annotated[bool, typer.Option("--json")] = False,
    compare: Annotated[Optional[str], typer.Option(help="Compare this batch with the batches before it.")] = None,
    data_dir: DataDir = None,
) -> None:
    """List ingested batches with their summaries, or compare one with the earlier ones."""
    from foialens.flows.cli_ops import batches_command

    batches_command(as_json, compare, data_dir)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on; anything but loopback needs a token.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port.")] = 8000,
    token: Annotated[Optional[str], typer.Option(envvar="FOIALENS_TOKEN", help="Access token (env FOIALENS_TOKEN).")] = None,
    max_upload_mb: Annotated[int, typer.Option(envvar="FOIALENS_MAX_UPLOAD_MB", help="Upload limit per request.")] = 200,
    data_dir: DataDir = None,
    backend: Backend = None,
    es_url: EsUrl = None,
) -> None:
    """Serve the web UI and JSON API (docs at /docs)."""
    settings = make_settings(data_dir, backend, es_url)
    try:
        from foialens.web.app import create_app

        web_app = create_app(settings, token=token, host=host, max_upload_mb=max_upload_mb)
    except ValueError as exc:
        fail(str(exc))
    import uvicorn

    console.print(f"foialens web UI on http://{host}:{port}/ (data: {settings.data_dir})")
    uvicorn.run(web_app, host=host, port=port, log_level="warning", proxy_headers=False, server_header=False)


@app.command("sample-batch")
def sample_batch(out_dir: Annotated[Path, typer.Argument(help="Folder to write the sample PDFs into.")]) -> None:
    """Generate the bundled sample batch (contracts, MOU, policy, FOIA productions, scans)."""
    from foialens.samples.generate import generate_sample_batch

    folder = generate_sample_batch(out_dir)
    pdfs = sorted(folder.glob("*.pdf"))
    console.print(f"{len(pdfs)} sample PDFs in {folder}")


def main() -> None:
    app()


from foialens.flows import cli_models  # noqa: E402  (commands defined next to the code they wrap)

cli_models.register(app)

from foialens.flows import cli_ops  # noqa: E402  (worker, watch)

cli_ops.register(app)


if __name__ == "__main__":
    main()
