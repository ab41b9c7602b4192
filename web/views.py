"""Server-rendered HTML pages."""

from __future__ import annotations

import csv
import io
import json
from math import ceil
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import (
    FileResponse,
    RedirectResponse,
    Response,
    StreamingResponse,
)
from starlette.concurrency import run_in_threadpool

from foialens.search import highlight
from foialens.search.network import flows_to as flows_by_source
from foialens.search.records import FACET_FIELDS, TAG_FIELDS
from foialens.store.batches import batch_slug
from foialens.store.pages import PageNotFound
from foialens.web import network, pages, results, uploads
from foialens.web.api import check_ingest_path
from foialens.web.common import (
    EXPORT_FIELDS,
    MAX_PAGE_SIZE,
    ApiError,
    build_query,
    csv_cell,
    export_rows,
    filters_from,
    get_ctx,
    int_param,
    qs,
    query_from,
    render,
    search_params,
)
from foialens.web.labels import FIELD_TITLES
from foialens.web.workbench import agency_entity, selection

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 10




# --- search -------------------------------------------------------------------------------------


@router.get("/")
def search_page(request: Request) -> Response:
    ctx = get_ctx(request)
    text = request.query_params.get("q", "")
    filters = filters_from(request)
    if not text.strip() and not filters:
        return render(request, "search.html", q="", result=None, summaries=ctx.summaries()[:10],
                      view=_view_params(request))
    page = int_param(request, "page", 1, 1, 10_000)
    view = _view_params(request)
    size = view["page_size"]
    try:
        query = build_query(text, filters, page=page, page_size=size)
        result, ordered_hits, cut = results.windowed(ctx, query, view["sort"], view["group"])
    except ApiError as exc:
        if exc.status != 400:
            raise
        return render(request, "search.html", status=400, q=text, result=None, error=exc.detail,
                      active=_active(ctx, text, filters), summaries=[], view=view,
                      hidden=[(f, v) for f in FACET_FIELDS for v in filters.get(f, [])])
    params = search_params(query)
    view_pairs = [(k, str(view[k])) for k, d in VIEW_DEFAULTS.items() if view[k] != d]
    facets = []
    for field in FACET_FIELDS:
        values = []
        chosen = set(filters.get(field, []))
        for fv in result.facets.get(field, []):
            active = fv.value in chosen
            pairs = [p for p in params if p != (field, fv.value)] if active else [*params, (field, fv.value)]
            values.append({"value": fv.value, "label": ctx.label(field, fv.value), "count": fv.count,
                           "adds": fv.adds, "active": active, "href": "/?" + qs([*pairs, *view_pairs])})
        if values:
            facets.append({"field": field, "title": FIELD_TITLES[field], "values": values, "or": bool(chosen)})
    groups = results.grouped(ordered_hits) if view["group"] == "document" else []
    if view["group"] == "document":
        count = len(groups)
    elif view["sort"] == "relevance":
        count = result.total
    else:
        count = len(ordered_hits)
    pages_total = max(1, ceil(count / size))
    if page > pages_total:  # past the end: the last page, not "page 50 of 3"
        return RedirectResponse("/?" + qs([*params, *view_pairs, ("page", str(pages_total))]), status_code=303)
    first = (page - 1) * size
    if view["group"] == "document":
        shown_groups = groups[first:first + size]
        shown_hits = []
    else:
        shown_groups = []
        shown_hits = ordered_hits if view["sort"] == "relevance" else ordered_hits[first:first + size]
    pager = {
        "page": page, "pages": pages_total,
        "prev": "/?" + qs([*params, *view_pairs, ("page", str(page - 1))]) if page > 1 else None,
        "next": "/?" + qs([*params, *view_pairs, ("page", str(page + 1))]) if page < pages_total else None,
        "first": first + 1, "last": first + (len(shown_groups) if shown_groups else len(shown_hits)),
    }
    q_suffix = ("?" + qs([("q", text)])) if text.strip() else ""

    def item(h):
        return {"hit": h, "href": f"/documents/{h.doc_id}/pages/{h.page}{q_suffix}",
                "title_html": results.title_html(h, text),
                "title_only": bool(text.strip()) and "<mark>" not in h.snippet,
                "labels": {f: [(v, ctx.label(f, v)) for v in getattr(h, f)] for f in TAG_FIELDS}}

    hits = [item(h) for h in shown_hits]
    docs = [{**g, "items": [item(h) for h in g["hits"]], "title_html": results.title_html(g["best"], text),
             "href": f"/documents/{g['doc_id']}/read{q_suffix}"} for g in shown_groups]
    suggestions = results.suggestions(ctx, text, filters, ctx.label) if result.total == 0 else []
    for sgt in suggestions:
        sgt["href"] = "/?" + qs(results.pairs(sgt["q"], sgt["filters"]))
    view_links = _view_links(params, view)
    return render(request, "search.html", q=text, result=result, hits=hits, docs=docs, facets=facets, pager=pager,
                  active=_active(ctx, text, filters), export_qs=qs(params), summaries=[], view=view,
                  view_links=view_links, cut=cut, window=results.WINDOW, count=count, suggestions=suggestions,
                  hidden=[p for p in params if p[0] != "q"] + view_pairs, q_suffix=q_suffix)


