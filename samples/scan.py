"""Turn rendered text pages into realistic scans: rasterise, add noise, skew and rotate.

Everything is seeded, so the same inputs give the same JPEG bytes.
"""

from __future__ import annotations

import io
import math
from dataclasses import dataclass

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SCAN_DPI = 200


@dataclass(frozen=True)
class Scan:
    """How a page was "scanned": ``skew`` in degrees counter-clockwise (small), ``rotate`` in
    degrees counter-clockwise (0, 90, 180 or 270: a page fed into the scanner sideways or upside
    down)."""

    skew: float = 0.0
    rotate: int = 0


def rasterise(pdf_bytes: bytes, dpi: int = SCAN_DPI) -> list[Image.Image]:
    """Render every page of a PDF to a grayscale image."""
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for page in pdf]
    finally:
        pdf.close()


_TRANSPOSE = {90: Image.Transpose.ROTATE_90, 180: Image.Transpose.ROTATE_180, 270: Image.Transpose.ROTATE_270}


def degrade(image: Image.Image, scan: Scan, seed: int) -> Image.Image:
    """Skew, rotate and add scanner noise (gaussian grain plus a few dark specks)."""
    if scan.skew:
        image = image.rotate(scan.skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    if scan.rotate:
        image = image.transpose(_TRANSPOSE[scan.rotate])
    rng = np.random.default_rng(seed)
    pixels = np.asarray(image, dtype=np.int16)
    pixels = pixels + rng.normal(0.0, 3.5, pixels.shape).astype(np.int16)
    specks = rng.random(pixels.shape) < 0.0004
    pixels[specks] = rng.integers(0, 90, int(specks.sum()))
    # a faint grey cast, as from a scanner lid
    pixels = np.clip(pixels - 10, 0, 255).astype(np.uint8)
    return Image.fromarray(pixels, mode="L")


def jpeg_bytes(image: Image.Image, quality: int = 62) -> bytes:
    buf = io.BytesIO()
    image.save(buf, format="JPEG", quality=quality, optimize=False)
    return buf.getvalue()


def scanned_size(width: float, height: float, scan: Scan) -> tuple[float, float]:
    """Page size in points after scanning (swapped for a page scanned sideways)."""
    return (height, width) if scan.rotate in (90, 270) else (width, height)


def _turn(x: float, y: float, degrees: float, centre: tuple[float, float], new_centre: tuple[float, float]) -> tuple[float, float]:
    """Rotate a point counter-clockwise on screen (y grows downwards), like PIL does."""
    t = math.radians(degrees)
    dx, dy = x - centre[0], y - centre[1]
    return new_centre[0] + dx * math.cos(t) + dy * math.sin(t), new_centre[1] - dx * math.sin(t) + dy * math.cos(t)


def scanned_bbox(bbox: list[float], width: float, height: float, scan: Scan) -> list[float]:
    """Where an upright top-left-origin box ends up on the scanned page (enclosing box)."""
    x0, top, x1, bottom = bbox
    centre = (width / 2, height / 2)
    out_w, out_h = scanned_size(width, height, scan)
    points = []
    for x, y in ((x0, top), (x1, top), (x1, bottom), (x0, bottom)):
        x, y = _turn(x, y, scan.skew, centre, centre)
        points.append(_turn(x, y, scan.rotate, centre, (out_w / 2, out_h / 2)))
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return [round(min(xs), 1), round(min(ys), 1), round(max(xs), 1), round(max(ys), 1)]
