"""Web app and JSON API against a real index (real ingest flow on the sample batch when the
pipeline is complete, plus crafted documents): search, facets, documents, pages, exports,
batches, uploads, and the safety rules (escaping, paths, token, headers, limits)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from foialens.settings import Settings
from foialens.web.app import create_app
from foialens.web.common import csv_cell
from tests.support.web import LOCAL, make_pdf

TOKEN = "correct-horse-battery-staple"


def _doc_ids(result):
    return {h["doc_id"] for h in result["hits"]}


# --- search -------------------------------------------------------------------------------------


def test_search_returns_highlighted_hits_and_facets(client):
    r = client.get("/api/search", params={"q": "license plate"})
    assert r.status_code == 200
    body = r.json()
    assert body["total"] >= 1 and body["hits"]
    hit = body["hits"][0]
    assert {"doc_id", "title", "path", "page", "snippet", "vendors", "clauses"} <= set(hit)
    assert "<mark>" in hit["snippet"]
    assert any(v["value"] == "vigilant_solutions" for v in body["facets"]["vendors"])


def test_filters_narrow_and_are_anded(client):
    wide = client.get("/api/search", params={"q": "vigilant"}).json()
    narrow = client.get("/api/search", params={"q": "vigilant", "exemptions": "b7c"}).json()
    assert 1 <= narrow["total"] <= wide["total"]
    assert all("b7c" in h["exemptions"] for h in narrow["hits"])
    browse = client.get("/api/search", params={"vendors": "vigilant_solutions", "agencies": "ice"}).json()
    assert browse["total"] >= 1
    assert all("vigilant_solutions" in h["vendors"] and "ice" in h["agencies"] for h in browse["hits"])


def test_pagination_with_page_and_cursor(client):
    first = client.get("/api/search", params={"batch": ["crafted"], "page_size": 1}).json()
    assert first["total"] == 5 and len(first["hits"]) == 1 and first["next_cursor"]
    second = client.get("/api/search", params={"batch": "crafted", "page_size": 1, "page": 2}).json()
    by_cursor = client.get(
        "/api/search", params={"batch": "crafted", "page_size": 1, "cursor": first["next_cursor"]}
    ).json()
    assert second["hits"][0]["page"] == by_cursor["hits"][0]["page"]
    assert (second["hits"][0]["doc_id"], second["hits"][0]["page"]) != (first["hits"][0]["doc_id"], first["hits"][0]["page"])


@pytest.mark.parametrize(
    "params, code",
    [
        ({"q": ""}, "empty_query"),
        ({"q": "   "}, "empty_query"),
        ({"q": '"license plate'}, "query_syntax"),
        ({"q": "-ice"}, "query_syntax"),
        ({"q": "ice", "cursor": "garbage!!"}, "query_syntax"),
        ({"q": "ice", "page_size": "0"}, "invalid_request"),
        ({"q": "ice", "page": "abc"}, "invalid_request"),
    ],
)
def test_bad_queries_are_400_json(client, params, code):
    r = client.get("/api/search", params=params)
    assert r.status_code == 400, r.text
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"] == code and r.json()["detail"]


def test_html_search_syntax_error_is_400_page(client):
    r = client.get("/", params={"q": '"unbalanced'})
    assert r.status_code == 400
    assert "never closed" in r.text or "quote" in r.text
    assert 'value="&#34;unbalanced"' in r.text  # the query stays in the box, escaped


def test_html_search_page_facets_and_removal(client):
    r = client.get("/", params={"q": "vigilant", "vendors": "vigilant_solutions"})
    assert r.status_code == 200
    assert "Vigilant Solutions" in r.text  # display name from the gazetteer (or the id)
    assert 'class="chip"' in r.text and "remove this filter" in r.text
    assert "/export.csv?q=vigilant&amp;vendors=vigilant_solutions" in r.text


# --- documents and pages -----------------------------------------------------------------------


def test_document_contract_and_views(client, web_info):
    doc = web_info["foia_doc"]
    r = client.get(f"/api/documents/{doc}")
    assert r.status_code == 200
    c = r.json()
    assert c["doc_id"] == doc and c["pages"] == 1
    assert c["clauses"][0]["label"] == "ice_access"
    assert c["exemptions"][0]["code"] == "b7c" and c["redactions"][0]["page"] == 1
    html = client.get(f"/documents/{doc}").text
    assert "ICE/DHS access" in html and "(b)(7)(C)" in html and "original.pdf" in html
    assert c["clauses"][0]["text"] in html


def test_page_api_image_and_overlay(client, web_info):
    doc = web_info["foia_doc"]
    p = client.get(f"/api/documents/{doc}/pages/1").json()
    assert p["redactions"][0]["bbox"] == [150.0, 120.0, 300.0, 136.0]
    assert p["tags"]["exemptions"] == ["b7c"] and p["tags"]["clauses"] == ["ice_access"]
    img = client.get(p["image_url"])
    assert img.status_code == 200 and img.content[:8] == b"\x89PNG\r\n\x1a\n"
    cached = list((Path(web_info["data_dir"]) / "cache" / "pages" / doc).glob("*.png"))
    assert len(cached) == 1
    html = client.get(f"/documents/{doc}/pages/1").text
    assert '<rect class="redaction" x="150.0" y="120.0" width="150.0" height="16.0"' in html
    assert 'class="hl-clause"' in html
    assert client.get(f"/documents/{doc}/pages/2").status_code == 404
    assert client.get(f"/documents/{doc}/pages/2.png").status_code == 404
    assert client.get(f"/api/documents/{doc}/pages/0").status_code == 404


def test_original_pdf_download(client, web_info):
    doc = web_info["foia_doc"]
    r = client.get(f"/documents/{doc}/original.pdf")
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    assert r.headers["content-disposition"].startswith("attachment")
    assert "foia-production.pdf" in r.headers["content-disposition"]


# --- export -------------------------------------------------------------------------------------


def test_export_csv_and_jsonl_have_citations(client):
    total = client.get("/api/search", params={"q": "vigilant"}).json()["total"]
    r = client.get("/export.csv", params={"q": "vigilant"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert len(rows) == total == int(r.headers["x-foialens-total"])
    for row in rows:
        assert len(row["doc_id"]) == 64 and int(row["page"]) >= 1 and row["title"] and row["path"]
        assert "<mark>" not in row["snippet"] and row["url"].endswith(f"/pages/{row['page']}")
    lines = client.get("/export.jsonl", params={"q": "vigilant"}).text.splitlines()
    objs = [json.loads(line) for line in lines]
    assert len(objs) == total and isinstance(objs[0]["vendors"], list)


def test_export_is_bounded_and_errors_are_400(web_info):
    app = create_app(Settings(data_dir=web_info["data_dir"]), start_jobs=False, export_limit=2)
    with TestClient(app, base_url=LOCAL) as c:
        r = c.get("/export.jsonl", params={"batch": "crafted"})
        assert len(r.text.splitlines()) == 2 and r.headers["x-foialens-total"] == "5"
        bad = c.get("/export.csv", params={"q": '"open'})
        assert bad.status_code == 400 and bad.json()["error"] == "query_syntax"
        assert c.get("/export.csv").status_code == 400
        assert c.get("/export.xml", params={"q": "ice"}).status_code == 404


def test_csv_cells_cannot_be_formulas():
    assert csv_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert csv_cell("@SUM(A1)") == "'@SUM(A1)"
    assert csv_cell(["a", "b"]) == "a; b"
    assert csv_cell(3) == "3"


# --- escaping -----------------------------------------------------------------------------------


def test_page_text_and_titles_are_escaped(client, web_info):
    doc = web_info["xss_doc"]
    pages = [
        client.get(f"/documents/{doc}/pages/1").text,
        client.get(f"/documents/{doc}").text,
        client.get("/", params={"q": "memo"}).text,
        client.get("/", params={"batch": "crafted"}).text,
    ]
    for html in pages:
        assert "<script>alert" not in html and "<img src=x" not in html
        assert "&lt;script&gt;alert(" in html
    search = client.get("/", params={"q": "memo"}).text
    assert "<mark>" in search  # the backend's highlight markup survives
    # the API returns the backend's escaped snippet (only <mark> is markup)
    hits = client.get("/api/search", params={"q": "memo alert"}).json()["hits"]
    snippet = next(h["snippet"] for h in hits if h["doc_id"] == web_info["xss_doc"] and h["page"] == 1)
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet


def test_query_text_is_escaped_everywhere(client):
    r = client.get("/", params={"q": '"><script>alert(1)</script>'})
    assert "<script>alert(1)</script>" not in r.text


# --- file access ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd/original.pdf",
        "/documents/../../etc/passwd",
        "/api/documents/..%2Findex.sqlite",
        "/documents/" + "A" * 64 + "/original.pdf",
        "/documents/" + "0" * 63 + "/original.pdf",
        "/documents/" + "0" * 64 + "/original.pdf",
        "/documents/" + "0" * 64 + "/pages/1.png",
        "/static/../index.sqlite",
        "/static/..%2Findex.sqlite",
        "/static/%2e%2e/%2e%2e/flows/settings.py",
        "/batches/..%2F..%2Fetc",
        "/api/jobs/..%2F..%2Findex",
    ],
)
def test_paths_cannot_leave_the_data_directory(client, url):
    r = client.get(url)
    assert r.status_code in (400, 404), (url, r.status_code)
    assert b"SQLite format" not in r.content and b"root:" not in r.content


# --- token ----------------------------------------------------------------------------------------


def test_token_required_off_localhost(web_info):
    settings = Settings(data_dir=web_info["data_dir"])
    for host in ("0.0.0.0", "192.168.1.20", "::"):
        with pytest.raises(ValueError, match="token"):
            create_app(settings, host=host, start_jobs=False)
    with pytest.raises(ValueError, match="12 characters"):
        create_app(settings, host="0.0.0.0", token="short", start_jobs=False)
    create_app(settings, host="0.0.0.0", token=TOKEN, start_jobs=False)
    create_app(settings, host="::1", start_jobs=False)


def test_token_header_cookie_and_login(web_info, monkeypatch):
    monkeypatch.setenv("FOIALENS_TOKEN", TOKEN)
    app = create_app(Settings(data_dir=web_info["data_dir"]), host="0.0.0.0", start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        assert c.get("/api/search", params={"q": "ice"}).status_code == 401
        assert c.get("/api/search", params={"q": "ice"}, headers={"Authorization": "Bearer nope-nope-nope"}).status_code == 401
        assert c.get("/api/search", params={"q": "ice"}, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 200
        assert c.get("/api/search", params={"q": "ice"}, headers={"X-Foialens-Token": TOKEN}).status_code == 200
        assert c.get("/openapi.json").status_code == 401
        doc = web_info["foia_doc"]
        assert c.get(f"/documents/{doc}/original.pdf", follow_redirects=False).status_code == 303
        r = c.get("/?q=ice", follow_redirects=False)
        assert r.status_code == 303 and r.headers["location"].startswith("/login?next=")
        assert c.get("/static/style.css").status_code == 200 and c.get("/login").status_code == 200
        bad = c.post("/login", data={"token": "wrong-wrong-wrong", "next": "/"}, follow_redirects=False)
        assert bad.status_code == 401
        ok = c.post("/login", data={"token": TOKEN, "next": "//evil.example/"}, follow_redirects=False)
        assert ok.status_code == 303 and ok.headers["location"] == "/"
        cookie = ok.cookies.get("foialens_session")
        assert cookie and TOKEN not in cookie
        set_cookie = ok.headers["set-cookie"].lower()
        assert "httponly" in set_cookie and "samesite=strict" in set_cookie
        assert c.get("/?q=ice").status_code == 200  # the client keeps the cookie
        assert c.post("/logout", follow_redirects=False).status_code == 303


def test_security_headers_and_csp(client):
    r = client.get("/")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["x-frame-options"] == "DENY"
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", r.text, re.S)
    assert all('src="/static/' in attrs and not body.strip() for attrs, body in scripts), scripts  # none inline
    assert "style=" not in r.text


def test_cross_site_posts_are_refused(client):
    r = client.post("/batches/ingest", data={"path": "/tmp"}, headers={"Origin": "https://evil.example"})
    assert r.status_code == 403
    r = client.post("/batches/ingest", data={"path": "/tmp"}, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403


# --- batches, ingest and uploads ------------------------------------------------------------------


def test_batches_api_and_pages(client):
    body = client.get("/api/batches").json()
    names = [b["batch"] for b in body["batches"]]
    assert "crafted" in names
    crafted = next(b for b in body["batches"] if b["batch"] == "crafted")
    assert crafted["documents"] == 3 and crafted["pages"] == 5
    html = client.get("/batches").text
    assert "crafted" in html and 'action="/batches/upload"' in html and 'action="/batches/ingest"' in html
    page = client.get("/batches/crafted").text
    assert "FOIA production 2019-ICLI-0042" in page
    assert client.get("/batches/no-such-batch").status_code == 404


def test_post_batches_validates_paths(client, tmp_path):
    assert client.post("/api/batches", json={"paths": []}).status_code == 400
    r = client.post("/api/batches", json={"paths": [str(tmp_path / "missing")]})
    assert r.status_code == 400 and r.json()["error"] == "invalid_path"
    assert client.post("/api/batches", json={"paths": ["relative/dir"]}).status_code == 400
    (tmp_path / "notes.txt").write_text("x")
    assert client.post("/api/batches", json={"paths": [str(tmp_path / "notes.txt")]}).status_code == 400


def _wait_job(c, job_id, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = c.get(f"/api/jobs/{job_id}").json()
        if job["state"] not in ("queued", "running"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still {job['state']}")


def test_ingest_job_runs_in_a_worker_process(web_info, tmp_path):
    """The job machinery with stand-in runners (builtins.dict echoes its arguments; json.dumps
    rejects them): state, result and failure reason are recorded and shown."""
    settings = Settings(data_dir=tmp_path / "data")
    folder = tmp_path / "in"
    folder.mkdir()
    make_pdf(folder / "a.pdf", ["hello"])
    for runner, state in (("builtins:dict", "done"), ("json:dumps", "failed")):
        app = create_app(settings, runner=runner)
        with TestClient(app, base_url=LOCAL) as c:
            r = c.post("/api/batches", json={"paths": [str(folder)], "batch": "My batch"})
            assert r.status_code == 202 and r.json()["state"] == "queued"
            job = _wait_job(c, r.json()["id"])
            assert job["state"] == state, job
            if state == "done":
                assert job["summary"]["paths"] == [str(folder)] and job["summary"]["batch"] == "My batch"
                assert job["summary"]["data_dir"] == str(settings.data_dir)
            else:
                assert "TypeError" in job["error"]
            assert state in c.get("/batches").text


def _pdf_bytes(tmp_path, name="x.pdf", size=0) -> bytes:
    path = tmp_path / name
    make_pdf(path, ["uploaded document about Vigilant"])
    data = path.read_bytes()
    return data + b"\n%" + b"0" * size if size else data


def test_upload_saves_pdfs_under_uploads(web_info, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app(settings, max_upload_mb=1, start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        pdf = _pdf_bytes(tmp_path)
        files = [("files", ("../../evil name.pdf", pdf, "application/pdf")),
                 ("files", ("second.PDF", pdf, "application/pdf"))]
        r = c.post("/api/batches/upload", files=files, data={"batch": "Clinic upload 1"})
        assert r.status_code == 202, r.text
        job = r.json()
        folder = Path(job["paths"][0])
        assert folder.parent == (settings.data_dir / "uploads").resolve()
        assert folder.name == "clinic-upload-1" and job["batch"] == "Clinic upload 1"
        assert sorted(p.name for p in folder.iterdir()) == ["evil name.pdf", "second.PDF"]
        # the HTML form redirects back to the batch page with a message
        r = c.post("/batches/upload", files=[("files", ("a.pdf", pdf, "application/pdf"))], follow_redirects=False)
        assert r.status_code == 303 and "queued" in r.headers["location"]


def test_upload_limits(web_info, tmp_path):
    settings = Settings(data_dir=tmp_path / "data")
    app = create_app(settings, max_upload_mb=1, start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        big = _pdf_bytes(tmp_path, size=1_200_000)
        r = c.post("/api/batches/upload", files=[("files", ("big.pdf", big, "application/pdf"))])
        assert r.status_code == 413 and r.json()["error"] == "too_large"
        r = c.post("/api/batches/upload", files=[("files", ("notes.txt", b"hello", "text/plain"))])
        assert r.status_code == 400 and r.json()["error"] == "not_pdf"
        r = c.post("/api/batches/upload", files=[("files", ("fake.pdf", b"MZ\x90\x00 not a pdf", "application/pdf"))])
        assert r.status_code == 400 and r.json()["error"] == "not_pdf"
        r = c.post("/api/batches/upload", data={"batch": "x"}, files=[("other", ("a.pdf", b"%PDF-1.4", "application/pdf"))])
        assert r.status_code == 400
        assert not (settings.data_dir / "uploads").exists() or not any((settings.data_dir / "uploads").iterdir())
        # a streamed body without Content-Length is cut off at the limit too
        def chunks():
            yield b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"s.pdf\"\r\n\r\n%PDF-"
            for _ in range(40):
                yield b"0" * 65536
            yield b"\r\n--b--\r\n"
        r = c.post("/api/batches/upload", content=chunks(),
                   headers={"content-type": "multipart/form-data; boundary=b"})
        assert r.status_code == 413


def test_openapi_documents_the_api(client):
    spec = client.get("/openapi.json").json()
    for path in ("/api/search", "/api/documents/{doc_id}", "/api/documents/{doc_id}/pages/{page}",
                 "/api/batches", "/api/jobs/{job_id}"):
        assert path in spec["paths"], path
    assert "post" in spec["paths"]["/api/batches"]
    assert client.get("/docs").status_code == 200


# --- the real sample batch --------------------------------------------------------------------


def test_sample_batch_vigilant_license_plate_clauses(client, web_info):
    r = client.get("/api/search", params={"q": "license plate", "vendors": "vigilant_solutions", "batch": "sample"})
    body = r.json()
    assert body["total"] >= 1
    clauses = {v["value"] for v in body["facets"]["clauses"]}
    assert clauses & {"ice_access", "ice_restriction"}
    doc = body["hits"][0]["doc_id"]
    contract = client.get(f"/api/documents/{doc}").json()
    assert any(v["id"] == "vigilant_solutions" for v in contract["vendors"])
    assert client.get(f"/documents/{doc}/pages/{body['hits'][0]['page']}.png").status_code == 200
    names = [b["batch"] for b in client.get("/api/batches").json()["batches"]]
    assert "sample" in names


def test_page_without_stored_original(web_info, tmp_path):
    from tests.support.web import add_results, crafted_results

    data = tmp_path / "data"
    items = crafted_results(tmp_path / "src", batch="lost")
    add_results(data, items, batch="lost")
    doc = items[1][1].doc_id
    (data / "files" / f"{doc}.pdf").unlink()
    with TestClient(create_app(Settings(data_dir=data), start_jobs=False), base_url=LOCAL) as c:
        r = c.get(f"/documents/{doc}/pages/1")
        assert r.status_code == 200 and "not stored" in r.text and "<svg" not in r.text
        assert c.get(f"/documents/{doc}/original.pdf").status_code == 404
        assert c.get(f"/documents/{doc}/pages/1.png").status_code == 404


@pytest.mark.slow
def test_web_ingest_runs_the_real_flow(web_info, tmp_path):
    """POST /api/batches with the default runner: the worker process runs flows.ingest."""
    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(web_info["sample_dir"] / sorted(p.name for p in web_info["sample_dir"].glob("*.pdf"))[0], src)
    settings = Settings(data_dir=tmp_path / "data")
    with TestClient(create_app(settings), base_url=LOCAL) as c:
        r = c.post("/api/batches", json={"paths": [str(src)], "batch": "via web"})
        job = _wait_job(c, r.json()["id"], timeout=240)
        assert job["state"] == "done", (job["error"], job.get("log_tail"))
        assert job["summary"]["documents"] == 1 and job["summary"]["batch"] == "via web"
        assert c.get("/api/search", params={"batch": "via web"}).json()["total"] >= 1
        assert "via web" in [b["batch"] for b in c.get("/api/batches").json()["batches"]]
