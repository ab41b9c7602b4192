"""Render a sample document to PDF bytes together with its ground truth.

Pages listed in ``Doc.scans`` are drawn as text first, rasterised, degraded like a scan and
placed back as image-only pages; the ground truth still comes from the text that was drawn.
"""

from __future__ import annotations

import io
import zlib
from dataclasses import dataclass, field

from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from foialens.samples.layout import PAGE_HEIGHT, PAGE_WIDTH, Block, Footer, PageTruth, draw_page
from foialens.samples.scan import Scan, degrade, jpeg_bytes, rasterise, scanned_bbox, scanned_size


@dataclass(frozen=True)
class Doc:
    file: str
    kind: str  # contract | mou | policy | foia_letter | foia_production | memo ...
    title: str
    pages: tuple[tuple[Block, ...], ...]
    footer: Footer = Footer()
    scans: dict[int, Scan] = field(default_factory=dict)  # page number (from 1) -> how it was scanned


def _canvas(buf: io.BytesIO, title: str) -> Canvas:
    canvas = Canvas(buf, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), invariant=1, pageCompression=1)
    canvas.setTitle(title)
    canvas.setCreator("foialens samples")
    canvas.setAuthor("foialens samples")
    return canvas


def _text_pdf(doc: Doc, only: set[int] | None = None) -> tuple[bytes, list[PageTruth]]:
    buf = io.BytesIO()
    canvas = _canvas(buf, doc.title)
    truths = []
    for n, blocks in enumerate(doc.pages, start=1):
        if only is None or n in only:
            truths.append(draw_page(canvas, blocks, n, len(doc.pages), doc.footer))
            canvas.showPage()
    canvas.save()
    return buf.getvalue(), truths


def render_document(doc: Doc, seed: int = 0) -> tuple[bytes, dict[str, object]]:
    """PDF bytes and the ground-truth record of one document."""
    text_pdf, truths = _text_pdf(doc)
    scans = {n: doc.scans[n] for n in sorted(doc.scans)}
    if scans:
        scanned_pdf, _ = _text_pdf(doc, only=set(scans))
        images = dict(zip(scans, rasterise(scanned_pdf), strict=True))
        buf = io.BytesIO()
        canvas = _canvas(buf, doc.title)
        for n, blocks in enumerate(doc.pages, start=1):
            if n in scans:
                noise_seed = zlib.crc32(f"{doc.file}:{n}".encode()) ^ seed
                jpeg = jpeg_bytes(degrade(images[n], scans[n], noise_seed))
                width, height = scanned_size(PAGE_WIDTH, PAGE_HEIGHT, scans[n])
                canvas.setPageSize((width, height))
                canvas.drawImage(ImageReader(io.BytesIO(jpeg)), 0, 0, width, height)
            else:
                canvas.setPageSize((PAGE_WIDTH, PAGE_HEIGHT))
                draw_page(canvas, blocks, n, len(doc.pages), doc.footer)
            canvas.showPage()
        canvas.save()
        pdf = buf.getvalue()
    else:
        pdf = text_pdf
    return pdf, _truth(doc, truths, scans)


def _truth(doc: Doc, truths: list[PageTruth], scans: dict[int, Scan]) -> dict[str, object]:
    pages = []
    for truth in truths:
        page = truth.to_json()
        scan = scans.get(truth.page)
        width, height = scanned_size(PAGE_WIDTH, PAGE_HEIGHT, scan) if scan else (PAGE_WIDTH, PAGE_HEIGHT)
        page.update(
            scanned=scan is not None,
            width=width,
            height=height,
            skew_deg=scan.skew if scan else 0.0,
            # clockwise degrees that make the stored page upright again
            upright_rotation_cw=scan.rotate if scan else 0,
        )
        for box in page["redactions"]:  # type: ignore[union-attr]
            box["source"] = "image" if scan else "vector"
            box["bbox_upright"] = box["bbox"]
            if scan:
                box["bbox"] = scanned_bbox(box["bbox"], PAGE_WIDTH, PAGE_HEIGHT, scan)
        pages.append(page)

    def union(key: str) -> list[str]:
        return sorted({i for p in pages for i in p[key]})  # type: ignore[union-attr]

    return {
        "file": doc.file,
        "kind": doc.kind,
        "title": doc.title,
        "pages": len(doc.pages),
        "scanned_pages": sorted(scans),
        "image_only": len(scans) == len(doc.pages),
        "vendors": union("vendors"),
        "data_types": union("data_types"),
        "agencies": union("agencies"),
        "page_truth": pages,
    }
