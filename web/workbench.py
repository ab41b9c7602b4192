"""The research tools around search: the document reader, bad redactions, entity pages, citation
lists, saved searches (with alerts) and notes/corrections. HTML pages here, their JSON under /api."""

from __future__ import annotations

import csv
import io
import json
from math import ceil

from fastapi import APIRouter, Request
from fastapi.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from pydantic import BaseModel, Field

from foialens.search import highlight
from foialens.search.records import FACET_FIELDS
from foialens.store.workbench import TAG_KINDS, Correction, SavedSearch
from foialens.web import entities, network, pages
from foialens.web.api import ERRORS
from foialens.web.common import (
    ApiError,
    build_query,
    filters_from,
    get_ctx,
    int_param,
    qs,
    query_from,
    render,
    run_search,
)
from foialens.web.labels import FIELD_TITLES

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api", tags=["api"], responses=ERRORS)
READER_CHUNK = 40  # pages per reader screen
REDACTIONS_PAGE = 20


def _render(request: Request, name: str, status: int = 200, **context) -> Response:
    return render(request, name, status=status, **context)


def _form_text(form, name: str, limit: int = 2000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _local(target: str, default: str = "/") -> str:
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else default


# --- the reader -------------------------------------------------------------------------------


@router.get("/documents/{doc_id}/read")
def reader(request: Request, doc_id: str) -> Response:
    """Every page of a document one after another: image beside text, thumbnails, zoom, jump to a
    page, search words and tags highlighted, a citation (with Bates numbers) per page."""
    ctx = get_ctx(request)
    result = ctx.result(doc_id)
    numbers = [p.page for p in result.extracted.pages]
    q = request.query_params.get("q", "")
    wanted = request.query_params.get("page")
    q_pairs = [("q", q)] if q else []
    if wanted not in (None, ""):  # jump to a page without JavaScript: its chunk, at its anchor
        target = int_param(request, "page", 1, 1, max(numbers or [1]))
        start = ((numbers.index(target) if target in numbers else 0) // READER_CHUNK) * READER_CHUNK + 1
        return RedirectResponse(f"/documents/{doc_id}/read?" + qs([*q_pairs, ("from", str(start))]) + f"#p{target}",
                                status_code=303)
    start = int_param(request, "from", 1, 1, max(len(numbers), 1))
    chunk = result.extracted.pages[start - 1:start - 1 + READER_CHUNK]
    has_original = ctx.data.original(doc_id).is_file()
    notes = ctx.corrections.for_document(doc_id)
    shown = []
    for p in chunk:
        data = pages.page_data(result, p.page)
        spans = highlight.spans(data["text"], q) if q else []
        leaked = pages.leaked_text(ctx, data)
        shown.append({"p": data, "segments": pages.text_segments(data["text"], data, spans, leaked),
                      "q_count": len(spans), "leaked": leaked, "citation": pages.citation(result, p.page, ctx.base_url),
                      "notes": [n for n in notes if n.page == p.page]})
    chunks = [{"from": i + 1, "to": min(i + READER_CHUNK, len(numbers)),
               "href": f"/documents/{doc_id}/read?" + qs([*q_pairs, ("from", str(i + 1))]),
               "current": i + 1 == start} for i in range(0, len(numbers), READER_CHUNK)]
    return _render(request, "reader.html", doc=result, shown=shown, numbers=numbers, q=q, chunks=chunks,
                   has_original=has_original, start=start, q_total=sum(s["q_count"] for s in shown),
                   q_suffix=("?" + qs(q_pairs)) if q else "")


# --- bad redactions ------------------------------------------------------------------------------


@router.get("/redactions")
def bad_redactions(request: Request) -> Response:
    """Every page where text is still under a redaction box, with that text, across the collection
    (optionally narrowed by words and the usual filters)."""
    ctx = get_ctx(request)
    text = request.query_params.get("q", "")
    filters = {**filters_from(request), "redactions": ["text_under_box"]}
    page = int_param(request, "page", 1, 1, 10_000)
    result = run_search(ctx, build_query(text, filters, page=page, page_size=REDACTIONS_PAGE, facets=True))
    rows = []
    for h in result.hits:
        stored = ctx.data.load(h.doc_id)
        if stored is None:
            continue
        data = pages.page_data(stored, h.page)
        rows.append({"hit": h, "leaked": pages.leaked_text(ctx, data), "exemptions": data["tags"]["exemptions"],
                     "bates": data["bates"]})
    pages_total = max(1, ceil(result.total / REDACTIONS_PAGE))
    base = [("q", text)] if text else []
    base += [(f, v) for f in FACET_FIELDS if f != "redactions" for v in filters.get(f, [])]
    return _render(request, "redactions.html", rows=rows, total=result.total, q=text, page=page, pages=pages_total,
                   batches=[fv.value for fv in result.facets.get("batch", [])],
                   prev="/redactions?" + qs([*base, ("page", str(page - 1))]) if page > 1 else None,
                   next="/redactions?" + qs([*base, ("page", str(page + 1))]) if page < pages_total else None,
                   search_href="/?" + qs([*base, ("redactions", "text_under_box")]))


# --- entity pages --------------------------------------------------------------------------------


@router.get("/vendors/{entity_id}")
def vendor_page(request: Request, entity_id: str) -> Response:
    return _entity(request, "vendors", entity_id)


@router.get("/data-types/{entity_id}")
def data_type_page(request: Request, entity_id: str) -> Response:
    return _entity(request, "data_types", entity_id)


@router.get("/programs/{entity_id}")
def program_page(request: Request, entity_id: str) -> Response:
    return _entity(request, "programs", entity_id)


def _entity(request: Request, field: str, entity_id: str) -> Response:
    view = entities.entity_view(get_ctx(request), field, entity_id)
    return _render(request, "entity.html", e=view, a=None)


@api.get("/entities/{field}/{entity_id}")
def api_entity(request: Request, field: str, entity_id: str) -> dict:
    """One vendor (`vendors`), data type (`data_types`), agency (`agencies`) or program
    (`programs`) across the collection: timeline by year, documents with the pages naming it,
    clauses on those pages, tags found beside it, and (vendors, data types, programs) the
    data-sharing relations it carries."""
    if field not in entities.FIELDS_BY_PATH.values():
        raise ApiError(404, "not_found", "entity fields: vendors, data_types, agencies, programs")
    return entities.entity_view(get_ctx(request), field, entity_id)


def agency_entity(request: Request, agency_id: str) -> Response:
    """The agency page: its data-sharing relations (when it has any) and the documents naming it."""
    ctx = get_ctx(request)
    try:
        sharing = network.agency_view(ctx, agency_id)
    except ApiError as exc:
        if exc.status != 404:
            raise
        sharing = None
    try:
        view = entities.entity_view(ctx, "agencies", agency_id)
    except ApiError as exc:
        if exc.status != 404 or sharing is None:
            raise
        view = None
    return _render(request, "entity.html", e=view, a=sharing)


# --- citations ------------------------------------------------------------------------------------


def selection(request: Request) -> set[tuple[str, int]] | None:
    """Pages chosen on the result page (sel=<doc_id>:<page>), None when none were."""
    chosen = set()
    for raw in request.query_params.getlist("sel"):
        doc_id, _, page = raw.partition(":")
        if page.isdigit():
            chosen.add((doc_id, int(page)))
    return chosen or None


@router.get("/export.citations")
def export_citations(request: Request) -> Response:
    """The matching (or selected) pages as a citation list for a brief: document title, Bates
    numbers printed on the page, page of pages, and the page's link; Markdown text."""
    from foialens.web.common import export_rows

    ctx = get_ctx(request)
    query = query_from(request, facets=False)
    chosen = selection(request)
    total, rows = export_rows(ctx, query, ctx.base_url)
    loaded: dict[str, object] = {}

    def lines():
        yield f"# Citations: {query.text or 'browse'}" + "".join(
            f" · {FIELD_TITLES[f]}: {', '.join(ctx.label(f, v) for v in vs)}" for f, vs in query.filters.items()) + "\n\n"
        for r in rows:
            if chosen is not None and (r["doc_id"], r["page"]) not in chosen:
                continue
            if r["doc_id"] not in loaded:
                loaded[r["doc_id"]] = ctx.data.load(r["doc_id"])
            stored = loaded[r["doc_id"]]
            if stored is None:
                continue
            c = pages.citation(stored, r["page"], ctx.base_url)
            yield f"- {c['text']}\n"

    return StreamingResponse(lines(), media_type="text/markdown; charset=utf-8", headers={
        "content-disposition": 'attachment; filename="foialens-citations.md"', "x-foialens-total": str(total)})


# --- saved searches ------------------------------------------------------------------------------


class SearchIn(BaseModel):
    name: str = Field("", max_length=200)
    q: str = Field("", max_length=1000)
    filters: dict[str, list[str]] = Field(default_factory=dict, description="facet field -> values")


def _saved_view(ctx, s: SavedSearch) -> dict:
    pairs = [("q", s.text)] if s.text else []
    for f in FACET_FIELDS:
        pairs += [(f, v) for v in s.filters.get(f, [])]
    return {"s": s, "href": "/?" + qs(pairs), "alerts": sorted(s.alerts, key=lambda a: a.at, reverse=True),
            "alert_hrefs": {a.batch: "/?" + qs([*pairs, ("batch", a.batch)]) for a in s.alerts},
            "filters": [(FIELD_TITLES[f], ctx.label(f, v)) for f in FACET_FIELDS for v in s.filters.get(f, [])]}


@router.get("/searches")
def saved_searches(request: Request) -> Response:
    ctx = get_ctx(request)
    items = [_saved_view(ctx, s) for s in ctx.searches.list()]
    return _render(request, "searches.html", items=items, message=request.query_params.get("msg"))


@router.get("/searches/new")
def new_search_form(request: Request) -> Response:
    ctx = get_ctx(request)
    text = request.query_params.get("q", "")
    filters = filters_from(request)
    build_query(text, filters)  # 400 for nothing to save
    described = [(FIELD_TITLES[f], ctx.label(f, v)) for f in FACET_FIELDS for v in filters.get(f, [])]
    hidden = ([("q", text)] if text else []) + [(f, v) for f in FACET_FIELDS for v in filters.get(f, [])]
    return _render(request, "search_new.html", q=text, described=described, hidden=hidden)


@router.post("/searches")
async def save_search_form(request: Request) -> Response:
    ctx = get_ctx(request)
    form = await request.form(max_files=0, max_fields=100)
    text = _form_text(form, "q", 1000)
    filters: dict[str, list[str]] = {}
    for f in FACET_FIELDS:
        values = [v.strip() for v in form.getlist(f) if isinstance(v, str) and v.strip()]
        if values:
            filters[f] = values
    build_query(text, filters)
    saved = ctx.searches.add(_form_text(form, "name", 200), text, filters)
    return RedirectResponse("/searches?" + qs([("msg", f"saved “{saved.name}”: new batches that match it raise an alert")]),
                            status_code=303)


@router.post("/searches/{search_id}/delete")
def delete_search_form(request: Request, search_id: str) -> Response:
    get_ctx(request).searches.delete(search_id)
    return RedirectResponse("/searches?" + qs([("msg", "search deleted")]), status_code=303)


@router.post("/searches/{search_id}/seen")
def seen_search_form(request: Request, search_id: str) -> Response:
    get_ctx(request).searches.mark_seen(search_id)
    return RedirectResponse("/searches", status_code=303)


@api.get("/searches", response_model=list[SavedSearch])
def api_searches(request: Request) -> list:
    """Saved searches with their alerts (a batch ingested after the search was saved that has
    matching pages)."""
    return get_ctx(request).searches.list()


@api.post("/searches", response_model=SavedSearch, status_code=201)
def api_save_search(request: Request, body: SearchIn) -> SavedSearch:
    """Save a search: every later batch is searched for it when its ingest finishes."""
    ctx = get_ctx(request)
    unknown = set(body.filters) - set(FACET_FIELDS)
    if unknown:
        raise ApiError(400, "invalid_parameter", f"unknown filter field(s): {', '.join(sorted(unknown))}")
    build_query(body.q, body.filters)
    return ctx.searches.add(body.name, body.q, body.filters)


@api.delete("/searches/{search_id}", status_code=204)
def api_delete_search(request: Request, search_id: str) -> Response:
    if not get_ctx(request).searches.delete(search_id):
        raise ApiError(404, "not_found", f"no saved search {search_id}")
    return Response(status_code=204)


# --- notes and corrections ---------------------------------------------------------------------


class CorrectionIn(BaseModel):
    doc_id: str
    page: int = Field(ge=1)
    action: str = Field(description="wrong (a tag on the page is wrong), missing (a tag is missing), note")
    field: str = Field("", description="vendors, data_types, agencies, clauses, exemptions ('' for a note)")
    value: str = Field("", max_length=200, description="tag id or clause label")
    text: str = Field("", max_length=4000, description="the sentence or words it is about")
    note: str = Field("", max_length=2000)


def _add_correction(ctx, body: CorrectionIn) -> Correction:
    result = ctx.result(body.doc_id)
    pages.page_of(result, body.page)
    if body.action not in ("wrong", "missing", "note"):
        raise ApiError(400, "invalid_parameter", "action is wrong, missing or note")
    if body.action != "note":
        if body.field not in TAG_KINDS or not body.value.strip():
            raise ApiError(400, "invalid_parameter", f"a correction names a field ({', '.join(TAG_KINDS)}) and a tag")
        if body.action == "wrong" and body.value not in pages.page_data(result, body.page)["tags"].get(body.field, []):
            raise ApiError(400, "invalid_parameter", f"page {body.page} has no {body.field} tag {body.value}")
    text = body.text
    if body.field == "clauses" and body.action == "wrong" and not text.strip():  # the tagged sentence
        text = next((c.text for c in result.tags.clauses if c.page == body.page and c.label == body.value), "")
    return ctx.corrections.add(Correction(
        doc_id=body.doc_id, page=body.page, action=body.action, field=body.field if body.action != "note" else "",
        value=body.value.strip(), text=text.strip(), note=body.note.strip()))


@router.post("/documents/{doc_id}/pages/{page}/notes")
async def add_note_form(request: Request, doc_id: str, page: int) -> Response:
    ctx = get_ctx(request)
    form = await request.form(max_files=0, max_fields=20)
    body = CorrectionIn(doc_id=doc_id, page=page, action=_form_text(form, "action", 20) or "note",
                        field=_form_text(form, "field", 40), value=_form_text(form, "value", 200),
                        text=_form_text(form, "text", 4000), note=_form_text(form, "note", 2000))
    _add_correction(ctx, body)
    return RedirectResponse(f"/documents/{doc_id}/pages/{page}#notes-title-{page}", status_code=303)


@router.post("/notes/{note_id}/delete")
async def delete_note_form(request: Request, note_id: str) -> Response:
    form = await request.form(max_files=0, max_fields=5)
    get_ctx(request).corrections.delete(note_id)
    return RedirectResponse(_local(_form_text(form, "next", 500), "/corrections"), status_code=303)


@router.get("/corrections")
def corrections_page(request: Request) -> Response:
    ctx = get_ctx(request)
    items = sorted(ctx.corrections.list(), key=lambda c: c.created_at, reverse=True)
    titles = {}
    for c in items:
        if c.doc_id not in titles:
            stored = ctx.data.load(c.doc_id)
            titles[c.doc_id] = stored.title if stored else c.doc_id
    return _render(request, "corrections.html", items=items, titles=titles,
                   training=len(ctx.corrections.training_examples()))


CORRECTION_FIELDS = ("id", "doc_id", "page", "action", "field", "value", "text", "note", "created_at", "url")


@router.get("/corrections.{fmt}")
def export_corrections(request: Request, fmt: str) -> Response:
    if fmt not in ("csv", "jsonl"):
        raise ApiError(404, "not_found", "export formats: .csv and .jsonl")
    ctx = get_ctx(request)
    rows = [{**c.model_dump(mode="json"), "url": f"{ctx.base_url}documents/{c.doc_id}/pages/{c.page}"}
            for c in ctx.corrections.list()]
    headers = {"content-disposition": f'attachment; filename="foialens-corrections.{fmt}"'}
    if fmt == "jsonl":
        return PlainTextResponse("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows),
                                 media_type="application/x-ndjson; charset=utf-8", headers=headers)
    from foialens.web.common import csv_cell

    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(CORRECTION_FIELDS)
    for r in rows:
        writer.writerow([csv_cell(r[f]) for f in CORRECTION_FIELDS])
    return PlainTextResponse(buf.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


@api.get("/corrections", response_model=list[Correction])
def api_corrections(request: Request, doc_id: str | None = None) -> list:
    """Notes and corrections of tags (all, or one document's)."""
    ctx = get_ctx(request)
    return ctx.corrections.for_document(doc_id) if doc_id else ctx.corrections.list()


@api.post("/corrections", response_model=Correction, status_code=201)
def api_add_correction(request: Request, body: CorrectionIn) -> Correction:
    """Mark a tag on a page as wrong, add a missing one, or leave a note. Clause corrections are
    training data for `foialens train --with-corrections`."""
    return _add_correction(get_ctx(request), body)


@api.delete("/corrections/{correction_id}", status_code=204)
def api_delete_correction(request: Request, correction_id: str) -> Response:
    if not get_ctx(request).corrections.delete(correction_id):
        raise ApiError(404, "not_found", f"no correction {correction_id}")
    return Response(status_code=204)
