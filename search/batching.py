"""Grouping page records into write batches of whole documents (shared by the backends)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from foialens.search.records import PageRecord


def doc_chunks(records: Iterable[PageRecord], max_pages: int) -> Iterator[dict[str, list[PageRecord]]]:
    """Group records by doc_id; yield groups of whole documents of about max_pages pages
    (a document that is still arriving is kept for the next group when possible)."""
    chunk: dict[str, list[PageRecord]] = {}
    n = 0
    last: str | None = None
    for rec in records:
        if n >= max_pages and rec.doc_id != last and rec.doc_id not in chunk:
            yield chunk
            chunk, n = {}, 0
        chunk.setdefault(rec.doc_id, []).append(rec)
        n += 1
        last = rec.doc_id
    if chunk:
        yield chunk
