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
    """ElasticsearchConfig for the osmem server with a prefix unique to this test."""
    from foialens.search.config import ElasticsearchConfig

    return ElasticsearchConfig(
        url=osmem_es_url,
        index_prefix=f"t{os.getpid()}-{next(_counter)}",
        plain_json=True,
        max_retries=1,
        retry_backoff=0.05,
        request_timeout=10,
    )


class FlakyProxy:
    """A real HTTP proxy in front of a search server: answers the first ``fail_first`` requests
    with ``fail_status`` (or every request when fail_first < 0), forwards the rest, and records
    the method, path and headers of every request it receives."""

    def __init__(self, target: str, fail_first: int = 0, fail_status: int = 503):
        import http.client
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlsplit

        self.fail_first = fail_first
        self.fail_status = fail_status
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        proxy = self
        upstream = urlsplit(target)

        class Handler(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}))
                n = len(proxy.requests)
                if proxy.fail_first < 0 or n <= proxy.fail_first:
                    payload = b'{"error":{"type":"unavailable","reason":"injected by test proxy"},"status":%d}' % proxy.fail_status
                    self.send_response(proxy.fail_status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=30)
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                conn.request(self.command, self.path, body=body or None, headers=headers)
                resp = conn.getresponse()
                data = resp.read()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                conn.close()

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def flaky_proxy(osmem_es_url: str):
    """Factory: FlakyProxy(fail_first, fail_status) in front of the osmem server."""
    proxies: list[FlakyProxy] = []

    def make(fail_first: int = 0, fail_status: int = 503) -> FlakyProxy:
        proxies.append(FlakyProxy(osmem_es_url, fail_first, fail_status))
        return proxies[-1]

    yield make
    for p in proxies:
        p.close()
