"""Items 6-9: Elasticsearch under faults, over real HTTP: osmem-server, a fault proxy that
stalls, drops and answers 5xx, a server that accepts TCP and never answers, and a cluster that
is killed and comes back empty on the same port."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from foialens.search.backend import BackendUnavailable
from foialens.search.config import ElasticsearchConfig
from foialens.search.es_backend import ElasticsearchBackend
from tests.support.faults import SilentServer

ROOT = Path(__file__).resolve().parents[2]


# --- item 9: a node that accepts connections and never answers -----------------------------------


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.close()


@pytest.mark.slow
def test_a_silent_node_fails_fast_at_start_up(silent):
    config = ElasticsearchConfig(url=silent.url, plain_json=True)  # defaults: 30 s requests, 3 retries
    t = time.monotonic()
    with pytest.raises(BackendUnavailable, match=r"did not answer within 5 s") as info:
        ElasticsearchBackend(config)
    assert time.monotonic() - t < 8
    assert silent.url in str(info.value)
    assert len(silent.accepted) == 1  # one attempt, no retries


def test_a_stalling_proxy_fails_fast_too(fault_proxy, es_config):
    proxy = fault_proxy(lambda m, p, b: "stall")
    t = time.monotonic()
    with pytest.raises(BackendUnavailable, match="did not answer"):
        ElasticsearchBackend(es_config.model_copy(update={"url": proxy.url, "request_timeout": 30,
                                                          "max_retries": 3, "connect_timeout": 1}))
    assert time.monotonic() - t < 4 and len(proxy.log) == 1


def test_a_dropped_connection_at_start_up_is_a_clear_error(fault_proxy, es_config):
    proxy = fault_proxy(lambda m, p, b: "drop")
    with pytest.raises(BackendUnavailable, match=proxy.url):
        ElasticsearchBackend(es_config.model_copy(update={"url": proxy.url, "max_retries": 3}))
    assert len(proxy.log) == 1


@pytest.mark.slow
def test_cli_ingest_against_a_silent_node_exits_2_quickly(silent, text_pdfs, tmp_path):
    env = {**os.environ, "FOIALENS_DATA_DIR": str(tmp_path / "data"), "FOIALENS_ES_PLAIN_JSON": "true"}
    t = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "ingest", str(text_pdfs),
                           "--backend", "elasticsearch", "--es-url", silent.url],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "did not answer within" in " ".join(done.stderr.split())
    assert time.monotonic() - t < 30  # was 126 s (4 x 30 s)


# --- helpers for the ingest tests ---------------------------------------------------------------


@pytest.fixture
def es_env(monkeypatch, es_config):
    """FOIALENS_ES_* for this test's index prefix and quick retries (what the flow reads)."""
    for key, value in {"PLAIN_JSON": "true", "INDEX_PREFIX": es_config.index_prefix, "MAX_RETRIES": "1",
                       "RETRY_BACKOFF": "0.05", "REQUEST_TIMEOUT": "5"}.items():
        monkeypatch.setenv(f"FOIALENS_ES_{key}", value)
    return es_config


def es_request(paths, data_dir, url, batch="b", **kw):
    from foialens.flows.request import IngestRequest

    return IngestRequest(paths=[str(p) for p in paths], batch=batch, data_dir=str(data_dir), extract_workers=1,
                         ocr=False, backend="elasticsearch", es_url=url, **kw)


def stored_doc_ids(data_dir) -> set[str]:
    from foialens.store.datadir import DataDir

    return {r.doc_id for r in DataDir(data_dir).results()}


def assert_reconciled(backend: ElasticsearchBackend, data_dir) -> None:
    """Both indices hold every stored document: all its pages, and its listing entry."""
    from foialens.store.datadir import DataDir

    results = list(DataDir(data_dir).results())
    listing = backend.documents(limit=1000)
    assert {d.doc_id for d in listing.documents} == {r.doc_id for r in results}
    assert listing.total == len(results)
    for r in results:
        assert len(backend.document_pages(r.doc_id)) == len(r.extracted.pages), r.extracted.path
        assert backend.document(r.doc_id).pages == len(r.extracted.pages)
    assert backend.count() == sum(len(r.extracted.pages) for r in results)


