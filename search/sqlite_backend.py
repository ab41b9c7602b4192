"""Embedded backend: one SQLite file with an FTS5 index.

Layout (one *generation* of tables, suffix ``_g<N>``; ``meta.generation`` names the live one):

- ``pages_gN``     one narrow row per page (ids, title, tags as JSON for reconstruction)
- ``page_text_gN`` the page text and title, same rowid (kept apart so id lookups stay cheap)
- ``fts_gN``       FTS5 over (text, title), external content = page_text_gN, porter unicode61
- ``tagdict_gN``   (tag_id, field, value): every tag value once, batch and year included
- ``page_tags_gN`` (page_rowid, tag_id), with an index by tag: filters as integer joins
- ``page_facets_gN`` one short row per page: its tag ids as fixed-width hex (8 digits each), so
                   facet counts over a whole match set are one ``group_concat`` plus a bincount
                   instead of a GROUP BY over every (page, tag) pair
- ``documents_gN`` one row per document (listing for the UI)

``rebuild`` loads a new generation while readers keep using the live one, then flips
``meta.generation`` in one transaction and drops the old tables: zero downtime, atomic swap,
and the same file (so WAL readers never see a renamed database). WAL mode gives one writer
plus any number of concurrent readers; every search runs in one read transaction.

``read_only=True`` opens the file with ``mode=ro`` (and, when the directory cannot hold the WAL's
shared-memory file, as ``immutable``): searches work on read-only media and for users who may
only read the data directory; writes raise.

A search evaluates the full-text query (and bm25) once: the matching rowids and scores go into
a per-connection temp table, and the total, the ranked page of hits and the facet counts are
read from it; snippet() runs only for the returned hits.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import threading
from array import array
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from urllib.parse import quote

from foialens.search import cursor as cursors
from foialens.search import snippets
from foialens.search import sqlite_relations as relations
from foialens.search.backend import BackendUnavailable, QuerySyntaxError, SearchError
from foialens.search.batching import doc_chunks
from foialens.search.facets import FACET_SIZE, ordered, page_tags
from foialens.search.query import parse, to_fts5
from foialens.search.records import (
    DocumentList,
    DocumentSummary,
    IndexReport,
    PageRecord,
    RelationQuery,
    RelationRecord,
    RelationResult,
    SearchHit,
    SearchQuery,
    SearchResult,
)

SCHEMA_VERSION = 3  # 2: page_facets_gN; 3: relations_gN (older files are upgraded in place when opened)
TITLE_WEIGHT = 3.0  # bm25 column weight of the title relative to the page text
TOKENIZER = "porter unicode61"
WRITE_CHUNK = 2000  # pages per write transaction in replace_documents


def _ddl(g: int) -> list[str]:
    return [
        f"""CREATE TABLE pages_g{g} (
            rowid INTEGER PRIMARY KEY,
            id TEXT NOT NULL UNIQUE,
            doc_id TEXT NOT NULL,
            page INTEGER NOT NULL,
            path TEXT NOT NULL,
            title TEXT NOT NULL,
            batch TEXT NOT NULL,
            year TEXT NOT NULL,
            method TEXT NOT NULL,
            ocr_confidence REAL,
            redacted INTEGER NOT NULL,
            tags TEXT NOT NULL)""",
        f"CREATE INDEX pages_g{g}_doc ON pages_g{g}(doc_id, page)",
        f"CREATE TABLE page_text_g{g} (rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, title TEXT NOT NULL)",
        f"""CREATE VIRTUAL TABLE fts_g{g} USING fts5(
            text, title, content='page_text_g{g}', content_rowid='rowid', tokenize='{TOKENIZER}')""",
        f"""CREATE TABLE tagdict_g{g} (
            tag_id INTEGER PRIMARY KEY, field TEXT NOT NULL, value TEXT NOT NULL, UNIQUE (field, value))""",
        f"""CREATE TABLE page_tags_g{g} (
            page_rowid INTEGER NOT NULL, tag_id INTEGER NOT NULL,
            PRIMARY KEY (page_rowid, tag_id)) WITHOUT ROWID""",
        f"CREATE INDEX page_tags_g{g}_tag ON page_tags_g{g}(tag_id, page_rowid)",
        _FACETS_DDL.format(g=g),
        f"""CREATE TABLE documents_g{g} (
            doc_id TEXT PRIMARY KEY, title TEXT NOT NULL, path TEXT NOT NULL,
            batch TEXT NOT NULL, year TEXT NOT NULL, pages INTEGER NOT NULL)""",
        f"CREATE INDEX documents_g{g}_path ON documents_g{g}(path, doc_id)",
        f"CREATE INDEX documents_g{g}_batch ON documents_g{g}(batch, path, doc_id)",
        _PAGES_AD_TRIGGER.format(g=g),
        *relations.ddl(g),
    ]


_FACETS_DDL = "CREATE TABLE page_facets_g{g} (rowid INTEGER PRIMARY KEY, tags TEXT NOT NULL)"
_PAGES_AD_TRIGGER = """CREATE TRIGGER pages_g{g}_ad AFTER DELETE ON pages_g{g} BEGIN
            DELETE FROM page_text_g{g} WHERE rowid = old.rowid;
            DELETE FROM page_tags_g{g} WHERE page_rowid = old.rowid;
            DELETE FROM page_facets_g{g} WHERE rowid = old.rowid;
        END"""


def _triggers(g: int) -> list[str]:
    """Keep the external-content FTS index in step with page_text_gN (incremental writes;
    a rebuild loads the data first, builds the FTS index in one pass, then adds these)."""
    return [
        f"""CREATE TRIGGER page_text_g{g}_ai AFTER INSERT ON page_text_g{g} BEGIN
            INSERT INTO fts_g{g}(rowid, text, title) VALUES (new.rowid, new.text, new.title);
        END""",
        f"""CREATE TRIGGER page_text_g{g}_ad AFTER DELETE ON page_text_g{g} BEGIN
            INSERT INTO fts_g{g}(fts_g{g}, rowid, text, title) VALUES ('delete', old.rowid, old.text, old.title);
        END""",
    ]


def _drop(g: int) -> list[str]:
    return relations.drop(g) + [
        f"DROP TABLE IF EXISTS {t}_g{g}" for t in ("fts", "page_text", "pages", "tagdict", "page_tags", "page_facets", "documents")
    ]


class SqliteBackend:
    """SearchBackend over one SQLite file. Thread-safe: one connection per thread."""

    def __init__(self, path: str | Path, *, timeout: float = 30.0, read_only: bool = False):
        self.path = Path(path)
        self.timeout = timeout
        self.read_only = read_only
        self._immutable = False  # read-only and the WAL's -shm file cannot be used: see _connect_ro
        self._local = threading.local()
        self._conns: list[sqlite3.Connection] = []
        self._conns_lock = threading.Lock()
        self._closed = False
        if read_only:
            if not self.path.is_file():
                raise BackendUnavailable(f"no search index at {self.path}: run `foialens ingest PATH` first")
            self._check_schema()
        else:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._init_schema()

    # --- connections ------------------------------------------------------------------------

    def _conn(self) -> sqlite3.Connection:
        if self._closed:
            raise SearchError("the search backend is closed")
        conn = getattr(self._local, "conn", None)
        if conn is None:
            try:
                if self.read_only:
                    conn = self._connect_ro()
                else:
                    conn = sqlite3.connect(
                        self.path, timeout=self.timeout, isolation_level=None, check_same_thread=False
                    )
                    conn.execute("PRAGMA auto_vacuum=INCREMENTAL")  # only takes effect on a new file
                    conn.execute("PRAGMA journal_mode=WAL")
                    conn.execute("PRAGMA journal_size_limit=67108864")  # shrink the WAL to 64 MiB after checkpoints
                    conn.execute("PRAGMA synchronous=NORMAL")
                conn.execute(f"PRAGMA busy_timeout={int(self.timeout * 1000)}")
                conn.execute("PRAGMA temp_store=MEMORY")
                conn.execute("PRAGMA cache_size=-65536")  # 64 MiB page cache per connection
                # this connection's match set for the search in progress (see _search)
                conn.execute("CREATE TEMP TABLE IF NOT EXISTS matches (rid INTEGER PRIMARY KEY, s REAL NOT NULL)")
            except sqlite3.Error as exc:
                raise BackendUnavailable(f"cannot open search index {self.path}: {exc}") from exc
            self._local.conn = conn
            with self._conns_lock:
                self._conns.append(conn)
        return conn

    def _connect_ro(self) -> sqlite3.Connection:
        """A read-only connection. A WAL database needs its -shm file; where it does not exist and
        cannot be created (a read-only directory) nobody can be writing either, so the file is
        opened as immutable."""
        uri = "file:" + quote(str(self.path.absolute()))
        if not self._immutable:
            conn = sqlite3.connect(uri + "?mode=ro", uri=True, timeout=self.timeout, isolation_level=None,
                                   check_same_thread=False)
            try:
                conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return conn
            except sqlite3.OperationalError:
                conn.close()
                self._immutable = True
        return sqlite3.connect(uri + "?mode=ro&immutable=1", uri=True, timeout=self.timeout, isolation_level=None,
                               check_same_thread=False)

    def _check_schema(self) -> None:
        """Read-only: the file must already have this version's schema (nothing is upgraded)."""
        conn = self._conn()
        try:
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        except sqlite3.Error as exc:
            raise BackendUnavailable(f"cannot read search index {self.path}: {exc}") from exc
        if row is None or int(row[0]) != SCHEMA_VERSION:
            raise SearchError(
                f"{self.path} has index schema {row[0] if row else 'none'}, this version needs {SCHEMA_VERSION}; "
                "open it once with write access (an ingest, or the web UI of a user who may write) "
                "or run `foialens reindex`"
            )

    def _init_schema(self) -> None:
        conn = self._conn()
        with _transaction(conn, immediate=True):
            conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
            row = conn.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
            if row is None:
                for sql in _ddl(1) + _triggers(1):
                    conn.execute(sql)
                conn.executemany(
                    "INSERT INTO meta(key, value) VALUES (?, ?)",
                    [("schema", str(SCHEMA_VERSION)), ("generation", "1")],
                )
            elif int(row[0]) < SCHEMA_VERSION:
                _upgrade(conn, self._generation(conn), int(row[0]))
            elif int(row[0]) != SCHEMA_VERSION:
                raise SearchError(
                    f"{self.path} has index schema {row[0]}, this version needs {SCHEMA_VERSION}; "
                    "run `foialens reindex`"
                )

    @staticmethod
    def _generation(conn: sqlite3.Connection) -> int:
        return int(conn.execute("SELECT value FROM meta WHERE key='generation'").fetchone()[0])

    # --- writes -----------------------------------------------------------------------------

    def replace_documents(self, records: Iterable[PageRecord]) -> IndexReport:
        conn = self._conn()
        report = IndexReport()
        seen: set[str] = set()  # documents already cleared in this call
        for chunk in doc_chunks(records, WRITE_CHUNK):
            with _transaction(conn, immediate=True):
                g = self._generation(conn)
                for doc_id, pages in chunk.items():
                    if doc_id not in seen:
                        conn.execute(f"DELETE FROM pages_g{g} WHERE doc_id = ?", (doc_id,))
                        seen.add(doc_id)
                        report.documents += 1
                    report.indexed += _insert_pages(conn, g, pages)
                    _refresh_document(conn, g, doc_id)
        return report

    def replace_relations(self, doc_id: str, records: Iterable[RelationRecord]) -> int:
        conn = self._conn()
        with _transaction(conn, immediate=True):
            g = self._generation(conn)
            relations.delete(conn, g, doc_id)
            return relations.insert(conn, g, records)

    def search_relations(self, query: RelationQuery) -> RelationResult:
        conn = self._conn()
        with _transaction(conn):
            return relations.search(conn, self._generation(conn), query)

    def delete_document(self, doc_id: str) -> None:
        conn = self._conn()
        with _transaction(conn, immediate=True):
            g = self._generation(conn)
            relations.delete(conn, g, doc_id)
            conn.execute(f"DELETE FROM pages_g{g} WHERE doc_id = ?", (doc_id,))
            conn.execute(f"DELETE FROM documents_g{g} WHERE doc_id = ?", (doc_id,))

    def rebuild(self, records: Iterable[PageRecord], relation_records: Iterable[RelationRecord] = ()) -> IndexReport:
        conn = self._conn()
        with _transaction(conn, immediate=True):
            old = self._generation(conn)
            new = old + 1
            for sql in _drop(new):  # leftovers of an interrupted rebuild
                conn.execute(sql)
            for sql in _ddl(new):
                conn.execute(sql)
        report = IndexReport()
        try:
            docs: set[str] = set()
            for chunk in doc_chunks(records, WRITE_CHUNK * 5):
                with _transaction(conn, immediate=True):
                    for doc_id, pages in chunk.items():
                        docs.add(doc_id)
                        report.indexed += _insert_pages(conn, new, pages)
            with _transaction(conn, immediate=True):
                report.relations = relations.insert(conn, new, relation_records)
                conn.execute(f"INSERT INTO fts_g{new}(fts_g{new}) VALUES ('rebuild')")
                for doc_id in docs:
                    _refresh_document(conn, new, doc_id)
                for sql in _triggers(new):
                    conn.execute(sql)
                if self._generation(conn) != old:
                    raise SearchError("another rebuild finished while this one ran; nothing swapped")
                conn.execute("UPDATE meta SET value = ? WHERE key = 'generation'", (str(new),))
                for sql in _drop(old):
                    conn.execute(sql)
            report.documents = len(docs)
        except BaseException:
            with _transaction(conn, immediate=True):
                if self._generation(conn) != new:
                    for sql in _drop(new):
                        conn.execute(sql)
            raise
        conn.execute("PRAGMA incremental_vacuum")  # give the old generation's pages back to the OS
        conn.execute("PRAGMA wal_checkpoint(PASSIVE)")
        return report

    # --- reads ------------------------------------------------------------------------------

    def count(self) -> int:
        conn = self._conn()
        with _transaction(conn):
            g = self._generation(conn)
            return conn.execute(f"SELECT count(*) FROM pages_g{g}").fetchone()[0]

    def document_pages(self, doc_id: str) -> list[PageRecord]:
        conn = self._conn()
        with _transaction(conn):
            g = self._generation(conn)
            rows = conn.execute(
                f"SELECT {_PAGE_COLUMNS} FROM pages_g{g} p JOIN page_text_g{g} t ON t.rowid = p.rowid "
                "WHERE p.doc_id = ? ORDER BY p.page",
                (doc_id,),
            ).fetchall()
        return [_record(row) for row in rows]

    def documents(self, *, batch: str | None = None, offset: int = 0, limit: int = 100) -> DocumentList:
        conn = self._conn()
        with _transaction(conn):
            g = self._generation(conn)
            where, args = "", []
            if batch is not None:  # any of the document's batches (the page tags hold them all)
                where = (f"WHERE d.doc_id IN (SELECT p.doc_id FROM pages_g{g} p JOIN page_tags_g{g} t "
                         f"ON t.page_rowid = p.rowid WHERE t.tag_id = (SELECT tag_id FROM tagdict_g{g} "
                         "WHERE field = 'batch' AND value = ?))")
                args = [batch]
            total = conn.execute(f"SELECT count(*) FROM documents_g{g} d {where}", args).fetchone()[0]
            rows = conn.execute(
                f"SELECT d.doc_id, d.title, d.path, d.batch, d.year, d.pages, (SELECT p.tags FROM pages_g{g} p "
                f"WHERE p.doc_id = d.doc_id ORDER BY p.page LIMIT 1) FROM documents_g{g} d {where} "
                "ORDER BY d.path, d.doc_id LIMIT ? OFFSET ?",
                [*args, max(0, limit), max(0, offset)],
            ).fetchall()
        docs = [
            DocumentSummary(doc_id=r[0], title=r[1], path=r[2], batch=r[3], year=r[4], pages=r[5],
                            batches=_batches(r[6], r[3]))
            for r in rows
        ]
        return DocumentList(total=total, documents=docs)

    def document(self, doc_id: str) -> DocumentSummary | None:
        """The listing entry of one document (None when it is not indexed)."""
        conn = self._conn()
        with _transaction(conn):
            g = self._generation(conn)
            r = conn.execute(
                f"SELECT d.doc_id, d.title, d.path, d.batch, d.year, d.pages, (SELECT p.tags FROM pages_g{g} p "
                f"WHERE p.doc_id = d.doc_id ORDER BY p.page LIMIT 1) FROM documents_g{g} d WHERE d.doc_id = ?",
                (doc_id,),
            ).fetchone()
        if r is None:
            return None
        return DocumentSummary(doc_id=r[0], title=r[1], path=r[2], batch=r[3], year=r[4], pages=r[5],
                               batches=_batches(r[6], r[3]))

    def search(self, query: SearchQuery) -> SearchResult:
        node = parse(query.text)
        if node is None and not query.filters and not query.all_pages:
            raise QuerySyntaxError("enter search terms, or choose at least one filter to browse by tag")
        after = cursors.decode(query.cursor, query) if query.cursor else None
        conn = self._conn()
        try:
            with _transaction(conn):
                g = self._generation(conn)
                return self._search(conn, g, query, to_fts5(node) if node is not None else None, after)
        except sqlite3.OperationalError as exc:
            raise SearchError(f"search failed: {exc}") from exc

    def _search(
        self, conn: sqlite3.Connection, g: int, query: SearchQuery, match: str | None,
        after: tuple[float, str, int] | None,
    ) -> SearchResult:
        offset = 0 if after is not None else (query.page - 1) * query.page_size
        conn.execute("DELETE FROM temp.matches")
        try:
            if match is not None:
                # "+f.rowid": the tag filter must not be pushed into FTS5 as a rowid lookup (that
                # re-runs the full-text query once per tagged page); bm25 runs only for rows that
                # pass the filters.
                filter_sql, filter_args = _filters(g, query.filters, "+f.rowid")
                conn.execute(
                    f"INSERT INTO temp.matches (rid, s) SELECT f.rowid, -bm25(fts_g{g}, 1.0, {TITLE_WEIGHT}) "
                    f"FROM fts_g{g} f WHERE fts_g{g} MATCH ?{filter_sql}",
                    [match, *filter_args],
                )
            elif not query.filters:  # all_pages: every page, score 0
                conn.execute(f"INSERT INTO temp.matches (rid, s) SELECT rowid, 0.0 FROM pages_g{g}")
            else:  # browse: score 0 for every page, so the order is by page id
                # pages come straight from the tag index (first field), the other fields filter them
                first, *rest = sorted(query.filters)
                values = sorted(set(query.filters[first]))
                filter_sql, filter_args = _filters(g, {f: query.filters[f] for f in rest}, "t.page_rowid")
                conn.execute(
                    f"INSERT OR IGNORE INTO temp.matches (rid, s) SELECT t.page_rowid, 0.0 FROM page_tags_g{g} t "
                    f"WHERE t.tag_id IN (SELECT tag_id FROM tagdict_g{g} WHERE field = ? AND value IN "
                    f"({','.join('?' * len(values))})){filter_sql}",
                    [first, *values, *filter_args],
                )
            total = conn.execute("SELECT count(*) FROM temp.matches").fetchone()[0]
            rows = _ranked(conn, g, after, offset, query.page_size + 1)
            facets = _facet_counts(conn, g) if query.facets else {}
        finally:
            conn.execute("DELETE FROM temp.matches")
        more = len(rows) > query.page_size
        rows = rows[: query.page_size]
        hits = self._hits(conn, g, match, rows)
        next_cursor = cursors.encode(rows[-1][1], rows[-1][2], query) if more and rows else None
        return SearchResult(total=total, hits=hits, facets=facets, next_cursor=next_cursor)

    def _hits(
        self, conn: sqlite3.Connection, g: int, match: str | None, rows: list[tuple[int, float, str]]
    ) -> list[SearchHit]:
        if not rows:
            return []
        rids = [r[0] for r in rows]
        marks = ",".join("?" * len(rids))
        cols = "p.rowid, p.doc_id, p.path, p.title, p.page, p.batch, p.year, p.method, p.tags"
        if match is not None:
            sql = (
                f"SELECT {cols}, snippet(fts_g{g}, 0, ?, ?, ?, ?) FROM fts_g{g} f "
                f"JOIN pages_g{g} p ON p.rowid = f.rowid WHERE fts_g{g} MATCH ? AND f.rowid IN ({marks})"
            )
            args = [snippets.MARK_START, snippets.MARK_END, snippets.ELLIPSIS, snippets.SNIPPET_TOKENS, match, *rids]
        else:
            sql = (
                f"SELECT {cols}, t.text FROM pages_g{g} p JOIN page_text_g{g} t ON t.rowid = p.rowid "
                f"WHERE p.rowid IN ({marks})"
            )
            args = rids
        by_rowid = {r[0]: r for r in conn.execute(sql, args).fetchall()}
        hits = []
        for rid, score, _pid in rows:
            r = by_rowid[rid]
            tags = json.loads(r[8])
            batches = tags.pop("batches", None) or ([r[5]] if r[5] else [])
            snippet = snippets.render(r[9]) if match is not None else snippets.leading(r[9])
            hits.append(
                SearchHit(
                    doc_id=r[1], path=r[2], title=r[3], page=r[4], batch=r[5], year=r[6], method=r[7],
                    score=score, snippet=snippet, batches=batches, **tags,
                )
            )
        return hits

    def close(self) -> None:
        self._closed = True
        with self._conns_lock:
            conns, self._conns = self._conns, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> SqliteBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- helpers ---------------------------------------------------------------------------------

