"""Facet conventions shared by the backends: which fields, how many values, what order."""

from __future__ import annotations

from collections.abc import Iterable

from foialens.search.records import FACET_FIELDS, FacetValue

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
