"""The search page's result views: hits by page or grouped by document, sorted by relevance, date
or title, page sizes, highlighted titles, and suggestions when nothing matches.

The backends rank pages by relevance. Sorting by date or title and grouping by document are done
here over the best-matching ``WINDOW`` pages (one backend call): exact whenever the result has at
most that many pages, and said so on the page when it has more.
"""

from __future__ import annotations

from foialens.search import highlight
from foialens.search.query import Or, parse
from foialens.search.records import FACET_FIELDS, SearchHit, SearchQuery, SearchResult
from foialens.web.common import ApiError, WebContext, build_query, run_search
from foialens.web.labels import FIELD_TITLES

WINDOW = 500  # pages sorted or grouped at most
PAGE_SIZES = (10, 20, 50, 100)
SORTS = {"relevance": "relevance", "date": "date (newest first)", "title": "title (A-Z)"}
GROUPS = {"page": "pages", "document": "documents"}


def choice(raw: str | None, allowed, default: str, name: str) -> str:
    if raw in (None, ""):
        return default
    if raw not in allowed:
        raise ApiError(400, "invalid_parameter", f"{name} must be one of {', '.join(allowed)}")
    return raw


def _sort_key(sort: str):
    if sort == "date":
        return lambda h: (-int(h.year) if h.year.isdigit() else 0, -h.score, h.doc_id, h.page)
    if sort == "title":
        return lambda h: (h.title.casefold(), h.doc_id, h.page)
    return lambda h: (-h.score, h.doc_id, h.page)


def windowed(ctx: WebContext, query: SearchQuery, sort: str, group: str) -> tuple[SearchResult, list[SearchHit], bool]:
    """(result with facets, hits in the order to show, whether the window cut the result).
    Relevance order by page needs no window: the backend pages through it."""
    if sort == "relevance" and group == "page":
        result = run_search(ctx, query)
        return result, result.hits, False
    result = run_search(ctx, query.model_copy(update={"page": 1, "page_size": WINDOW, "cursor": None}))
    hits = sorted(result.hits, key=_sort_key(sort)) if sort != "relevance" else list(result.hits)
    return result, hits, result.total > len(result.hits)


def grouped(hits: list[SearchHit]) -> list[dict]:
    """Hits grouped by document, in the order of each document's first hit."""
    docs: dict[str, dict] = {}
    for h in hits:
        d = docs.setdefault(h.doc_id, {"doc_id": h.doc_id, "title": h.title, "path": h.path, "year": h.year,
                                       "batch": h.batch, "batches": h.batches, "hits": [], "best": h})
        d["hits"].append(h)
    for d in docs.values():
        d["hits"].sort(key=lambda h: h.page)
    return list(docs.values())


def title_html(hit: SearchHit, text: str) -> str:
    """The hit's title, escaped, with the query's words marked (a page can match by its title)."""
    return highlight.mark_html(hit.title, text)


def suggestions(ctx: WebContext, text: str, filters: dict[str, list[str]], label) -> list[dict]:
    """Ways out of an empty result, each with the number of pages it finds: drop one filter, all
    filters, or accept any of the words instead of all of them."""
    out: list[dict] = []

    def count(t: str, f: dict[str, list[str]]) -> int:
        try:
            return run_search(ctx, build_query(t, f, page_size=1, facets=False)).total
        except ApiError:
            return 0

    for field, values in filters.items():
        rest = {k: v for k, v in filters.items() if k != field}
        if not text.strip() and not rest:
            continue
        n = count(text, rest)
        if n:
            names = ", ".join(label(field, v) for v in values)
            out.append({"text": f"without the filter {FIELD_TITLES[field]}: {names}", "q": text, "filters": rest, "total": n})
    if filters and text.strip():
        n = count(text, {})
        if n and not any(s["filters"] == {} for s in out):
            out.append({"text": "without any filter", "q": text, "filters": {}, "total": n})
    words = text.split()
    try:
        node = parse(text)
    except Exception:  # noqa: BLE001 - a bad query has no suggestions
        node = None
    if node is not None and len(words) > 1 and not isinstance(node, Or) and all(w.isalnum() for w in words):
        any_text = " OR ".join(words)
        n = count(any_text, filters)
        if n:
            out.append({"text": "any of the words instead of all of them", "q": any_text, "filters": filters, "total": n})
    if node is not None and len(words) == 1 and words[0].isalnum() and len(words[0]) > 3:
        prefix = words[0][:-1] + "*" if len(words[0]) > 5 else words[0] + "*"
        n = count(prefix, filters)
        if n:
            out.append({"text": f"words starting with {prefix[:-1]}", "q": prefix, "filters": filters, "total": n})
    return out


def pairs(text: str, filters: dict[str, list[str]]) -> list[tuple[str, str]]:
    out = [("q", text)] if text else []
    for field in FACET_FIELDS:
        out += [(field, v) for v in filters.get(field, [])]
    return out
