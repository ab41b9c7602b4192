"""Elasticsearch backend (official ``elasticsearch`` client).

Three versioned indices per generation, each behind an alias:

- ``<prefix>-pages-v<N>`` behind ``<prefix>-pages``: one document per page, ``_id`` = PageRecord.id
- ``<prefix>-docs-v<N>``  behind ``<prefix>-docs``:  one document per document (listings)
- ``<prefix>-relations-v<N>`` behind ``<prefix>-relations``: data-sharing relations (es_relations.py)

``rebuild`` bulk-loads generation N+1 with refresh off and no replicas, restores the settings,
then moves the aliases in one atomic ``_aliases`` call and deletes generation N.

``replace_documents`` writes every page with an ``ingest_id`` unique to the call, refreshes, and
then deletes the pages of those documents that carry another ``ingest_id`` (stale pages of a
shorter new version): a document never disappears from search while it is being replaced.
Every request is retried with exponential backoff on connection errors, timeouts, 429 and 5xx,
then fails with BackendUnavailable. Opening the backend starts with one health check that is not
retried on timeouts or refused connections (``connect_timeout``, 5 s): a wrong address or a hung
node fails in seconds, not after every retry of a 30 s request.
"""

from __future__ import annotations

import logging
import re
import struct
import time
import uuid
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, TypeVar

from elastic_transport import ConnectionError as TransportConnectionError
from elastic_transport import ConnectionTimeout
from elasticsearch import ApiError, Elasticsearch, NotFoundError, helpers

