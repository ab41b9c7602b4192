"""extract_document on small real PDFs built in tmp_path: text layers, scans, mixed documents,
orientation, garbage text layers, OCR off or missing, redaction boxes, titles and ids."""

from __future__ import annotations

import hashlib

import pytest
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from foialens.extractors import ocr as ocr_module
from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from tests.support.pdfs import CONTRACT_LINES, image_pdf, page_image, text_pdf

LIMITS = ExtractLimits(ocr_workers=2)


def _words(text: str) -> set[str]:
    return {w.strip(".,()").lower() for w in text.split()}


def test_text_layer_pages_ids_and_title(tmp_path):
    path = text_pdf(tmp_path / "a.pdf", [CONTRACT_LINES[:3], CONTRACT_LINES[3:]], title="Data Sharing MOU")
    doc = extract_document(path, LIMITS)
    assert not doc.errors
    assert doc.doc_id == hashlib.sha256(path.read_bytes()).hexdigest()
    assert doc.page_count == 2 and [p.page for p in doc.pages] == [1, 2]
    assert doc.title == "Data Sharing MOU"
    assert all(p.method == "text_layer" and not p.needs_ocr for p in doc.pages)
    assert "Vigilant Solutions" in doc.pages[0].text
    assert "Immigration and Customs Enforcement" in doc.pages[1].text
    assert (doc.pages[0].width, doc.pages[0].height) == letter
    assert doc.pages_ocr == []


@pytest.mark.parametrize("title, kept", [
    ("MOU between ICE/HSI and the County Sheriff", True),  # a "/" in a real title (issue 14)
    ("Contract 70CMSD19C00000001 Amendment 1/2", True),
    ("C:\\Users\\clerk\\Documents\\scan0001", False),
    ("/home/clerk/exports/mou_final_v2", False),
    ("S:/FOIA/2019/production-01", False),
    ("mou_final_v2.docx", False),
])
def test_pdf_titles_with_a_slash_are_kept_file_names_are_not(tmp_path, title, kept):
    path = text_pdf(tmp_path / "a.pdf", [["", "MEMORANDUM OF UNDERSTANDING", "body"]], title=title)
    assert extract_document(path, LIMITS).title == (title if kept else "MEMORANDUM OF UNDERSTANDING")


def test_title_falls_back_to_first_line(tmp_path):
    path = text_pdf(tmp_path / "a.pdf", [["", "MEMORANDUM OF UNDERSTANDING", "body"]])
    assert extract_document(path, LIMITS).title == "MEMORANDUM OF UNDERSTANDING"


def test_mixed_document_ocrs_only_the_scanned_page(tmp_path):
    path = image_pdf(
        tmp_path / "mixed.pdf",
        [None, page_image(CONTRACT_LINES)],
        texts={0: CONTRACT_LINES[:2]},
    )
    doc = extract_document(path, LIMITS)
    assert not doc.errors
    assert doc.pages_ocr == [2]
    first, scanned = doc.pages
    assert first.method == "text_layer" and first.ocr_confidence is None
    assert scanned.method == "ocr" and not scanned.needs_ocr
    assert scanned.ocr_confidence is not None and scanned.ocr_confidence > 80
    assert {"sheriff", "vigilant", "enforcement", "fingerprints"} <= _words(scanned.text)
    # exemption stamps are found in OCR text too
    assert [e.code for e in scanned.exemptions] == ["b6", "b7c"]


@pytest.mark.slow
def test_rotated_scan_is_turned_upright_and_rotation_recorded(tmp_path):
    upright = page_image(CONTRACT_LINES)
    path = image_pdf(tmp_path / "rot.pdf", [upright.rotate(90, expand=True)], size=(letter[1], letter[0]))
    (page,) = extract_document(path, LIMITS).pages
    assert page.method == "ocr"
    assert page.rotation in (90, 270)
    assert {"agreement", "contractor", "retained", "audited"} <= _words(page.text)


def test_garbage_text_layer_is_replaced_by_ocr(tmp_path):
    # A scan whose hidden OCR layer is junk (a broken font encoding: every letter shifted by 3).
    shifted = ["".join(chr(ord(ch) + 3) if ch.isalpha() else ch for ch in line) for line in CONTRACT_LINES]
    path = image_pdf(tmp_path / "junk.pdf", [page_image(CONTRACT_LINES)], hidden_text={0: shifted * 2})
    (page,) = extract_document(path, LIMITS).pages
    assert page.method == "ocr"
    assert "Wkh" not in page.text
    assert {"sheriff", "vigilant", "license"} <= _words(page.text)


def test_scan_with_bates_stamp_only_in_text_layer(tmp_path):
    path = image_pdf(
        tmp_path / "stamped.pdf", [page_image(CONTRACT_LINES)], texts={0: ["ICE 2019-ICLI-00001 123"]}
    )
    (page,) = extract_document(path, LIMITS).pages
    assert page.method == "ocr"
    assert [b.text for b in page.bates] == ["ICE 2019-ICLI-00001 123"]
    assert "vigilant" in _words(page.text)


def test_ocr_off_flags_pages_and_records_errors(tmp_path):
    path = image_pdf(tmp_path / "scan.pdf", [page_image(CONTRACT_LINES)] * 2)
    doc = extract_document(path, LIMITS, ocr=False)
    assert not doc.failed
    assert all(p.needs_ocr and p.method == "none" and p.text == "" for p in doc.pages)
    assert [(e.code, e.page) for e in doc.errors] == [("ocr_unavailable", 1), ("ocr_unavailable", 2)]
    assert "turned off" in doc.errors[0].message


