"""Views of one stored document and one page, built from the stored DocumentResult."""

from __future__ import annotations

from itertools import pairwise

from foialens.store.datadir import UnsafePath
from foialens.store.pages import PageNotFound, text_in_boxes
from foialens.store.results import DocumentResult
from foialens.web.common import ApiError
from foialens.web.labels import exemption_label, label

ENTITY_FIELDS = ("vendors", "data_types", "agencies", "programs")


def page_of(result: DocumentResult, page: int):
    for p in result.extracted.pages:
        if p.page == page:
            return p
    raise ApiError(404, "not_found", f"document {result.doc_id} has no page {page}")


def page_data(result: DocumentResult, page: int) -> dict:
    """JSON of one page (API and page view)."""
    p = page_of(result, page)
    tags = result.tags
    mentions = []
    for field in ENTITY_FIELDS:
        for t in getattr(tags, field):
            for m in t.mentions:
                if m.page == page:
                    mentions.append({"field": field, "id": t.id, "name": t.name, "text": m.text,
                                     "start": m.start, "end": m.end})
    base = f"/documents/{result.doc_id}"
    return {
        "doc_id": result.doc_id,
        "title": result.title,
        "path": result.extracted.path,
        "batch": result.batch,
        "page": page,
        "pages": result.extracted.page_count,
        "text": p.text,
        "method": p.method,
        "ocr_confidence": p.ocr_confidence,
        "width": p.width,
        "height": p.height,
        "rotation": p.rotation,
        "tags": {**tags.page_ids(page), "exemptions": sorted({e.code for e in p.exemptions})},
        "mentions": sorted(mentions, key=lambda m: (m["start"], m["end"])),
        "clauses": [c.model_dump() for c in tags.clauses if c.page == page],
        "exemptions": [e.model_dump(exclude_none=True) for e in p.exemptions],
        "bates": [b.text for b in p.bates],
        "redactions": [r.model_dump() for r in p.redactions],
        "redacted_share": p.redacted_share,
        "image_url": f"{base}/pages/{page}.png",
        "pdf_url": f"{base}/original.pdf",
    }


def text_segments(text: str, data: dict, query_spans: list[tuple[int, int]] = (), leaked: list[dict] = ()) -> list[dict]:
    """Split page text into pieces, each with the highlights covering it: entity mentions, clause
    sentences, exemption stamps and the search words (``query_spans``). Highlights nest: an entity
    inside a clause sentence is a piece with both kinds. Templates escape every piece; nothing
    here is markup."""
    spans: list[tuple[int, int, str, str]] = []
    for m in data["mentions"]:
        spans.append((m["start"], m["end"], "entity", f"{m['field'][:-1].replace('_', ' ')}: {m['name']} ({m['id']})"))
    for e in data["exemptions"]:
        if e.get("start") is not None and e.get("end") is not None:
            spans.append((e["start"], e["end"], "exemption", f"exemption {exemption_label(e['code'])}"))
    for c in data["clauses"]:
        start, end = c.get("start"), c.get("end")
        if start is None or end is None or text[start:end] != c["text"]:
            found = text.find(c["text"]) if c["text"] else -1
            start, end = (found, found + len(c["text"])) if found >= 0 else (None, None)
        if start is not None:
            spans.append((start, end, "clause", f"clause: {label('clauses', c['label'])} ({c['score']:.2f})"))
    for start, end in query_spans:
        spans.append((start, end, "q", "search word"))
    for item in leaked:  # text still under a redaction box, where it stands in the text layer
        found = text.find(item["text"]) if item.get("text") else -1
        if found >= 0:
            spans.append((found, found + len(item["text"]), "leaked", "under a redaction box (bad redaction)"))
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    cuts = sorted({0, len(text), *(s[0] for s in spans), *(s[1] for s in spans)})
    out: list[dict] = []
    for a, b in pairwise(cuts):
        covering = [s for s in spans if s[0] <= a and b <= s[1]]
        kinds = sorted({s[2] for s in covering}, key=KIND_ORDER.index)
        titles = list(dict.fromkeys(s[3] for s in sorted(covering, key=lambda s: KIND_ORDER.index(s[2]))))
        piece = {"text": text[a:b], "kind": " ".join(f"hl-{k}" for k in kinds), "title": "; ".join(titles)}
        if out and out[-1]["kind"] == piece["kind"] and out[-1]["title"] == piece["title"]:
            out[-1]["text"] += piece["text"]
        else:
            out.append(piece)
    return out


KIND_ORDER = ["clause", "entity", "exemption", "q", "leaked"]


def leaked_text(ctx, data: dict) -> list[dict]:
    """Bad redactions of a page (text still under the box): each box with the text under it,
    read from the stored original ([] without one)."""
    bad = [(i, r) for i, r in enumerate(data["redactions"]) if r.get("text_underneath")]
    if not bad:
        return []
    try:
        texts = text_in_boxes(ctx.data.original(data["doc_id"]), data["page"], [tuple(r["bbox"]) for _, r in bad])
    except (PageNotFound, UnsafePath, OSError):
        texts = [""] * len(bad)
    return [{"index": i, "bbox": list(r["bbox"]), "text": t} for (i, r), t in zip(bad, texts)]


def document_view(result: DocumentResult) -> dict:
    """Contract plus per-page overview for the document template."""
    contract = result.contract()
    entities = []
    for field in ENTITY_FIELDS:
        for t in contract[field]:
            pages = sorted({m["page"] for m in t["mentions"]})
            entities.append({"field": field, "id": t["id"], "name": t["name"] or label(field, t["id"]),
                             "pages": pages, "mentions": len(t["mentions"])})
    pages = []
    for p in result.extracted.pages:
        ids = result.tags.page_ids(p.page)
        pages.append({
            "page": p.page, "method": p.method, "ocr_confidence": p.ocr_confidence,
            "redactions": len(p.redactions), "exemptions": sorted({e.code for e in p.exemptions}),
            "tags": sum(len(v) for v in ids.values()), "chars": len(p.text),
        })
    return {"contract": contract, "entities": entities, "pages": pages}


def citation(result: DocumentResult, page: int, base_url: str) -> dict:
    """How to cite one page: title, Bates number(s) printed on it, page of pages, batch, link."""
    p = page_of(result, page)
    bates = [b.text for b in p.bates]
    url = f"{base_url}documents/{result.doc_id}/pages/{page}"
    where = ", ".join(bates + [f"p. {page} of {result.extracted.page_count}"])
    batch = f" (batch {result.batch})" if result.batch else ""
    return {"bates": bates, "url": url, "text": f"{result.title}, {where}{batch}. {url}"}
