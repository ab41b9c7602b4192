"""Opaque search_after cursors: (score, page id), bound to the query that produced them."""

from __future__ import annotations

import base64
import hashlib
import json

from foialens.search.backend import QuerySyntaxError
from foialens.search.records import SearchQuery


def fingerprint(query: SearchQuery) -> str:
    """Short hash of what defines the result order (text and filters, not the page)."""
    key = json.dumps([query.text.strip(), sorted((k, sorted(v)) for k, v in query.filters.items())])
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def encode(score: float, page_id: str, query: SearchQuery, ties: int = 0) -> str:
    """``ties``: how many hits up to and including page_id share ``score`` (a backend may use
    it to re-find its place without trusting the engine's tie handling)."""
    raw = json.dumps([score, page_id, fingerprint(query), ties], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode(cursor: str, query: SearchQuery) -> tuple[float, str, int]:
    """Return (score, page id, ties); QuerySyntaxError for a damaged cursor or one from another query."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        score, page_id, fp, ties = json.loads(raw)
        score, ties = float(score), int(ties)
        if not isinstance(page_id, str) or ties < 0:
            raise ValueError("page id")
    except (ValueError, TypeError, UnicodeDecodeError) as exc:
        raise QuerySyntaxError("invalid cursor") from exc
    if fp != fingerprint(query):
        raise QuerySyntaxError("cursor belongs to a different query or filters")
    return score, page_id, ties
