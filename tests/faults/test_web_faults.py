"""Items 11-13: the web server under hostile or unlucky conditions, with real uvicorn servers
where the network matters (DNS rebinding, a TLS-terminating proxy) and real server processes
where ownership matters (a second `serve` on the same data directory)."""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import PageRecord
from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.web import LOCAL, Server, free_port

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "correct-horse-battery-staple"


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    backend = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    backend.replace_documents([PageRecord(doc_id="a" * 64, page=p, path="/in/a.pdf", title="ALPR contract",
                                          batch="b1", text=f"Vigilant license plate reader page {p}")
                               for p in (1, 2)])
    backend.close()
    return data


# --- item 11: DNS rebinding and citation URLs ------------------------------------------------------


def test_tokenless_server_answers_only_to_loopback_host_names(data_dir, tmp_path):
    """A page on evil.example whose name now resolves to 127.0.0.1 (DNS rebinding) sends
    Host: evil.example: refused, for reads and for POST /api/batches (no Origin header needed)."""
    folder = tmp_path / "in"
    folder.mkdir()
    app = create_app(Settings(data_dir=data_dir), start_jobs=False)
    with Server(app) as server:
        for host in ("evil.example", "evil.example:%d" % server.port, "192.168.1.5", "127.0.0.1.nip.io"):
            r = httpx.get(server.url + "/api/search", params={"q": "plate"}, headers={"Host": host})
            assert r.status_code == 421 and r.json()["error"] == "misdirected_request", host
            assert "x-frame-options" in r.headers
            r = httpx.post(server.url + "/api/batches", json={"paths": [str(folder)]}, headers={"Host": host})
            assert r.status_code == 421, host
        assert not (data_dir / "jobs").exists() or not list((data_dir / "jobs").glob("*.json"))
        for host in (f"127.0.0.1:{server.port}", f"localhost:{server.port}", "localhost", f"[::1]:{server.port}"):
            r = httpx.get(server.url + "/api/search", params={"q": "plate"}, headers={"Host": host})
            assert r.status_code == 200, host


def test_a_token_server_may_be_reached_by_any_name(data_dir):
    app = create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False)
    with TestClient(app, base_url="http://foia.example.org") as client:
        r = client.get("/api/search", params={"q": "plate"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 200


def export_urls(client, **headers) -> list[str]:
    r = client.get("/export.csv", params={"q": "plate"}, headers=headers)
    assert r.status_code == 200, r.text
    return [row["url"] for row in csv.DictReader(io.StringIO(r.text))]


def test_citation_urls_come_from_configuration_not_the_host_header(data_dir):
    app = create_app(Settings(data_dir=data_dir, public_url="https://foia.example.org/archive"), host="0.0.0.0",
                     token=TOKEN, start_jobs=False)
    with TestClient(app, base_url="http://attacker.example") as client:
        auth = {"Authorization": f"Bearer {TOKEN}"}
        urls = export_urls(client, **auth)
        assert urls and all(u.startswith("https://foia.example.org/archive/documents/" + "a" * 64) for u in urls)
        jsonl = client.get("/export.jsonl", params={"q": "plate"}, headers=auth).text.splitlines()
        assert json.loads(jsonl[0])["url"].startswith("https://foia.example.org/archive/documents/")
    # without public_url: the address `serve` listens on, whatever Host says
    app = create_app(Settings(data_dir=data_dir), host="127.0.0.1", port=8123, start_jobs=False)
    with TestClient(app, base_url="http://localhost:9999") as client:
        assert all(u.startswith("http://127.0.0.1:8123/documents/") for u in export_urls(client))


def test_public_url_is_validated():
    with pytest.raises(ValueError, match="public_url"):
        Settings(public_url="javascript:alert(1)")
    assert Settings(public_url="https://foia.example.org").public_url == "https://foia.example.org/"


# --- item 12: sessions ---------------------------------------------------------------------------


def login(client, token=TOKEN, **headers):
    return client.post("/login", data={"token": token, "next": "/"}, headers=headers, follow_redirects=False)


@pytest.fixture
def token_app(data_dir):
    return create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False)


def test_logout_revokes_the_session(token_app):
    with TestClient(token_app, base_url=LOCAL) as client:
        ok = login(client)
        assert ok.status_code == 303
        cookie = ok.cookies["foialens_session"]
        assert client.get("/api/search", params={"q": "plate"}).status_code == 200
        assert client.post("/logout", follow_redirects=False).status_code == 303
        # the old cookie, replayed (stolen, or kept by a browser that ignored the deletion)
        client.cookies.set("foialens_session", cookie)
        assert client.get("/api/search", params={"q": "plate"}).status_code == 401
        # a fresh login gives a different session
        again = login(client)
        assert again.cookies["foialens_session"] != cookie


def test_sessions_expire_on_the_server(data_dir):
    app = create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False, session_ttl=1.0)
    with TestClient(app, base_url=LOCAL) as client:
        cookie = login(client).cookies["foialens_session"]
        assert client.get("/api/search", params={"q": "plate"}).status_code == 200
        time.sleep(1.5)
        client.cookies.set("foialens_session", cookie)  # the browser still sends it
        assert client.get("/api/search", params={"q": "plate"}).status_code == 401


