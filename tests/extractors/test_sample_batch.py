"""The bundled sample batch against its ground truth: OCR'd pages, orientation, titles,
exemption codes, redaction boxes (vector and burnt into scans) and Bates stamps."""

from __future__ import annotations

import json
from collections import Counter

import pytest

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits

pytestmark = pytest.mark.slow  # OCR of the whole sample batch (~8 s)


@pytest.fixture(scope="module")
def extracted(sample_batch):
    truth = json.loads((sample_batch / "ground_truth.json").read_text())
    limits = ExtractLimits(ocr_workers=2)
    return [(d, extract_document(sample_batch / d["file"], limits)) for d in truth["documents"]]


def _pages(extracted):
    for truth, doc in extracted:
        assert len(doc.pages) == truth["pages"], truth["file"]
        yield from ((truth, t, p) for t, p in zip(truth["page_truth"], doc.pages))


def _iou(a, b) -> float:
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union else 0.0


def test_documents_extract_without_errors_and_titles_match(extracted):
    for truth, doc in extracted:
        assert not doc.errors, (truth["file"], doc.errors)
        assert doc.title == truth["title"]


def test_scanned_pages_are_ocred_and_turned_upright(extracted):
    for doc_truth, truth, page in _pages(extracted):
        where = (doc_truth["file"], truth["page"])
        assert (page.method == "ocr") == truth["scanned"], where
        if truth["scanned"]:
            assert page.rotation == truth["upright_rotation_cw"], where
            assert page.ocr_confidence and page.ocr_confidence > 70, where


def test_exemption_recall_and_precision(extracted):
    expected = found = matched = 0
    for _doc, truth, page in _pages(extracted):
        want = Counter(e["code"] for e in truth["exemptions"])
        got = Counter(e.code for e in page.exemptions)
        expected += sum(want.values())
        found += sum(got.values())
        matched += sum((want & got).values())
    recall, precision = matched / expected, matched / found
    print(f"sample batch exemptions: {expected} expected, recall {recall:.3f}, precision {precision:.3f}")
    assert expected >= 10
    assert recall >= 0.95 and precision >= 0.95


def test_redaction_box_recall(extracted):
    expected = matched = extra = underneath_right = 0
    for _doc, truth, page in _pages(extracted):
        unmatched = list(page.redactions)
        for box in truth["redactions"]:
            expected += 1
            best = max(unmatched, key=lambda r: _iou(r.bbox, box["bbox"]), default=None)
            if best is not None and _iou(best.bbox, box["bbox"]) >= 0.5 and best.source == box["source"]:
                matched += 1
                underneath_right += best.text_underneath == box["text_underneath"]
                unmatched.remove(best)
        extra += len(unmatched)
    print(f"sample batch redactions: {expected} boxes, recall {matched / expected:.3f}, {extra} extra")
    assert expected >= 5
    assert matched / expected >= 0.95 and extra <= 1
    assert underneath_right == matched  # bad redactions (text under the box) are told apart


def test_bates_stamps(extracted):
    stamped = [(t["bates"], p) for _d, t, p in _pages(extracted) if t["bates"]]
    assert stamped
    hits = sum(bates in [b.text for b in page.bates] for bates, page in stamped)
    print(f"sample batch Bates stamps: {hits}/{len(stamped)} found")
    assert hits == len(stamped)
