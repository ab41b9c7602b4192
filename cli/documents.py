"""`foialens ingest`, `analyze`, `reindex` and `sample-batch`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from foialens.cli.common import PATH, check_backend, console, fail, index_options, make_settings

OCR_OPTION = click.option("--ocr/--no-ocr", default=True, show_default=True, help="OCR scanned pages with tesseract.")


@click.command()
@click.argument("paths", nargs=-1, required=True, type=PATH)
@click.option("--batch", help="Batch name (default: folder name or timestamp).")
@click.option("--force/--no-force", default=False, show_default=True, help="Reprocess documents even if already ingested.")
@OCR_OPTION
@click.option("--json", "as_json", is_flag=True, help="Print the batch summary as JSON.")
@index_options
def ingest(paths: tuple[Path, ...], batch: str | None, force: bool, ocr: bool, as_json: bool,
           data_dir, backend, es_url) -> None:
    """Extract, tag and index PDFs as one batch (a Prefect flow run), then print its summary.

    PATHS: PDF files and/or folders (searched recursively)."""
    from foialens.flows.launcher import IngestRequest, run_ingest
    from foialens.flows.pipeline import discover_pdfs

    found = discover_pdfs(paths)
    if not found.files:
        for p in found.problems:
            click.echo(click.style(str(p["path"]), fg="red") + f": {p['message']}", err=True)
        fail("nothing to ingest: no PDF files found")
    settings = make_settings(data_dir, backend, es_url)
    check_backend(settings)
    # the summary's wall time runs from the start of this command
    from datetime import datetime, timezone

    from foialens.cli import STARTED_AT

    request = IngestRequest.for_settings([str(p) for p in paths], settings, batch=batch, force=force, ocr=ocr,
                                         queued_at=datetime.fromtimestamp(STARTED_AT, timezone.utc))
    try:
        summary = run_ingest(request, progress=not as_json and console.is_terminal)
    except Exception as exc:  # noqa: BLE001 - the summary on disk says what was done
        fail(f"the ingest stopped: {type(exc).__name__}: {exc} (the batch summary in "
             f"{settings.data_dir / 'batches'} lists what was done)", code=1)
    if as_json:
        print(json.dumps(summary))
    else:
        print_summary(summary, settings)
    if summary["failed"]:
        sys.exit(1)


SUMMARY_TOP = 12  # values shown per facet in the printed summary


def print_summary(s: dict, settings) -> None:
    from rich.markup import escape
    console.print(
        f"[bold]Batch {s['batch']}[/]: {s['documents']} documents "
        f"({s['processed']} processed, {s['unchanged']} unchanged, {len(s['failed'])} failed), "
        f"{s['pages']} pages ({s['pages_ocr']} OCR), {s['pages_indexed']} pages indexed "
        f"in {s['seconds']:.1f} s" + (f" ({s['workers']} workers)" if s.get("workers") else "")
    )
    from rich.table import Table
    table = Table(show_header=True, header_style="bold")
    table.add_column("found")
    table.add_column(f"names (documents or count), the {SUMMARY_TOP} most frequent; all of them with --json")
    names = s.get("names", {})
    for key in ("vendors", "data_types", "agencies", "programs", "clauses", "exemptions"):
        items = list(s.get(key, {}).items())
        shown = ", ".join(f"{names.get(key, {}).get(k, k)} ({v})" for k, v in items[:SUMMARY_TOP])
        more = f" (+{len(items) - SUMMARY_TOP} more)" if len(items) > SUMMARY_TOP else ""
        table.add_row(key, (shown + more) or "-")
    console.print(table)
    if s.get("ice_flows_total"):
        flows = s["ice_flows"]
        console.print(f"[bold]Data flows to ICE/DHS found in this batch:[/] {s['ice_flows_total']} relations from "
                      f"{len({f['source_id'] for f in flows})} sources (`foialens network --to dhs --batch "
                      f"{escape(s['batch'])}`)")
        for f in flows[:5]:
            console.print(f"  {escape(f['source_name'])} -> {escape(f['recipient_name'])} ({f['kind']}"
                          f"{', via ' + f['vendor'] if f['vendor'] else ''}): {escape(Path(f['path']).name)} p.{f['page']}",
                          highlight=False)
    for a in s.get("alerts", []):
        console.print(f"[bold yellow]Saved search[/] {escape(a['name'])}: {a['pages']} matching page"
                      f"{'' if a['pages'] == 1 else 's'} in this batch", highlight=False)
    for f in s["failed"]:
        console.print(f"[red]failed[/] {escape(f['path'])}: {f['code']} — {escape(f['message'])}", highlight=False)
    errors = s.get("page_errors", [])
    for e in errors[:20]:
        console.print(f"[yellow]page error[/] {escape(e['path'])} p.{e['page']}: {e['code']} — {escape(e['message'])}",
                      highlight=False)
    if len(errors) > 20:
        console.print(f"... and {len(errors) - 20} more page errors (`foialens batches --json`)")
    console.print(f"Data directory: {settings.data_dir} (backend: {s['backend']})")


@click.command()
@click.argument("files", nargs=-1, required=True, type=PATH)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines, one object per document.")
@click.option("--batch", default="", help="Batch name to record in the output.")
@OCR_OPTION
def analyze(files: tuple[Path, ...], as_json: bool, batch: str, ocr: bool) -> None:
    """Analyse PDFs and print vendors, data types, agencies, clauses, exemptions and redactions.

    FILES: PDF files to analyse (nothing is indexed)."""
    from foialens.flows.pipeline import analyze_file, get_tagger

    settings = make_settings()
    tagger = get_tagger(settings.spacy_model, settings.use_ner, settings.cache_dir)
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
        sys.exit(1)


def _print_analysis(d: dict) -> None:
    console.rule(f"[bold]{d['path']}[/]  ({d['pages']} pages, OCR: {d['pages_ocr'] or 'none'})")
    for e in d["errors"]:
        console.print(f"[red]{e['code']}[/] {e['message']}" + (f" (page {e['page']})" if e.get("page") else ""))
    for key in ("vendors", "data_types", "agencies", "programs"):
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


@click.command()
@index_options
def reindex(data_dir, backend, es_url) -> None:
    """Rebuild the search index from the stored results (no re-extraction), swapping it in at the end.

    Needs the data directory to itself: refused (exit 2, naming it) while an ingest runs."""
    from rich.markup import escape

    from foialens.flows.reindex import rebuild_index
    from foialens.search.backend import SearchError
    from foialens.store.datadir import DataDir
    from foialens.store.locks import DataDirBusy

    settings = make_settings(data_dir, backend, es_url)
    data = DataDir(settings.data_dir)
    if not data.count_results():
        fail(f"no stored results in {data.results_dir}: run `foialens ingest PATH` first")
    try:
        report = rebuild_index(settings)
    except (SearchError, DataDirBusy) as exc:
        fail(str(exc))
    console.print(f"Reindexed {report.indexed} pages of {report.documents} documents ({settings.backend}).")
    for e in report.errors:
        console.print(f"[red]failed[/] {escape(str(e))}")
    if report.errors:
        sys.exit(1)


@click.command("sample-batch")
@click.argument("out_dir", type=PATH)
def sample_batch(out_dir: Path) -> None:
    """Generate the bundled sample batch (contracts, MOU, policy, FOIA productions, scans) in OUT_DIR."""
    from foialens.samples.generate import generate_sample_batch

    folder = generate_sample_batch(out_dir)
    pdfs = sorted(folder.glob("*.pdf"))
    console.print(f"{len(pdfs)} sample PDFs in {folder}")
