"""Page images: a PNG of one page of a stored original, rendered with pypdfium2 and cached."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from foialens.files import write_atomic
from foialens.pdfium_lock import PDFIUM

TARGET_WIDTH = 1275  # pixels: 150 dpi for a US Letter page
MAX_PIXELS = 12_000_000  # bound memory for huge pages


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
    import pypdfium2 as pdfium  # on first use: importing the store needs no PDF library

    with PDFIUM:  # only the pdfium work: PNG encoding and the write run outside the lock
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
    write_atomic(target, buf.getvalue())  # two requests for a new page may both render it: same bytes
    return target


def text_in_boxes(original: Path, page: int, boxes: list[tuple[float, float, float, float]]) -> list[str]:
    """The text layer's characters inside each box ([x0, top, x1, bottom] in points from the top
    left, as redaction boxes are stored) of ``page`` of ``original``: what a bad redaction still
    gives away. "" for a box with nothing under it; PageNotFound without the original or page."""
    if not original.is_file():
        raise PageNotFound(f"no stored original {original.name}")
    import pypdfium2 as pdfium

    with PDFIUM:
        pdf = pdfium.PdfDocument(str(original))
        try:
            if not 1 <= page <= len(pdf):
                raise PageNotFound(f"{original.name} has {len(pdf)} pages")
            pg = pdf[page - 1]
            try:
                height = pg.get_height()
                text = pg.get_textpage()
                try:
                    return [" ".join(text.get_text_bounded(left=x0, bottom=height - bottom, right=x1,
                                                           top=height - top).split())
                            for x0, top, x1, bottom in boxes]
                finally:
                    text.close()
            finally:
                pg.close()
        finally:
            pdf.close()
