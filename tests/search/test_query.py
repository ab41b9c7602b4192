"""The shared query language: parsing, rendering, and that nothing user-typed breaks FTS5."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from foialens.search import cursor, snippets
from foialens.search.backend import QuerySyntaxError
from foialens.search.query import And, Not, Or, Phrase, Term, parse, to_es, to_fts5
from foialens.search.records import PageRecord, SearchQuery
from foialens.search.sqlite_backend import SqliteBackend


@pytest.mark.parametrize("text,tree", [
    ("vigilant learn", And((Term("vigilant"), Term("learn")))),
    ('"license plate" reader', And((Phrase("license plate"), Term("reader")))),
    ("palantir OR clearview ice", Or((Term("palantir"), And((Term("clearview"), Term("ice")))))),
    ("ice -training", And((Term("ice"), Not(Term("training"))))),
    ("ice NOT (training OR exercise)", And((Term("ice"), Not(Or((Term("training"), Term("exercise"))))))),
    ("ice AND cbp", And((Term("ice"), Term("cbp")))),
    ("surveil*", Term("surveil", prefix=True)),
    ("e-verify", Term("e-verify")),
    ("section 3 - retention", And((Term("section"), Term("3"), Term("retention")))),
    ('ice "" & cbp', And((Term("ice"), Term("cbp")))),
    ("or and not", And((Term("or"), Term("and"), Term("not")))),  # lower case: plain words
    ("   ", None),
])
def test_parse(text, tree):
    assert parse(text) == tree


@pytest.mark.parametrize("text,message", [
    ('"license plate', "unbalanced quote"),
    ("ice OR", "needs a term after it"),
    ("OR ice", "needs a term before it"),
    ("ice -", "needs a term after it"),
    ("ice NOT", "needs a term after it"),
    ("-ice", "only of excluded terms"),
    ("ice OR -cbp", "only of excluded terms"),
    ("(ice", "never closed"),
    ("ice)", "no matching"),
    ("ice AND", "on both sides"),
    ("sur*veil", "only allowed at the end"),
])
def test_syntax_errors_are_clear(text, message):
    with pytest.raises(QuerySyntaxError, match=message):
        parse(text)


def test_fts5_rendering_quotes_every_term():
    node = parse('ice -"third party" (NEAR OR col:x*)')
    assert to_fts5(node) == '("ice" AND ("NEAR" OR "col:x" *)) NOT "third party"'


def test_es_rendering():
    q = to_es(parse("ice -training surveil*"), ["text", "title^3"])
    assert q == {"bool": {
        "must": [{"multi_match": {"query": "ice", "fields": ["text", "title^3"], "type": "phrase"}},
                 {"multi_match": {"query": "surveil", "fields": ["text", "title^3"], "type": "phrase_prefix"}}],
        "must_not": [{"multi_match": {"query": "training", "fields": ["text", "title^3"], "type": "phrase"}}],
    }}


def test_snippet_render_escapes_and_balances():
    raw = f'<b>"x" & {snippets.MARK_START}ice{snippets.MARK_END} {snippets.MARK_START}open'
    assert snippets.render(raw) == "&lt;b&gt;&quot;x&quot; &amp; <mark>ice</mark> <mark>open</mark>"
    assert snippets.render(f"{snippets.MARK_END}x") == "x"
    assert snippets.strip_markers(f"a{snippets.MARK_START}b{snippets.MARK_END}") == "ab"
    long = "word " * 100
    assert snippets.leading(long).endswith(snippets.ELLIPSIS) and len(snippets.leading(long)) <= 181


def test_cursor_round_trip_and_binding():
    q = SearchQuery(text="ice", filters={"vendors": ["palantir"]})
    c = cursor.encode(0.1 + 0.2, "abc:00001", q, ties=3)
    assert cursor.decode(c, q) == (0.1 + 0.2, "abc:00001", 3)
    with pytest.raises(QuerySyntaxError):
        cursor.decode(c, SearchQuery(text="ice"))
    with pytest.raises(QuerySyntaxError):
        cursor.decode(c[:-3], q)


@pytest.fixture(scope="module")
def small_index(tmp_path_factory):
    b = SqliteBackend(tmp_path_factory.mktemp("fuzz") / "i.sqlite3")
    b.replace_documents([
        PageRecord(doc_id="x", page=1, path="x.pdf", text='ICE "near" col: NEAR(a b) ^start {x} * + - AND OR NOT'),
        PageRecord(doc_id="y", page=1, path="y.pdf", text="plain words about customs and border protection"),
    ])
    yield b
    b.close()


QUERY_ALPHABET = st.sampled_from(
    list('"()*-:^+{}\'.,;!?&|~@#$%\\/[]=<> \t') + ["ICE", "ice", "OR", "AND", "NOT", "NEAR", "near", "a", "b",
                                                     "col:", "x*", "é", "\ue000", "0", "—"]
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(QUERY_ALPHABET, max_size=12).map("".join))
def test_typed_text_never_reaches_fts5_as_syntax(small_index, text):
    """Any text is either a clear QuerySyntaxError or a result; never an SQLite error."""
    try:
        res = small_index.search(SearchQuery(text=text, filters={"year": [""]} if not text.strip() else {}))
    except QuerySyntaxError:
        return
    assert res.total >= 0
    for hit in res.hits:
        assert "<" not in hit.snippet.replace("<mark>", "").replace("</mark>", "")
