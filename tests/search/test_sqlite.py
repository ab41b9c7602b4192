"""Embedded backend specifics: WAL, one writer + concurrent readers, atomic writes, rebuild."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from foialens.search.backend import SearchError
from foialens.search.records import PageRecord, SearchQuery
from foialens.search.sqlite_backend import SqliteBackend
from tests.support.search_records import CORPUS


def _doc(version: str, pages: int = 10) -> list[PageRecord]:
    return [
        PageRecord(doc_id="w" * 64, page=i, path="w.pdf", title="Writer test", text=f"{version} page {i} contract",
                   vendors=[version])
        for i in range(1, pages + 1)
    ]


@pytest.fixture
def index(tmp_path):
    b = SqliteBackend(tmp_path / "index.sqlite3")
    b.replace_documents(CORPUS)
    yield b
    b.close()


def test_wal_mode_and_persistence(index, tmp_path):
    raw = sqlite3.connect(tmp_path / "index.sqlite3")
    assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    raw.close()
    index.close()
    reopened = SqliteBackend(tmp_path / "index.sqlite3")
    assert reopened.count() == len(CORPUS)
    assert reopened.search(SearchQuery(text="palantir")).total == 2
    reopened.close()
    with pytest.raises(SearchError):
        index.count()  # closed


def test_readers_see_whole_documents_while_a_writer_replaces_them(index, tmp_path):
    """A second backend on the same file (like a web server) reads while ingest writes."""
    reader = SqliteBackend(tmp_path / "index.sqlite3")
    index.replace_documents(_doc("alpha"))
    stop = threading.Event()
    errors: list[BaseException] = []

    read_done = threading.Semaphore(0)

    def write():
        try:
            for n in range(40):
                index.replace_documents(_doc("beta" if n % 2 == 0 else "alpha", pages=10 if n % 3 else 7))
                read_done.acquire(timeout=5)  # let the reader in at least once per version
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            stop.set()

    seen_versions = set()
    t = threading.Thread(target=write)
    t.start()
    reads = 0
    while not stop.is_set() or reads < 5:
        pages = reader.document_pages("w" * 64)
        versions = {p.vendors[0] for p in pages}
        assert len(versions) == 1 and len(pages) in (7, 10), (versions, len(pages))
        res = reader.search(SearchQuery(text="writer", page_size=20))  # one snapshot: hits + facets
        assert res.total == len(res.hits) in (7, 10)
        assert [(v.value, v.count) for v in res.facets["vendors"]] == [(res.hits[0].vendors[0], res.total)]
        seen_versions |= versions
        reads += 1
        read_done.release()
    t.join()
    assert not errors
    assert seen_versions == {"alpha", "beta"}
    assert reader.count() == len(CORPUS) + 7  # the last write (n=39) had 7 pages
    reader.close()


def test_failed_write_leaves_the_old_document(index):
    index.replace_documents(_doc("alpha"))
    bad = _doc("beta")
    bad[4] = bad[4].model_copy(update={"text": "broken \ud800 surrogate"})  # cannot be encoded
    with pytest.raises(UnicodeEncodeError):
        index.replace_documents(bad)
    pages = index.document_pages("w" * 64)
    assert len(pages) == 10 and {p.vendors[0] for p in pages} == {"alpha"}
    assert index.search(SearchQuery(text="beta")).total == 0


def test_rebuild_leaves_one_generation(index, tmp_path):
    def failing():
        yield from CORPUS[:5]
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        index.rebuild(failing())
    index.rebuild(CORPUS)
    raw = sqlite3.connect(tmp_path / "index.sqlite3")
    tables = {r[0] for r in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    raw.close()
    pages_tables = sorted(t for t in tables if t.startswith("pages_g"))
    assert pages_tables == ["pages_g2"]
    assert index.count() == len(CORPUS)


def test_split_document_in_one_call_is_kept_whole(index):
    """Pages of one document arriving non-contiguously in one call all stay."""
    doc = _doc("alpha")
    other = [r for r in CORPUS if r.doc_id == "e" * 64]
    index.replace_documents(doc[:5] + other + doc[5:])
    assert len(index.document_pages("w" * 64)) == 10
    assert index.documents().total == 7


def _facets(result) -> dict:
    return {f: [(v.value, v.count) for v in values] for f, values in result.facets.items()}


def test_schema_1_file_is_upgraded_in_place(index, tmp_path):
    """A file written before page_facets existed (schema 1) opens, gets page_facets from
    page_tags, and stays in step with later writes."""
    queries = [SearchQuery(text="records"), SearchQuery(filters={"agencies": ["ice"]}), SearchQuery(text="ice -vigilant")]
    want = [index.search(q) for q in queries]
    index.close()
    raw = sqlite3.connect(tmp_path / "index.sqlite3", isolation_level=None)
    g = int(raw.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])
    raw.execute(f"DROP TABLE page_facets_g{g}")
    raw.execute(f"DROP TRIGGER pages_g{g}_ad")
    raw.execute(f"""CREATE TRIGGER pages_g{g}_ad AFTER DELETE ON pages_g{g} BEGIN
        DELETE FROM page_text_g{g} WHERE rowid = old.rowid;
        DELETE FROM page_tags_g{g} WHERE page_rowid = old.rowid;
    END""")
    raw.execute("UPDATE meta SET value = '1' WHERE key = 'schema'")
    raw.close()
    upgraded = SqliteBackend(tmp_path / "index.sqlite3")
    try:
        assert [upgraded.search(q) for q in queries] == want
        upgraded.replace_documents(_doc("alpha"))
        upgraded.replace_documents(_doc("beta", pages=3))  # replaces (deletes) the alpha pages
        res = upgraded.search(SearchQuery(text="writer"))
        assert res.total == 3 and _facets(res)["vendors"] == [("beta", 3)]
    finally:
        upgraded.close()


def test_facets_with_many_tag_values(tmp_path):
    """Tag ids well past one byte; counts cover the whole match set, not the shown page."""
    b = SqliteBackend(tmp_path / "many.sqlite3")
    try:
        b.replace_documents(
            PageRecord(doc_id=f"{i:064x}", page=1, path=f"d{i}.pdf", batch=f"b{i:03d}", year=str(1900 + i % 120),
                       text="common words" + (" rare" if i % 7 == 0 else ""), vendors=[f"v{i % 300}", f"v{(i + 1) % 300}"])
            for i in range(600)
        )
        res = b.search(SearchQuery(text="common", page_size=5))
        assert res.total == 600
        facets = _facets(res)
        assert len(facets["batch"]) == 50 and facets["batch"][0] == ("b000", 1)
        assert facets["vendors"][:2] == [("v0", 4), ("v1", 4)] and len(facets["vendors"]) == 50
        assert facets["year"][0] == ("1900", 5)
        rare = b.search(SearchQuery(text="rare", filters={"vendors": ["v7", "v8"]}, page_size=1))
        assert rare.total == 2  # i = 7 (v7, v8) and i = 308 (v8, v9): 308 % 7 == 0
        assert _facets(rare)["vendors"] == [("v8", 2), ("v7", 1), ("v9", 1)]
    finally:
        b.close()
