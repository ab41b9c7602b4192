"""Entity pages: one vendor, data type, agency or program across every document and year: a timeline,
the documents (with the pages naming it), the key clauses on those pages, the tags found beside
it, and its data-sharing relations."""

from __future__ import annotations

from collections import Counter, defaultdict

from foialens.search.records import SearchQuery
from foialens.web.common import ApiError, WebContext
from foialens.web.labels import ENTITY_PATHS
from foialens.web.network import NETWORK_LIMIT, relations

WINDOW = 500  # pages read per entity
CLAUSE_DOCS = 40  # documents whose stored results are read for key clauses
FIELDS_BY_PATH = {v: k for k, v in ENTITY_PATHS.items()}
RELATION_FIELD = {"vendors": "platform_vendor", "data_types": "data_type", "programs": "via"}


def entity_view(ctx: WebContext, field: str, entity_id: str) -> dict:
    """Everything the index and the stored results say about one entity (404 when no page
    carries it)."""
    # the backend's own counts: pages carrying the entity *and* each other value ("found beside it")
    result = ctx.backend().search(SearchQuery(filters={field: [entity_id]}, page_size=WINDOW))
    if result.total == 0:
        raise ApiError(404, "not_found", f"no page is tagged with {field} {entity_id}")
    docs: dict[str, dict] = {}
    for h in result.hits:
        d = docs.setdefault(h.doc_id, {"doc_id": h.doc_id, "title": h.title, "path": h.path, "year": h.year,
                                       "batches": h.batches or [h.batch], "pages": []})
        d["pages"].append(h.page)
    documents = sorted(docs.values(), key=lambda d: (d["year"] or "0000", d["title"].casefold()), reverse=True)
    by_year: dict[str, dict[str, int]] = defaultdict(lambda: {"documents": 0, "pages": 0})
    for d in documents:
        by_year[d["year"] or "undated"]["documents"] += 1
        by_year[d["year"] or "undated"]["pages"] += len(d["pages"])
    timeline = [{"year": y, **by_year[y]} for y in sorted(by_year, key=lambda y: (y == "undated", y))]
    clauses = _key_clauses(ctx, documents[:CLAUSE_DOCS])
    beside = {}
    for other in ("vendors", "data_types", "agencies", "programs", "clauses"):
        values = [fv for fv in result.facets.get(other, []) if not (other == field and fv.value == entity_id)]
        if values:
            beside[other] = [{"value": fv.value, "label": ctx.label(other, fv.value), "count": fv.count}
                             for fv in values[:12]]
    sharing = []
    if field in RELATION_FIELD:
        found = relations(ctx, {RELATION_FIELD[field]: [entity_id], "polarity": ["grant"]}, limit=NETWORK_LIMIT)
        pairs: Counter = Counter()
        evidence: dict = {}
        for r in found.relations:
            key = (r.source_id, r.source_name, r.recipient_id, r.recipient_name, r.kind)
            pairs[key] += 1
            evidence.setdefault(key, {"doc_id": r.doc_id, "page": r.page, "path": r.path, "as_of": r.as_of})
        sharing = [{"source_id": k[0], "source_name": k[1], "recipient_id": k[2], "recipient_name": k[3],
                    "kind": k[4], "count": n, "evidence": evidence[k]} for k, n in pairs.most_common(200)]
    return {
        "field": field, "id": entity_id, "name": ctx.label(field, entity_id), "pages": result.total,
        "documents": documents, "timeline": timeline, "clauses": clauses, "beside": beside,
        "sharing": sharing, "cut": result.total > len(result.hits), "window": WINDOW,
    }


def _key_clauses(ctx: WebContext, documents: list[dict]) -> list[dict]:
    """Clauses on the pages that name the entity: the documents' key clauses first, then the
    others by score."""
    out = []
    for d in documents:
        stored = ctx.data.load(d["doc_id"])
        if stored is None:
            continue
        pages = set(d["pages"])
        key = {(c.page, c.text) for c in stored.tags.key_clauses}
        for c in stored.tags.clauses:
            if c.page in pages:
                out.append({"doc_id": d["doc_id"], "title": d["title"], "page": c.page, "label": c.label,
                            "score": c.score, "text": c.text, "key": (c.page, c.text) in key})
    out.sort(key=lambda c: (not c["key"], -c["score"]))
    return out[:30]
