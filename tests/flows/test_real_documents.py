"""Real releases with a text layer (../shared/corpus/real; gold facts in models/data/real/
documents.jsonl), read end to end by the shipped pipeline, held to the targets that do not depend
on which documents the model learnt from: no ICE labels on documents that say nothing of ICE, at
most 6 clause tags per 1,000 words, the platform's vendor found in every sharing report and
contract, a text-layer list or log never OCR'd. (Per-label F1 on the dev documents, scored by a
model trained without them, is `foialens evaluate`'s job; see README "Models and accuracy".)"""

from __future__ import annotations

import pytest

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from foialens.flows.pipeline import tag_document
from foialens.models.real_data import documents
from foialens.models.tagger import ICE_LABELS

pytestmark = [pytest.mark.slow, pytest.mark.corpus]

# documents whose every page has a text layer (no image-only pages in the annotation)
TEXT_LAYER = sorted(d.doc for d in documents().values() if d.pages_ocr_needed == [] or d.kind == "sharing_report")


@pytest.fixture(scope="module")
def read(corpus_dir, tagger):
    out = {}
    for name in TEXT_LAYER:
        path = corpus_dir / "real" / name
        if path.is_file():
            extracted = extract_document(path, ExtractLimits(max_seconds=900))
            out[name] = (extracted, tag_document(extracted, tagger))
    if not out:
        pytest.skip("no labelled real document in the corpus")
    return out


def test_no_ice_labels_without_ice_content(read):
    gold = documents()
    wrong = {name: sum(c.label in ICE_LABELS for c in tags.clauses) for name, (_, tags) in read.items()
             if gold[name].has_ice_content is False}
    assert wrong and not any(wrong.values()), wrong


def test_clause_tags_per_thousand_words(read):
    words = sum(len(p.text.split()) for extracted, _ in read.values() for p in extracted.pages)
    tags = sum(len(t.clauses) for _, t in read.values())
    assert words > 50_000
    assert 1000 * tags / words <= 6.0, (tags, words)


def test_flagship_vendor_in_every_report_and_contract(read):
    gold = documents()
    for name, (_, tags) in read.items():
        doc = gold[name]
        if doc.kind in ("sharing_report", "vendor_contract") and doc.vendors:
            assert set(doc.vendors) <= {t.id for t in tags.vendors}, name


def test_text_layer_lists_and_logs_are_not_ocred(read):
    gold = documents()
    lists = {name: extracted.pages_ocr for name, (extracted, _) in read.items() if gold[name].kind in ("sharing_report", "log")}
    assert lists and not any(lists.values()), lists


def test_every_relation_has_page_evidence(read):
    for name, (extracted, tags) in read.items():
        for r in tags.relations:
            assert 1 <= r.evidence.page <= extracted.page_count and r.evidence.text, (name, r)
