"""The main job for real: the ingest_batch Prefect flow on the sample batch, then searches,
re-ingest, reindex and the CLI, all against a real SQLite index in a temporary data directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from foialens.samples.batch import load_ground_truth
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import SearchQuery

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def truth(sample_batch):
    return {d["file"]: d for d in load_ground_truth(sample_batch)["documents"]}


@pytest.fixture(scope="module")
def ingested(sample_batch, tmp_path_factory):
    from foialens.flows.ingest import ingest_batch

    data_dir = tmp_path_factory.mktemp("data")
    summary = ingest_batch(paths=[str(sample_batch)], batch="sample", data_dir=str(data_dir))
    return data_dir, summary


@pytest.fixture
def index(ingested):
    engine = open_backend(BackendConfig(sqlite_path=ingested[0] / "index.sqlite"))
    yield engine
    engine.close()


def cli(*args: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "FOIALENS_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    proc = subprocess.run(
        [sys.executable, "-m", "foialens.cli.main", *args], capture_output=True, text=True, env=env, timeout=300
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


def test_batch_summary_counts_everything(ingested, truth):
    _, s = ingested
    assert s["failed"] == []
    assert s["documents"] == len(truth)
    assert s["pages"] == sum(d["pages"] for d in truth.values())
    assert s["pages_indexed"] == s["pages"]
    assert s["pages_ocr"] == sum(len(d["scanned_pages"]) for d in truth.values())
    expected_vendors = {v for d in truth.values() for v in d["vendors"]}
    assert expected_vendors <= set(s["vendors"])
    assert {"ice_access", "ice_restriction"} <= set(s["clauses"])
    assert {"b6", "b7c"} <= set(s["exemptions"])
    assert 0 < s["redacted_share"] < 0.5
    stored = json.loads((ingested[0] / "batches" / "sample.json").read_text())
    assert stored["documents"] == s["documents"]


def test_license_plate_search_finds_the_vigilant_pages(index, truth):
    result = index.search(
        SearchQuery(text="license plate", filters={"vendors": ["vigilant_solutions"]}, page_size=50)
    )
    found = {(Path(h.path).name, h.page) for h in result.hits}
    must = {
        (f, p["page"])
        for f, d in truth.items()
        for p in d["page_truth"]
        if "vigilant_solutions" in p["vendors"]
        and any("license plate" in m["text"].lower() for m in p["mentions"])
    }
    assert must and must <= found
    for name, page in found:  # every hit really is a Vigilant page
        assert "vigilant_solutions" in truth[name]["page_truth"][page - 1]["vendors"]
    for hit in result.hits:  # the match is in the page text (highlighted) or in the title
        assert "<mark>" in hit.snippet or "license plate" in hit.title.lower()
        assert "vigilant_solutions" in hit.vendors
    assert sum("<mark>" in h.snippet for h in result.hits) >= len(must)
    assert {f.value for f in result.facets["vendors"]} >= {"vigilant_solutions"}


def test_scanned_pages_are_searchable_after_ocr(index, truth):
    scanned = [f for f, d in truth.items() if d["image_only"]]
    result = index.search(SearchQuery(text="Clearview", page_size=50))
    names = {Path(h.path).name for h in result.hits}
    assert any("clearview" in n for n in names if n in scanned)
    hit = next(h for h in result.hits if Path(h.path).name in scanned)
    assert hit.method == "ocr"


def test_access_grants_and_prohibitions_are_told_apart(ingested, truth):
    from foialens.store.datadir import DataDir

    data_dir = ingested[0]
    results = {Path(r.extracted.path).name: r for r in DataDir(data_dir).results()}
    mou = next(f for f, d in truth.items() if d["kind"] == "mou")
    labels = {c.label for c in results[mou].tags.clauses}
    assert "ice_restriction" in labels
    near_misses = {
        " ".join(c["text"].split())
        for d in truth.values() for p in d["page_truth"] for c in p["clauses"] if c.get("near_miss")
    }
    for r in results.values():
        for c in r.tags.clauses:
            if c.label == "ice_access":
                assert " ".join(c.text.split()) not in near_misses, c.text
    vigilant = next(f for f in truth if "vigilant" in f)
    assert "ice_access" in {c.label for c in results[vigilant].tags.clauses}


def test_exemptions_are_filters(index, truth):
    result = index.search(SearchQuery(filters={"exemptions": ["b7c"]}, page_size=100))
    found = {(Path(h.path).name, h.page) for h in result.hits}
    expected = {
        (f, p["page"]) for f, d in truth.items() for p in d["page_truth"]
        if any(e["code"] == "b7c" for e in p["exemptions"]) and not p["scanned"]
    }
    assert expected and expected <= found


def test_redactions_are_filters(index, truth):
    """Pages with redaction boxes, and the bad redaction with text still under its box."""
    bad = index.search(SearchQuery(filters={"redactions": ["text_under_box"]}, page_size=100))
    expected_bad = {
        (f, p["page"]) for f, d in truth.items() for p in d["page_truth"]
        if any(r.get("text_underneath") for r in p["redactions"])
    }
    assert expected_bad and {(Path(h.path).name, h.page) for h in bad.hits} == expected_bad
    redacted = index.search(SearchQuery(filters={"redactions": ["redacted"]}, page_size=100))
    expected = {(f, p["page"]) for f, d in truth.items() for p in d["page_truth"] if p["redaction_count"]}
    assert {(Path(h.path).name, h.page) for h in redacted.hits} == expected
    assert {v.value for v in redacted.facets["redactions"]} >= {"redacted", "text_under_box"}


def test_reingest_is_idempotent(ingested, index, sample_batch):
    from foialens.flows.ingest import ingest_batch

    data_dir, first = ingested
    before = index.count()
    again = ingest_batch(paths=[str(sample_batch)], batch="sample-again", data_dir=str(data_dir))
    assert again["unchanged"] == again["documents"] == first["documents"]
    # nothing reprocessed; the pages are rewritten once to belong to the second batch as well
    assert again["processed"] == 0 and again["pages_indexed"] == first["pages"]
    assert index.count() == before
    assert index.search(SearchQuery(filters={"batch": ["sample-again"]})).total == before
    assert index.search(SearchQuery(filters={"batch": ["sample"]})).total == before
    third = ingest_batch(paths=[str(sample_batch)], batch="sample-again", data_dir=str(data_dir))
    assert third["processed"] == 0 and third["pages_indexed"] == 0
    assert index.count() == before


def test_cli_search_analyze_reindex(ingested, sample_batch, truth):
    data_dir = ingested[0]
    out = json.loads(cli("search", "license plate", "--vendor", "vigilant_solutions", "--json", data_dir=data_dir).stdout)
    assert out["total"] >= 1 and all("vigilant_solutions" in h["vendors"] for h in out["hits"])
    assert {"doc_id", "path", "page", "score", "snippet"} <= set(out["hits"][0])

    text = cli("search", "license plate", "--vendor", "vigilant_solutions", data_dir=data_dir).stdout
    assert "matching pages" in text and "License Plate" in text

    pdf = sample_batch / "oregon-dmv-fusion-center-mou.pdf"
    doc = json.loads(cli("analyze", str(pdf), "--json", data_dir=data_dir).stdout.splitlines()[0])
    for key in ("doc_id", "path", "pages", "batch", "pages_ocr", "errors", "vendors", "data_types",
                "agencies", "clauses", "exemptions", "redactions"):
        assert key in doc
    assert doc["pages"] == truth[pdf.name]["pages"]
    for v in doc["vendors"]:
        assert {"id", "name", "mentions"} <= set(v)
        for m in v["mentions"]:
            assert {"page", "text", "start", "end"} <= set(m) and m["page"] >= 1

    before = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    count = before.count()
    before.close()
    assert "Reindexed" in cli("reindex", data_dir=data_dir).stdout
    after = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    assert after.count() == count
    after.close()


def test_cli_errors_are_clear(tmp_path):
    not_pdf = tmp_path / "notes.pdf"
    not_pdf.write_text("just some text, not a PDF")
    r = cli("search", "", data_dir=tmp_path, check=False)
    assert r.returncode == 2 and "empty query" in r.stderr
    r = cli("search", "plate", data_dir=tmp_path, check=False)
    assert r.returncode == 2 and "no index" in r.stderr
    r = cli("ingest", str(tmp_path / "missing"), data_dir=tmp_path, check=False)
    assert r.returncode == 2 and "no such file" in r.stderr
    r = cli("analyze", str(not_pdf), "--json", data_dir=tmp_path, check=False)
    assert r.returncode == 1
    assert json.loads(r.stdout)["errors"][0]["code"] == "not_pdf"


def test_cli_reports_query_syntax_errors(ingested):
    r = cli("search", '"unbalanced', data_dir=ingested[0], check=False)
    assert r.returncode == 2 and "error" in r.stderr.lower()


def test_elasticsearch_backend_replays_stored_results_and_answers_the_same(
    ingested, sample_batch, index, osmem_es_url, monkeypatch
):
    """The same data directory indexed into an Elasticsearch-compatible server over real HTTP:
    stored results are replayed (nothing re-extracted), then CLI searches match the embedded index."""
    from foialens.flows.ingest import ingest_batch

    data_dir = ingested[0]
    env = {
        "FOIALENS_ES_URL": osmem_es_url,
        "FOIALENS_ES_PLAIN_JSON": "true",
        "FOIALENS_INDEX_PREFIX": "e2e",
    }
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    s = ingest_batch(paths=[str(sample_batch)], batch="sample", backend="elasticsearch", data_dir=str(data_dir))
    assert s["processed"] == 0 and s["unchanged"] == s["documents"]
    assert s["pages_indexed"] == index.count()

    def both(*args):
        es = json.loads(cli("search", *args, "--json", "--backend", "elasticsearch", data_dir=data_dir).stdout)
        lite = json.loads(cli("search", *args, "--json", data_dir=data_dir).stdout)
        return es, lite

    es, lite = both("license plate", "--vendor", "vigilant_solutions", "--page-size", "50")
    assert es["total"] == lite["total"] >= 1
    assert {(h["doc_id"], h["page"]) for h in es["hits"]} == {(h["doc_id"], h["page"]) for h in lite["hits"]}
    es, lite = both("--clause", "ice_restriction")
    assert es["total"] == lite["total"] >= 1
    assert es["facets"]["agencies"] == lite["facets"]["agencies"]

    r = cli("reindex", "--backend", "elasticsearch", data_dir=data_dir)
    assert f"Reindexed {index.count()} pages" in r.stdout


def test_unreachable_elasticsearch_is_a_clear_error(tmp_path):
    r = cli("search", "plate", "--backend", "elasticsearch", "--es-url", "http://127.0.0.1:9", data_dir=tmp_path, check=False)
    assert r.returncode == 2
    assert "127.0.0.1:9" in r.stderr and "Traceback" not in r.stderr
