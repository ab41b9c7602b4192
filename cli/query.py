"""`foialens search`."""

from __future__ import annotations

import json
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


def search(
    query: Annotated[str, typer.Argument(help='Query: words, "phrases", OR, -exclude, prefix*.')] = "",
    vendor: Annotated[Optional[list[str]], typer.Option(help="Vendor id filter (repeatable).")] = None,
    data_type: Annotated[Optional[list[str]], typer.Option(help="Data type id filter.")] = None,
    agency: Annotated[Optional[list[str]], typer.Option(help="Agency id filter.")] = None,
    program: Annotated[Optional[list[str]], typer.Option(help="Program / system id filter, e.g. secure_communities, 287g.")] = None,
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
    data_dir: DataDirOption = None,
    backend: BackendOption = None,
    es_url: EsUrlOption = None,
) -> None:
    """Search indexed pages; filters narrow by tag."""
    from pydantic import ValidationError

    from foialens.search.backend import SearchError
    from foialens.search.factory import open_backend
    from foialens.search.records import SearchQuery

    filters = {
        "vendors": vendor, "data_types": data_type, "agencies": agency, "programs": program, "clauses": clause,
        "exemptions": exemption, "redactions": redaction, "batch": batch, "year": year,
    }
    filters = {k: v for k, v in filters.items() if v}
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


def snippet_text(snippet: str):
    """A backend snippet for the terminal: highlighted pieces in reverse video."""
    from rich.text import Text

    from foialens.search.snippets import pieces

    out = Text()
    for text, marked in pieces(snippet):
        out.append(text, style="bold black on yellow" if marked else None)
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
