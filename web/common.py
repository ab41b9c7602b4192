"""What the HTML views and the JSON API share: the app context, request parsing, lookups."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlencode

from pydantic import ValidationError
from starlette.requests import Request

from foialens.flows.launcher import IngestRequest, Job
from foialens.search import snippets
from foialens.search.backend import QuerySyntaxError, SearchBackend
from foialens.search.facets import or_within_fields
from foialens.search.factory import open_backend
from foialens.search.records import FACET_FIELDS, SearchHit, SearchQuery, SearchResult
from foialens.settings import Settings
from foialens.store.batches import BatchSummary, default_batch_name
from foialens.store.datadir import DataDir, UnsafePath
from foialens.store.results import DocumentResult
from foialens.web.jobs import JobManager
from foialens.web.labels import label

EXPORT_LIMIT = 10_000  # rows per CSV/JSONL export
EXPORT_CHUNK = 500
MAX_PAGE_SIZE = 100  # HTML and API result pages


class ApiError(Exception):
    """An error shown to the user as JSON ({"error", "detail"}) or an HTML error page."""

    def __init__(self, status: int, code: str, detail: str):
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


class WebContext:
    def __init__(
        self,
        settings: Settings,
        token: str | None,
        max_upload_bytes: int,
        runner: str | None,
        export_limit: int = EXPORT_LIMIT,
    ):
        self.settings = settings
        self.token = token
        self.max_upload_bytes = max_upload_bytes
        self.export_limit = export_limit
        self.data = DataDir(Path(settings.data_dir).resolve())
        self.data_dir = self.data.root
        self.jobs = JobManager(self.data.jobs_dir, runner=runner)
        self.searches = self.data.saved_searches()
        self.corrections = self.data.corrections()
        self._backend: SearchBackend | None = None
        self._lock = threading.Lock()
        self.base_url = "http://127.0.0.1:8000/"  # citation URLs (create_app: public_url or serve's address)
        self.sessions = None  # web.security.SessionStore (create_app)
        self.throttle = None  # web.security.AuthThrottle (create_app)
        self._names: tuple[float, dict[str, dict[str, str]]] = (-1.0, {})

    def backend(self) -> SearchBackend:
        """The search backend, opened on first use (BackendUnavailable when it cannot be)."""
        if self._backend is None:
            with self._lock:
                if self._backend is None:
                    self._backend = open_backend(self.settings.backend_config())
        return self._backend

    def close(self) -> None:
        if self._backend is not None:
            self._backend.close()
            self._backend = None

    # --- stored things ----------------------------------------------------------------------

    def result(self, doc_id: str) -> DocumentResult:
        result = self.data.load(doc_id)  # None for an id that is not a sha256 too
        if result is None:
            raise ApiError(404, "not_found", f"no stored result for document {doc_id[:80]}")
        return result

    def original(self, doc_id: str) -> Path:
        try:
            path = self.data.original(doc_id)
        except UnsafePath:
            raise ApiError(404, "not_found", "no such document") from None
        if not path.is_file():
            raise ApiError(404, "not_found", f"the original PDF of {doc_id} is not stored")
        return path

    def summaries(self) -> list[BatchSummary]:
        """Stored batch summaries, newest first."""
        return self.data.summaries()[::-1]

    def names(self) -> dict[str, dict[str, str]]:
        """Display names of tag ids (re-read when a batch summary was written)."""
        try:
            stamp = self.data.batches_dir.stat().st_mtime
        except OSError:
            stamp = 0.0
        if stamp != self._names[0]:
            self._names = (stamp, self.data.names())
        return self._names[1]

    def label(self, field: str, value: str) -> str:
        return label(field, value, self.names())

    def submit(self, paths: list[str], batch: str | None, source: str = "folder", force: bool = False) -> Job:
        """Queue an ingest of server-side paths with this server's data directory and backend."""
        name = default_batch_name(paths, batch, prefix="web")
        request = IngestRequest.for_settings(paths, self.settings, batch=name, force=force)
        return self.jobs.submit(request, source=source)


def get_ctx(request: Request) -> WebContext:
    return request.app.state.ctx


def render(request: Request, name: str, status: int = 200, **context):
    """An HTML page from a template (every page knows whether the server has a token)."""
    context.setdefault("hidden", [])
    templates = request.app.state.templates
    return templates.TemplateResponse(request, name, {"auth": bool(get_ctx(request).token), **context},
                                      status_code=status)


# --- search requests ------------------------------------------------------------------------


# The CLI's singular option names (--vendor, --data-type ...) are accepted for the facet fields.
FILTER_ALIASES = {
    "vendor": "vendors", "data_type": "data_types", "agency": "agencies", "program": "programs", "clause": "clauses",
    "exemption": "exemptions", "redaction": "redactions", "batches": "batch", "years": "year",
}
SEARCH_PARAMS = frozenset({"q", "page", "page_size", "cursor", "sort", "group"})


def filters_from(request: Request) -> dict[str, list[str]]:
    """Facet filters of a request: each field under its name or its alias (vendor=, as the CLI
    spells it), values of one field OR-ed."""
    params = request.query_params
    out = {}
    for field in FACET_FIELDS:
        names = [field, *(a for a, f in FILTER_ALIASES.items() if f == field)]
        values = [v.strip() for name in names for v in params.getlist(name) if v.strip()]
        if values:
            out[field] = list(dict.fromkeys(values))
    return out