from foialens.search import cursor as cursors
from foialens.search import es_relations, snippets
from foialens.search.backend import BackendUnavailable, QuerySyntaxError, SearchError
from foialens.search.batching import doc_chunks
from foialens.search.config import ElasticsearchConfig
from foialens.search.es_mappings import DOC_MAPPINGS, PAGE_MAPPINGS, TITLE_BOOST, index_settings
from foialens.search.es_relations import RELATION_MAPPINGS
from foialens.search.es_transport import PlainJsonHttpNode
from foialens.search.facets import FACET_SIZE, ordered, page_tags
from foialens.search.query import parse, to_es
from foialens.search.records import (
    FACET_FIELDS,
    TAG_FIELDS,
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

T = TypeVar("T")
MAPPINGS = {"pages": PAGE_MAPPINGS, "docs": DOC_MAPPINGS, "relations": RELATION_MAPPINGS}  # one index each per generation
log = logging.getLogger(__name__)
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
BULK_CHUNK = 500  # actions per _bulk request
WRITE_CHUNK = 2000  # pages grouped per write step (whole documents)
STALE_DELETE_CHUNK = 500  # doc ids per delete_by_query
TEXT_FIELDS = ["text", f"title^{TITLE_BOOST:g}"]
_SOURCE_EXCLUDES = ["text", "ingest_id", "indexed_at"]


def make_client(config: ElasticsearchConfig) -> Elasticsearch:
    """Client from config. Retries are done by the backend (with backoff), not the transport."""
    kwargs: dict[str, Any] = {
        "request_timeout": config.request_timeout,
        "max_retries": 0,
        "retry_on_timeout": False,
        "verify_certs": config.verify_certs,
    }
    if config.api_key:
        kwargs["api_key"] = config.api_key
    if config.username is not None:
        kwargs["basic_auth"] = (config.username, config.password)
    if config.ca_certs is not None:
        kwargs["ca_certs"] = str(config.ca_certs)
    if config.plain_json:
        kwargs["node_class"] = PlainJsonHttpNode
    return Elasticsearch(config.url, **kwargs)


class ElasticsearchBackend:
    def __init__(self, config: ElasticsearchConfig, client: Elasticsearch | None = None):
        self.config = config
        self.client = client or make_client(config)
        self.pages_alias = f"{config.index_prefix}-pages"
        self.docs_alias = f"{config.index_prefix}-docs"
        self.relations_alias = f"{config.index_prefix}-relations"
        self.aliases = {"pages": self.pages_alias, "docs": self.docs_alias, "relations": self.relations_alias}
        self._ping()
        self._ensure_indices()

    # --- plumbing ---------------------------------------------------------------------------

    def _call(self, what: str, fn: Callable[[], T], retry_connection_errors: bool = True) -> T:
        """Run one request with retries and exponential backoff on transient failures."""
        delay = self.config.retry_backoff
        attempts = self.config.max_retries + 1
        last: Exception | None = None
        for attempt in range(attempts):
            try:
                return fn()
            except (TransportConnectionError, ConnectionTimeout) as exc:
                if not retry_connection_errors:
                    raise
                last = exc
            except ApiError as exc:
                if exc.meta.status not in RETRY_STATUS:
                    raise
                last = exc
            if attempt + 1 < attempts:
                time.sleep(min(delay, 10.0))
                delay *= 2
        raise BackendUnavailable(
            f"Elasticsearch at {self.config.url} is unavailable ({what}) after {attempts} attempt(s): {last}"
        ) from last

    def _ping(self) -> None:
        """The start-up health check (``GET /``). No answer within ``connect_timeout`` or a refused
        or dropped connection: BackendUnavailable at once. 429/5xx (a node starting up) are
        retried like any request; any other answer (even 401/403) means the node is there."""
        timeout = min(self.config.connect_timeout, self.config.request_timeout)
        client = self.client.options(request_timeout=timeout)
        try:
            self._call("start-up check", client.info, retry_connection_errors=False)
        except ConnectionTimeout as exc:
            raise BackendUnavailable(
                f"Elasticsearch at {self.config.url} did not answer within {timeout:g} s (start-up check, "
                "FOIALENS_ES_CONNECT_TIMEOUT): is the address right and the node up?") from exc
        except TransportConnectionError as exc:
            raise BackendUnavailable(f"cannot connect to Elasticsearch at {self.config.url}: {exc}") from exc
        except ApiError:
            pass  # it answered: authorisation and the rest are checked by the requests that follow

    def _version_index(self, kind: str, version: int) -> str:
        return f"{self.config.index_prefix}-{kind}-v{version}"

    def _live_version(self) -> int | None:
        try:
            aliases = self._call("read alias", lambda: self.client.indices.get_alias(name=self.pages_alias))
        except NotFoundError:
            return None
        versions = [int(m.group(1)) for name in aliases if (m := re.search(r"-v(\d+)$", name))]
        if not versions:
            raise SearchError(f"alias {self.pages_alias} points at unexpected indices: {sorted(aliases)}")
        return max(versions)

    def _create_generation(self, version: int, *, bulk_load: bool) -> dict[str, str]:
        """The indices of one generation, by kind (pages, docs, relations)."""
        settings = index_settings(self.config.shards, self.config.replicas, bulk_load=bulk_load)
        names = {kind: self._version_index(kind, version) for kind in MAPPINGS}
        for kind, name in names.items():
            self._call(
                "create index",
                lambda name=name, mappings=MAPPINGS[kind]: self.client.indices.create(
                    index=name, settings=settings, mappings=mappings
                ),
            )
        return names

    def _delete_generation(self, version: int) -> None:
        for kind in MAPPINGS:
            name = self._version_index(kind, version)
            try:
                self._call("delete index", lambda name=name: self.client.indices.delete(index=name))
            except NotFoundError:
                pass

    def _ensure_indices(self) -> None:
        """Make sure both aliases point at a generation of indices, repairing what a cluster that
        lost its data leaves behind: plain indices created under the alias names by writes from
        an older version (they hold only pages re-made from stored results: deleted), a missing
        alias. Documents indexed before the data loss come back with ``foialens reindex``."""
        self._drop_plain_indices_named_like_aliases()
        live = self._live_version()
        if live is None:
            try:
                names = self._create_generation(1, bulk_load=False)
            except ApiError as exc:
                if "resource_already_exists" in str(exc):  # another process created it meanwhile
                    return
                raise SearchError(f"cannot create the search index: {exc}") from exc
            self._call(
                "create aliases",
                lambda: self.client.indices.update_aliases(
                    actions=[{"add": {"index": names[kind], "alias": alias}} for kind, alias in self.aliases.items()]
                ),
            )
            return
        for kind, alias in self.aliases.items():
            if kind == "pages":
                continue
            try:
                self._call("read alias", lambda alias=alias: self.client.indices.get_alias(name=alias))
            except NotFoundError:  # lost, or made by a version without this index (relations)
                index = self._version_index(kind, live)
                log.warning("alias %s was missing: pointing it at %s", alias, index)
                if not self._call("check index", lambda index=index: self.client.indices.exists(index=index)):
                    settings = index_settings(self.config.shards, self.config.replicas)
                    self._call("create index", lambda index=index, kind=kind: self.client.indices.create(
                        index=index, settings=settings, mappings=MAPPINGS[kind]))
                self._call("create alias", lambda index=index, alias=alias: self.client.indices.update_aliases(
                    actions=[{"add": {"index": index, "alias": alias}}]))
        self._add_new_fields()

    def _add_new_fields(self) -> None:
        """Upgrade the live indices in place: fields this version maps that they lack (``programs``
        on pages, ``via`` and the jurisdiction fields on relations) are added to their mappings
        (adding a field is allowed on a live index; documents indexed before have none until they
        are re-ingested or ``foialens reindex`` runs)."""
        for kind, alias in self.aliases.items():
            found = self._call("read mapping", lambda alias=alias: self.client.indices.get_mapping(index=alias))
            have: set[str] = set()
            for body in dict(found).values():
                have |= set((body.get("mappings") or {}).get("properties") or {})
            missing = {k: v for k, v in MAPPINGS[kind]["properties"].items() if k not in have}
            if missing:
                log.warning("adding fields %s to the mapping of %s", sorted(missing), alias)
                self._call("update mapping", lambda alias=alias, missing=missing: self.client.indices.put_mapping(
                    index=alias, properties=missing))

    def _drop_plain_indices_named_like_aliases(self) -> None:
        for alias in self.aliases.values():
            try:
                found = self._call("check index", lambda alias=alias: self.client.indices.get(index=alias))
            except NotFoundError:
                continue
            if alias in found:  # a concrete index, not an alias: auto-created, default mappings
                log.warning("deleting index %s: a plain index under the alias name (auto-created by writes "
                            "while the cluster had lost its indices); its pages are in the stored results", alias)
                self._call("delete index", lambda alias=alias: self.client.indices.delete(index=alias))

    # --- writes -----------------------------------------------------------------------------

    def _bulk(self, actions: list[dict], report: IndexReport, failed_docs: set[str], *, require_alias: bool,
              count: bool = True) -> None:
        """One chunk of bulk actions through helpers.streaming_bulk (it retries 429s per item
        with backoff); connection errors retry the whole chunk (ops are idempotent). Writes to
        the aliases use ``require_alias``: when the cluster has lost its indices they fail
        instead of auto-creating plain indices with default mappings under the alias names."""
        extra = {"require_alias": True} if require_alias else {}

        def run() -> list[tuple[bool, dict]]:
            return list(
                helpers.streaming_bulk(
                    self.client, actions, chunk_size=BULK_CHUNK, max_retries=self.config.max_retries,
                    initial_backoff=max(self.config.retry_backoff, 0.01), max_backoff=10.0,
                    raise_on_error=False, **extra,
                )
            )

        for ok, item in self._call("bulk index", run):
            if ok:
                if count and next(iter(item)) == "index":
                    report.indexed += 1
                continue
            info = next(iter(item.values()))
            doc_id = str(info.get("_id", "")).rsplit(":", 1)[0]
            failed_docs.add(doc_id)
            reason = info.get("error")
            if isinstance(reason, dict):
                reason = f"{reason.get('type')}: {reason.get('reason')}"
            report.errors.append({"doc_id": doc_id, "page_id": info.get("_id"), "reason": str(reason)})

    def _write(self, records: Iterable[PageRecord], pages_index: str, docs_index: str) -> tuple[IndexReport, str, set[str]]:
        ingest_id = uuid.uuid4().hex
        now = datetime.now(UTC).isoformat()
        to_aliases = pages_index == self.pages_alias
        report = IndexReport()
        failed: set[str] = set()
        summaries: dict[str, dict] = {}  # doc_id -> summary (from its lowest page), page ids
        for chunk in doc_chunks(records, WRITE_CHUNK):
            actions: list[dict] = []
            for doc_id, pages in chunk.items():
                by_id = {p.id: p for p in pages}
                for p in by_id.values():
                    actions.append({"_index": pages_index, "_id": p.id, "_source": _page_source(p, ingest_id, now)})
                    s = summaries.setdefault(doc_id, {"first": p, "ids": set()})
                    s["ids"].add(p.id)
                    if p.page < s["first"].page:
                        s["first"] = p
            for i in range(0, len(actions), BULK_CHUNK * 4):
                self._bulk(actions[i : i + BULK_CHUNK * 4], report, failed, require_alias=to_aliases)
        doc_actions = [
            {"_index": docs_index, "_id": doc_id, "_source": _doc_source(s["first"], len(s["ids"]), now)}
            for doc_id, s in summaries.items()
        ]
        for i in range(0, len(doc_actions), BULK_CHUNK * 4):  # listing entries: their failures are reported too
            self._bulk(doc_actions[i : i + BULK_CHUNK * 4], report, failed, require_alias=to_aliases, count=False)
        report.documents = len(set(summaries) - failed)
        return report, ingest_id, set(summaries)

    def replace_documents(self, records: Iterable[PageRecord]) -> IndexReport:
        report, ingest_id, doc_ids = self._write(records, self.pages_alias, self.docs_alias)
        # keep the old pages of a document whose new pages were refused (page ids have ":page";
        # a refused listing entry alone does not stop the stale pages from going)
        failed = {e["doc_id"] for e in report.errors if ":" in str(e.get("page_id") or "")}
        self._refresh(self.pages_alias)
        stale = sorted(doc_ids - failed)  # keep old pages of a document that failed to index
        for i in range(0, len(stale), STALE_DELETE_CHUNK):
            ids = stale[i : i + STALE_DELETE_CHUNK]
            self._call(
                "delete stale pages",
                lambda ids=ids: self.client.delete_by_query(
                    index=self.pages_alias, conflicts="proceed", refresh=True,
                    query={"bool": {"filter": [{"terms": {"doc_id": ids}}],
                                    "must_not": [{"term": {"ingest_id": ingest_id}}]}},
                ),
            )
        self._refresh(self.docs_alias)
        return report

    def replace_relations(self, doc_id: str, records: Iterable[RelationRecord]) -> int:
        self._call("delete relations", lambda: self.client.delete_by_query(
            index=self.relations_alias, conflicts="proceed", refresh=True, query={"term": {"doc_id": doc_id}}))
        return self._write_relations(records, self.relations_alias)

    def _write_relations(self, records: Iterable[RelationRecord], index: str) -> int:
        actions = [{"_index": index, "_id": r.id, "_source": es_relations.source(r)} for r in records]
        report = IndexReport()
        for i in range(0, len(actions), BULK_CHUNK * 4):
            self._bulk(actions[i : i + BULK_CHUNK * 4], report, set(), require_alias=index == self.relations_alias)
        if report.errors:
            raise SearchError(f"indexing relations failed: {report.errors[:3]}")
        self._refresh(index)
        return report.indexed

    def search_relations(self, query: RelationQuery) -> RelationResult:
        res = self._call("search relations", lambda: self.client.search(
            index=self.relations_alias, **es_relations.body(query)))
        return es_relations.result(res)

    def delete_document(self, doc_id: str) -> None:
        self._call("delete relations", lambda: self.client.delete_by_query(
            index=self.relations_alias, conflicts="proceed", refresh=True, query={"term": {"doc_id": doc_id}}))
        self._call(
            "delete document",
            lambda: self.client.delete_by_query(
                index=self.pages_alias, conflicts="proceed", refresh=True, query={"term": {"doc_id": doc_id}}
            ),
        )
        try:
            self._call("delete document", lambda: self.client.delete(index=self.docs_alias, id=doc_id, refresh=True))
        except NotFoundError:
            pass

    def rebuild(self, records: Iterable[PageRecord], relation_records: Iterable[RelationRecord] = ()) -> IndexReport:
        old = self._live_version()
        new = (old or 0) + 1
        self._delete_generation(new)  # leftovers of an interrupted rebuild
        names = self._create_generation(new, bulk_load=True)
        try:
            report, _, _ = self._write(records, names["pages"], names["docs"])
            report.relations = self._write_relations(relation_records, names["relations"])
            live = index_settings(self.config.shards, self.config.replicas)
            for name in names.values():
                self._call(
                    "restore settings",
                    lambda name=name: self.client.indices.put_settings(
                        index=name,
                        settings={"index": {"refresh_interval": live["refresh_interval"],
                                            "number_of_replicas": live["number_of_replicas"]}},
                    ),
                )
                self._refresh(name)
            if self._live_version() != old:
                raise SearchError("another rebuild finished while this one ran; nothing swapped")
            actions: list[dict] = []
            if old is not None:
                actions += [{"remove": {"index": self._version_index(kind, old), "alias": alias}}
                            for kind, alias in self.aliases.items()]
            actions += [{"add": {"index": names[kind], "alias": alias}} for kind, alias in self.aliases.items()]
            self._call("swap aliases", lambda: self.client.indices.update_aliases(actions=actions))
        except BaseException:
            self._delete_generation(new)
            raise
        if old is not None:
            self._delete_generation(old)
        return report

    def _refresh(self, index: str) -> None:
        self._call("refresh", lambda: self.client.indices.refresh(index=index))

    # --- reads ------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self._call("count", lambda: self.client.count(index=self.pages_alias))["count"])

    def document_pages(self, doc_id: str) -> list[PageRecord]:
        out: list[PageRecord] = []
        after: list | None = None
        while True:
            kwargs: dict[str, Any] = {"search_after": after} if after else {}
            res = self._call(
                "document pages",
                lambda: self.client.search(
                    index=self.pages_alias, query={"term": {"doc_id": doc_id}}, sort=[{"page": "asc"}],
                    size=1000, source_excludes=["ingest_id", "indexed_at"], **kwargs,
                ),
            )
            hits = res["hits"]["hits"]
            out.extend(_record(h["_source"]) for h in hits)
            if len(hits) < 1000:
                return out
            after = hits[-1]["sort"]

    def documents(self, *, batch: str | None = None, offset: int = 0, limit: int = 100) -> DocumentList:
        query = {"term": {"batch": batch}} if batch is not None else {"match_all": {}}
        res = self._call(
            "documents",
            lambda: self.client.search(
                index=self.docs_alias, query=query, sort=[{"path": "asc"}, {"doc_id": "asc"}],
                from_=max(0, offset), size=max(0, limit), track_total_hits=True,
            ),
        )
        docs = [_summary(h["_source"]) for h in res["hits"]["hits"]]
        return DocumentList(total=res["hits"]["total"]["value"], documents=docs)

    def document(self, doc_id: str) -> DocumentSummary | None:
        """The listing entry of one document (None when it is not indexed)."""
        try:
            res = self._call("document", lambda: self.client.get(index=self.docs_alias, id=doc_id))
        except NotFoundError:
            return None
        return _summary(res["_source"]) if res.get("found") else None

    def search(self, query: SearchQuery) -> SearchResult:
        node = parse(query.text)
        if node is None and not query.filters and not query.all_pages:
            raise QuerySyntaxError("enter search terms, or choose at least one filter to browse by tag")
        after = cursors.decode(query.cursor, query) if query.cursor else None
        bool_q: dict[str, Any] = {
            "filter": [{"terms": {field: sorted(set(vals))}} for field, vals in sorted(query.filters.items())]
        }
        if node is not None:
            bool_q["must"] = [to_es(node, TEXT_FIELDS)]
        # Text queries sort by (score desc, id asc); browsing (no text, all scores 0) by id.
        # A cursor resumes *at* its score (search_after just above it) and drops the tied hits
        # already shown: correct on Elasticsearch and on servers whose search_after ignores the
        # tiebreaker on _score ties (osmem).
        skip_ties = after[2] if after is not None and node is not None else 0
        body: dict[str, Any] = {
            "query": {"bool": bool_q},
            "sort": [{"_score": "desc"}, {"id": "asc"}] if node is not None else [{"id": "asc"}],
            "size": query.page_size + 1 + skip_ties,
            "track_total_hits": True,
            "_source": {"excludes": _SOURCE_EXCLUDES if node is not None else ["ingest_id", "indexed_at"]},
        }
        if after is not None:
            body["search_after"] = [_float32_above(after[0]), ""] if node is not None else [after[1]]
        else:
            body["from"] = (query.page - 1) * query.page_size
        if node is not None:
            body["highlight"] = {
                "pre_tags": [snippets.MARK_START], "post_tags": [snippets.MARK_END],
                "fields": {"text": {"fragment_size": snippets.SNIPPET_CHARS, "number_of_fragments": 1,
                                    "no_match_size": snippets.SNIPPET_CHARS}},
            }
        if query.facets:
            body["aggs"] = {
                field: {"terms": {"field": field, "size": FACET_SIZE, "order": [{"_count": "desc"}, {"_key": "asc"}]}}
                for field in FACET_FIELDS
            }
        try:
            res = self._call("search", lambda: self.client.search(index=self.pages_alias, **body))
        except ApiError as exc:
            raise SearchError(f"search failed: {exc}") from exc
        raw_hits = res["hits"]["hits"]
        if skip_ties:
            score, page_id, _ = after
            raw_hits = [h for h in raw_hits if not (_float32(h["sort"][0]) == score and h["sort"][1] <= page_id)]
        more = len(raw_hits) > query.page_size
        raw_hits = raw_hits[: query.page_size]
        hits = [_hit(h, highlighted=node is not None) for h in raw_hits]
        facets = {}
        if query.facets:
            facets = ordered(
                (field, b["key"], b["doc_count"])
                for field in FACET_FIELDS
                for b in res["aggregations"][field]["buckets"]
            )
        next_cursor = None
        if more and raw_hits:
            last = hits[-1]
            ties = sum(1 for h in hits if h.score == last.score)
            if after is not None and after[0] == last.score and ties == len(hits):
                ties += after[2]  # the whole page is one run of ties that began earlier
            next_cursor = cursors.encode(last.score, raw_hits[-1]["_source"]["id"], query, ties)
        return SearchResult(total=res["hits"]["total"]["value"], hits=hits, facets=facets, next_cursor=next_cursor)

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> ElasticsearchBackend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


# --- record <-> source -----------------------------------------------------------------------


def _page_source(p: PageRecord, ingest_id: str, now: str) -> dict:
    tags = page_tags(p.tags(), p.all_batches(), p.year)
    return {
        "id": p.id, "doc_id": p.doc_id, "page": p.page, "path": p.path,
        "title": snippets.strip_markers(p.title), "text": snippets.strip_markers(p.text),
        "method": p.method, "ocr_confidence": p.ocr_confidence, "redacted": p.redacted,
        "ingest_id": ingest_id, "indexed_at": now, **tags,
    }


def _doc_source(first: PageRecord, pages: int, now: str) -> dict:
    return {
        "doc_id": first.doc_id, "title": first.title, "path": first.path, "batch": first.all_batches(),
        "year": first.year, "pages": pages, "indexed_at": now,
    }


def _summary(src: dict) -> DocumentSummary:
    batches = src.get("batch") or []
    batches = [batches] if isinstance(batches, str) else list(batches)  # one string before batches were lists
    return DocumentSummary(doc_id=src["doc_id"], title=src.get("title", ""), path=src.get("path", ""),
                           batch=_first(batches), batches=batches, year=src.get("year") or "",
                           pages=src.get("pages", 0))


def _float32(value: float) -> float:
    """The exact double value of a float32 score. Lucene scores are float32 and JSON prints
    their shortest repr; sending that back as a double makes ties compare unequal on servers
    that compare in double precision (osmem), so search_after would skip tied hits."""
    return struct.unpack("f", struct.pack("f", float(value)))[0]


def _float32_above(value: float) -> float:
    """The next float32 above ``value`` (as its exact double)."""
    bits = struct.unpack("<I", struct.pack("<f", value))[0]
    bits = bits + 1 if value >= 0 else bits - 1
    return struct.unpack("<f", struct.pack("<I", bits))[0]


def _first(values: list[str] | None) -> str:
    return values[0] if values else ""


def _record(src: dict) -> PageRecord:
    return PageRecord(
        doc_id=src["doc_id"], page=src["page"], path=src["path"], title=src["title"], text=src.get("text", ""),
        batch=_first(src.get("batch")), batches=list(src.get("batch") or []), year=_first(src.get("year")),
        method=src["method"], ocr_confidence=src.get("ocr_confidence"),
        **{f: src.get(f, []) for f in TAG_FIELDS},
    )


def _hit(h: dict, *, highlighted: bool) -> SearchHit:
    src = h["_source"]
    if highlighted:
        fragments = h.get("highlight", {}).get("text", [])
        snippet = snippets.render(fragments[0]) if fragments else ""
    else:
        snippet = snippets.leading(src.get("text", ""))
    return SearchHit(
        doc_id=src["doc_id"], path=src["path"], title=src["title"], page=src["page"],
        score=_float32(h.get("_score") or 0.0), snippet=snippet, batch=_first(src.get("batch")),
        batches=list(src.get("batch") or []), year=_first(src.get("year")),
        method=src["method"], **{f: src.get(f, []) for f in TAG_FIELDS},
    )
