"""Data-sharing relations in the embedded index: two tables per generation beside the pages.

- ``relations_gN``     one row per relation: its id, doc_id and the record as JSON
- ``relation_tags_gN`` (rel_rowid, field, value) for every filterable value, indexed by value:
                       ``source`` / ``recipient`` hold the agency and the agencies above it
                       (a filter on ``ice`` finds relations to HSI), ``source_id`` /
                       ``recipient_id`` the agency itself (for the counts), and ``data_type``,
                       ``platform_vendor``, ``kind``, ``polarity``, ``batch``, ``doc_id``, ``via`` (each
                       program / system) and ``jurisdiction`` (of a rule).

Filters are the pages' rule: OR within a field, AND across fields. Results are ordered by source
name, recipient name, document and position, so paging is stable.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from foialens.search.facets import FACET_SIZE
from foialens.search.records import FacetValue, RelationQuery, RelationRecord, RelationResult


def ddl(g: int) -> list[str]:
    return [
        f"""CREATE TABLE relations_g{g} (
            rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, doc_id TEXT NOT NULL,
            sort_key TEXT NOT NULL, data TEXT NOT NULL)""",
        f"CREATE INDEX relations_g{g}_doc ON relations_g{g}(doc_id)",
        f"CREATE INDEX relations_g{g}_sort ON relations_g{g}(sort_key)",
        f"""CREATE TABLE relation_tags_g{g} (
            rel_rowid INTEGER NOT NULL, field TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (field, value, rel_rowid)) WITHOUT ROWID""",
        f"CREATE INDEX relation_tags_g{g}_rel ON relation_tags_g{g}(rel_rowid)",
    ]


def drop(g: int) -> list[str]:
    return [f"DROP TABLE IF EXISTS {t}_g{g}" for t in ("relation_tags", "relations")]


def _tags(r: RelationRecord) -> list[tuple[str, str]]:
    out = [("source", v) for v in (r.source_path or [r.source_id])]
    out += [("recipient", v) for v in (r.recipient_path or [r.recipient_id])]
    out += [("source_id", r.source_id), ("recipient_id", r.recipient_id), ("doc_id", r.doc_id)]
    out += [(f, getattr(r, f)) for f in ("data_type", "platform_vendor", "kind", "polarity", "batch", "jurisdiction") if getattr(r, f)]
    out += [("via", v) for v in r.via]
    return sorted(set(out))


def delete(conn: sqlite3.Connection, g: int, doc_id: str) -> None:
    conn.execute(
        f"DELETE FROM relation_tags_g{g} WHERE rel_rowid IN (SELECT rowid FROM relations_g{g} WHERE doc_id = ?)",
        (doc_id,))
    conn.execute(f"DELETE FROM relations_g{g} WHERE doc_id = ?", (doc_id,))


def insert(conn: sqlite3.Connection, g: int, records: Iterable[RelationRecord]) -> int:
    """Insert relations (the caller deleted the document's old ones): rows and tags each in one
    executemany, rowids assigned here so the tags can name them."""
    rows, tags = [], []
    next_rowid = conn.execute(f"SELECT coalesce(max(rowid), 0) FROM relations_g{g}").fetchone()[0] + 1
    for r in records:
        key = "\x1f".join((r.source_name.lower(), r.recipient_name.lower(), r.doc_id, f"{r.n:06d}"))
        rows.append((next_rowid, r.id, r.doc_id, key, r.model_dump_json()))
        tags += [(next_rowid, f, v) for f, v in _tags(r)]
        next_rowid += 1
    conn.executemany(f"INSERT OR REPLACE INTO relations_g{g} (rowid, id, doc_id, sort_key, data) VALUES (?, ?, ?, ?, ?)", rows)
    conn.executemany(f"INSERT OR IGNORE INTO relation_tags_g{g} (rel_rowid, field, value) VALUES (?, ?, ?)", tags)
    return len(rows)


def _where(conn: sqlite3.Connection, g: int, filters: dict[str, list[str]]) -> tuple[str, list[str]]:
    """The WHERE clause of a filtered relation query. The most selective filter drives (its
    relation ids are read from the tag index); the others are probed per relation by primary key,
    so ``--to ice`` with ``polarity=grant`` reads the few relations to ICE, not every grant."""
    if not filters:
        return "1", []

    def size(field: str) -> int:
        values = sorted(set(filters[field]))
        return conn.execute(f"SELECT count(*) FROM relation_tags_g{g} WHERE field = ? AND value IN ({','.join('?' * len(values))})",
                            [field, *values]).fetchone()[0]

    order = sorted(filters, key=lambda f: (size(f), f))
    first = sorted(set(filters[order[0]]))
    where = f"r.rowid IN (SELECT rel_rowid FROM relation_tags_g{g} WHERE field = ? AND value IN ({','.join('?' * len(first))}))"
    args = [order[0], *first]
    for field in order[1:]:
        values = sorted(set(filters[field]))
        where += (f" AND EXISTS (SELECT 1 FROM relation_tags_g{g} x WHERE x.field = ? AND x.value IN "
                  f"({','.join('?' * len(values))}) AND x.rel_rowid = r.rowid)")
        args += [field, *values]
    return where, args


def search(conn: sqlite3.Connection, g: int, query: RelationQuery) -> RelationResult:
    where, args = _where(conn, g, query.filters)
    total = conn.execute(f"SELECT count(*) FROM relations_g{g} r WHERE {where}", args).fetchone()[0]
    rows = conn.execute(
        f"SELECT data FROM relations_g{g} r WHERE {where} ORDER BY sort_key LIMIT ? OFFSET ?",
        [*args, query.limit, query.offset]).fetchall()
    result = RelationResult(total=total, relations=[RelationRecord.model_validate_json(r[0]) for r in rows])
    if query.counts and total:
        for field, target in (("source_id", result.sources), ("recipient_id", result.recipients)):
            # CROSS JOIN keeps the filtered relations as the outer loop (SQLite does not reorder it)
            counted = conn.execute(
                f"SELECT t.value, count(*) AS c FROM relations_g{g} r CROSS JOIN relation_tags_g{g} t "
                f"ON t.rel_rowid = r.rowid AND t.field = ? WHERE {where} GROUP BY t.value ORDER BY c DESC, t.value LIMIT ?",
                [field, *args, FACET_SIZE]).fetchall()
            target.extend(FacetValue(value=v, count=c) for v, c in counted)
    return result
