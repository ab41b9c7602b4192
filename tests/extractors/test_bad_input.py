"""Bad input and limits: every failure is a recorded ExtractionError, never an exception."""

from __future__ import annotations

import io
import time

import pypdfium2 as pdfium
import pytest
from reportlab.pdfgen import canvas

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from tests.support.pdfs import CONTRACT_LINES, image_pdf, page_image, text_pdf


def _fatal(doc) -> list[str]:
    return [e.code for e in doc.errors if e.page is None]


def test_missing_file(tmp_path):
    doc = extract_document(tmp_path / "nope.pdf")
    assert doc.failed and _fatal(doc) == ["not_found"] and doc.doc_id == ""


def test_directory_is_not_a_file(tmp_path):
    assert _fatal(extract_document(tmp_path)) == ["not_found"]


def test_zero_byte_file(tmp_path):
    path = tmp_path / "empty.pdf"
    path.write_bytes(b"")
    assert _fatal(extract_document(path)) == ["empty_file"]


def test_not_a_pdf_with_pdf_name(tmp_path):
    path = tmp_path / "letter.pdf"
    path.write_text("Dear requester, please find attached...\n" * 50)
    doc = extract_document(path)
    assert _fatal(doc) == ["not_pdf"]
    assert doc.doc_id  # the bytes were read and hashed: the failure is about the content


def test_pdf_header_with_garbage_is_corrupt(tmp_path):
    path = tmp_path / "junk.pdf"
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 40)
    assert _fatal(extract_document(path)) == ["corrupt"]


def test_encrypted(tmp_path):
    path = tmp_path / "enc.pdf"
    c = canvas.Canvas(str(path), encrypt="secret")
    c.drawString(72, 700, "sealed")
    c.save()
    doc = extract_document(path)
    assert _fatal(doc) == ["encrypted"] and "password" in doc.errors[0].message


def test_zero_pages(tmp_path):
    buf = io.BytesIO()
    pdfium.PdfDocument.new().save(buf)
    path = tmp_path / "zero.pdf"
    path.write_bytes(buf.getvalue())
    assert _fatal(extract_document(path)) == ["zero_pages"]


def test_truncated_pdf_never_raises(tmp_path):
    full = text_pdf(tmp_path / "full.pdf", [CONTRACT_LINES] * 3).read_bytes()
    for keep in (0.95, 0.6, 0.3, 0.05):
        path = tmp_path / f"cut{keep}.pdf"
        path.write_bytes(full[: int(len(full) * keep)])
        doc = extract_document(path, ExtractLimits(max_seconds=20))
        assert doc.pages or doc.errors  # pdfium may repair a truncated file, or refuse it


def test_too_many_pages(tmp_path):
    path = text_pdf(tmp_path / "three.pdf", [["a page of text"]] * 3)
    doc = extract_document(path, ExtractLimits(max_pages=2))
    assert _fatal(doc) == ["too_many_pages"] and doc.page_count == 3 and doc.pages == []
    assert "3 pages" in doc.errors[0].message


def test_page_too_large_to_render(tmp_path):
    big = (14400.0, 14400.0)  # 200 x 200 inches, the PDF maximum
    path = image_pdf(tmp_path / "big.pdf", [page_image(["tiny"], dpi=10, size=big)], size=big)
    limits = ExtractLimits(max_page_pixels=4_000_000, min_ocr_dpi=100)
    doc = extract_document(path, limits)
    (page,) = doc.pages
    assert page.needs_ocr and page.method == "none"
    assert [(e.code, e.page) for e in doc.errors] == [("page_too_large", 1)]


def test_large_page_is_rendered_at_a_lower_dpi_within_the_pixel_cap(tmp_path):
    size = (1224.0, 1584.0)  # 17 x 22 in: 300 dpi would be 33.7 MP, over a 10 MP cap
    path = image_pdf(tmp_path / "tabloid.pdf", [page_image(CONTRACT_LINES, dpi=150, size=size, font_pt=22)], size=size)
    doc = extract_document(path, ExtractLimits(max_page_pixels=10_000_000, ocr_workers=1))
    assert not doc.errors and doc.pages[0].method == "ocr"
    assert "vigilant" in doc.pages[0].text.lower()