_PAGE_COLUMNS = "p.doc_id, p.page, p.path, p.title, p.batch, p.year, t.text, p.method, p.ocr_confidence, p.tags"


def _record(row: tuple) -> PageRecord:
    tags = json.loads(row[9])
    batches = tags.pop("batches", None) or ([row[4]] if row[4] else [])
    return PageRecord(
        doc_id=row[0], page=row[1], path=row[2], title=row[3], batch=row[4], year=row[5], text=row[6],
        method=row[7], ocr_confidence=row[8], batches=batches, **tags,
    )


def _batches(tags_json: str | None, batch: str) -> list[str]:
    """A document's batches from its first page's stored tags (older rows: just its batch)."""
    stored = json.loads(tags_json).get("batches") if tags_json else None
    return stored or ([batch] if batch else [])


class _transaction:
    """BEGIN [IMMEDIATE] ... COMMIT, ROLLBACK on any error (nothing half-written)."""

    def __init__(self, conn: sqlite3.Connection, immediate: bool = False):
        self.conn = conn
        self.immediate = immediate

    def __enter__(self) -> sqlite3.Connection:
        try:
            self.conn.execute("BEGIN IMMEDIATE" if self.immediate else "BEGIN")
        except sqlite3.OperationalError as exc:
            raise BackendUnavailable(f"search index is busy or unreadable: {exc}") from exc
        return self.conn

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.conn.execute("COMMIT")
        else:
            self.conn.execute("ROLLBACK")


