"""Views of one stored document and one page, built from the stored DocumentResult."""

from __future__ import annotations

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


def text_segments(text: str, data: dict) -> list[dict]:
    """Split page text into plain and highlighted pieces (entity mentions, clause sentences,
    exemption stamps). Templates escape every piece; nothing here is markup."""
    spans: list[tuple[int, int, str, str]] = []
    for m in data["mentions"]:
        spans.append((m["start"], m["end"], "entity", f"{m['field'][:-1]}: {m['name']} ({m['id']})"))
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
    # clauses first so that entity marks inside them are kept as separate pieces
    spans = [s for s in spans if 0 <= s[0] < s[1] <= len(text)]
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[dict] = []
    pos = 0
    for start, end, kind, title in spans:
        if start < pos:  # overlapping: keep the first
            continue
        if start > pos:
            out.append({"text": text[pos:start], "kind": ""})
        out.append({"text": text[start:end], "kind": kind, "title": title})
        pos = end
    if pos < len(text):
        out.append({"text": text[pos:], "kind": ""})
    return out


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
