"""One contract for every search backend: SQLite FTS5 (a real file) and Elasticsearch
(real HTTP against osmem-server). Expected values are derived from the records below."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from foialens.search.backend import QuerySyntaxError, SearchBackend
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import FACET_FIELDS, PageRecord, SearchQuery
from tests.support.search_records import CORPUS

BY_ID = {r.id: r for r in CORPUS}

# --- fixtures --------------------------------------------------------------------------------


def _open(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> SearchBackend:
    if kind == "sqlite":
        return open_backend(BackendConfig(kind="sqlite", sqlite_path=tmp_path / "index.sqlite3"))
    return open_backend(BackendConfig(kind="elasticsearch", es=request.getfixturevalue("es_config")))


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request, tmp_path):
    b = _open(request.param, tmp_path, request)
    b.replace_documents(CORPUS)
    yield b
    b.close()


@pytest.fixture
def both(request, tmp_path):
    backends = [_open(kind, tmp_path, request) for kind in ("sqlite", "elasticsearch")]
    for b in backends:
        b.replace_documents(CORPUS)
    yield backends
    for b in backends:
        b.close()


def ids(result) -> list[str]:
    return [f"{h.doc_id}:{h.page:05d}" for h in result.hits]


def all_ids(b: SearchBackend, text: str, **kw) -> list[str]:
    return ids(b.search(SearchQuery(text=text, page_size=500, **kw)))


def expected_facets(page_ids) -> dict[str, dict[str, int]]:
    out: dict[str, Counter] = {f: Counter() for f in FACET_FIELDS}
    for pid in page_ids:
        r = BY_ID[pid]
        for field, values in r.tags().items():
            out[field].update(set(values))
        out["batch"][r.batch] += 1
        out["year"][r.year] += 1
    return {f: dict(c) for f, c in out.items()}


def facet_dict(result) -> dict[str, dict[str, int]]:
    return {f: {v.value: v.count for v in values} for f, values in result.facets.items()}


def pid(doc_letter: str, page: int) -> str:
    return f"{doc_letter * 64}:{page:05d}"


# --- matching --------------------------------------------------------------------------------

MATCH_CASES = [
    ("vigilant", {pid("a", 1), pid("a", 2), pid("a", 3)}),  # title matches count: every page of doc a
    ('"license plate reader"', {pid("a", 1), pid("a", 2), pid("c", 1)}),  # readers -> reader
    ('"reader detections"', {pid("a", 2)}),
    ("license plate", {pid("a", 1), pid("a", 2), pid("c", 1)}),
    ("clearview OR accurint", {pid("d", 1), pid("d", 2), pid("e", 1)}),
    ("ice -vigilant", {pid("c", 1), pid("e", 1)}),
    ("ice NOT vigilant", {pid("c", 1), pid("e", 1)}),
    ("phone records -palantir", {pid("e", 1)}),
    ("(palantir OR clearview) records", {pid("b", 1)}),
    ("retain*", {pid("a", 3), pid("c", 2)}),
    ("U.S.", {pid("a", 1)}),
    ("café", {pid("c", 3)}),
    # porter: shared, share, Sharing (in doc a's title) all stem to "share"
    ("shared", {pid("a", 1), pid("a", 2), pid("a", 3), pid("b", 2), pid("c", 1)}),
    ("sensitive locations warrant", {pid("d", 2)}),
    ('"plate reads" OR "face images"', {pid("c", 2), pid("d", 1)}),
]


@pytest.mark.parametrize("text,expected", MATCH_CASES, ids=[c[0] for c in MATCH_CASES])
def test_matches(backend, text, expected):
    res = backend.search(SearchQuery(text=text, page_size=100))
    assert set(ids(res)) == expected
    assert res.total == len(expected)


def test_both_backends_agree(both):
    sqlite, es = both
    queries = [c[0] for c in MATCH_CASES] + ["records", "surveillance", "the agency", "b7e", "ice OR cbp"]
    for text in queries:
        a, b = sqlite.search(SearchQuery(text=text, page_size=500)), es.search(SearchQuery(text=text, page_size=500))
        assert set(ids(a)) == set(ids(b)), text
        assert a.total == b.total, text
        assert facet_dict(a) == facet_dict(b), text


def test_title_boost_ranks_title_matches_first(backend):
    # "palantir" is in the title of every page of doc b and in the text of both pages as well
    res = backend.search(SearchQuery(text="palantir"))
    assert ids(res) == [pid("b", 1), pid("b", 2)]
    # "accurint" appears in the title and text of e:1 only; title boosting beats the other field
    res = backend.search(SearchQuery(text="clearview"))
    assert set(ids(res)[:2]) == {pid("d", 1), pid("d", 2)}
    assert ids(res)[0] == pid("d", 1)  # title + text beats title only


def test_scores_descend_then_id_ascends(backend):
    res = backend.search(SearchQuery(text="records", page_size=500))
    keys = [(-h.score, f"{h.doc_id}:{h.page:05d}") for h in res.hits]
    assert keys == sorted(keys)
    assert res.total == len(res.hits) > 20


# --- snippets and escaping -------------------------------------------------------------------

_TAG = re.compile(r"<[^>]*>")


def test_snippet_highlights_terms(backend):
    res = backend.search(SearchQuery(text="vigilant learn"))
    top = res.hits[0]
    assert "<mark>Vigilant</mark>" in top.snippet
    assert "<mark>LEARN</mark>" in top.snippet


def test_snippet_escapes_page_html(backend):
    res = backend.search(SearchQuery(text="alert surveillance county"))
    assert ids(res) == [pid("c", 3)]
    snip = res.hits[0].snippet
    assert "&lt;script&gt;" in snip and "&lt;b&gt;" in snip and "&amp;" in snip
    assert set(_TAG.findall(snip)) <= {"<mark>", "</mark>"}
    assert "<mark>alert</mark>" in snip


def test_sentinel_characters_in_text_cannot_forge_markup(backend):
    rec = PageRecord(doc_id="9" * 64, page=1, path="x.pdf", title="Forged",
                     text="plain \ue000fake\ue001 words about zeppelin <i>x</i>")
    backend.replace_documents([rec])
    snip = backend.search(SearchQuery(text="zeppelin")).hits[0].snippet
    assert "<mark>zeppelin</mark>" in snip
    assert snip.count("<mark>") == 1
    assert set(_TAG.findall(snip)) <= {"<mark>", "</mark>"}


def test_browse_snippet_is_escaped_page_start(backend):
    res = backend.search(SearchQuery(text="", filters={"agencies": ["sheriff"]}, page_size=10))
    snips = {f"{h.doc_id}:{h.page:05d}": h.snippet for h in res.hits}
    assert snips[pid("c", 3)].startswith("&lt;script&gt;alert(")
    assert "<mark>" not in "".join(snips.values())


# --- facets and filters ----------------------------------------------------------------------


@pytest.mark.parametrize("text", ["ice OR cbp OR records", "records", "license plate"])
def test_facets_count_the_whole_match_set(backend, text):
    full = all_ids(backend, text)
    res = backend.search(SearchQuery(text=text, page_size=2))
    assert len(res.hits) == 2 < res.total
    want = expected_facets(full)
    assert facet_dict(res) == {f: {k: v for k, v in want[f].items() if k} for f in FACET_FIELDS}
    for values in res.facets.values():
        assert [(-v.count, v.value) for v in values] == sorted((-v.count, v.value) for v in values)


FILTER_CASES = [
    ("", {"agencies": ["ice", "cbp"], "year": ["2020"]}),
    ("", {"vendors": ["palantir", "clearview_ai"]}),
    ("", {"exemptions": ["b7e"]}),
    ("", {"programs": ["learn_nvls", "flock_network"]}),
    ("data", {"programs": ["flock_network"], "agencies": ["ice"]}),
    ("records", {"batch": ["2021-dhs"], "agencies": ["dhs"]}),
    ("data", {"data_types": ["alpr"]}),
    ("surveillance", {"clauses": ["sensitive_locations"], "year": ["2020", "2021"]}),
]


@pytest.mark.parametrize("text,filters", FILTER_CASES)
def test_filters_or_within_and_across_fields(backend, text, filters):
    def keep(r: PageRecord) -> bool:
        values = {**r.tags(), "batch": [r.batch], "year": [r.year]}
        return all(set(values[f]) & set(v) for f, v in filters.items())

    unfiltered = set(all_ids(backend, text)) if text else set(BY_ID)
    want = {p for p in unfiltered if keep(BY_ID[p])}
    res = backend.search(SearchQuery(text=text, filters=filters, page_size=500))
    assert set(ids(res)) == want and res.total == len(want)
    assert want  # each case selects something
    if not text:
        assert ids(res) == sorted(want)  # browse: page id order
        assert all(h.score == 0.0 for h in res.hits)


# --- pagination ------------------------------------------------------------------------------


@pytest.mark.parametrize("text,filters", [("records", {}), ("", {"batch": ["2021-dhs"]}), ("surveillance OR ice", {})])
def test_offset_and_cursor_pagination(backend, text, filters):
    full = ids(backend.search(SearchQuery(text=text, filters=filters, page_size=500)))
    assert len(full) > 7
    by_offset, page = [], 1
    while True:
        res = backend.search(SearchQuery(text=text, filters=filters, page=page, page_size=4, facets=False))
        if not res.hits:
            break
        by_offset += ids(res)
        page += 1
    by_cursor, cursor, seen_last = [], None, False
    while not seen_last:
        res = backend.search(SearchQuery(text=text, filters=filters, page_size=3, cursor=cursor, facets=False))
        by_cursor += ids(res)
        cursor = res.next_cursor
        seen_last = cursor is None
    assert by_offset == full
    assert by_cursor == full
    assert len(set(by_cursor)) == len(full)


def test_cursor_from_another_query_is_rejected(backend):
    res = backend.search(SearchQuery(text="records", page_size=2))
    with pytest.raises(QuerySyntaxError):
        backend.search(SearchQuery(text="surveillance", page_size=2, cursor=res.next_cursor))
    with pytest.raises(QuerySyntaxError):
        backend.search(SearchQuery(text="records", cursor="not-a-cursor"))


# --- writes ----------------------------------------------------------------------------------


def test_reindex_is_idempotent_and_replaces_pages(backend):
    before = {t: all_ids(backend, t) for t in ("records", "ice", "surveillance")}
    report = backend.replace_documents(CORPUS)
    assert report.indexed == len(CORPUS) and report.documents == 6 and not report.errors
    assert backend.count() == len(CORPUS)
    assert {t: all_ids(backend, t) for t in before} == before
    # a new version of the production with 2 pages replaces all 23 old ones
    new = [r.model_copy(update={"text": f"Reprocessed page {r.page} of the production."})
           for r in CORPUS if r.doc_id == "f" * 64][:2]
    backend.replace_documents(new)
    assert backend.count() == len(CORPUS) - 21
    assert [p.page for p in backend.document_pages("f" * 64)] == [1, 2]
    assert all_ids(backend, "reprocessed") == [pid("f", 1), pid("f", 2)]
    backend.delete_document("f" * 64)
    assert backend.document_pages("f" * 64) == []
    assert backend.count() == len(CORPUS) - 23
    assert "f" * 64 not in {d.doc_id for d in backend.documents().documents}


def test_document_pages_round_trip(backend):
    pages = backend.document_pages("c" * 64)
    # tags come back deduplicated and sorted, batches filled in
    want = [r.model_copy(update={**{f: sorted(set(v)) for f, v in r.tags().items()}, "batches": r.all_batches()})
            for r in CORPUS if r.doc_id == "c" * 64]
    assert pages == want
    assert backend.document_pages("0" * 64) == []


def test_documents_listing(backend):
    listing = backend.documents()
    assert listing.total == 6
    assert [d.path for d in listing.documents] == sorted({r.path for r in CORPUS})
    prod = next(d for d in listing.documents if d.doc_id == "f" * 64)
    assert (prod.pages, prod.title, prod.batch, prod.year) == (23, "DHS FOIA Production 2021-0042", "2021-dhs", "2021")
    county = backend.documents(batch="2020-county", offset=1, limit=5)
    assert county.total == 2 and [d.doc_id for d in county.documents] == ["d" * 64]
    assert county.documents[0].batches == ["2020-county"]
    assert backend.document("d" * 64) == county.documents[0]
    assert backend.document("0" * 64) is None


def test_rebuild_swaps_without_downtime(backend):
    subset = [r for r in CORPUS if r.doc_id in ("a" * 64, "c" * 64)]
    seen_during: list[int] = []

    def records():
        for i, r in enumerate(subset):
            if i == 3:  # the live index still answers, with the old content
                seen_during.append(backend.count())
                seen_during.append(backend.search(SearchQuery(text="palantir")).total)
            yield r

    report = backend.rebuild(records())
    assert report.indexed == len(subset) and report.documents == 2
    assert seen_during == [len(CORPUS), 2]
    assert backend.count() == len(subset)
    assert backend.search(SearchQuery(text="palantir")).total == 0
    assert set(all_ids(backend, "license plate")) == {pid("a", 1), pid("a", 2), pid("c", 1)}
    assert backend.documents().total == 2
    backend.replace_documents(CORPUS)  # incremental writes go to the new index
    assert backend.count() == len(CORPUS)


def test_failed_rebuild_keeps_the_live_index(backend):
    def records():
        yield CORPUS[0]
        raise RuntimeError("extraction store went away")

    with pytest.raises(RuntimeError):
        backend.rebuild(records())
    assert backend.count() == len(CORPUS)
    assert backend.search(SearchQuery(text="palantir")).total == 2


# --- query errors ----------------------------------------------------------------------------


@pytest.mark.parametrize("text", ['"license plate', "ice OR", "OR ice", "ice -", "NOT", "-ice", "(ice", "ice)",
                                  "ice AND", "ice OR -cbp", "sur*veil", ""])
def test_syntax_errors(backend, text):
    with pytest.raises(QuerySyntaxError):
        backend.search(SearchQuery(text=text))


@pytest.mark.parametrize("text", ["NEAR(ice cbp)", "title:palantir", "^ice", "ice + cbp", "{text}: ice",
                                  "ice:", "a* OR b*", "'; DROP TABLE pages_g1; SELECT", "\"\" ice", "ice - cbp"])
def test_engine_syntax_is_not_interpreted(backend, text):
    res = backend.search(SearchQuery(text=text))
    assert res.total >= 0  # plain words: no engine error leaks