def _insert_pages(conn: sqlite3.Connection, g: int, pages: list[PageRecord]) -> int:
    """Insert (or overwrite) pages; a page number repeated in one call: the last one wins."""
    by_id = {p.id: p for p in pages}
    ids = [(pid,) for pid in by_id]
    conn.executemany(f"DELETE FROM pages_g{g} WHERE id = ?", ids)
    tag_rows = []
    rowids = []
    for p in by_id.values():
        text = snippets.strip_markers(p.text)
        title = snippets.strip_markers(p.title)
        tags = {f: sorted({v for v in vals if v}) for f, vals in p.tags().items()}
        batches = p.all_batches()
        cur = conn.execute(
            f"INSERT INTO pages_g{g} (id, doc_id, page, path, title, batch, year, method, "
            "ocr_confidence, redacted, tags) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
            (p.id, p.doc_id, p.page, p.path, title, batches[0] if batches else "", p.year, p.method,
             p.ocr_confidence, int(p.redacted), json.dumps({**tags, "batches": batches})),
        )
        rowid = cur.lastrowid
        rowids.append(rowid)
        conn.execute(f"INSERT INTO page_text_g{g} (rowid, text, title) VALUES (?, ?, ?)", (rowid, text, title))
        for field, values in page_tags(tags, batches, p.year).items():
            tag_rows.extend((field, v, rowid) for v in values)
    pairs = sorted({(field, value) for field, value, _ in tag_rows})
    conn.executemany(f"INSERT OR IGNORE INTO tagdict_g{g} (field, value) VALUES (?, ?)", pairs)
    tag_ids = {
        pair: conn.execute(f"SELECT tag_id FROM tagdict_g{g} WHERE field = ? AND value = ?", pair).fetchone()[0]
        for pair in pairs
    }
    page_tag_rows = {(rowid, tag_ids[(field, value)]) for field, value, rowid in tag_rows}
    conn.executemany(f"INSERT OR IGNORE INTO page_tags_g{g} (page_rowid, tag_id) VALUES (?, ?)", sorted(page_tag_rows))
    per_page: dict[int, list[int]] = {rowid: [] for rowid in rowids}
    for rowid, tag_id in page_tag_rows:
        per_page[rowid].append(tag_id)
    conn.executemany(
        f"INSERT OR REPLACE INTO page_facets_g{g} (rowid, tags) VALUES (?, ?)",
        [(rowid, _facet_hex(ids)) for rowid, ids in per_page.items()],
    )
    return len(by_id)


