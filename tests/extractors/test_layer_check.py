"""Text layers that look like junk are judged by OCR of one sample page per document and kind of
flag (extractors.layer_check): a log of numbers, dates and ids keeps its text layer, a broken font
encoding is OCR'd."""

from __future__ import annotations

import pytest
from reportlab.lib.pagesizes import letter

from foialens.extractors.document import extract_document
from foialens.extractors.layer_check import AGREE, agreement, sample_band, tokens
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.text_quality import garbage_kind
from tests.support.pdfs import CONTRACT_LINES, audit_log_lines, audit_log_pdf, image_pdf, page_image

LIMITS = ExtractLimits(ocr_workers=2)


def _shift(line: str) -> str:
    return "".join(chr(ord(ch) + 3) if ch.isalpha() else ch for ch in line)


def test_tokens_and_agreement():
    assert tokens("2024-03-01 10:22, UUID 3F2A-9c1e ok") == ["01", "03", "10", "2024", "22", "3f2a", "9c1e", "ok", "uuid"]
    log = "\n".join(audit_log_lines(12))
    assert agreement(log, log) == 100.0
    misread = log.replace("0", "O", 5).replace("1", "l", 5)  # a few OCR slips
    assert agreement(misread, log) >= AGREE
    assert agreement(" ".join(reversed(log.split())), log) == 100.0  # reading order does not matter
    prose = "\n".join(CONTRACT_LINES)
    assert agreement(prose, "\n".join(_shift(line) for line in CONTRACT_LINES)) < 50
    assert agreement("", log) == 0.0


def test_sample_band_is_a_dozen_whole_lines_from_the_middle():
    image = page_image(audit_log_lines(40), dpi=100)
    top, bottom = sample_band(image)
    rows = image.crop((0, top, image.width, bottom))
    assert 0.2 * image.height < top < bottom < 0.8 * image.height
    # the band starts and ends on blank pixel rows: no text line is cut
    for row in (0, rows.height - 1):
        assert rows.crop((0, row, rows.width, row + 1)).getextrema()[0] > 128
    assert sample_band(page_image(audit_log_lines(5), dpi=100)) is None  # too short: whole page


@pytest.mark.slow
def test_a_long_audit_log_keeps_its_text_layer_after_one_sample(tmp_path):
    path = audit_log_pdf(tmp_path / "audit.pdf", pages=300)
    doc = extract_document(path, LIMITS)
    print(f"\n300-page audit log: {doc.seconds:.1f} s, sample agreement {doc.pages[0].layer_check.agreement}")
    assert not doc.errors and doc.pages_ocr == []
    assert garbage_kind(doc.pages[0].text)[0] == "few_letters"  # the heuristics alone would OCR it
    for page in doc.pages:
        assert page.method == "text_layer" and not page.needs_ocr
        check = page.layer_check
        assert check is not None and check.trusted and check.flag.startswith("few_letters")
        assert check.sample_page == 1  # the only page OCR'd: every page was judged by page 1
        assert check.agreement >= AGREE
    assert len(doc.pages[299].text.splitlines()) == 57  # header + 56 rows, as printed


@pytest.mark.slow
def test_broken_encoding_is_ocred_and_numbers_page_kept_in_one_document(tmp_path):
    """Two kinds of flag in one document, each with its own sample: the numbers page (few
    letters) agrees with its OCR, the shifted-letter layer (no English words) does not."""
    log = audit_log_lines(40)
    shifted = [_shift(line) for line in CONTRACT_LINES] * 2
    path = image_pdf(
        tmp_path / "mixed.pdf",
        [None, page_image(CONTRACT_LINES)],
        texts={0: log},
        hidden_text={1: shifted},
        size=letter,
    )
    doc = extract_document(path, LIMITS)
    numbers, junk = doc.pages
    assert numbers.method == "text_layer" and numbers.layer_check.trusted
    assert numbers.layer_check.flag.startswith("few_letters") and numbers.layer_check.sample_page == 1
    assert junk.method == "ocr" and "Wkh" not in junk.text and "vigilant" in junk.text.lower()
    assert junk.layer_check.flag.startswith("not_english") and not junk.layer_check.trusted
    assert junk.layer_check.sample_page == 2 and junk.layer_check.agreement < AGREE
