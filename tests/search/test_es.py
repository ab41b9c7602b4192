"""Elasticsearch backend specifics, over real HTTP (osmem-server, optionally via a real proxy)."""

from __future__ import annotations

import socket
import time

import pytest

from foialens.search.backend import BackendUnavailable
from foialens.search.es_backend import ElasticsearchBackend
from foialens.search.es_transport import plain_mimetype
from foialens.search.records import PageRecord, SearchQuery
from tests.support.search_records import CORPUS


def test_plain_mimetype():
    assert plain_mimetype("application/vnd.elasticsearch+json; compatible-with=9") == "application/json"
    assert plain_mimetype("application/vnd.elasticsearch+x-ndjson; compatible-with=9") == "application/x-ndjson"
    assert plain_mimetype("application/json") == "application/json"


def test_plain_json_node_sends_plain_media_types(es_config, flaky_proxy):
    proxy = flaky_proxy()
    backend = ElasticsearchBackend(es_config.model_copy(update={"url": proxy.url}))
    backend.replace_documents(CORPUS[:3])
    assert backend.search(SearchQuery(text="vigilant")).total == 3
    backend.close()
    sent = {h.get("content-type") for _, _, h in proxy.requests} | {h.get("accept") for _, _, h in proxy.requests}
    assert sent - {None} <= {"application/json", "application/x-ndjson"}
    assert any(path.endswith("/_bulk") or "/_bulk" in path for _, path, _ in proxy.requests)


def test_versioned_indices_behind_aliases(es_config):
    backend = ElasticsearchBackend(es_config)
    backend.replace_documents(CORPUS)
    p = es_config.index_prefix
    assert set(backend.client.indices.get_alias(name=f"{p}-pages")) == {f"{p}-pages-v1"}
    backend.rebuild(CORPUS)
    backend.rebuild(CORPUS[:5])
    assert set(backend.client.indices.get_alias(name=f"{p}-pages")) == {f"{p}-pages-v3"}
    assert set(backend.client.indices.get_alias(name=f"{p}-docs")) == {f"{p}-docs-v3"}
    assert not backend.client.indices.exists(index=f"{p}-pages-v1")
    assert not backend.client.indices.exists(index=f"{p}-pages-v2")
    settings = backend.client.indices.get_settings(index=f"{p}-pages-v3")[f"{p}-pages-v3"]["settings"]["index"]
    assert settings["refresh_interval"] == "1s" and str(settings["number_of_replicas"]) == "0"
    mapping = backend.client.indices.get_mapping(index=f"{p}-pages-v3")[f"{p}-pages-v3"]["mappings"]
    assert mapping["properties"]["id"]["type"] == "keyword"
    assert mapping["properties"]["text"]["analyzer"] == "foialens_text"
    assert backend.count() == 5
    backend.close()


def test_retries_transient_errors_with_backoff(es_config, flaky_proxy):
    proxy = flaky_proxy(fail_first=2, fail_status=503)
    cfg = es_config.model_copy(update={"url": proxy.url, "max_retries": 3, "retry_backoff": 0.05})
    t = time.monotonic()
    backend = ElasticsearchBackend(cfg)  # first request fails twice, then succeeds
    assert time.monotonic() - t >= 0.05 + 0.1  # waited 0.05 s, then 0.1 s
    report = backend.replace_documents(CORPUS[:3])
    assert report.indexed == 3 and not report.errors
    backend.close()


def test_unavailable_after_retries(es_config, flaky_proxy):
    proxy = flaky_proxy(fail_first=-1, fail_status=503)
    cfg = es_config.model_copy(update={"url": proxy.url, "max_retries": 2, "retry_backoff": 0.01})
    with pytest.raises(BackendUnavailable, match=r"unavailable .* after 3 attempt"):
        ElasticsearchBackend(cfg)
    assert len(proxy.requests) == 3


def test_unreachable_cluster_is_a_clear_error(es_config):
    with socket.socket() as s:  # a free port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    cfg = es_config.model_copy(update={"url": f"http://127.0.0.1:{port}", "max_retries": 1, "retry_backoff": 0.01})
    with pytest.raises(BackendUnavailable, match=f"127.0.0.1:{port}"):
        ElasticsearchBackend(cfg)


def test_per_document_errors_are_reported(es_config):
    backend = ElasticsearchBackend(es_config)
    good = CORPUS[:3]
    bad = PageRecord(doc_id="z" * 64, page=2**40, path="z.pdf", text="page number overflows an integer field")
    report = backend.replace_documents([*good, bad])
    assert report.indexed == 3 and report.documents == 1
    assert [e["doc_id"] for e in report.errors] == ["z" * 64]
    assert report.errors[0]["reason"]
    assert backend.count() == 3
    backend.close()


def test_live_indices_of_an_older_version_get_the_new_fields_in_place(es_config):
    """Indices made before ``programs`` (pages) and ``via`` / the rule fields (relations) existed:
    opening the backend adds the fields to the live mappings, the old pages stay searchable and
    new pages with programs are written, filtered and counted."""
    from foialens.search import es_relations
    from foialens.search.es_mappings import DOC_MAPPINGS, PAGE_MAPPINGS, index_settings
    from foialens.search.records import SearchQuery

    p = es_config.index_prefix
    old = {"pages": {**PAGE_MAPPINGS, "properties": {k: v for k, v in PAGE_MAPPINGS["properties"].items() if k != "programs"}},
           "docs": DOC_MAPPINGS,
           "relations": {**es_relations.RELATION_MAPPINGS, "properties": {
               k: v for k, v in es_relations.RELATION_MAPPINGS["properties"].items() if k not in ("via", "jurisdiction")}}}
    first = ElasticsearchBackend(es_config)
    client = first.client
    for kind, mappings in old.items():  # stand in for the indices an older version made
        client.indices.delete(index=f"{p}-{kind}-v1")
        client.indices.create(index=f"{p}-{kind}-v1", settings=index_settings(1, 0), mappings=mappings)
        client.indices.update_aliases(actions=[{"add": {"index": f"{p}-{kind}-v1", "alias": f"{p}-{kind}"}}])
    assert "programs" not in client.indices.get_mapping(index=f"{p}-pages")[f"{p}-pages-v1"]["mappings"]["properties"]
    backend = ElasticsearchBackend(es_config)
    pages = client.indices.get_mapping(index=f"{p}-pages")[f"{p}-pages-v1"]["mappings"]["properties"]
    relations = client.indices.get_mapping(index=f"{p}-relations")[f"{p}-relations-v1"]["mappings"]["properties"]
    assert pages["programs"] == {"type": "keyword"} and relations["via"] == {"type": "keyword"}
    backend.replace_documents(CORPUS)
    res = backend.search(SearchQuery(filters={"programs": ["learn_nvls"]}))
    assert res.total == 1 and res.hits[0].programs == ["learn_nvls"]
    assert {f.value for f in res.facets["programs"]} == {"learn_nvls"}
    first.close()
    backend.close()
