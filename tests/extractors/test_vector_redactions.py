"""Vector redaction boxes on generated pages: what is a box, when text is still under it (a bad
redaction), boxes inside form XObjects, and the per-page caps on very complex pages."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits

LIMITS = ExtractLimits(ocr_workers=1)
ROOT = Path(__file__).resolve().parents[2]


def _page(path: Path, draw) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    c.drawString(72, 740, "Case notes released under the Freedom of Information Act, page one.")
    draw(c)
    c.showPage()
    c.save()
    return path


def _only_page(path: Path, limits: ExtractLimits = LIMITS):
    doc = extract_document(path, limits, ocr=False)
    (page,) = doc.pages
    return doc, page


def test_stamp_drawn_as_a_dark_frame_is_not_a_redaction(tmp_path):
    """A stamp or form field: a dark rectangle with a lighter one drawn over most of it (what
    shows is a dark border) and dark text on the light part."""

    def draw(c):
        for x, y, inner in ((72, 600, (1, 1, 1)), (330, 600, (0.92, 0.92, 0.92))):
            c.setFillColorRGB(0, 0, 0)
            c.rect(x, y, 200, 40, stroke=0, fill=1)
            c.setFillColorRGB(*inner)
            c.rect(x + 2, y + 2, 196, 36, stroke=0, fill=1)
            c.setFillColorRGB(0, 0, 0)
            c.drawString(x + 10, y + 15, "RECEIVED JAN 02 2020")

    doc, page = _only_page(_page(tmp_path / "stamp.pdf", draw))
    assert not doc.errors
    assert page.redactions == []  # not a redaction, let alone a bad one
    assert page.text.count("RECEIVED JAN 02 2020") == 2


def test_dark_bar_touching_a_line_hides_no_text(tmp_path):
    """A bar over the top part of a text line: the line's characters are not wholly inside it.
    A box over whole words of the same line is a bad redaction."""

    def draw(c):
        c.drawString(72, 700, "Officer statement: the vehicle was stopped at the county line")
        c.setFillColorRGB(0, 0, 0)
        c.rect(60, 702, 420, 14, stroke=0, fill=1)  # covers the upper 2/3 of the glyphs only
        c.drawString(72, 650, "Witness name: Jane Roe, telephone 555-0100")
        c.rect(150, 645, 60, 16, stroke=0, fill=1)  # over "Jane Roe,": hidden, still in the layer

    doc, page = _only_page(_page(tmp_path / "bar.pdf", draw))
    assert not doc.errors
    bar, box = sorted(page.redactions, key=lambda r: r.bbox[1])
    assert bar.bbox == pytest.approx((60, 792 - 716, 480, 792 - 702), abs=0.2)
    assert not bar.text_underneath
    assert box.text_underneath
    assert "Jane Roe" in page.text


def test_box_over_part_of_a_word_only_is_not_text_underneath(tmp_path):
    def draw(c):
        c.drawString(72, 700, "Account 4411")
        c.setFillColorRGB(0, 0, 0)
        c.rect(118, 690, 60, 30, stroke=0, fill=1)  # from the middle of "Account" onwards
        c.drawString(300, 700, "Plate 7ABC123")
        c.rect(280, 696.5, 18, 14, stroke=0, fill=1)  # ends just before the "P": touches nothing

    _doc, page = _only_page(_page(tmp_path / "partial.pdf", draw))
    first, second = sorted(page.redactions, key=lambda r: r.bbox[0])
    assert first.text_underneath  # "4411" (and half of "Account") lie wholly inside
    assert not second.text_underneath


def test_box_and_hidden_text_inside_a_form_xobject(tmp_path):
    def draw(c):
        c.beginForm("redacted-line")
        c.setFont("Helvetica", 11)
        c.drawString(0, 4, "SSN 123-45-6789")
        c.setFillColorRGB(0, 0, 0)
        c.rect(-2, 0, 100, 16, stroke=0, fill=1)
        c.endForm()
        c.saveState()
        c.translate(200, 500)
        c.doForm("redacted-line")
        c.restoreState()

    _doc, page = _only_page(_page(tmp_path / "form.pdf", draw))
    (box,) = page.redactions
    assert box.bbox == pytest.approx((198, 792 - 516, 298, 792 - 500), abs=0.2)
    assert box.text_underneath and "123-45-6789" in page.text


def _many_boxes(path: Path, n: int, one_path: bool = False) -> Path:
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "Exhibit 4: a plot of every detection, one small box each")
    c.setFillColorRGB(0, 0, 0)
    p = c.beginPath() if one_path else None
    for i in range(n):
        x, y = 20 + (i % 200) * 2.85, 20 + (i // 200) * 2.6 % 700
        if p is not None:
            p.rect(x, y, 4.2, 4.2)
        else:
            c.rect(x, y, 4.2, 4.2, stroke=0, fill=1)
    if p is not None:
        c.drawPath(p, stroke=0, fill=1)
    c.showPage()
    c.save()
    return path


@pytest.mark.parametrize("one_path", [False, True], ids=["separate-boxes", "one-path-of-boxes"])
def test_page_with_very_many_boxes_is_too_complex(tmp_path, one_path):
    path = _many_boxes(tmp_path / "many.pdf", 12_000, one_path)
    doc, page = _only_page(path, ExtractLimits(max_page_rects=2_000))
    assert not doc.failed
    assert [(e.code, e.page) for e in doc.errors] == [("page_too_complex", 1)]
    assert "2000" in doc.errors[0].message
    assert page.redactions == [] and "Exhibit 4" in page.text and page.method == "text_layer"
    # under the cap, the same page is read normally
    few = _many_boxes(tmp_path / "few.pdf", 300, one_path)
    doc, page = _only_page(few, ExtractLimits(max_page_rects=2_000))
    assert not doc.errors and len(page.redactions) == 300


_PEAK = r"""
import json, sys
from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
doc = extract_document(sys.argv[1], ExtractLimits(max_seconds=10), ocr=False)
with open("/proc/self/status") as fh:
    hwm = next(int(line.split()[1]) for line in fh if line.startswith("VmHWM:"))
print(json.dumps({"errors": [e.code for e in doc.errors], "boxes": len(doc.pages[0].redactions),
                  "peak_mib": hwm / 1024}))
"""


@pytest.mark.slow
def test_a_page_of_300000_boxes_stays_within_memory(tmp_path):
    """The page that took 71 s and 1.09 GB: the survey stops at the cap, so the only cost left is
    pdfium's parse of the page (~100 MiB for 300,000 objects)."""
    path = _many_boxes(tmp_path / "huge.pdf", 300_000)
    proc = subprocess.run([sys.executable, "-c", _PEAK, str(path)], capture_output=True, text=True, cwd=ROOT, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    out = json.loads(proc.stdout)
    print(f"\n300,000 boxes: peak RSS {out['peak_mib']:.0f} MiB")
    assert out["errors"] == ["page_too_complex"] and out["boxes"] == 0
    assert out["peak_mib"] < 400
