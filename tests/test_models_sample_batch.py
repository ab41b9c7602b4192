"""Vendor and data-type accuracy per document on the sample batch (text-layer pages only)."""

from __future__ import annotations

import json

import pypdfium2 as pdfium
import pytest

from models.tag_accuracy import score_documents
from models.tagger import Tagger


@pytest.fixture(scope="module")
def tagged(sample_batch):
    tagger = Tagger()
    truth = json.loads((sample_batch / "ground_truth.json").read_text())
    out = []
    for doc in truth["documents"]:
        kept = [pt for pt in doc["page_truth"] if not pt["scanned"]]
        if not kept:
            continue
        pdf = pdfium.PdfDocument(sample_batch / doc["file"])
        pages = [(pt["page"], pdf[pt["page"] - 1].get_textpage().get_text_range()) for pt in kept]
        pdf.close()
        out.append((doc["file"], pages, kept, tagger.tag_pages(pages)))
    assert len(out) >= 5
    return out


@pytest.mark.parametrize("facet,floor", [("vendors", 0.9), ("data_types", 0.85)])
def test_precision_recall_per_document(tagged, facet, floor):
    docs = {
        name: ({i for p, _ in pages for i in tags.page_ids(p)[facet]}, {i for pt in truth for i in pt[facet]})
        for name, pages, truth, tags in tagged
    }
    score = score_documents(docs)
    assert score.precision >= floor and score.recall >= floor, score.errors
    assert score.macro_precision >= floor and score.macro_recall >= floor, score.errors


def test_mentions_point_into_the_page_text(tagged):
    for _, pages, _, tags in tagged:
        texts = dict(pages)
        for tag in (*tags.vendors, *tags.data_types, *tags.agencies):
            for m in tag.mentions:
                assert texts[m.page][m.start : m.end] == m.text


def test_pattern_agencies_match_truth_names(tagged):
    """Agencies the ground truth lists by name (state/local) are found with that name."""
    missed = []
    for name, pages, truth, tags in tagged:
        found = {t.name for t in tags.agencies}
        for pt in truth:
            missed += [(name, a) for a in pt["agencies"] if not a.islower() and a not in found]
    assert not missed


def test_no_truth_restriction_is_tagged_as_access(tagged):
    """A sentence the ground truth labels ice_restriction (and not ice_access) never gets ice_access."""
    confused = []
    for name, _, truth, tags in tagged:
        for pt in truth:
            for clause in pt["clauses"]:
                if "ice_restriction" not in clause["labels"] or "ice_access" in clause["labels"]:
                    continue
                key = " ".join(clause["text"].split())[:60]
                for c in tags.clauses:
                    if c.page == pt["page"] and c.label == "ice_access" and key in " ".join(c.text.split()):
                        confused.append((name, c.text))
    assert not confused