@pytest.mark.slow
def test_time_limit_with_nothing_usable_fails_the_document(tmp_path):
    path = image_pdf(tmp_path / "slow.pdf", [page_image(CONTRACT_LINES * 4)] * 8)
    started = time.monotonic()
    doc = extract_document(path, ExtractLimits(max_seconds=1.0, ocr_workers=2))
    elapsed = time.monotonic() - started
    assert elapsed < 1.0 + 3.0, elapsed  # 8 pages of OCR take ~10 s; the limit cuts it short
    usable = [p for p in doc.pages if p.method != "none" or p.text.strip()]
    timeouts = [e for e in doc.errors if e.code == "timeout"]
    assert timeouts and len(doc.pages_ocr) < 8
    if usable:  # a page finished within the second (a fast machine): partial, not failed
        assert not doc.failed
    else:  # scans without a text layer: nothing usable, so the document failed
        assert doc.failed and _fatal(doc) == ["timeout"] and "page 1 " in timeouts[0].message


def _text_then_scans(tmp_path, texts: int, scans: int):
    """``texts`` text-layer pages, then ``scans`` full-page scans carrying a Bates stamp as text."""
    stamps = {texts + i: [f"ICE 2019-ICLI-00001 {100 + i}"] for i in range(scans)}
    return image_pdf(
        tmp_path / "partial.pdf",
        [None] * texts + [page_image(CONTRACT_LINES * 4)] * scans,
        texts={**{i: CONTRACT_LINES for i in range(texts)}, **stamps},
    )


@pytest.mark.slow
def test_time_limit_keeps_the_pages_done(tmp_path):
    path = _text_then_scans(tmp_path, texts=3, scans=6)
    started = time.monotonic()
    doc = extract_document(path, ExtractLimits(max_seconds=1.5, ocr_workers=1))
    assert time.monotonic() - started < 1.5 + 3.0
    assert not doc.failed and _fatal(doc) == []  # partial: the pages done are kept
    assert [p.method for p in doc.pages[:3]] == ["text_layer"] * 3
    assert all("Vigilant Solutions" in p.text for p in doc.pages[:3])
    unfinished = [p.page for p in doc.pages if p.needs_ocr] + list(range(len(doc.pages) + 1, 10))
    assert unfinished and min(unfinished) >= 4  # 6 scans of OCR take far more than 1.5 s
    timeouts = [e for e in doc.errors if e.code == "timeout"]
    assert timeouts[0].page == min(unfinished)
    assert f"page {min(unfinished)} " in timeouts[0].message
    for page in doc.pages[3:]:
        if page.needs_ocr:  # OCR cut short: the page keeps its text layer (the Bates stamp)
            assert page.method == "none"
            assert page.text.strip() == f"ICE 2019-ICLI-00001 {100 + page.page - 4}"
            assert [b.text for b in page.bates] == [page.text.strip()]
            assert any(e.page == page.page for e in doc.errors)


def test_ocr_failure_keeps_the_text_layer(tmp_path):
    """A page whose OCR fails keeps its original text layer instead of becoming empty, even one
    that looked like junk (tesseract is made to fail by asking for a language not installed)."""
    shifted = ["".join(chr(ord(ch) + 3) if ch.isalpha() else ch for ch in line) for line in CONTRACT_LINES]
    path = image_pdf(tmp_path / "junk.pdf", [None, page_image(CONTRACT_LINES)],
                     texts={0: CONTRACT_LINES}, hidden_text={1: shifted * 2})
    doc = extract_document(path, ExtractLimits(ocr_language="xx-not-installed", ocr_workers=1))
    assert not doc.failed
    first, scan = doc.pages
    assert first.method == "text_layer"
    assert scan.method == "none" and scan.needs_ocr
    assert scan.text.split() == " ".join(shifted * 2).split()
    assert [(e.code, e.page) for e in doc.errors] == [("ocr_failed", 2)]
