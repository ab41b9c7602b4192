"""Scale-out for real: a `prefect server start`, two `foialens worker` processes (Prefect task
workers) writing one osmem-server (Elasticsearch API) and one data directory, and `foialens ingest`
as the coordinator. One worker is SIGKILLed (with its extraction processes and tesseract) in the
middle of the batch: the batch still completes with every document processed once and indexed
with all its pages, and the summary says nothing failed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from foialens.search.factory import open_backend
from foialens.search.records import SearchQuery
from tests.support.cluster import Cluster

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus() -> Path:
    from foialens.samples.corpus import generate_bench_corpus

    # 16 documents of 1-40 pages, a few scanned (the kill-and-resume test's corpus)
    return generate_bench_corpus(ROOT / ".cache" / "resume-corpus", pages=300, scanned_share=0.08, seed=11)


def test_a_worker_killed_mid_batch_loses_nothing(corpus, tmp_path, es_config):
    truth = json.loads((corpus / "ground_truth.json").read_text())["documents"]
    data = tmp_path / "data"
    env = {"FOIALENS_DATA_DIR": str(data), "FOIALENS_BACKEND": "elasticsearch", "FOIALENS_ES_URL": es_config.url,
           "FOIALENS_ES_INDEX_PREFIX": es_config.index_prefix, "FOIALENS_ES_PLAIN_JSON": "true",
           "FOIALENS_DISPATCH": "workers"}
    with Cluster(tmp_path / "cluster", env) as cluster:
        cluster.start_server()
        doomed = cluster.start_worker()
        cluster.start_worker()  # the survivor
        cluster.wait_workers(2)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "foialens.cli.main", "ingest", str(corpus), "--batch", "scale", "--json"],
            env=cluster.env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            # kill the first worker while it holds a document (its lease is there), after at
            # least two documents are done
            leases, results = data / "leases", data / "results"

            def doomed_is_busy() -> bool:
                done = len(list(results.glob("*.json"))) if results.is_dir() else 0
                held = [json.loads(p.read_text()) for p in leases.glob("*.json")] if leases.is_dir() else []
                return done >= 2 and any(h["process"].split(":")[1] == str(doomed.pid) or
                                         h["worker"].endswith(f"-{doomed.pid}") for h in held)

            cluster.wait(doomed_is_busy, 300, "the first worker to hold a document", [ingest])
            cluster.kill_worker(doomed)
            killed_at = len(list(results.glob("*.json")))
            out, err = ingest.communicate(timeout=600)
        finally:
            if ingest.poll() is None:
                ingest.kill()
        assert ingest.returncode == 0, err[-4000:]
        summary = json.loads(out)
        assert killed_at < len(truth), "the batch was over before the kill"
        assert summary["failed"] == [] and summary["documents"] == len(truth)
        assert summary["processed"] + summary["unchanged"] == len(truth)
        assert summary["pages"] == sum(d["pages"] for d in truth)
        assert summary["pages_ocr"] == sum(len(d["scanned_pages"]) for d in truth)
        assert summary["workers"] == 2
        assert "resubmitting" in err or "submitting it again" in err, err[-3000:]  # the coordinator noticed
        assert not list((data / "leases").glob("*.json"))  # no lease left behind

    # every document in the one index, with all its pages, once
    from foialens.settings import Settings

    engine = open_backend(Settings(data_dir=data, backend="elasticsearch", es=es_config).backend_config())
    try:
        results = {json.loads(p.read_text())["extracted"]["path"]: p.stem for p in (data / "results").glob("*.json")}
        assert len(results) == len(truth)
        for d in truth:
            pages = engine.document_pages(results[str(corpus / d["file"])])
            assert [p.page for p in pages] == list(range(1, d["pages"] + 1)), d["file"]
        assert engine.search(SearchQuery(text="", filters={"batch": ["scale"]})).total == summary["pages"]
    finally:
        engine.close()
