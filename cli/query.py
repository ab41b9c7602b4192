"""`foialens search`. It prints with click (ANSI styles, dropped when the output is not a
terminal): rich would add ~0.1 s to every search's start."""

from __future__ import annotations

import json

import click

from foialens.cli.common import fail, index_options, make_settings


@click.command()
@click.argument("query", default="")
@click.option("--vendor", multiple=True, help="Vendor id filter (repeatable).")
@click.option("--data-type", multiple=True, help="Data type id filter.")
@click.option("--agency", multiple=True, help="Agency id filter.")
@click.option("--program", multiple=True, help="Program / system id filter, e.g. secure_communities, 287g.")
@click.option("--clause", multiple=True, help="Clause label filter.")
@click.option("--exemption", multiple=True, help="FOIA exemption code filter, e.g. b7c.")
@click.option("--redaction", multiple=True,
              help="redacted (page has redaction boxes) or text_under_box (bad redaction).")
@click.option("--batch", multiple=True, help="Batch filter.")
@click.option("--year", multiple=True, help="Year filter.")
@click.option("--page", type=int, default=1, show_default=True, help="Result page (from 1).")
@click.option("--page-size", type=int, default=10, show_default=True, help="Hits per result page.")
@click.option("--cursor", help="Cursor from a previous --json result (deep paging).")
@click.option("--json", "as_json", is_flag=True, help="Print hits, facets and next cursor as JSON.")
@index_options
def search(query: str, vendor, data_type, agency, program, clause, exemption, redaction, batch, year,
           page: int, page_size: int, cursor: str | None, as_json: bool, data_dir, backend, es_url) -> None:
    """Search indexed pages; filters narrow by tag.

    QUERY: words, "phrases", OR, -exclude, prefix*."""
    from pydantic import ValidationError

    from foialens.search.backend import SearchError
    from foialens.search.factory import open_backend
    from foialens.search.records import SearchQuery

    filters = {
        "vendors": vendor, "data_types": data_type, "agencies": agency, "programs": program, "clauses": clause,
        "exemptions": exemption, "redactions": redaction, "batch": batch, "year": year,
    }
    filters = {k: list(v) for k, v in filters.items() if v}
    if not query.strip() and not filters:
        fail("empty query: give search words or at least one filter (e.g. --vendor palantir)")
    settings = make_settings(data_dir, backend, es_url)
    config = settings.backend_config().model_copy(update={"read_only": True})  # searching writes nothing
    if config.kind == "sqlite" and not config.sqlite_path.exists():
        fail(f"no index in {settings.data_dir} yet: run `foialens ingest PATH` first")
    try:
        q = SearchQuery(text=query, filters=filters, page=page, page_size=page_size, cursor=cursor)
    except ValidationError as exc:
        fail(exc.errors()[0]["msg"])
    try:
        engine = open_backend(config)
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


def snippet_text(snippet: str) -> str:
    """A backend snippet for the terminal: highlighted pieces in reverse video."""
    from foialens.search.snippets import pieces

    return "".join(click.style(text, fg="black", bg="yellow", bold=True) if marked else text
                   for text, marked in pieces(snippet))


def _print_hits(result, q) -> None:
    from foialens.search.records import TAG_FIELDS

    first = (q.page - 1) * q.page_size
    shown = f", showing {first + 1}-{first + len(result.hits)}" if result.hits else ""
    click.echo(click.style(str(result.total), bold=True) + f" matching pages{shown}")
    for i, hit in enumerate(result.hits, start=first + 1):
        click.echo("\n" + click.style(f"{i}. {hit.title}", fg="cyan", bold=True) + f" — page {hit.page}  "
                   + click.style(f"{hit.path}  score {hit.score:.2f}", dim=True))
        click.echo(snippet_text(hit.snippet))
        tags = [f"{k}: {', '.join(v)}" for k in TAG_FIELDS if (v := getattr(hit, k))]
        if tags:
            click.echo(click.style(" | ".join(tags), dim=True))
    if result.facets:
        click.echo()
        for field, values in result.facets.items():
            if values:
                click.echo(click.style(field, bold=True) + ": " + ", ".join(f"{v.value} ({v.count})" for v in values[:10]))