def docs_bulk(body: bytes) -> bool:
    return b'-docs"' in body


# --- item 7: an outage between the two indices ----------------------------------------------------


def test_rerun_after_an_outage_reconciles_both_indices(text_pdfs, tmp_path, es_env, fault_proxy):
    """The outage starts after the second document's pages were written and before its listing
    entry: the re-run (pages complete) must still write the listing entry."""
    from foialens.flows.batch import run_batch

    state = {"docs_writes": 0}

    def outage(method, path, body):
        if "_bulk" in path and docs_bulk(body):
            state["docs_writes"] += 1
            if state["docs_writes"] >= 2:
                return "503"
        return "forward"

    data = tmp_path / "data"
    proxy = fault_proxy(outage)
    first = run_batch(es_request([text_pdfs], data, proxy.url))
    assert [f.code for f in first.failed] == ["index_error", "not_indexed"]
    backend = ElasticsearchBackend(es_env)
    try:
        assert backend.documents().total == 1  # the outage left the listing behind the pages
        again = run_batch(es_request([text_pdfs], data, es_env.url))
        assert again.failed == [] and again.unchanged == 3
        assert_reconciled(backend, data)
    finally:
        backend.close()


def test_listing_entries_refused_item_by_item_are_reported(text_pdfs, tmp_path, es_env, fault_proxy):
    """A shard failure on the documents index (HTTP 200, every item failed) is that document's
    index_error, not silence; the re-run reconciles."""
    from foialens.flows.batch import run_batch

    data = tmp_path / "data"
    proxy = fault_proxy(lambda m, p, b: "items_500" if "_bulk" in p and docs_bulk(b) else "forward")
    first = run_batch(es_request([text_pdfs], data, proxy.url))
    assert len(first.failed) == 3 and {f.code for f in first.failed} == {"index_error"}
    assert "injected_shard_failure" in first.failed[0].message
    again = run_batch(es_request([text_pdfs], data, es_env.url))
    assert again.failed == []
    backend = ElasticsearchBackend(es_env)
    try:
        assert_reconciled(backend, data)
    finally:
        backend.close()


# --- item 8: the cluster comes back empty --------------------------------------------------------


def osmem_indices(url: str) -> set[str]:
    with urllib.request.urlopen(f"{url}/_cat/indices?format=json", timeout=10) as resp:
        return {row["index"] for row in json.loads(resp.read())}


@pytest.mark.parametrize("force", [False, True])
def test_cluster_restarted_empty_mid_ingest(sample_batch, text_pdfs, tmp_path, es_env, restartable_osmem,
                                            monkeypatch, force):
    """osmem is killed and a new, empty one starts on the same port while a batch is running:
    nothing is written to plain auto-created indices under the alias names; the next run
    recreates the indices and catches up, `reindex` restores the documents of earlier batches,
    and search works afterwards."""
    from concurrent.futures import Future

    from foialens.flows.batch import run_batch
    from foialens.flows.document import ingest_document
    from foialens.flows.reindex import rebuild_index
    from foialens.search.records import SearchQuery
    from foialens.settings import Settings

    url = restartable_osmem.url
    monkeypatch.setenv("FOIALENS_ES_URL", url)
    prefix = es_env.index_prefix
    data = tmp_path / "data"
    earlier = tmp_path / "earlier"
    earlier.mkdir()
    (earlier / "task-order.pdf").write_bytes((sample_batch / "ice-hsi-palantir-icm-task-order.pdf").read_bytes())
    assert run_batch(es_request([earlier], data, url, batch="earlier")).failed == []

    calls = {"n": 0}

    def submit(path, ctx):
        calls["n"] += 1
        if calls["n"] == 2:  # the cluster restarts, empty, after the first document of this batch
            restartable_osmem.restart_empty()
        future: Future = Future()
        future.set_result(ingest_document(path, ctx))
        return future

    summary = run_batch(es_request([text_pdfs], data, url, force=force), submit=submit)
    assert summary.failed and summary.failed[0].code == "index_error"
    assert {f.code for f in summary.failed} <= {"index_error", "not_indexed"}
    assert not osmem_indices(url) & {f"{prefix}-pages", f"{prefix}-docs"}  # no plain indices under alias names

    again = run_batch(es_request([text_pdfs], data, url))  # the next run repairs and catches up
    assert again.failed == []
    report = rebuild_index(Settings(data_dir=data, backend="elasticsearch"))  # reindex brings back the earlier batch
    assert report.errors == [] and report.documents == 4
    backend = ElasticsearchBackend(es_env.model_copy(update={"url": url}))
    try:
        assert_reconciled(backend, data)
        result = backend.search(SearchQuery(text="contractor", page_size=5))  # sorts on keyword id: no fielddata error
        assert result.total > 0
    finally:
        backend.close()