VIEW_DEFAULTS = {"sort": "relevance", "group": "page", "page_size": PAGE_SIZE}


def _view_params(request: Request) -> dict:
    p = request.query_params
    size = int_param(request, "page_size", PAGE_SIZE, 1, MAX_PAGE_SIZE)
    return {"sort": results.choice(p.get("sort"), results.SORTS, "relevance", "sort"),
            "group": results.choice(p.get("group"), results.GROUPS, "page", "group"),
            "page_size": size}


def _view_links(params: list[tuple[str, str]], view: dict) -> dict:
    """Links that change one view setting and keep the others (page back to 1)."""
    out = {}
    for key, options in (("sort", results.SORTS), ("group", results.GROUPS),
                         ("page_size", {str(n): str(n) for n in results.PAGE_SIZES})):
        links = []
        for value, title in options.items():
            changed = {**view, key: int(value) if key == "page_size" else value}
            pairs = [(k, str(changed[k])) for k, d in VIEW_DEFAULTS.items() if changed[k] != d]
            links.append({"value": value, "title": title, "href": "/?" + qs([*params, *pairs]),
                          "current": str(view[key]) == value})
        out[key] = links
    return out


def _active(ctx, text: str, filters: dict[str, list[str]]) -> list[dict]:
    pairs = [("q", text)] if text else []
    for field in FACET_FIELDS:
        pairs += [(field, v) for v in filters.get(field, [])]
    out = []
    for field in FACET_FIELDS:
        for v in filters.get(field, []):
            out.append({"field": FIELD_TITLES[field], "label": ctx.label(field, v),
                        "href": "/?" + qs([p for p in pairs if p != (field, v)])})
    return out


