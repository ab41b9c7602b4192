"""Embedded backend specifics: WAL, one writer + concurrent readers, atomic writes, rebuild."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from search.backend import SearchError
from search.records import PageRecord, SearchQuery
from search.sqlite_backend import SqliteBackend
from tests.test_search_contract import CORPUS


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
