"""Page images for the page view: PNG rendered with pypdfium2 from the stored original,
cached on disk under ``<data_dir>/cache/pages/<doc_id>/``."""

from __future__ import annotations

import os
import tempfile
import threading
from pathlib import Path

import pypdfium2 as pdfium

from foialens.web.security import inside, valid_doc_id

TARGET_WIDTH = 1275  # pixels: 150 dpi for a US Letter page
MAX_PIXELS = 12_000_000  # bound memory for huge pages
_LOCK = threading.Lock()  # pdfium is not thread-safe


class PageNotFound(LookupError):
    pass


def cache_path(data_dir: Path, doc_id: str, page: int) -> Path:
    if not valid_doc_id(doc_id) or page < 1:
        raise PageNotFound(doc_id)
    return inside(data_dir, data_dir / "cache" / "pages" / doc_id / f"{page:05d}-{TARGET_WIDTH}.png")


def page_png(data_dir: Path, original: Path, doc_id: str, page: int) -> Path:
    """Path of the cached PNG of ``page`` (1-based), rendering it on first use."""
    target = cache_path(data_dir, doc_id, page)
    if target.is_file():
        return target
    if not original.is_file():
        raise PageNotFound(f"no stored original for {doc_id}")
    with _LOCK:
        if target.is_file():
            return target
        pdf = pdfium.PdfDocument(str(original))
        try:
            if page > len(pdf):
                raise PageNotFound(f"{doc_id} has {len(pdf)} pages")
            pg = pdf[page - 1]
            try:
                width, height = pg.get_size()
                scale = TARGET_WIDTH / max(width, 1.0)
                if width * height * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / max(width * height, 1.0)) ** 0.5
                image = pg.render(scale=scale).to_pil()
            finally:
                pg.close()
        finally:
            pdf.close()
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, suffix=".png.tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                image.save(fh, format="PNG", optimize=False)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    return target
