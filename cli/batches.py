"""`foialens batches`: list ingested batches, or compare one with the batches before it."""

from __future__ import annotations

import json

import click

from foialens.cli.common import console, data_dir_option, fail, make_settings


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the batch summaries (or the comparison) as JSON.")
@click.option("--compare", help="Compare this batch with the batches before it.")
@data_dir_option
def batches(as_json: bool, compare: str | None, data_dir) -> None:
    """List ingested batches with their summaries, or compare one with the earlier ones."""
    from foialens.store.batches import compare_batches, comparison_markdown
    from foialens.store.datadir import DataDir

    settings = make_settings(data_dir)
    summaries = DataDir(settings.data_dir).summaries()
    if compare is not None:
        current = next((s for s in summaries if s.batch == compare), None)
        if current is None:
            fail(f"no batch named {compare!r} in {settings.data_dir}")
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
    from rich.table import Table
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
