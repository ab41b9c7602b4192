"""Item 10: hostile query text. Deeply nested parentheses are a syntax error (HTTP 400, CLI exit
2), never a RecursionError; every web error response, a 500 included, carries the security
headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from foialens.search.backend import QuerySyntaxError
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.query import MAX_DEPTH, parse
from foialens.search.records import PageRecord, SearchQuery
from foialens.settings import Settings
from foialens.web.app import create_app
from foialens.web.security import SECURITY_HEADERS

NESTED = "(" * 250 + "ice" + ")" * 250  # 503 characters: under the 1000-character limit


def test_deep_nesting_is_a_syntax_error_not_a_recursion_error():
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse(NESTED)
    with pytest.raises(QuerySyntaxError, match="nested"):
        parse("-(" * 200 + "ice" + ")" * 200)
    # nesting up to the limit still works, on both renderers
    ok = "(" * MAX_DEPTH + "ice OR plate" + ")" * MAX_DEPTH
    assert parse(ok) is not None
    alternating = "a " + "".join(f"(b{i} OR " for i in range(MAX_DEPTH)) + "c" + ")" * MAX_DEPTH
    assert parse(alternating) is not None


@pytest.fixture
def index_dir(tmp_path):
    data = tmp_path / "data"
    backend = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    backend.replace_documents([PageRecord(doc_id="a" * 64, page=1, path="/x.pdf", text="ice plate reader")])
    backend.close()
    return data


def test_web_returns_400_with_security_headers(index_dir):
    app = create_app(Settings(data_dir=index_dir), start_jobs=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for path in ("/api/search", "/", "/export.csv"):
            r = client.get(path, params={"q": NESTED})
            assert r.status_code == 400, (path, r.status_code, r.text[:300])
            assert "nested" in r.text
            for header in SECURITY_HEADERS:
                assert header in r.headers, (path, header)
            assert "content-security-policy" in r.headers


def test_unexpected_errors_are_500_with_security_headers(index_dir):
    """A damaged result file (a real fault: truncated write by another tool) is a 500 that still
    carries the security headers and says what failed, not Starlette's bare text page."""
    doc = "b" * 64
    (index_dir / "results").mkdir(parents=True, exist_ok=True)
    (index_dir / "results" / f"{doc}.json").write_text('{"pipeline_version": "x", "batch": ', encoding="utf-8")
    app = create_app(Settings(data_dir=index_dir), start_jobs=False)
    with TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        for path, kind in ((f"/api/documents/{doc}", "application/json"), (f"/documents/{doc}", "text/html")):
            r = client.get(path)
            assert r.status_code == 500, (path, r.text[:300])
            assert r.headers["content-type"].startswith(kind)
            for header in SECURITY_HEADERS:
                assert header in r.headers, (path, header)
            assert "content-security-policy" in r.headers
        assert client.get(f"/api/documents/{doc}").json()["error"] == "internal_error"


def test_cli_exits_2_with_a_short_message(index_dir):
    env = {**os.environ, "FOIALENS_DATA_DIR": str(index_dir)}
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "search", NESTED],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2, done.stderr[-2000:]
    assert "nested" in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.splitlines()) < 10


def test_backends_reject_it_too(index_dir):
    backend = open_backend(BackendConfig(sqlite_path=index_dir / "index.sqlite"))
    try:
        with pytest.raises(QuerySyntaxError):
            backend.search(SearchQuery(text=NESTED))
    finally:
        backend.close()


def test_413_from_the_body_limit_has_security_headers(tmp_path):
    app = create_app(Settings(data_dir=tmp_path / "data"), max_upload_mb=1, start_jobs=False)
    with TestClient(app, base_url="http://127.0.0.1") as client:
        big = b"%PDF-1.4\n" + b"0" * 1_200_000
        r = client.post("/api/batches/upload", files=[("files", ("big.pdf", big, "application/pdf"))])
        assert r.status_code == 413
        for header in SECURITY_HEADERS:
            assert header in r.headers, header
