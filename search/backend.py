"""The one interface every search backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from foialens.search.records import (
    DocumentList,
    DocumentSummary,
    IndexReport,
    PageRecord,
    SearchQuery,
    SearchResult,
)


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

    def rebuild(self, records: Iterable[PageRecord]) -> IndexReport:
        """Build a fresh index from ``records`` and swap it in atomically; searches keep
        working on the old index until the swap. On failure the old index stays live."""

    def documents(self, *, batch: str | None = None, offset: int = 0, limit: int = 100) -> DocumentList:
        """Indexed documents ordered by path then doc_id, optionally only those in one batch
        (a document can be in several: ``DocumentSummary.batches``)."""

    def document(self, doc_id: str) -> DocumentSummary | None:
        """The listing entry of one document, None when it is not in the document listing."""

    def close(self) -> None: ...
