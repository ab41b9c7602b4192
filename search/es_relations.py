"""Data-sharing relations in Elasticsearch: a third index per generation, ``<prefix>-relations-v<N>``
behind ``<prefix>-relations``; one document per relation, ``_id`` = RelationRecord.id.

Filters are keyword terms (``source`` / ``recipient`` hold the agency and the agencies above it,
like the embedded backend's tags); the counts per source and recipient are terms aggregations;
the order is the embedded backend's (source name, recipient name, document, position).
"""

from __future__ import annotations

from foialens.search.facets import FACET_SIZE
from foialens.search.records import FacetValue, RelationQuery, RelationRecord, RelationResult

RELATION_MAPPINGS = {
    "dynamic": "strict",
    "properties": {
        **{f: {"type": "keyword"} for f in (
            "doc_id", "path", "title", "batch", "year", "source_id", "source_name", "recipient_id", "recipient_name",
            "source", "recipient", "data_type", "platform_vendor", "kind", "direction", "polarity", "as_of",
            "section", "sort_key", "via", "source_level", "recipient_level", "source_jurisdictions",
            "recipient_jurisdictions", "jurisdiction", "covers", "recipient_classes", "purpose", "citation")},
        "n": {"type": "integer"},
        "page": {"type": "integer"},
        "text": {"type": "text"},
        "bbox": {"type": "float"},
    },
}


def source(r: RelationRecord) -> dict:
    doc = r.model_dump(exclude={"source_path", "recipient_path"})
    doc["source"] = r.source_path or [r.source_id]
    doc["recipient"] = r.recipient_path or [r.recipient_id]
    doc["sort_key"] = "\x1f".join((r.source_name.lower(), r.recipient_name.lower(), r.doc_id, f"{r.n:06d}"))
    return doc


def record(src: dict) -> RelationRecord:
    data = {k: v for k, v in src.items() if k not in ("source", "recipient", "sort_key")}
    return RelationRecord(**data, source_path=src.get("source") or [], recipient_path=src.get("recipient") or [])


def body(query: RelationQuery) -> dict:
    filters = [{"terms": {field: sorted(set(values))}} for field, values in sorted(query.filters.items())]
    out: dict = {
        "query": {"bool": {"filter": filters}} if filters else {"match_all": {}},
        "sort": [{"sort_key": "asc"}], "from": query.offset, "size": query.limit, "track_total_hits": True,
    }
    if query.counts:
        out["aggs"] = {f: {"terms": {"field": f, "size": FACET_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                       for f in ("source_id", "recipient_id")}
    return out


def result(res: dict) -> RelationResult:
    aggs = res.get("aggregations") or {}

    def counted(field: str) -> list[FacetValue]:
        return [FacetValue(value=b["key"], count=b["doc_count"]) for b in aggs.get(field, {}).get("buckets", [])]

    return RelationResult(
        total=int(res["hits"]["total"]["value"]),
        relations=[record(h["_source"]) for h in res["hits"]["hits"]],
        sources=counted("source_id"), recipients=counted("recipient_id"),
    )
