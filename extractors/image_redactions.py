"""Redaction boxes burnt into page images: dark, solid, rectangular regions.

Works on the rendered grayscale page (numpy + scipy.ndimage, no OpenCV): the image is reduced to
about 75 dpi, dark pixels are kept, a morphological opening removes strokes thinner than ~4 pt
(text, rules, table lines), and each remaining connected region is a box when it is at least
``MIN_HEIGHT_PT`` x ``MIN_WIDTH_PT`` and its bounding rectangle is >= 90% dark. Regions touching
the image edge are dark scanner margins, not redactions.
"""

from __future__ import annotations

import numpy as np
from PIL import Image
from scipy import ndimage

from extractors.records import BBox

WORK_DPI = 75.0
DARK_LEVEL = 80  # 0..255; a pixel darker than this is "ink"
MIN_HEIGHT_PT = 6.0
MIN_WIDTH_PT = 12.0
MIN_FILL = 0.9
OPENING_PT = 4.0


def find_dark_boxes(image: Image.Image, dpi: float) -> list[BBox]:
    """Boxes in PDF points, top-left origin ``[x0, top, x1, bottom]``, of a page rendered at
    ``dpi`` (the image covers the whole page)."""
    gray = image if image.mode == "L" else image.convert("L")
    factor = max(1, int(dpi // WORK_DPI))
    if factor > 1:
        gray = gray.reduce(factor)
    px_per_pt = dpi / factor / 72.0
    dark = np.asarray(gray) < DARK_LEVEL
    if not dark.any():
        return []
    side = max(2, round(OPENING_PT * px_per_pt))
    solid = ndimage.binary_opening(dark, structure=np.ones((side, side), dtype=bool))
    labels, _count = ndimage.label(solid)
    rows, cols = dark.shape
    boxes: list[BBox] = []
    for region in ndimage.find_objects(labels):
        if region is None:
            continue
        ys, xs = region
        if ys.start == 0 or xs.start == 0 or ys.stop == rows or xs.stop == cols:
            continue
        h_pt = (ys.stop - ys.start) / px_per_pt
        w_pt = (xs.stop - xs.start) / px_per_pt
        if h_pt < MIN_HEIGHT_PT or w_pt < MIN_WIDTH_PT:
            continue
        if dark[region].mean() < MIN_FILL:
            continue
        boxes.append(
            (
                round(xs.start / px_per_pt, 1),
                round(ys.start / px_per_pt, 1),
                round(xs.stop / px_per_pt, 1),
                round(ys.stop / px_per_pt, 1),
            )
        )
    return boxes
