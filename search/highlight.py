"""Where the words of a query occur in a text: character spans, found the way the embedded index
finds them (FTS5, ``porter unicode61``: "licensed" matches ``license``, ``plate*`` is a prefix),
whichever backend answered the search.

Each positive word or phrase of the query is looked up on its own, so a page that matches the
query through its title still shows the words it has; excluded words are never marked. The
text goes into a private in-memory FTS5 table and comes back through ``highlight()``; nothing
the user typed reaches SQLite unquoted (``query.to_fts5``).
"""

from __future__ import annotations

import sqlite3
import threading

from foialens.search.backend import SearchError
from foialens.search.query import Node, Phrase, Term, parse, to_fts5
from foialens.search.sqlite_backend import TOKENIZER

_START, _END = "\ue000", "\ue001"
_local = threading.local()
MAX_TERMS = 20


def _conn() -> sqlite3.Connection:
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:", check_same_thread=False)
        conn.execute(f"CREATE VIRTUAL TABLE hl USING fts5(text, tokenize='{TOKENIZER}')")
        _local.conn = conn
    return conn


def positive_terms(text: str) -> list[Node]:
    """The words and phrases of a query that a matching page may contain (not the excluded ones);
    [] for an empty or unparseable query."""
    try:
        node = parse(text)
    except SearchError:
        return []
    out: list[Node] = []

    def walk(n) -> None:
        if isinstance(n, Term | Phrase):
            out.append(n)
        elif hasattr(n, "children"):
            for c in n.children:
                walk(c)
        # Not: excluded, never marked

    if node is not None:
        walk(node)
    return list(dict.fromkeys(out))[:MAX_TERMS]


def spans(text: str, query: str) -> list[tuple[int, int]]:
    """Sorted, non-overlapping (start, end) character spans of ``text`` matching a positive word
    or phrase of ``query``."""
    terms = positive_terms(query)
    if not terms or not text:
        return []
    clean = text.replace(_START, " ").replace(_END, " ")  # same length: offsets stay valid
    conn = _conn()
    found: list[tuple[int, int]] = []
    try:
        conn.execute("DELETE FROM hl")
        conn.execute("INSERT INTO hl(rowid, text) VALUES (1, ?)", (clean,))
        for term in terms:
            row = conn.execute("SELECT highlight(hl, 0, ?, ?) FROM hl WHERE hl MATCH ?",
                               (_START, _END, to_fts5(term))).fetchone()
            if row:
                found += _marked(row[0])
    finally:
        conn.execute("DELETE FROM hl")
    return _merge(found)


def _marked(marked: str) -> list[tuple[int, int]]:
    out, pos, start = [], 0, None
    for ch in marked:
        if ch == _START:
            start = pos
        elif ch == _END:
            if start is not None and pos > start:
                out.append((start, pos))
            start = None
        else:
            pos += 1
    return out


def _merge(found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in sorted(found):
        if out and s <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e))
        else:
            out.append((s, e))
    return out


def mark_html(text: str, query: str) -> str:
    """``text`` HTML-escaped with the query's words in <mark> (like a snippet)."""
    import html

    out, pos = [], 0
    for s, e in spans(text, query):
        out.append(html.escape(text[pos:s], quote=True))
        out.append("<mark>" + html.escape(text[s:e], quote=True) + "</mark>")
        pos = e
    out.append(html.escape(text[pos:], quote=True))
    return "".join(out)
