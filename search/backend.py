"""The one interface every search backend implements."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from foialens.search.records import (
    DocumentList,
    DocumentSummary,
    IndexReport,
    PageRecord,
    RelationQuery,
    RelationRecord,
    RelationResult,
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

    def delete_document(self, doc_id: str) -> None:
        """Remove a document's pages, listing entry and relations."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def document_pages(self, doc_id: str) -> list[PageRecord]:
        """All indexed pages of one document, in page order ([] when unknown)."""

    def count(self) -> int:
        """Number of indexed pages."""

    def rebuild(self, records: Iterable[PageRecord], relation_records: Iterable[RelationRecord] = ()) -> IndexReport:
        """Build a fresh index from ``records`` (and the relations, read after every record) and
        swap it in atomically; searches keep working on the old index until the swap. On failure
        the old index stays live."""

    def replace_relations(self, doc_id: str, records: Iterable[RelationRecord]) -> int:
        """Index the data-sharing relations of one document, replacing its earlier ones."""

    def search_relations(self, query: RelationQuery) -> RelationResult:
        """Relations matching the filters, ordered by source and recipient name, with counts."""

    def documents(self, *, batch: str | None = None, offset: int = 0, limit: int = 100) -> DocumentList:
        """Indexed documents ordered by path then doc_id, optionally only those in one batch
        (a document can be in several: ``DocumentSummary.batches``)."""

    def document(self, doc_id: str) -> DocumentSummary | None:
        """The listing entry of one document, None when it is not in the document listing."""

    def close(self) -> None: ...
