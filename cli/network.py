"""`foialens network`: who shares what data with whom, with the evidence."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

import click

from foialens.cli.common import PATH, console, fail, index_options, make_settings

CSV_FIELDS = ("source_id", "source_name", "recipient_id", "recipient_name", "data_type", "platform_vendor", "kind",
              "direction", "polarity", "as_of", "doc_id", "path", "page", "text", "via", "jurisdiction", "citation")


@click.command()
@click.option("--to", help="Recipient agency (id or name); its sub-agencies count too, e.g. --to ice.")
@click.option("--from", "from_", help="Source agency (id or name), e.g. \"Orange County Sheriff\".")
@click.option("--data-type", multiple=True, help="Data type id, e.g. alpr.")
@click.option("--vendor", multiple=True, help="Vendor platform id, e.g. vigilant_solutions.")
@click.option("--kind", multiple=True, help="detections | hot_list | query_access | records | system_access.")
@click.option("--polarity", type=click.Choice(["grant", "restrict", "any"]), default="grant", show_default=True,
              help="Granted flows, restrictions, or both.")
@click.option("--batch", multiple=True, help="Batch filter.")
@click.option("--changes", is_flag=True, help="With --from: recipients added and removed between its documents.")
@click.option("--conflicts", is_flag=True, help="Grants that a law or policy of the same jurisdiction forbids, with both "
                                                "pieces of evidence (--from/--to/--data-type narrow the grants).")
@click.option("--hops", type=int, default=1, show_default=True,
              help="With --to: also sources that reach it through up to N shares.")
@click.option("--json", "as_json", is_flag=True, help="One relation per line (JSON Lines) with its evidence.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "graphml"]), default="table", show_default=True,
              help="Output format.")
@click.option("--out", type=PATH, help="File for --format csv/graphml (default: standard output for csv).")
@click.option("--limit", type=int, default=100_000, show_default=True, help="Relations read at most.")
@click.option("--top", type=int, default=50, show_default=True,
              help="Sources shown in the table, most recipients first (0: all); --json and --format csv give every relation.")
@index_options
def network(to: str | None, from_: str | None, data_type, vendor, kind, polarity: str, batch, changes: bool,
            conflicts: bool, hops: int, as_json: bool, fmt: str, out: Path | None, limit: int, top: int,
            data_dir, backend, es_url) -> None:
    """Data-sharing relations found in sharing reports, network lists and clauses: sources whose data
    reaches an agency (--to ice), what one agency shares (--from), counts, changes between reports."""
    from foialens.search import network as net
    from foialens.search.backend import SearchError
    from foialens.search.conflicts import conflicts as conflict_pairs
    from foialens.search.factory import open_backend
    from foialens.search.records import RelationQuery

    if fmt == "graphml" and out is None:
        fail("--format graphml needs --out FILE")
    settings = make_settings(data_dir, backend, es_url)
    config = settings.backend_config()
    if config.kind == "sqlite" and not config.sqlite_path.exists():
        fail(f"no index in {settings.data_dir} yet: run `foialens ingest PATH` first")
    try:
        engine = open_backend(config)
        try:
            filters: dict[str, list[str]] = {
                "data_type": list(data_type), "platform_vendor": list(vendor), "kind": list(kind), "batch": list(batch),
            }
            if polarity and polarity != "any":
                filters["polarity"] = [polarity]
            if to:
                filters["recipient"] = _agency_ids(engine, to, "recipient")
            if from_:
                filters["source"] = _agency_ids(engine, from_, "source")
            if conflicts:
                filters["polarity"] = ["grant"]
                grants = engine.search_relations(RelationQuery(filters=filters, limit=limit, counts=False)).relations
                rules = engine.search_relations(RelationQuery(filters={"polarity": ["restrict"]}, limit=limit, counts=False)).relations
                found = conflict_pairs(grants, rules)
                relations = []
            else:
                relations = engine.search_relations(RelationQuery(filters=filters, limit=limit)).relations
            if to and hops > 1 and not conflicts:
                extra = net.reach(engine.search_relations(RelationQuery(filters={"polarity": ["grant"]}, limit=limit)).relations,
                                  set(filters["recipient"]), hops)
                if extra:
                    chained = engine.search_relations(RelationQuery(filters={"source": sorted(extra), "polarity": ["grant"]}, limit=limit))
                    relations += [r for r in chained.relations if r.id not in {x.id for x in relations}]
        finally:
            engine.close()
    except SearchError as exc:
        fail(str(exc))
    if conflicts:
        _print_conflicts(found, as_json, len(rules))
        return
    if as_json:
        for r in relations:
            print(json.dumps(r.model_dump(mode="json"), ensure_ascii=False))
        return
    if fmt == "csv":
        stream = out.open("w", newline="", encoding="utf-8") if out else sys.stdout
        writer = csv.writer(stream)
        writer.writerow(CSV_FIELDS)
        for r in relations:
            writer.writerow([" > ".join(v) if isinstance(v := getattr(r, f), list) else v for f in CSV_FIELDS])
        if out:
            stream.close()
            console.print(f"{len(relations)} relations written to {out}")
        return
    if fmt == "graphml":
        net.write_graphml(relations, out)
        console.print(f"{len(relations)} relations written to {out} (GraphML: Gephi, Cytoscape)")
        return
    if changes:
        if not from_:
            fail("--changes needs --from AGENCY")
        _print_changes(net, relations, filters["source"])
        return
    _print_flows(net.flows_to(relations), to, len(relations), top)


def _agency_ids(engine, name: str, role: str) -> list[str]:
    """The ids a user's agency name or id stands for: an id as given, the canonical id of the
    name, or (when that finds nothing) the indexed agencies whose names contain every word."""
    from foialens.models.agency_ids import federal_id, resolve_agency
    from foialens.search.records import RelationQuery

    text = name.strip()
    if text.lower() == text and (" " not in text) and ("-" in text or federal_id(text.upper()) == text):
        return [text]  # an id: ice, hsi, local-ca-irvine-police
    ref = resolve_agency(text, any_name=True)
    candidates = [ref.id] if ref else []
    if candidates and engine.search_relations(RelationQuery(filters={role: candidates}, limit=0, counts=False)).total:
        return candidates
    words = set(text.lower().replace("'", "").split())
    everything = engine.search_relations(RelationQuery(limit=100_000, counts=False)).relations
    found = {getattr(r, f"{role}_id") for r in everything
             if words <= set(getattr(r, f"{role}_name").lower().replace("'", "").replace("(", " ").replace(")", " ").split())}
    if not found:
        fail(f"no {role} agency matching {name!r} in the index")
    return sorted(found)


def _print_flows(flows, to: str | None, total: int, top: int = 0) -> None:
    title = f"Sources whose data reaches {to}" if to else "Relations by source"
    from rich.table import Table
    table = Table(title=f"{title}: {len(flows)} sources, {total} relations")
    for col in ("source", "recipients", "data", "via", "documents"):
        table.add_column(col)
    shown = flows[:top] if top > 0 else flows
    for f in shown:
        recipients = ", ".join(sorted(f.recipients.values())[:6]) + (f" (+{len(f.recipients) - 6})" if len(f.recipients) > 6 else "")
        docs = "; ".join(f"{Path(d.path).name} p.{d.page}" for d in f.documents[:3])
        table.add_row(f.source_name, f"{len(f.recipients)}: {recipients}", ", ".join(f.data_types) or "-",
                      ", ".join([*f.vendors, *f.via]) or "-", docs)
    console.print(table)
    if len(shown) < len(flows):
        console.print(f"… {len(flows) - len(shown)} more sources with fewer recipients "
                      "(--top 0 shows all; --json or --format csv gives every relation)")


def _print_changes(net, relations, sources: list[str]) -> None:
    for source in sources:
        for c in net.changes(relations, source):
            console.print(f"[bold]{Path(c.path).name}[/] ({c.as_of or 'undated'}): {c.recipients} recipients"
                          + (f", +{len(c.added)} / -{len(c.removed)} since the previous document" if c.previous_doc_id else ""))
            for label, items in (("added", c.added), ("removed", c.removed)):
                if items:
                    console.print(f"  {label}: " + ", ".join(sorted(items.values())))


def _print_conflicts(found, as_json: bool, rules: int) -> None:
    """Each conflict: the grant and the rule, each with its document, page and evidence."""
    if as_json:
        for c in found:
            print(json.dumps(c.model_dump(mode="json"), ensure_ascii=False))
        return
    if not found:
        console.print(f"no conflicts: no grant is covered by the {rules} restrict relations in the index"
                      + ("" if rules else " (ingest a law, ordinance or policy to get some)"))
        return
    from rich.table import Table

    table = Table(title=f"Conflicts: {len(found)} grants forbidden by a rule of the same jurisdiction", show_lines=True)
    for col in ("flow", "data", "rule", "grant evidence", "rule evidence", "why"):
        table.add_column(col)
    for c in found:
        g, r = c.grant, c.rule
        via = f" via {', '.join(g.via)}" if g.via else ""
        table.add_row(
            f"{g.source_name} -> {g.recipient_name}{via}", g.data_type or "-",
            f"{r.citation or r.section} ({r.jurisdiction})",
            f"{Path(g.path).name} p.{g.page}: {g.text}",
            f"{Path(r.path).name} p.{r.page}: {r.text}",
            "; ".join(c.reasons),
        )
    console.print(table)