def check_params(request: Request, known: frozenset[str] = SEARCH_PARAMS) -> None:
    """400 for a parameter this endpoint does not know (a misspelt filter would otherwise be
    silently ignored and the search would look unfiltered)."""
    unknown = sorted(set(request.query_params) - known - set(FACET_FIELDS) - set(FILTER_ALIASES))
    if unknown:
        raise ApiError(400, "unknown_parameter",
                       f"unknown parameter(s): {', '.join(unknown)}; filters are "
                       f"{', '.join(FACET_FIELDS)} (or vendor, data_type, agency, clause, exemption, redaction)")


def int_param(request: Request, name: str, default: int, lo: int, hi: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "invalid_parameter", f"{name} must be a whole number") from None
    if not lo <= value <= hi:
        raise ApiError(400, "invalid_parameter", f"{name} must be between {lo} and {hi}")
    return value


def build_query(
    text: str, filters: dict[str, list[str]], page: int = 1, page_size: int = 10,
    cursor: str | None = None, facets: bool = True,
) -> SearchQuery:
    if not text.strip() and not filters:
        raise ApiError(400, "empty_query", "enter search words, or choose at least one filter to browse by tag")
    if len(text) > 1000:
        raise ApiError(400, "query_too_long", "queries are limited to 1000 characters")
    try:
        return SearchQuery(text=text, filters=filters, page=page, page_size=page_size,
                           cursor=cursor or None, facets=facets)
    except ValidationError as exc:
        raise ApiError(400, "invalid_query", exc.errors()[0]["msg"]) from None


def query_from(request: Request, facets: bool = True) -> SearchQuery:
    return build_query(
        request.query_params.get("q", ""),
        filters_from(request),
        page=int_param(request, "page", 1, 1, 10_000),
        page_size=int_param(request, "page_size", 10, 1, MAX_PAGE_SIZE),
        cursor=request.query_params.get("cursor"),
        facets=facets,
    )


def run_search(ctx: WebContext, query: SearchQuery) -> SearchResult:
    """Search; QuerySyntaxError becomes a 400 (other SearchErrors are handled by the app). Facet
    counts say what choosing a value gives (``facets.or_within_fields``); years newest first."""
    try:
        result = ctx.backend().search(query)
        result = or_within_fields(ctx.backend().search, query, result)
    except QuerySyntaxError as exc:
        raise ApiError(400, "query_syntax", str(exc)) from None
    if result.facets.get("year"):
        result.facets["year"] = sorted(result.facets["year"], key=lambda fv: fv.value, reverse=True)
    return result


def search_params(query: SearchQuery) -> list[tuple[str, str]]:
    """URL parameters that reproduce ``query`` (without page/cursor)."""
    pairs: list[tuple[str, str]] = []
    if query.text:
        pairs.append(("q", query.text))
    for field in FACET_FIELDS:
        pairs += [(field, v) for v in query.filters.get(field, [])]
    return pairs


def qs(pairs: list[tuple[str, str]]) -> str:
    return urlencode(pairs)


# --- export -----------------------------------------------------------------------------------

EXPORT_FIELDS = (
    "doc_id", "title", "path", "page", "score", "batch", "year", "vendors", "data_types",
    "agencies", "programs", "clauses", "exemptions", "redactions", "method", "snippet", "url",
)
def export_row(hit: SearchHit, base_url: str) -> dict:
    return {
        "doc_id": hit.doc_id, "title": hit.title, "path": hit.path, "page": hit.page,
        "score": float(f"{hit.score:.6g}"), "batch": hit.batch, "year": hit.year,
        "vendors": hit.vendors, "data_types": hit.data_types, "agencies": hit.agencies, "programs": hit.programs,
        "clauses": hit.clauses, "exemptions": hit.exemptions, "redactions": hit.redactions,
        "method": hit.method,
        "snippet": snippets.plain(hit.snippet),
        "url": f"{base_url}documents/{hit.doc_id}/pages/{hit.page}",
    }


def export_rows(ctx: WebContext, query: SearchQuery, base_url: str) -> tuple[int, Iterator[dict]]:
    """(total matching pages, rows) for every matching page up to the export limit, walked with
    cursors. The first chunk is fetched before returning, so query errors surface as 400s."""
    q = query.model_copy(update={"page": 1, "page_size": EXPORT_CHUNK, "cursor": None, "facets": False})
    first = run_search(ctx, q)
    limit = ctx.export_limit

    def rows() -> Iterator[dict]:
        result, sent = first, 0
        while True:
            for hit in result.hits:
                if sent >= limit:
                    return
                yield export_row(hit, base_url)
                sent += 1
            if not result.next_cursor or sent >= limit:
                return
            result = run_search(ctx, q.model_copy(update={"cursor": result.next_cursor}))

    return first.total, rows()


CSV_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value) -> str:
    """Lists joined with '; '; text that a spreadsheet would run as a formula is quoted with '."""
    if isinstance(value, list):
        value = "; ".join(value)
    text = "" if value is None else str(value)
    if isinstance(value, str) and text.startswith(CSV_FORMULA):
        text = "'" + text
    return text


# --- batches ------------------------------------------------------------------------------------

_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")


def safe_filename(name: str) -> str:
    base = Path(name.replace("\\", "/")).name
    base = _SAFE_NAME.sub("_", base).strip(" .") or "upload.pdf"
    return base[-150:]