@router.get("/export.{fmt}")
def export(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "jsonl"):
        raise ApiError(404, "not_found", "export formats: .csv and .jsonl")
    ctx = get_ctx(request)
    query = query_from(request, facets=False)
    total, rows = export_rows(ctx, query, ctx.base_url)  # never from the Host header
    chosen = selection(request)
    if chosen is not None:  # the pages ticked on the result page
        rows = (r for r in rows if (r["doc_id"], r["page"]) in chosen)
    headers = {
        "content-disposition": f'attachment; filename="foialens-export.{fmt}"',
        "x-foialens-total": str(total),
        "x-foialens-rows": str(min(total, ctx.export_limit, len(chosen) if chosen is not None else total)),
    }
    if fmt == "jsonl":
        body = (json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
        return StreamingResponse(body, media_type="application/x-ndjson; charset=utf-8", headers=headers)

    def lines():
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(EXPORT_FIELDS)
        for r in rows:
            writer.writerow([csv_cell(r[f]) for f in EXPORT_FIELDS])
            if buf.tell() > 64_000:
                yield buf.getvalue()
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue()

    return StreamingResponse(lines(), media_type="text/csv; charset=utf-8", headers=headers)


# --- documents ----------------------------------------------------------------------------------


@router.get("/documents/{doc_id}")
def document_page(request: Request, doc_id: str) -> Response:
    ctx = get_ctx(request)
    result = ctx.result(doc_id)
    view = pages.document_view(result)
    leaks = []
    for p in result.extracted.pages:
        if any(r.text_underneath for r in p.redactions):
            leaks.append((p.page, pages.leaked_text(ctx, pages.page_data(result, p.page))))
    return render(request, "document.html", doc=result, leaks=leaks, notes=ctx.corrections.for_document(doc_id),
                  **view)


@router.get("/documents/{doc_id}/original.pdf")
def original(request: Request, doc_id: str) -> Response:
    ctx = get_ctx(request)
    path = ctx.original(doc_id)
    name = Path(ctx.result(doc_id).extracted.path).name or f"{doc_id}.pdf"
    return FileResponse(path, media_type="application/pdf", filename=name,
                        content_disposition_type="attachment")


@router.get("/documents/{doc_id}/pages/{page}.png")
async def page_image(request: Request, doc_id: str, page: int) -> Response:
    ctx = get_ctx(request)
    ctx.original(doc_id)  # 404 unless the original is stored
    try:
        png = await run_in_threadpool(ctx.data.page_image, doc_id, page)
    except PageNotFound as exc:
        raise ApiError(404, "not_found", str(exc)) from None
    return FileResponse(png, media_type="image/png", headers={"cache-control": "private, max-age=86400"})


@router.get("/documents/{doc_id}/pages/{page}")
def page_view(request: Request, doc_id: str, page: int) -> Response:
    ctx = get_ctx(request)
    result = ctx.result(doc_id)
    data = pages.page_data(result, page)
    has_original = ctx.data.original(doc_id).is_file()
    numbers = [p.page for p in result.extracted.pages]
    idx = numbers.index(page)
    q = request.query_params.get("q", "")
    q_spans = highlight.spans(data["text"], q) if q else []
    q_suffix = ("?" + qs([("q", q)])) if q else ""
    leaked = pages.leaked_text(ctx, data)
    return render(
        request, "page.html", doc=result, p=data,
        segments=pages.text_segments(data["text"], data, q_spans, leaked),
        prev=numbers[idx - 1] if idx > 0 else None,
        next=numbers[idx + 1] if idx + 1 < len(numbers) else None,
        q=q, q_suffix=q_suffix, q_count=len(q_spans), has_original=has_original,
        leaked=leaked, citation=pages.citation(result, page, ctx.base_url),
        notes=ctx.corrections.for_page(doc_id, page),
    )


# --- batches ------------------------------------------------------------------------------------


@router.get("/agencies/{agency_id}")
def agency_page(request: Request, agency_id: str) -> Response:
    return agency_entity(request, agency_id)


@router.get("/network")
def network_page(request: Request) -> Response:
    ctx = get_ctx(request)
    filters = network.relation_filters(request.query_params)
    result = network.relations(ctx, filters)
    rows = flows_by_source(result.relations)
    return render(request, "network.html", total=result.total, rows=rows, filters=filters,
                  query=str(request.url.query), shown=len(result.relations))


@router.get("/conflicts")
def conflicts_page(request: Request) -> Response:
    ctx = get_ctx(request)
    filters = network.relation_filters(request.query_params)
    found, rules = network.conflicts_view(ctx, filters)
    return render(request, "conflicts.html", conflicts=found, rules=rules, filters=filters,
                  query=str(request.url.query))


@router.get("/batches")
def batches_page(request: Request) -> Response:
    ctx = get_ctx(request)
    jobs = ctx.jobs.list()
    return render(request, "batches.html", summaries=ctx.summaries(), jobs=jobs[:20], slug=batch_slug,
                  limit_mb=ctx.max_upload_bytes // 2**20,
                  running=any(j.active for j in jobs), message=request.query_params.get("msg"))


@router.get("/batches/{name}")
def batch_page(request: Request, name: str) -> Response:
    ctx = get_ctx(request)
    summary = next((s for s in ctx.summaries() if batch_slug(s.batch) == name), None)
    if summary is None:
        raise ApiError(404, "not_found", f"no batch {name}")
    offset = (int_param(request, "page", 1, 1, 10_000) - 1) * 100
    docs = ctx.backend().documents(batch=summary.batch, offset=offset, limit=100)
    return render(request, "batch.html", s=summary, docs=docs, slug=batch_slug)


@router.post("/batches/ingest")
async def ingest_form(request: Request) -> Response:
    ctx = get_ctx(request)
    form = await request.form(max_files=0, max_fields=10)
    raw = form.get("path")
    raw_batch = form.get("batch")
    try:
        path = check_ingest_path(raw if isinstance(raw, str) else "")
    except ApiError as exc:
        return RedirectResponse("/batches?" + qs([("msg", exc.detail)]), status_code=303)
    job = ctx.submit([str(path)], raw_batch if isinstance(raw_batch, str) else None)
    return RedirectResponse("/batches?" + qs([("msg", f"ingest of batch {job.batch} queued")]), status_code=303)


@router.post("/batches/upload")
async def upload_form(request: Request) -> Response:
    try:
        job = await uploads.receive(request)
    except ApiError as exc:
        return RedirectResponse("/batches?" + qs([("msg", exc.detail)]), status_code=303)
    return RedirectResponse("/batches?" + qs([("msg", f"upload saved; ingest of batch {job.batch} queued")]),
                            status_code=303)


# --- login ----------------------------------------------------------------------------------------


@router.get("/login")
def login_page(request: Request) -> Response:
    return render(request, "login.html", next=_local_next(request.query_params.get("next")), error=None)


@router.post("/login")
async def login(request: Request) -> Response:
    from foialens.web.security import COOKIE, client_key, token_matches

    ctx = get_ctx(request)
    form = await request.form(max_files=0, max_fields=5)
    given = form.get("token")
    target = _local_next(form.get("next") if isinstance(form.get("next"), str) else None)
    if not ctx.token:
        return RedirectResponse(target, status_code=303)
    client = client_key(request)
    wait = ctx.throttle.retry_after(client)
    if wait:
        resp = render(request, "login.html", status=429, next=target,
                      error=f"too many wrong tokens; try again in {wait} s")
        resp.headers["retry-after"] = str(wait)
        return resp
    if not isinstance(given, str) or not token_matches(ctx.token, given.strip()):
        ctx.throttle.failed(client)
        return render(request, "login.html", status=401, next=target, error="wrong token")
    ctx.throttle.succeeded(client)
    ctx.sessions.revoke(request.cookies.get(COOKIE))  # a new session id at each login
    resp = RedirectResponse(target, status_code=303)
    resp.set_cookie(COOKIE, ctx.sessions.create(), httponly=True, samesite="strict",
                    secure=request.url.scheme == "https", max_age=int(ctx.sessions.ttl), path="/")
    return resp


@router.post("/logout")
def logout(request: Request) -> Response:
    from foialens.web.security import COOKIE

    ctx = get_ctx(request)
    ctx.sessions.revoke(request.cookies.get(COOKIE))  # the cookie is worthless from now on
    resp = RedirectResponse("/login", status_code=303)
    resp.delete_cookie(COOKIE, path="/", httponly=True, samesite="strict", secure=request.url.scheme == "https")
    return resp


def _local_next(raw: str | None) -> str:
    if not raw or not raw.startswith("/") or raw.startswith("//") or "\\" in raw:
        return "/"
    return raw


@router.get("/healthz")
def healthz() -> dict:
    return {"ok": True}
