"""OCR character accuracy on generated scans with known text (clean and scanner-degraded)."""

from __future__ import annotations

import pytest
from rapidfuzz.distance import Levenshtein

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from tests.support.pdfs import RELEASE_LINES, image_pdf, noisy, page_image

FLOOR = 0.95


def _flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.slow
def test_ocr_character_accuracy_floor(tmp_path):
    pages = {
        "clean 300 dpi scan, 11 pt": page_image(RELEASE_LINES, dpi=300),
        "noisy 200 dpi scan, 10 pt": noisy(page_image(RELEASE_LINES, dpi=200, font_pt=10), seed=3),
    }
    path = image_pdf(tmp_path / "scans.pdf", list(pages.values()))
    doc = extract_document(path, ExtractLimits(ocr_workers=2))
    assert not doc.errors and doc.pages_ocr == [1, 2]
    truth = _flat("\n".join(RELEASE_LINES))
    accuracies = {}
    for label, page in zip(pages, doc.pages):
        accuracies[label] = 1.0 - Levenshtein.normalized_distance(truth, _flat(page.text))
        print(f"OCR character accuracy, {label}: {accuracies[label]:.4f} (confidence {page.ocr_confidence})")
    assert min(accuracies.values()) >= FLOOR, accuracies
    # the stamps and numbers the rest of the pipeline keys on survive OCR
    assert [e.code for e in doc.pages[0].exemptions] == ["b6", "b7c"]
    assert "2019-ICFO-12345" in [b.text for b in doc.pages[0].bates]