def test_a_session_does_not_survive_a_restart_and_is_not_derived_from_the_token(token_app, data_dir):
    with TestClient(token_app, base_url=LOCAL) as client:
        cookie = login(client).cookies["foialens_session"]
    restarted = create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False)
    with TestClient(restarted, base_url=LOCAL) as client:
        client.cookies.set("foialens_session", cookie)
        assert client.get("/api/search", params={"q": "plate"}).status_code == 401
        assert login(client).cookies["foialens_session"] != cookie


def test_logins_are_throttled(token_app):
    with TestClient(token_app, base_url=LOCAL) as client:
        for _ in range(5):
            assert login(client, token="wrong-wrong-wrong").status_code == 401
        r = login(client)  # even the right token, while locked out
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
        # guessing through the API headers counts too
        r = client.get("/api/search", params={"q": "plate"}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert r.status_code == 429


def test_wrong_header_tokens_are_throttled(token_app):
    with TestClient(token_app, base_url=LOCAL) as client:
        for _ in range(5):
            r = client.get("/api/search", params={"q": "x"}, headers={"X-Foialens-Token": "guess-guess-guess"})
            assert r.status_code == 401
        assert login(client).status_code == 429


def test_blank_or_whitespace_tokens_are_refused(data_dir, monkeypatch):
    for bad in (" " * 16, "\t" * 12, " correct-horse-battery "):
        with pytest.raises(ValueError, match="blank|whitespace"):
            create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=bad, start_jobs=False)
    monkeypatch.setenv("FOIALENS_TOKEN", "              ")  # not silently "no token" on loopback
    with pytest.raises(ValueError, match="blank|whitespace"):
        create_app(Settings(data_dir=data_dir), start_jobs=False)
    monkeypatch.delenv("FOIALENS_TOKEN")
    app = create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False)
    with TestClient(app, base_url=LOCAL) as client:
        for blank in ("Bearer ", "Bearer    ", "Bearer\t"):
            assert client.get("/api/search", params={"q": "x"}, headers={"Authorization": blank}).status_code == 401
        assert login(client, token="   ").status_code == 401


def test_secure_cookie_behind_a_tls_proxy_with_proxy_headers(data_dir):
    """Behind a TLS-terminating proxy on the same host: with proxy_headers the scheme comes from
    X-Forwarded-Proto and the cookie is Secure; without it the header is not trusted."""
    for proxy_headers, secure in ((True, True), (False, False)):
        app = create_app(Settings(data_dir=data_dir), host="0.0.0.0", token=TOKEN, start_jobs=False,
                         proxy_headers=proxy_headers)
        with Server(app) as server:
            r = httpx.post(server.url + "/login", data={"token": TOKEN, "next": "/"},
                           headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
            assert r.status_code == 303
            assert ("secure" in r.headers["set-cookie"].lower()) is secure, r.headers["set-cookie"]


def test_cli_serve_has_proxy_headers_option():
    done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "serve", "--help"], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "COLUMNS": "200"})
    assert "--proxy-headers" in done.stdout and "--forwarded-allow-ips" in done.stdout


# --- item 13: a second server on the same data directory --------------------------------------------


SERVE = """
import sys, uvicorn
from foialens.settings import Settings
from foialens.web.app import create_app
app = create_app(Settings(data_dir=sys.argv[1]), runner="tests.support.web:slow_runner")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
"""


def start_server(data_dir: Path, port: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FOIALENS_TEST_RUNNER_SECONDS": "8"}
    proc = subprocess.Popen([sys.executable, "-c", SERVE, str(data_dir), str(port)], env=env, cwd=ROOT,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=1).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise RuntimeError("server did not start")


def wait_state(url: str, job_id: str, states: set[str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = httpx.get(f"{url}/api/jobs/{job_id}", timeout=5).json()
        if job["state"] in states:
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} is {job['state']}, not {states}")


@pytest.mark.slow
def test_a_second_server_leaves_the_first_servers_jobs_alone(data_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    first_port = free_port()
    first = start_server(data_dir, first_port)
    url = f"http://127.0.0.1:{first_port}"
    try:
        job = httpx.post(f"{url}/api/batches", json={"paths": [str(folder)], "batch": "long"}, timeout=10).json()
        wait_state(url, job["id"], {"running"})
        # a second server starts on the same data directory while the job runs
        second = create_app(Settings(data_dir=data_dir), runner="tests.support.web:slow_runner")
        with TestClient(second, base_url=LOCAL) as client:
            assert client.get(f"/api/jobs/{job['id']}").json()["state"] == "running"
            done = wait_state(url, job["id"], {"done", "failed", "interrupted"})
            assert done["state"] == "done", done
    finally:
        os.killpg(first.pid, signal.SIGTERM)
        first.wait(30)


@pytest.mark.slow
def test_jobs_of_a_server_that_died_are_marked_interrupted(data_dir, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    port = free_port()
    server = start_server(data_dir, port)
    url = f"http://127.0.0.1:{port}"
    job = httpx.post(f"{url}/api/batches", json={"paths": [str(folder)], "batch": "doomed"}, timeout=10).json()
    wait_state(url, job["id"], {"running"})
    os.killpg(server.pid, signal.SIGKILL)  # the server and its worker process die
    server.wait(30)
    time.sleep(0.5)
    later = create_app(Settings(data_dir=data_dir), start_jobs=True)
    with TestClient(later, base_url=LOCAL) as client:
        state = client.get(f"/api/jobs/{job['id']}").json()
        assert state["state"] == "interrupted" and "submit it again" in state["error"]
