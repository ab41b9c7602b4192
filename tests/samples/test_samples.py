"""The sample batch and bench corpus: the PDFs must say exactly what ground_truth.json says."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest
from PIL import Image

from foialens.samples.batch import STAMP_FILE, load_ground_truth
from foialens.samples.corpus import generate_bench_corpus
from foialens.samples.generate import generate_sample_batch, main

# Vendor ids of the taxonomy in DESIGN.md: each must appear somewhere in the batch.
DESIGN_VENDORS = {
    "vigilant_solutions", "palantir", "clearview_ai", "lexisnexis", "thomson_reuters", "flock_safety",
    "motorola_solutions", "elsag", "rekor", "giant_oak", "babel_street", "venntel", "cellebrite",
    "shotspotter", "axon", "idemia", "nec", "appriss", "transunion", "equifax", "dataminr", "penlink", "cobwebs",
}
CLAUSE_LABELS = {"ice_access", "ice_restriction", "third_party_sharing", "retention", "audit_oversight",
                 "purpose_limitation", "sensitive_locations"}


def _norm(text: str) -> str:
    return " ".join(text.split())


def _page_texts(path: Path) -> list[str]:
    pdf = pdfium.PdfDocument(path)
    try:
        return [_norm(page.get_textpage().get_text_range()) for page in pdf]
    finally:
        pdf.close()


@pytest.fixture(scope="module")
def truth(sample_batch: Path) -> dict:
    return load_ground_truth(sample_batch)


@pytest.fixture(scope="module")
def texts(sample_batch: Path, truth: dict) -> dict[str, list[str]]:
    return {d["file"]: _page_texts(sample_batch / d["file"]) for d in truth["documents"]}


def _text_pages(truth: dict):
    for doc in truth["documents"]:
        for page in doc["page_truth"]:
            if not page["scanned"]:
                yield doc, page


def test_batch_shape(sample_batch: Path, truth: dict, texts: dict[str, list[str]]) -> None:
    pdfs = sorted(p.name for p in sample_batch.glob("*.pdf"))
    assert len(pdfs) >= 10
    assert pdfs == sorted(d["file"] for d in truth["documents"])
    assert 25 <= sum(len(t) for t in texts.values()) <= 50
    for doc in truth["documents"]:
        assert len(texts[doc["file"]]) == doc["pages"] == len(doc["page_truth"])
    scanned = sum(len(d["scanned_pages"]) for d in truth["documents"])
    assert 6 <= scanned <= 8
    kinds = {d["kind"] for d in truth["documents"]}
    assert {"contract", "mou", "policy", "foia_letter", "foia_production"} <= kinds


def test_image_only_and_mixed_documents(truth: dict, texts: dict[str, list[str]]) -> None:
    image_only = [d for d in truth["documents"] if d["image_only"]]
    assert len(image_only) >= 2
    for doc in image_only:
        assert all(t == "" for t in texts[doc["file"]]), doc["file"]
    mixed = [d for d in truth["documents"] if d["scanned_pages"] and not d["image_only"]]
    assert mixed
    for doc in mixed:
        for n, text in enumerate(texts[doc["file"]], start=1):
            assert (text == "") == (n in doc["scanned_pages"]), (doc["file"], n)
    rotations = {p["upright_rotation_cw"] for d in truth["documents"] for p in d["page_truth"]}
    assert {90, 180} <= rotations
    skews = [abs(p["skew_deg"]) for d in truth["documents"] for p in d["page_truth"]]
    assert max(skews) < 1.5 and sum(s > 0 for s in skews) >= 3


def test_every_design_vendor_appears_by_name(truth: dict) -> None:
    assert {v for d in truth["documents"] for v in d["vendors"]} == DESIGN_VENDORS
    surfaces: dict[str, set[str]] = {}
    for doc in truth["documents"]:
        for page in doc["page_truth"]:
            for m in page["mentions"]:
                if m["kind"] == "vendor":
                    surfaces.setdefault(m["id"], set()).add(m["text"])
    for vendor, names in surfaces.items():
        words = set(vendor.split("_"))
        # by name (the id's words) and, for most vendors, also by another surface (product or alias)
        assert any(words <= set(re.findall(r"[a-z]+", n.lower())) for n in names), (vendor, names)
    assert sum(len(names) > 1 for names in surfaces.values()) >= 15


def test_mentions_clauses_stamps_and_bates_are_printed(truth: dict, texts: dict[str, list[str]]) -> None:
    for doc, page in _text_pages(truth):
        text = texts[doc["file"]][page["page"] - 1]
        for m in page["mentions"]:
            assert _norm(m["text"]) in text, (doc["file"], page["page"], m)
        for c in page["clauses"]:
            assert _norm(c["text"]) in text, (doc["file"], page["page"], c["text"])
            assert set(c["labels"]) <= CLAUSE_LABELS
            if c["near_miss"]:
                assert "ice_access" not in c["labels"]
        for e in page["exemptions"]:
            assert e["text"] in text and re.fullmatch(r"b[1-9][a-f]?", e["code"])
        for key in ("bates", "page_label"):
            if page[key]:
                assert page[key] in text
        ids = set(page["vendors"]) | set(page["data_types"]) | set(page["agencies"])
        assert ids == {m["id"] for m in page["mentions"]}


def test_no_unannotated_mentions(truth: dict, texts: dict[str, list[str]]) -> None:
    """Any surface annotated somewhere must be annotated wherever else it is printed (case-sensitive)."""
    surfaces: dict[str, set[str]] = {}
    for doc, page in _text_pages(truth):
        for m in page["mentions"]:
            surfaces.setdefault(_norm(m["text"]), set()).add(m["id"])
    patterns = {s: re.compile(rf"(?<!\w){re.escape(s)}(?!\w)") for s in surfaces}
    missing = []
    for doc, page in _text_pages(truth):
        text = texts[doc["file"]][page["page"] - 1]
        ids = set(page["vendors"]) | set(page["data_types"]) | set(page["agencies"])
        missing += [(doc["file"], page["page"], s) for s, p in patterns.items()
                    if p.search(text) and not surfaces[s] & ids]
    assert missing == []


def test_clause_coverage(truth: dict) -> None:
    clauses = [c for d in truth["documents"] for p in d["page_truth"] for c in p["clauses"]]
    labels = {label for c in clauses for label in c["labels"]}
    assert labels == CLAUSE_LABELS
    assert sum("ice_access" in c["labels"] for c in clauses) >= 4
    assert sum("ice_restriction" in c["labels"] for c in clauses) >= 4
    assert any(c["near_miss"] for c in clauses)
    forbid = [c["text"] for c in clauses if "ice_restriction" in c["labels"]]
    assert any("shall not be disclosed to U.S. Immigration and Customs Enforcement" in t for t in forbid)


def test_license_plate_pages_with_vigilant(truth: dict, texts: dict[str, list[str]]) -> None:
    hits = {(d["file"], p["page"]) for d, p in _text_pages(truth)
            if "vigilant_solutions" in p["vendors"] and "license plate" in texts[d["file"]][p["page"] - 1].lower()}
    assert len(hits) >= 3
    for file, n in hits:
        page = next(d for d in truth["documents"] if d["file"] == file)["page_truth"][n - 1]
        assert "alpr" in page["data_types"]


@pytest.mark.slow
def test_redaction_boxes_match_filled_rects(sample_batch: Path, truth: dict) -> None:
    total = bad = 0
    for doc in truth["documents"]:
        with pdfplumber.open(sample_batch / doc["file"]) as pdf:
            for page, expected in zip(pdf.pages, doc["page_truth"], strict=True):
                rects = sorted([r["x0"], r["top"], r["x1"], r["bottom"]] for r in page.rects if r.get("fill"))
                if expected["scanned"]:
                    assert rects == [] and page.chars == []
                    continue
                boxes = sorted(r["bbox"] for r in expected["redactions"])
                assert len(rects) == len(boxes) == expected["redaction_count"], (doc["file"], expected["page"])
                for got, want in zip(rects, boxes):
                    assert got == pytest.approx(want, abs=0.05)
                for r in expected["redactions"]:
                    x0, top, x1, bottom = r["bbox"]
                    under = page.crop((x0, top, x1, bottom)).extract_text().strip()
                    assert bool(under) == r["text_underneath"], (doc["file"], expected["page"], under)
                    if r["text_underneath"]:
                        assert _norm(under) == r["hidden_text"]
                        bad += 1
                total += len(boxes)
    assert total >= 12 and bad == 1


def test_scanned_redactions_are_burnt_in(sample_batch: Path, truth: dict) -> None:
    checked = 0
    for doc in truth["documents"]:
        pages = [p for p in doc["page_truth"] if p["scanned"] and p["redactions"]]
        if not pages:
            continue
        pdf = pdfium.PdfDocument(sample_batch / doc["file"])
        for page in pages:
            image = pdf[page["page"] - 1].render(scale=1).to_pil().convert("L")
            assert image.size == (round(page["width"]), round(page["height"]))
            for r in page["redactions"]:
                x0, top, x1, bottom = r["bbox"]
                # the centre of the enclosing box lies inside the (possibly skewed) black box
                cx, cy = (x0 + x1) / 2, (top + bottom) / 2
                centre = image.crop((int(cx) - 3, int(cy) - 1, int(cx) + 3, int(cy) + 1))
                assert centre.getextrema()[1] < 90, (doc["file"], page["page"])
                assert r["source"] == "image"
                checked += 1
        pdf.close()
    assert checked >= 4


@pytest.mark.slow
def test_scanned_text_is_ocr_able(sample_batch: Path, truth: dict) -> None:
    pytesseract = pytest.importorskip("pytesseract")
    doc = next(d for d in truth["documents"] if d["image_only"] and d["kind"] == "contract")
    page = next(p for p in doc["page_truth"] if p["upright_rotation_cw"] == 0)
    pdf = pdfium.PdfDocument(sample_batch / doc["file"])
    image: Image.Image = pdf[page["page"] - 1].render(scale=200 / 72, grayscale=True).to_pil()
    pdf.close()
    text = _norm(pytesseract.image_to_string(image, config="--psm 3"))
    found = [m["text"] for m in page["mentions"] if _norm(m["text"]) in text]
    assert len(found) >= 0.75 * len(page["mentions"]), (found, text[:400])


@pytest.mark.slow
def test_generation_is_cached_and_deterministic(sample_batch: Path, tmp_path: Path) -> None:
    files = sorted(p for p in sample_batch.iterdir() if not p.name.startswith(".") or p.name == STAMP_FILE)
    before = {p.name: p.stat().st_mtime_ns for p in files}
    assert generate_sample_batch(sample_batch) == sample_batch
    assert {p.name: p.stat().st_mtime_ns for p in files} == before

    other = generate_sample_batch(tmp_path / "again")
    for p in files:
        assert (other / p.name).read_bytes() == p.read_bytes(), p.name

    # a stale stamp forces regeneration, and stray PDFs from an older version are removed
    (other / STAMP_FILE).write_text("old")
    (other / "stale.pdf").write_bytes(b"%PDF-1.4")
    os.utime(other / "ground_truth.json", ns=(0, 0))
    generate_sample_batch(other)
    assert (other / "ground_truth.json").stat().st_mtime_ns > 0
    assert not (other / "stale.pdf").exists()
    assert (other / STAMP_FILE).read_text() == (sample_batch / STAMP_FILE).read_text()


def test_cli_prints_what_it_wrote(sample_batch: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    shutil.copytree(sample_batch, out)  # already current: the CLI only reports
    assert main([str(out)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("ice-foia-production" in line for line in lines)
    assert re.search(r"\d+ PDFs, \d+ pages", lines[-1])


@pytest.mark.slow
def test_bench_corpus_page_count_and_cache(tmp_path: Path) -> None:
    out = generate_bench_corpus(tmp_path / "bench", pages=23, scanned_share=0.1, seed=3)
    docs = load_ground_truth(out)["documents"]
    counts = {d["file"]: len(_page_texts(out / d["file"])) for d in docs}
    assert sum(counts.values()) == 23
    assert all(1 <= n <= 40 for n in counts.values())
    assert sum(len(d["scanned_pages"]) for d in docs) == 2
    assert [d["pages"] for d in docs] == [counts[d["file"]] for d in docs]
    stamp = (out / STAMP_FILE).stat().st_mtime_ns
    generate_bench_corpus(out, pages=23, scanned_share=0.1, seed=3)
    assert (out / STAMP_FILE).stat().st_mtime_ns == stamp
    # a different seed gives different documents, the same seed the same bytes
    again = generate_bench_corpus(tmp_path / "bench2", pages=23, scanned_share=0.1, seed=3)
    assert sorted(p.read_bytes() for p in again.glob("*.pdf")) == sorted(p.read_bytes() for p in out.glob("*.pdf"))
    other = generate_bench_corpus(tmp_path / "bench3", pages=23, scanned_share=0.1, seed=4)
    assert load_ground_truth(other)["documents"] != docs