def _refresh_document(conn: sqlite3.Connection, g: int, doc_id: str) -> None:
    row = conn.execute(
        f"SELECT title, path, batch, year, (SELECT count(*) FROM pages_g{g} WHERE doc_id = ?) "
        f"FROM pages_g{g} WHERE doc_id = ? ORDER BY page LIMIT 1",
        (doc_id, doc_id),
    ).fetchone()
    if row is None:
        conn.execute(f"DELETE FROM documents_g{g} WHERE doc_id = ?", (doc_id,))
    else:
        conn.execute(
            f"INSERT OR REPLACE INTO documents_g{g} (doc_id, title, path, batch, year, pages) VALUES (?,?,?,?,?,?)",
            (doc_id, *row),
        )


def _ranked(
    conn: sqlite3.Connection, g: int, after: tuple[float, str, int] | None, offset: int, want: int,
) -> list[tuple[int, float, str]]:
    """Rows (rowid, score, page id) of temp.matches ordered by score desc, page id asc.

    Page ids (a join) are looked up only for rows scoring at least the cut-off score, i.e. the
    requested rows and their ties; with a cursor, only rows after (score, page id) count."""
    cond, cond_args = "1", []
    if after is not None:
        cond = f"(m.s < ? OR (m.s = ? AND (SELECT id FROM pages_g{g} WHERE rowid = m.rid) > ?))"
        cond_args = [after[0], after[0], after[1]]
    sql = (
        f"SELECT m.rid, m.s, p.id FROM temp.matches m JOIN pages_g{g} p ON p.rowid = m.rid WHERE {cond}"
        f" AND m.s >= coalesce((SELECT s FROM temp.matches m WHERE {cond} ORDER BY s DESC LIMIT 1 OFFSET ?),"
        " -1e308) ORDER BY m.s DESC, p.id LIMIT ? OFFSET ?"
    )
    return conn.execute(sql, [*cond_args, *cond_args, offset + want - 1, want, offset]).fetchall()


