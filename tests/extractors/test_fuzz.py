"""Fuzzing extract_document with mutated real PDFs: byte flips, truncation, splices and deleted
ranges. Every example must come back as a result or a recorded error, within the time limit,
and never through the catch-all for unexpected exceptions."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import letter
from reportlab.pdfgen import canvas

from foialens.extractors.document import UNEXPECTED, extract_document
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument
from tests.support.pdfs import CONTRACT_LINES, image_pdf, page_image

LIMITS = ExtractLimits(max_seconds=8, ocr_workers=1, max_pages=50)


def _seeds(directory: Path) -> list[bytes]:
    text = directory / "text.pdf"
    c = canvas.Canvas(str(text), pagesize=letter)
    c.setTitle("Seed")
    for i in range(2):
        c.drawString(72, 700, f"(b)(6) page {i} " + CONTRACT_LINES[i])
        c.rect(72, 650, 120, 14, stroke=0, fill=1)
        c.showPage()
    c.save()
    scan = image_pdf(directory / "scan.pdf", [page_image(CONTRACT_LINES[:3], dpi=60, size=(300, 200))], size=(300, 200))
    return [text.read_bytes(), scan.read_bytes()]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory) -> list[bytes]:
    return _seeds(tmp_path_factory.mktemp("fuzz-seeds"))


def _mutate(data: bytes, ops: list[tuple[str, float, float, int]], other: bytes) -> bytes:
    out = bytearray(data)
    for kind, a, b, byte in ops:
        if not out:
            break
        i = int(a * (len(out) - 1))
        if kind == "flip":
            out[i] ^= byte or 1
        elif kind == "truncate":
            del out[max(1, i) :]
        elif kind == "delete":
            del out[i : i + 1 + int(b * 200)]
        elif kind == "splice":
            j = int(b * (len(other) - 1))
            out[i:i] = other[j : j + 1 + byte * 4]
        elif kind == "set":  # overwrite a run with one byte value (zeroed sectors, 0xff blocks)
            out[i : i + 1 + int(b * 64)] = bytes([byte]) * (1 + int(b * 64))
    return bytes(out)


OPS = st.lists(
    st.tuples(
        st.sampled_from(["flip", "truncate", "delete", "splice", "set"]),
        st.floats(0, 1),
        st.floats(0, 1),
        st.integers(0, 255),
    ),
    min_size=1,
    max_size=8,
)


@pytest.mark.slow
@settings(max_examples=80, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, 1), ops=OPS)
def test_mutated_pdfs_give_a_result_or_a_recorded_error(tmp_path, seeds, which, ops):
    data = _mutate(seeds[which], ops, seeds[1 - which])
    path = tmp_path / "mutant.pdf"
    path.write_bytes(data)
    started = time.monotonic()
    doc = extract_document(path, LIMITS)
    elapsed = time.monotonic() - started
    assert isinstance(doc, ExtractedDocument)
    assert elapsed < LIMITS.max_seconds + 5
    assert doc.pages or doc.errors
    assert not [e.message for e in doc.errors if e.message.startswith(UNEXPECTED)]
    for page in doc.pages:
        if page.needs_ocr:
            assert any(e.page == page.page for e in doc.errors)


@pytest.mark.slow
def test_mutated_corpus_files(corpus_dir, tmp_path):
    """A fixed sweep over the real corpus: every file truncated at 7 points and with 3 flipped
    regions. Deterministic, so a failure is reproducible from the file name and cut."""
    files = sorted(p for p in corpus_dir.rglob("*.pdf") if p.stat().st_size > 0)
    limits = ExtractLimits(max_seconds=8, ocr_workers=2)
    for src in files:
        data = src.read_bytes()
        variants = [data[: int(len(data) * k / 8)] for k in range(1, 8)]
        for k in (3, 5, 7):
            flipped = bytearray(data)
            at = len(data) * k // 8
            flipped[at : at + 16] = bytes(16)
            variants.append(bytes(flipped))
        for n, variant in enumerate(variants):
            path = tmp_path / f"{src.stem}-{n}.pdf"
            path.write_bytes(variant)
            doc = extract_document(path, limits, ocr=False)
            assert doc.pages or doc.errors, path.name
            assert not [e for e in doc.errors if e.message.startswith(UNEXPECTED)], (path.name, doc.errors)
