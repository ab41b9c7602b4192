"""Facet conventions shared by the backends: which fields, how many values, what order."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from foialens.search.records import FACET_FIELDS, FacetValue, SearchQuery, SearchResult

FACET_SIZE = 50  # values returned per field


def ordered(counts: Iterable[tuple[str, str, int]], size: int = FACET_SIZE) -> dict[str, list[FacetValue]]:
    """(field, value, count) rows -> every facet field, values by count desc then value asc."""
    out: dict[str, list[FacetValue]] = {f: [] for f in FACET_FIELDS}
    for field, value, count in counts:
        if field in out and count > 0:
            out[field].append(FacetValue(value=value, count=count))
    for field, values in out.items():
        values.sort(key=lambda fv: (-fv.count, fv.value))
        del values[size:]
    return out


def page_tags(tags: dict[str, list[str]], batches: list[str], year: str) -> dict[str, list[str]]:
    """All filterable values of one page, keyed by facet field (deduplicated, no blanks; the
    batches keep their order: the first is the one shown)."""
    out = {field: sorted({v for v in values if v}) for field, values in tags.items()}
    out["batch"] = [b for b in dict.fromkeys(batches) if b]
    out["year"] = [year] if year else []
    return out


def or_within_fields(search: Callable[[SearchQuery], SearchResult], query: SearchQuery,
                     result: SearchResult) -> SearchResult:
    """Facet counts that say what a click gives, with values of one field OR-ed and fields AND-ed.

    A field without chosen values keeps the counts of ``result`` (choosing a value narrows the
    result to exactly that many pages). A field with chosen values gets its counts from the query
    without that field's own filter (one more search per such field), so values that never occur
    together with the chosen ones still show; each value not chosen yet carries ``adds``: the
    pages that choosing it too would add to ``result.total`` (its pages under the other filters
    minus those already in the result)."""
    if not query.facets or not query.filters:
        return result
    facets = dict(result.facets)
    for field, chosen in query.filters.items():
        others = {f: v for f, v in query.filters.items() if f != field}
        wider = search(query.model_copy(update={
            "filters": others, "page": 1, "page_size": 1, "cursor": None,
            "all_pages": not others and not query.text.strip()}))
        now = {fv.value: fv.count for fv in result.facets.get(field, [])}
        facets[field] = [
            FacetValue(value=fv.value, count=fv.count,
                       adds=None if fv.value in chosen else max(0, fv.count - now.get(fv.value, 0)))
            for fv in wider.facets.get(field, [])
        ]
        listed = {fv.value for fv in facets[field]}
        facets[field] += [FacetValue(value=v, count=now.get(v, 0)) for v in chosen if v not in listed]
    return result.model_copy(update={"facets": facets})