def _facet_counts(conn: sqlite3.Connection, g: int) -> dict:
    """Facet counts over the whole of temp.matches: every page's tag ids (fixed-width hex) in
    one string, counted with a bincount (no per-row Python work, no GROUP BY sort)."""
    hexes = conn.execute(
        f"SELECT group_concat(x.tags, '') FROM temp.matches m CROSS JOIN page_facets_g{g} x ON x.rowid = m.rid"
    ).fetchone()[0]
    counts = _count_tag_ids(bytes.fromhex(hexes or ""))
    rows = conn.execute(
        f"SELECT tag_id, field, value FROM tagdict_g{g} WHERE tag_id IN (SELECT value FROM json_each(?))",
        (json.dumps(sorted(counts)),),
    ).fetchall()
    return ordered(((field, value, counts[tid]) for tid, field, value in rows), FACET_SIZE)


_U32 = "I" if array("I").itemsize == 4 else "L"
NUMPY_FROM = 500_000  # tag ids; below this a Counter (~40 ms at most) beats importing numpy (~0.1-0.2 s)


def _count_tag_ids(raw: bytes) -> dict[int, int]:
    """{tag id: occurrences} of big-endian uint32 tag ids. numpy's bincount for large match sets;
    small ones (a CLI search) are counted without importing numpy at all."""
    n = len(raw) // 4
    if n >= NUMPY_FROM or "numpy" in sys.modules:
        import numpy as np

        counts = np.bincount(np.frombuffer(raw, dtype=">u4"))
        return {int(t): int(counts[t]) for t in np.flatnonzero(counts)}
    ids = array(_U32, raw)
    if sys.byteorder == "little":
        ids.byteswap()
    return dict(Counter(ids))


