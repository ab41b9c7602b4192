"""extract_document on the shared corpus of real public PDFs (skipped when it is absent)."""

from __future__ import annotations

import pytest

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits

pytestmark = pytest.mark.corpus
LIMITS = ExtractLimits(ocr_workers=2)


def test_encrypted_and_empty_files_are_recorded(corpus_dir):
    enc = extract_document(corpus_dir / "robustness/ingestfile-password-hunter2.pdf", LIMITS)
    assert [e.code for e in enc.errors] == ["encrypted"] and enc.failed and enc.doc_id
    empty = extract_document(corpus_dir / "robustness/ingestfile-empty.pdf", LIMITS)
    assert [e.code for e in empty.errors] == ["empty_file"] and empty.failed


@pytest.mark.slow
def test_jbig2_scans_are_ocred(corpus_dir):
    doc = extract_document(corpus_dir / "robustness/ingestfile-jbig2.pdf", LIMITS)
    assert not doc.errors and doc.pages_ocr == [1, 2, 3, 4, 5]
    assert "JBIG2" in doc.pages[0].text
    assert all(p.ocr_confidence and p.ocr_confidence > 60 for p in doc.pages)


@pytest.mark.slow
def test_image_only_pdf_is_ocred(corpus_dir):
    doc = extract_document(corpus_dir / "robustness/doctor-image-pdf.pdf", LIMITS)
    assert not doc.errors and doc.pages_ocr == [1, 2]
    assert "Supreme Court" in doc.pages[0].text or "SUPREME COURT" in doc.pages[0].text


def test_text_layer_court_filings_need_no_ocr(corpus_dir):
    for path in sorted((corpus_dir / "court").glob("*.pdf")):
        if path.name == "ca4_17.pdf":  # a scan carrying only a header line as text
            continue
        doc = extract_document(path, LIMITS)
        assert not doc.errors, path.name
        assert doc.pages_ocr == [], path.name
        assert doc.page_count == len(doc.pages) > 0


def test_scan_with_a_header_line_only_is_ocred(corpus_dir):
    doc = extract_document(corpus_dir / "court/ca4_17.pdf", LIMITS)
    (page,) = doc.pages
    assert page.method == "ocr" and len(page.text) > 500
    assert "Appeal: 17-2218" in page.text  # the text-layer header survives


def test_bad_redactions_have_text_underneath(corpus_dir):
    doc = extract_document(corpus_dir / "redactions/xray-bad_cross_hatched_redactions.pdf", LIMITS)
    (page,) = doc.pages
    assert len(page.redactions) >= 10
    assert all(r.source == "vector" for r in page.redactions)
    assert any(r.text_underneath for r in page.redactions)
    assert 0.02 < page.redacted_share < 0.3


def test_good_redactions_have_no_text_underneath(corpus_dir):
    doc = extract_document(corpus_dir / "redactions/xray-multi_line_redaction_ok.pdf", LIMITS)
    (page,) = doc.pages
    assert len(page.redactions) >= 10
    assert not any(r.text_underneath for r in page.redactions)


@pytest.mark.parametrize(
    "name", ["xray-hidden_text_on_visible_text.pdf", "xray-no_bad_redactions.2.1.pdf", "xray-no_bad_redactions.6.2.pdf"]
)
def test_coloured_and_light_shapes_are_not_redactions(corpus_dir, name):
    doc = extract_document(corpus_dir / "redactions" / name, LIMITS)
    assert all(p.redactions == [] for p in doc.pages)


@pytest.mark.slow
def test_every_corpus_file_gives_a_result_or_a_recorded_error(corpus_dir):
    for path in sorted(corpus_dir.rglob("*.pdf")):
        doc = extract_document(path, LIMITS, ocr=False)
        assert doc.pages or doc.failed, path.name
        for page in doc.pages:
            if page.needs_ocr:  # never silently empty
                assert any(e.page == page.page for e in doc.errors), (path.name, page.page)


def test_agency_list_text_layer_is_kept_after_one_sample(corpus_dir):
    """A real 29-page list of agency names (no common English words, so the heuristics call it
    junk): one sample band is OCR'd, agrees with the text layer, and no page is OCR'd."""
    doc = extract_document(corpus_dir / "real/okaloosa_so_flock_sharing_agencies.pdf", LIMITS)
    assert not doc.errors and doc.pages_ocr == []
    checks = [p.layer_check for p in doc.pages if p.layer_check]
    assert len(checks) >= 20
    assert all(c.trusted and c.sample_page == checks[0].sample_page and c.flag.startswith("not_english")
               for c in checks)
    assert checks[0].agreement >= 90
