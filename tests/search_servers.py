"""Search server fixtures: a real osmem-server (OpenSearch-compatible, in memory) over HTTP.

The server binary ships in the osmem-server wheel (osmem_server/bin/osmem-server); it is
started once per session on a free loopback port and stopped at the end. Every test gets its
own index prefix, so tests never see each other's indices.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator

import pytest

_counter = itertools.count()


@pytest.fixture(scope="session")
def osmem_es_url() -> Iterator[str]:
    """URL of a session-wide osmem-server on 127.0.0.1 (free port picked by the server)."""
    from osmem_server import OsmemServer

    server = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def es_config(osmem_es_url: str):
    """BackendConfig for the osmem server with a prefix unique to this test."""
    from search.config import BackendConfig

    return BackendConfig(
        kind="elasticsearch",
        es_url=osmem_es_url,
        index_prefix=f"t{os.getpid()}-{next(_counter)}",
        plain_json_headers=True,
        max_retries=1,
        retry_backoff=0.05,
        request_timeout=10,
    )