def _facet_hex(tag_ids: Iterable[int]) -> str:
    return "".join(f"{t:08x}" for t in sorted(tag_ids))


def _upgrade(conn: sqlite3.Connection, g: int, schema: int) -> None:
    """Bring a file of an older schema to this one, in place (inside the caller's transaction)."""
    if schema < 2:
        _upgrade_from_1(conn, g)
    if schema < 3:  # relations: empty tables; re-ingesting or `foialens reindex` fills them
        for sql in relations.drop(g) + relations.ddl(g):
            conn.execute(sql)
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def _upgrade_from_1(conn: sqlite3.Connection, g: int) -> None:
    """Schema 1 -> 2 in place (inside the caller's write transaction): add page_facets_gN for the
    live generation from page_tags_gN and the trigger that keeps it in step."""
    conn.execute(f"DROP TABLE IF EXISTS page_facets_g{g}")
    conn.execute(_FACETS_DDL.format(g=g))
    conn.execute(
        f"INSERT INTO page_facets_g{g} (rowid, tags) SELECT page_rowid, group_concat(printf('%08x', tag_id), '') "
        f"FROM (SELECT page_rowid, tag_id FROM page_tags_g{g} ORDER BY page_rowid, tag_id) GROUP BY page_rowid"
    )
    conn.execute(f"DROP TRIGGER IF EXISTS pages_g{g}_ad")
    conn.execute(_PAGES_AD_TRIGGER.format(g=g))


def _filters(g: int, filters: dict[str, list[str]], rowid: str) -> tuple[str, list[str]]:
    """AND across fields, OR within a field, as rowid IN (tag lookups)."""
    sql, args = "", []
    for field in sorted(filters):
        values = sorted(set(filters[field]))
        marks = ",".join("?" * len(values))
        sql += (
            f" AND {rowid} IN (SELECT page_rowid FROM page_tags_g{g} WHERE tag_id IN "
            f"(SELECT tag_id FROM tagdict_g{g} WHERE field = ? AND value IN ({marks})))"
        )
        args += [field, *values]
    return sql, args
