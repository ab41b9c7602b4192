"""The data-sharing network in the web UI and API: an agency's relations and the network around
a set of agencies, read from the search backend's relation records (flows/network.py shapes them)."""

from __future__ import annotations

from collections import defaultdict

from foialens.search.conflicts import Conflict, conflicts
from foialens.search.records import RelationQuery, RelationRecord
from foialens.web.common import ApiError, WebContext

NETWORK_LIMIT = 5000  # relations drawn at most


def relation_filters(params) -> dict[str, list[str]]:
    """Relation filters from request parameters: to / from (agency ids, their sub-agencies
    included), data_type, vendor, kind, polarity (default grant; "any" for both), batch."""
    filters: dict[str, list[str]] = {}
    for name, field in (("to", "recipient"), ("from", "source"), ("data_type", "data_type"), ("vendor", "platform_vendor"),
                        ("kind", "kind"), ("batch", "batch")):
        values = [v.strip() for v in params.getlist(name) if v.strip()]
        if values:
            filters[field] = values
    polarity = params.get("polarity", "grant")
    if polarity not in ("grant", "restrict", "any"):
        raise ApiError(400, "invalid_parameter", "polarity is grant, restrict or any")
    if polarity != "any":
        filters["polarity"] = [polarity]
    return filters


def relations(ctx: WebContext, filters: dict[str, list[str]], limit: int = NETWORK_LIMIT, offset: int = 0):
    return ctx.backend().search_relations(RelationQuery(filters=filters, limit=limit, offset=offset))


def agency_view(ctx: WebContext, agency_id: str) -> dict:
    """What an agency shares and receives, with whom, via which platform, from which documents,
    by date; None-free lists for the template and the API."""
    outgoing = relations(ctx, {"source": [agency_id]}, limit=NETWORK_LIMIT).relations
    incoming = relations(ctx, {"recipient": [agency_id]}, limit=NETWORK_LIMIT).relations
    if not outgoing and not incoming:
        raise ApiError(404, "not_found", f"no data-sharing relations of agency {agency_id}")
    name = next((r.source_name for r in outgoing if r.source_id == agency_id),
                next((r.recipient_name for r in incoming if r.recipient_id == agency_id), agency_id))

    def grouped(rows: list[RelationRecord], other: str) -> list[dict]:
        by: dict[str, dict] = {}
        for r in rows:
            key = getattr(r, f"{other}_id")
            g = by.setdefault(key, {"id": key, "name": getattr(r, f"{other}_name"), "kinds": set(), "vendors": set(),
                                    "polarities": set(), "dates": set(), "evidence": []})
            g["kinds"].add(r.kind)
            g["polarities"].add(r.polarity)
            if r.platform_vendor:
                g["vendors"].add(r.platform_vendor)
            if r.as_of:
                g["dates"].add(r.as_of)
            g["evidence"].append({"doc_id": r.doc_id, "path": r.path, "page": r.page, "text": r.text, "as_of": r.as_of})
        return [{**g, "kinds": sorted(g["kinds"]), "vendors": sorted(g["vendors"]), "polarities": sorted(g["polarities"]),
                 "dates": sorted(g["dates"])} for g in sorted(by.values(), key=lambda g: g["name"].lower())]

    timeline: dict[str, dict[str, int]] = defaultdict(lambda: {"shares_with": 0, "receives_from": 0})
    for r in outgoing:
        timeline[r.as_of or "undated"]["shares_with"] += 1
    for r in incoming:
        timeline[r.as_of or "undated"]["receives_from"] += 1
    return {
        "id": agency_id, "name": name,
        "shares_with": grouped(outgoing, "recipient"),
        "receives_from": grouped(incoming, "source"),
        "timeline": [{"as_of": k, **v} for k, v in sorted(timeline.items())],
        "relations": len(outgoing) + len(incoming),
    }


def graph_elements(rows: list[RelationRecord]) -> dict:
    """Nodes and edges for the network view (cytoscape.js element JSON) and its table."""
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str, str], dict] = {}
    for r in rows:
        for agency_id, name in ((r.source_id, r.source_name), (r.recipient_id, r.recipient_name)):
            nodes.setdefault(agency_id, {"data": {"id": agency_id, "label": name, "degree": 0}})
        key = (r.source_id, r.recipient_id, r.polarity)
        if key not in edges:
            edges[key] = {"data": {"id": f"e{len(edges)}", "source": r.source_id, "target": r.recipient_id,
                                   "polarity": r.polarity, "kind": r.kind, "vendor": r.platform_vendor, "count": 0}}
            nodes[r.source_id]["data"]["degree"] += 1
            nodes[r.recipient_id]["data"]["degree"] += 1
        edges[key]["data"]["count"] += 1
    return {"nodes": list(nodes.values()), "edges": list(edges.values())}


def conflicts_view(ctx: WebContext, filters: dict[str, list[str]], limit: int = NETWORK_LIMIT) -> tuple[list[Conflict], int]:
    """Grants (narrowed by ``filters``: to, from, data_type, ...) that a rule of the same
    jurisdiction forbids (search/conflicts.py), and the number of rules in the index."""
    grant_filters = {**filters, "polarity": ["grant"]}
    grants = ctx.backend().search_relations(RelationQuery(filters=grant_filters, limit=limit, counts=False)).relations
    rules = ctx.backend().search_relations(RelationQuery(filters={"polarity": ["restrict"]}, limit=limit, counts=False))
    return conflicts(grants, rules.relations), sum(1 for r in rules.relations if r.jurisdiction)
