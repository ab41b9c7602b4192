"""JSON API (documented at /docs and /openapi.json)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from foialens.search import highlight
from foialens.search.records import TAG_FIELDS, RelationResult
from foialens.web import network, pages, uploads
from foialens.web.common import ApiError, check_params, get_ctx, query_from, run_search
from foialens.web.schemas import ApiSearchResult, DocumentOut, ErrorBody, PageOut

router = APIRouter(prefix="/api", tags=["api"])

ERRORS = {
    400: {"description": "Bad request: empty query, query syntax error, bad or unknown parameter",
          "model": ErrorBody},
    401: {"description": "Token required", "model": ErrorBody},
    404: {"description": "Unknown document, page or job", "model": ErrorBody},
    503: {"description": "Search backend unavailable", "model": ErrorBody},
}


@router.get("/search", response_model=ApiSearchResult, responses=ERRORS)
def api_search(
    request: Request,
    q: Annotated[str, Query(description='Query: words, "phrases", OR, -exclude, NOT, prefix*, ( )')] = "",
    vendors: Annotated[list[str], Query(description="Vendor ids (OR-ed)")] = [],  # noqa: B006
    data_types: Annotated[list[str], Query()] = [],  # noqa: B006
    agencies: Annotated[list[str], Query()] = [],  # noqa: B006
    programs: Annotated[list[str], Query(description="Program / system ids, e.g. secure_communities")] = [],  # noqa: B006
    clauses: Annotated[list[str], Query(description="Clause labels, e.g. ice_access")] = [],  # noqa: B006
    exemptions: Annotated[list[str], Query(description="Exemption codes, e.g. b7c")] = [],  # noqa: B006
    redactions: Annotated[list[str], Query(description="redacted | text_under_box")] = [],  # noqa: B006
    batch: Annotated[list[str], Query()] = [],  # noqa: B006
    year: Annotated[list[str], Query()] = [],  # noqa: B006
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = 10,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous result (deep paging)")] = None,
) -> dict:
    """Search indexed pages. Filters of one field are OR-ed, fields are AND-ed; each filter is also
    accepted under its singular name, as the CLI spells it (`vendor=`, `data_type=`, `agency=`,
    `clause=`, `exemption=`, `redaction=`); any other parameter is a 400. Snippets are
    HTML-escaped; matches are wrapped in `<mark>`. An empty `q` needs at least one filter.

    Facet counts say what choosing a value gives: in a field with no chosen value, `count` is the
    total you get by choosing it; in a field with chosen values, `count` is the value's pages under
    the other filters and `adds` how many pages choosing it too adds to `total`. `labels` gives the
    display names of the ids. Years are newest first."""
    ctx = get_ctx(request)
    check_params(request)
    query = query_from(request)
    result = run_search(ctx, query)
    labels: dict[str, dict[str, str]] = {}
    for field, values in result.facets.items():
        for fv in values:
            labels.setdefault(field, {})[fv.value] = ctx.label(field, fv.value)
    for hit in result.hits:
        for field in TAG_FIELDS:
            for v in getattr(hit, field):
                labels.setdefault(field, {})[v] = ctx.label(field, v)
    return {**result.model_dump(), "page": query.page, "page_size": query.page_size, "labels": labels}


@router.get("/relations", response_model=RelationResult, responses=ERRORS)
def api_relations(
    request: Request,
    to: Annotated[list[str], Query(description="Recipient agency ids; agencies under them count too (to=ice finds HSI)")] = [],  # noqa: B006
    from_: Annotated[list[str], Query(alias="from", description="Source agency ids (and agencies under them)")] = [],  # noqa: B006
    data_type: Annotated[list[str], Query(description="e.g. alpr")] = [],  # noqa: B006
    vendor: Annotated[list[str], Query(description="Vendor platform, e.g. vigilant_solutions")] = [],  # noqa: B006
    kind: Annotated[list[str], Query(description="detections | hot_list | query_access | records | system_access")] = [],  # noqa: B006
    polarity: Annotated[str, Query(description="grant | restrict | any")] = "grant",
    batch: Annotated[list[str], Query()] = [],  # noqa: B006
    offset: Annotated[int, Query(ge=0)] = 0,
    limit: Annotated[int, Query(ge=0, le=5000)] = 100,
) -> dict:
    """Data-sharing relations (source agency -> recipient agency) with their evidence, and the
    number of relations per source and per recipient over the whole filtered set."""
    result = network.relations(get_ctx(request), network.relation_filters(request.query_params), limit, offset)
    return result.model_dump(mode="json")


@router.get("/network", responses=ERRORS)
def api_network(request: Request) -> dict:
    """The relations matching the /api/relations filters as graph elements (nodes: agencies;
    edges: source -> recipient with the number of relations), for drawing."""
    result = network.relations(get_ctx(request), network.relation_filters(request.query_params))
    return {"total": result.total, **network.graph_elements(result.relations)}


@router.get("/conflicts", responses=ERRORS)
def api_conflicts(request: Request) -> dict:
    """Grants that a law or policy of the same jurisdiction forbids: each with the grant and the
    rule (both with document, page and evidence) and the reasons. Parameters as /api/relations
    (they narrow the grants)."""
    found, rules = network.conflicts_view(get_ctx(request), network.relation_filters(request.query_params))
    return {"total": len(found), "rules": rules, "conflicts": [c.model_dump(mode="json") for c in found]}


@router.get("/agencies/{agency_id}", responses=ERRORS)
def api_agency(request: Request, agency_id: str) -> dict:
    """One agency in the network: whom it shares with and receives from, via which platform, by
    date, with the documents that say so."""
    return network.agency_view(get_ctx(request), agency_id)


@router.get("/documents/{doc_id}", response_model=DocumentOut, responses=ERRORS)
def api_document(request: Request, doc_id: str) -> dict:
    """The stored analysis of one document (the `analyze --json` output contract)."""
    return get_ctx(request).result(doc_id).contract()


@router.get("/documents/{doc_id}/pages/{page}", response_model=PageOut, responses=ERRORS)
def api_page(
    request: Request, doc_id: str, page: int,
    q: Annotated[str, Query(description="a query whose words to locate in the text (highlights)")] = "",
) -> dict:
    """One page: text, how it was obtained, tags, clauses, exemptions, redaction boxes (and the
    text still under bad ones), image URL; with `q`, where the query's words are in the text."""
    ctx = get_ctx(request)
    data = pages.page_data(ctx.result(doc_id), page)
    data["leaked"] = pages.leaked_text(ctx, data)
    data["highlights"] = [list(s) for s in highlight.spans(data["text"], q)] if q else []
    return data


