"""Regression: court prose was read as clauses. Real appellate filings (../shared/corpus/court: an
opinion on a church's worship services, an insurance case, a letter to the clerk about CBP border
searches) were classified as policies or contracts and got sensitive_locations, ice_access and
ice_restriction tags ("The Chapel ... operates a church facility", "CBP can conduct border
searches"). A court filing argues about clauses; it grants or forbids nothing itself."""

from __future__ import annotations

import pytest

from foialens.extractors.document import extract_document
from foialens.flows.pipeline import tag_document

pytestmark = pytest.mark.corpus


def test_court_filings_are_read_as_court_filings_without_clause_tags(corpus_dir, tagger):
    read = {}
    for path in sorted((corpus_dir / "court").glob("*.pdf")):
        extracted = extract_document(path, ocr=False)
        if sum(len(p.text.split()) for p in extracted.pages) < 50:
            continue  # a scan: its kind cannot be read without OCR
        read[path.name] = tag_document(extracted, tagger)
    if not read:
        pytest.skip("no court filing with a text layer in the corpus")
    assert {name: tags.kind for name, tags in read.items()} == {name: "court_filing" for name in read}
    assert {name: [(c.label, c.text[:60]) for c in tags.clauses] for name, tags in read.items()} == {name: [] for name in read}
