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


def test_cli_ingest_against_a_silent_node_exits_2_quickly(silent, text_pdfs, tmp_path):
    env = {**os.environ, "FOIALENS_DATA_DIR": str(tmp_path / "data"), "FOIALENS_ES_PLAIN_JSON": "true"}
    t = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "ingest", str(text_pdfs),
                           "--backend", "elasticsearch", "--es-url", silent.url],
                          capture_output=True, text=True, env=env, timeout=120, cwd=ROOT)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "did not answer within" in " ".join(done.stderr.split())
    assert time.monotonic() - t < 30  # was 126 s (4 x 30 s)
