"""The one interface every search backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from search.records import IndexReport, PageRecord, SearchQuery, SearchResult


class SearchError(Exception):
    """Base class for search failures shown to users."""


class QuerySyntaxError(SearchError):
    """The query text cannot be parsed (e.g. an unbalanced quote). Maps to HTTP 400."""


class BackendUnavailable(SearchError):
    """The backend cannot be reached (after retries)."""


@runtime_checkable
class SearchBackend(Protocol):
    def replace_documents(self, records: Iterable[PageRecord]) -> IndexReport:
        """Index pages; all existing pages of each doc_id present are replaced (idempotent)."""

    def delete_document(self, doc_id: str) -> None: ...

    def search(self, query: SearchQuery) -> SearchResult: ...

    def document_pages(self, doc_id: str) -> list[PageRecord]:
        """All indexed pages of one document, in page order ([] when unknown)."""

    def count(self) -> int:
        """Number of indexed pages."""

    def close(self) -> None: ...