def test_plain_indices_under_the_alias_names_are_repaired(text_pdfs, tmp_path, es_env, osmem_es_url):
    """What an older version left behind after such a restart (pages auto-indexed into plain
    indices named like the aliases, default mappings): opening the backend repairs it, and
    ingest and reindex work without anyone deleting indices by hand."""
    from foialens.flows.batch import run_batch
    from foialens.flows.reindex import rebuild_index
    from foialens.search.records import SearchQuery
    from foialens.settings import Settings

    prefix = es_env.index_prefix
    for kind, doc in (("pages", {"id": "x:00001", "doc_id": "x", "text": "stray"}), ("docs", {"doc_id": "x"})):
        req = urllib.request.Request(f"{osmem_es_url}/{prefix}-{kind}/_doc/1?refresh=true", method="PUT",
                                     data=json.dumps(doc).encode(), headers={"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=10).read()
    assert {f"{prefix}-pages", f"{prefix}-docs"} <= osmem_indices(osmem_es_url)
    data = tmp_path / "data"
    summary = run_batch(es_request([text_pdfs], data, osmem_es_url))
    assert summary.failed == []
    assert rebuild_index(Settings(data_dir=data, backend="elasticsearch", es={"url": osmem_es_url})).errors == []
    backend = ElasticsearchBackend(es_env)
    try:
        assert_reconciled(backend, data)
        assert backend.search(SearchQuery(text="agreement")).total > 0
        assert set(backend.client.indices.get_alias(name=f"{prefix}-pages")) == {f"{prefix}-pages-v2"}
    finally:
        backend.close()


# --- item 6: writes go to the cluster the user named ---------------------------------------------


@pytest.mark.slow
def test_ingest_writes_only_to_the_cluster_named_with_es_url(text_pdfs, tmp_path, es_env, fault_proxy,
                                                             restartable_osmem):
    """FOIALENS_ES_URL names cluster A, `--es-url` cluster B: a real `foialens ingest` (Prefect
    flow run with the launcher's parameters), `reindex` and `search` send nothing to A."""
    cluster_a = fault_proxy()  # in front of the session osmem
    cluster_b = fault_proxy(target=restartable_osmem.url)  # a second, separate osmem
    env = {**os.environ, "FOIALENS_DATA_DIR": str(tmp_path / "data"), "FOIALENS_ES_URL": cluster_a.url,
           "FOIALENS_EXTRACT_WORKERS": "1"}

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "foialens.cli.main", *args, "--backend", "elasticsearch",
                               "--es-url", cluster_b.url], capture_output=True, text=True, env=env, timeout=400,
                              cwd=ROOT)

    done = cli("ingest", str(text_pdfs), "--batch", "named", "--json", "--no-ocr")
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout)["pages_indexed"] > 0
    assert cli("reindex").returncode == 0
    found = cli("search", "agreement", "--json")
    assert found.returncode == 0 and json.loads(found.stdout)["total"] > 0
    assert cluster_a.log == []  # not one request to the cluster the user did not name
    assert any("_bulk" in path for _, path, _ in cluster_b.log)
    prefix = es_env.index_prefix
    assert f"{prefix}-pages-v2" in osmem_indices(restartable_osmem.url)
    assert not {i for i in osmem_indices(es_env.url) if i.startswith(prefix)}
