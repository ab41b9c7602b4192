"""Page images: a PNG of one page of a stored original, rendered with pypdfium2 and cached."""

from __future__ import annotations

import threading
from io import BytesIO
from pathlib import Path

from foialens.files import write_atomic

TARGET_WIDTH = 1275  # pixels: 150 dpi for a US Letter page
MAX_PIXELS = 12_000_000  # bound memory for huge pages
_LOCK = threading.Lock()  # pdfium is not thread-safe


class PageNotFound(LookupError):
    pass


def render_page_png(original: Path, cache: Path, page: int) -> Path:
    """Path of the cached PNG of ``page`` (1-based) of ``original``, rendered into the folder
    ``cache`` on first use."""
    if page < 1:
        raise PageNotFound(f"no page {page}")
    target = cache / f"{page:05d}-{TARGET_WIDTH}.png"
    if target.is_file():
        return target
    if not original.is_file():
        raise PageNotFound(f"no stored original {original.name}")
    with _LOCK:
        if target.is_file():
            return target
        import pypdfium2 as pdfium  # on first use: importing the store needs no PDF library

        pdf = pdfium.PdfDocument(str(original))
        try:
            if page > len(pdf):
                raise PageNotFound(f"{original.name} has {len(pdf)} pages")
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
        buf = BytesIO()
        image.save(buf, format="PNG", optimize=False)
        write_atomic(target, buf.getvalue())
    return target