@router.get("/batches", responses=ERRORS)
def api_batches(request: Request) -> dict:
    """Batch summaries (newest first) and the web ingest jobs."""
    ctx = get_ctx(request)
    return {
        "batches": [s.model_dump(mode="json") for s in ctx.summaries()],
        "jobs": [j.model_dump(mode="json") for j in ctx.jobs.list()],
    }


class IngestBody(BaseModel):
    paths: list[str] = Field(min_length=1, description="Server-side folders or PDF files")
    batch: str | None = Field(None, description="Batch name (default: the folder name)")
    force: bool = False


@router.post("/batches", status_code=202, responses=ERRORS)
def api_ingest(request: Request, body: IngestBody) -> JSONResponse:
    """Start ingesting server-side folders/files as one batch (runs in the background)."""
    ctx = get_ctx(request)
    paths = [str(check_ingest_path(p)) for p in body.paths]
    job = ctx.submit(paths, body.batch, source="api", force=body.force)
    return JSONResponse(job.model_dump(mode="json"), status_code=202,
                        headers={"location": f"/api/jobs/{job.id}"})


@router.post("/batches/upload", status_code=202, responses={**ERRORS, 413: {"description": "Too large", "model": ErrorBody}},
             openapi_extra={"requestBody": {"required": True, "content": {"multipart/form-data": {
                 "schema": {"$ref": "#/components/schemas/UploadForm"}}}}})
async def api_upload(request: Request) -> JSONResponse:
    """Upload PDF files (multipart field `files`, optional field `batch`) and ingest them."""
    job = await uploads.receive(request, source="upload")
    return JSONResponse(job.model_dump(mode="json"), status_code=202,
                        headers={"location": f"/api/jobs/{job.id}"})


@router.get("/jobs/{job_id}", responses=ERRORS)
def api_job(request: Request, job_id: str) -> dict:
    """State of one ingest job (queued, running, done, failed, interrupted)."""
    ctx = get_ctx(request)
    job = ctx.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "not_found", f"no job {job_id}")
    return {**job.model_dump(mode="json"), "log_tail": ctx.jobs.log_tail(job_id, 2000)}


def check_ingest_path(raw: str) -> Path:
    path = Path(raw.strip()).expanduser()
    if not raw.strip() or not path.is_absolute():
        raise ApiError(400, "invalid_path", "give an absolute server-side path to a folder or PDF file")
    path = path.resolve()
    if path.is_dir() or (path.is_file() and path.suffix.lower() == ".pdf"):
        return path
    raise ApiError(400, "invalid_path", f"{raw} is not a folder or .pdf file on the server")
