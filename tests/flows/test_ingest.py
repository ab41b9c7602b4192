"""A real ingest_batch run in this process (Prefect flow with one task per document): a document
that cannot be read is recorded while the batch goes on; the summary artifacts exist on the
Prefect server; the batch JSON carries the comparison with the batch before it."""

from __future__ import annotations

import json
import shutil

import pytest

from foialens.flows.launcher import IngestRequest, run_ingest

pytestmark = pytest.mark.slow

FILES = ("harrow-county-vigilant-alpr-contract.pdf", "oregon-dmv-fusion-center-mou.pdf")


@pytest.fixture(scope="module")
def runs(sample_batch, tmp_path_factory):
    root = tmp_path_factory.mktemp("flowops")
    first, second, data = root / "first", root / "second", root / "data"
    first.mkdir()
    second.mkdir()
    shutil.copy(sample_batch / FILES[0], first / FILES[0])
    shutil.copy(sample_batch / FILES[1], second / FILES[1])
    (second / "broken.pdf").write_bytes(b"%PDF-1.4\n not really a PDF")
    s1 = run_ingest(IngestRequest(paths=[str(first)], batch="2019 first", data_dir=str(data), extract_workers=1))
    from foialens.store.datadir import DataDir

    saved = DataDir(data).saved_searches()  # "tell me when a new batch mentions ..." (issue 14)
    saved.add("DMV records", "dmv", {})
    saved.add("Vigilant", "", {"vendors": ["vigilant_solutions"]})
    s2 = run_ingest(IngestRequest(paths=[str(second)], batch="2020 second", data_dir=str(data), extract_workers=1))
    return s1, s2, data


def test_a_bad_document_is_recorded_and_the_batch_goes_on(runs):
    _, s2, data = runs
    assert s2["documents"] == 2 and s2["processed"] == 2
    [failure] = s2["failed"]
    assert failure["code"] == "corrupt" and failure["path"].endswith("broken.pdf")
    assert s2["pages_indexed"] == s2["pages"] > 0  # the good document was indexed
    assert not any(p.name.startswith(".") for p in (data / "results").iterdir())
    assert (data / "layout.json").is_file()


def test_batch_json_compares_with_the_earlier_batch(runs):
    s1, s2, data = runs
    stored = json.loads((data / "batches" / "2020-second.json").read_text())
    cmp = stored["comparison"]
    assert cmp["earlier"] == ["2019 first"] and cmp["previous"] == "2019 first"
    assert "vigilant_solutions" in s1["vendors"] and "vigilant_solutions" not in cmp["new_vendors"]
    assert set(cmp["new_agencies"]) == set(s2["agencies"]) - set(s1["agencies"])
    assert set(cmp["new_data_types"]) == set(s2["data_types"]) - set(s1["data_types"])
    assert "ice_restriction" in s2["clauses"]
    assert cmp["clause_changes"]["ice_restriction"]["now"] == s2["clauses"]["ice_restriction"]
    assert json.loads((data / "batches" / "2019-first.json").read_text())["comparison"]["earlier"] == []
    first = json.loads((data / "batches" / "2019-first.json").read_text())
    assert first["names"]["vendors"]["vigilant_solutions"] == "Vigilant Solutions"  # labels for the UI


def test_saved_searches_raise_alerts_for_the_new_batch(runs):
    from foialens.store.datadir import DataDir

    _, s2, data = runs
    assert [(a["name"], a["pages"] > 0) for a in s2["alerts"]] == [("DMV records", True)]
    stored = json.loads((data / "batches" / "2020-second.json").read_text())
    assert [a["name"] for a in stored["alerts"]] == ["DMV records"]
    searches = {s.name: s for s in DataDir(data).saved_searches().list()}
    assert [a.batch for a in searches["DMV records"].alerts] == ["2020 second"] and not searches["Vigilant"].alerts


def test_summary_artifacts_exist_on_the_prefect_server(runs):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    _, s2, _ = runs
    keys = ["batch-2020-second", "batch-2020-second-documents", "batch-2020-second-failures"]
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=keys)))
    by_key = {a.key: a for a in found if str(a.flow_run_id) == s2["flow_run_id"]}
    assert set(by_key) == set(keys)
    markdown = by_key["batch-2020-second"]
    assert markdown.type == "markdown"
    assert "# Batch `2020 second`" in markdown.data and "corrupt" in markdown.data
    assert "Compared with earlier batches" in markdown.data
    docs = by_key["batch-2020-second-documents"]
    assert docs.type == "table"
    rows = json.loads(docs.data) if isinstance(docs.data, str) else docs.data
    assert {r["status"] for r in rows} == {"processed", "corrupt"}