def test_missing_tesseract_is_an_error_not_empty_text(tmp_path, monkeypatch):
    monkeypatch.setattr(ocr_module.pytesseract.pytesseract, "tesseract_cmd", str(tmp_path / "no-tesseract"))
    ocr_module.tesseract_version.cache_clear()
    try:
        path = image_pdf(tmp_path / "scan.pdf", [page_image(CONTRACT_LINES)])
        doc = extract_document(path, LIMITS)
    finally:
        monkeypatch.undo()
        ocr_module.tesseract_version.cache_clear()
    (page,) = doc.pages
    assert page.needs_ocr and page.method == "none"
    assert [e.code for e in doc.errors] == ["ocr_unavailable"]
    assert "not installed" in doc.errors[0].message


def test_blank_page_is_not_sent_to_ocr(tmp_path):
    path = text_pdf(tmp_path / "blank.pdf", [CONTRACT_LINES, []])
    doc = extract_document(path, LIMITS)
    assert doc.pages[1].text.strip() == "" and not doc.pages[1].needs_ocr and not doc.errors


def _vector_redacted_pdf(path):
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setFont("Helvetica", 11)
    c.drawString(72, 700, "Subject name: John Q. Public, date of birth 01/02/1980")
    c.setFillColorRGB(0, 0, 0)
    c.rect(140, 695, 150, 16, stroke=0, fill=1)  # over the name: text still underneath
    c.rect(72, 600, 200, 20, stroke=0, fill=1)  # over nothing: a clean redaction
    c.setFillColorRGB(1, 0, 0)
    c.rect(72, 500, 200, 20, stroke=0, fill=1)  # red highlight: not a redaction
    c.setFillColorRGB(0, 0, 0)
    c.rect(72, 450, 300, 0.8, stroke=0, fill=1)  # a rule: too thin
    c.drawString(300, 605, "(b)(6)")
    c.showPage()
    c.save()
    return path


def test_vector_redactions_and_text_underneath(tmp_path):
    doc = extract_document(_vector_redacted_pdf(tmp_path / "red.pdf"), LIMITS)
    (page,) = doc.pages
    assert page.method == "text_layer"
    boxes = sorted(page.redactions, key=lambda r: r.bbox[1])
    assert len(boxes) == 2
    over_name, clean = boxes
    assert over_name.text_underneath and not clean.text_underneath
    assert over_name.bbox == pytest.approx((140, 792 - 711, 290, 792 - 695), abs=0.6)
    assert all(r.source == "vector" for r in boxes)
    expected_share = (150 * 16 + 200 * 20) / (612 * 792)
    assert page.redacted_share == pytest.approx(expected_share, rel=0.05)
    assert doc.redacted_share == pytest.approx(expected_share, rel=0.05)
    assert [e.code for e in page.exemptions] == ["b6"]


def _pdfplumber_boxes(page) -> list[tuple[float, float, float, float]]:
    """Dark filled rectangles as pdfplumber (pdfminer) reads them: an independent parser."""
    from foialens.extractors.vector_redactions import MIN_SIDE

    def level(color):
        if isinstance(color, (int, float)):
            color = (color,)
        if not isinstance(color, (tuple, list)) or not color:
            return None
        if len(color) == 4:
            c, m, y, k = color
            color = ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
        return max(color)

    boxes = []
    for rect in page.rects:
        lv = level(rect.get("non_stroking_color"))
        if not rect.get("fill") or lv is None or lv > 0.3:
            continue
        x0, top = max(rect["x0"], 0.0), max(rect["top"], 0.0)
        x1, bottom = min(rect["x1"], float(page.width)), min(rect["bottom"], float(page.height))
        if x1 - x0 >= MIN_SIDE and bottom - top >= MIN_SIDE:
            boxes.append((x0, top, x1, bottom))
    return sorted(boxes)


@pytest.mark.slow
def test_vector_boxes_are_the_rectangles_pdfplumber_sees(tmp_path, sample_batch):
    """The pypdfium2 redaction pass finds the same dark rectangles, at the same places, as
    pdfplumber's independent parse of the content streams (sample batch and fixtures)."""
    import pdfplumber

    files = [_vector_redacted_pdf(tmp_path / "red.pdf"), *sorted(sample_batch.glob("*.pdf"))]
    checked = boxes = 0
    for path in files:
        doc = extract_document(path, LIMITS, ocr=False)
        with pdfplumber.open(path) as pdf:
            for page, ours in zip(pdf.pages, doc.pages):
                want = _pdfplumber_boxes(page)
                got = sorted(r.bbox for r in ours.redactions if r.source == "vector")
                assert len(got) == len(want), (path.name, page.page_number, got, want)
                for g, w in zip(got, want):
                    assert g == pytest.approx(w, abs=0.6), (path.name, page.page_number)
                checked, boxes = checked + 1, boxes + len(got)
    assert checked >= 40 and boxes >= 10


def test_image_redactions_on_a_scan(tmp_path):
    boxes = [(200.0, 150.0, 380.0, 170.0), (72.0, 400.0, 540.0, 460.0)]
    path = image_pdf(tmp_path / "scan.pdf", [page_image(CONTRACT_LINES, boxes=boxes)])
    (page,) = extract_document(path, LIMITS).pages
    found = sorted((r.bbox for r in page.redactions), key=lambda b: b[1])
    assert len(found) == 2
    for got, want in zip(found, boxes):
        assert got == pytest.approx(want, abs=3.0)
    assert all(r.source == "image" for r in page.redactions)
    assert page.redacted_share == pytest.approx((180 * 20 + 468 * 60) / (612 * 792), rel=0.1)
