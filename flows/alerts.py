"""Saved searches checked against a new batch: "tell me when the new FOIA batch mentions
Clearview". Called by the batch flow once its documents are indexed; each saved search with
matching pages in the batch gets an alert (stored with the search) and a line in the summary."""

from __future__ import annotations

import logging

from foialens.search.backend import SearchBackend, SearchError
from foialens.search.records import SearchQuery
from foialens.store.batches import SearchAlert
from foialens.store.datadir import DataDir
from foialens.store.workbench import Alert, SavedSearch

log = logging.getLogger(__name__)
FIRST = 5  # pages named per alert


def check_saved_searches(backend: SearchBackend, data: DataDir, batch: str) -> list[SearchAlert]:
    """Search the batch for every saved search; store the alerts; return them for the summary."""

    def check(saved: SavedSearch) -> Alert | None:
        filters = {**saved.filters, "batch": [batch]}
        try:
            result = backend.search(SearchQuery(text=saved.text, filters=filters, page_size=FIRST, facets=False))
        except SearchError as exc:
            log.warning("saved search %r could not be run on batch %s: %s", saved.name, batch, exc)
            return None
        if not result.total:
            return None
        first = [{"doc_id": h.doc_id, "page": h.page, "title": h.title} for h in result.hits]
        return Alert(batch=batch, pages=result.total, documents=list(dict.fromkeys(h.doc_id for h in result.hits)),
                     first=first)

    raised = data.saved_searches().record_alerts(batch, check)
    return [SearchAlert(search_id=s.id, name=s.name, text=s.text, filters=s.filters, pages=a.pages, first=a.first)
            for s, a in raised]
