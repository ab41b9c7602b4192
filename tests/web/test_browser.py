"""End to end in headless Chromium (Debian's /usr/bin/chromium, no browser download) against a
real uvicorn server on a free loopback port: search, facets, document and page views, CSV
export, login, uploads; screenshots go to test-artifacts/ (git-ignored)."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.web import Server, make_pdf

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
TOKEN = "browser-test-token-123"


@pytest.fixture(scope="module")
def server(web_info):
    app = create_app(Settings(data_dir=web_info["data_dir"]), start_jobs=False)
    with Server(app) as s:
        yield s


@pytest.fixture()
def page(browser):
    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1300, "height": 900})
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.on("dialog", lambda d: (problems.append(f"dialog: {d.message}"), d.dismiss()))
    pg.problems = problems
    yield pg
    ctx.close()


def test_search_facet_document_page_and_export(page, server, web_info, tmp_path):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server.url + "/")
    page.fill("input[name=q]", "license plate")
    page.press("input[name=q]", "Enter")
    page.wait_for_selector(".hit")
    assert page.locator(".hit mark").count() >= 1
    total_before = int(page.locator(".total strong").inner_text())

    # narrow by a facet, see the chip, then remove it
    page.click("section.facet[data-field=vendors] a[data-value=vigilant_solutions]")
    page.wait_for_selector(".chip")
    assert "Vendors: " in page.locator(".chip").first.inner_text()
    narrowed = int(page.locator(".total strong").inner_text())
    assert 1 <= narrowed <= total_before
    assert page.locator(".hit").count() == page.locator(".hit .tag-vendors", has_text="Vigilant").count()
    page.screenshot(path=str(ARTIFACTS / "web-search.png"), full_page=True)

    # CSV export of the current result set
    with page.expect_download() as dl:
        page.click("text=CSV")
    path = tmp_path / "export.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert len(rows) == narrowed
    assert all(r["page"] and len(r["doc_id"]) == 64 and "vigilant_solutions" in r["vendors"] for r in rows)

    # the chip removes the filter again
    page.click(".chip")
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 0
    assert int(page.locator(".total strong").inner_text()) == total_before

    # open the page view of a hit: the image loads, redaction boxes are outlined
    page.goto(server.url + "/?q=license+plate&exemptions=b7c&batch=crafted")
    with page.expect_response(lambda r: r.url.endswith(".png")) as png:
        page.click(".hit h3 a")
    assert png.value.status == 200 and png.value.headers["content-type"] == "image/png"
    page.wait_for_selector("svg.page-svg")
    assert page.locator("rect.redaction").count() >= 1
    assert page.locator("mark.hl-clause").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "web-page.png"), full_page=True)

    # and the document view with its tags and the original PDF
    page.click(".crumbs a >> nth=0")
    page.wait_for_selector("table.clauses")
    assert page.locator("table.clauses", has_text="ICE/DHS access").count() == 1
    with page.expect_download() as dl:
        page.click("text=Download original PDF")
    pdf = tmp_path / "original.pdf"
    dl.value.save_as(pdf)
    assert pdf.read_bytes().startswith(b"%PDF-")
    page.screenshot(path=str(ARTIFACTS / "web-document.png"), full_page=True)
    assert not page.problems, page.problems  # no CSP violations, script errors or dialogs


def test_hostile_page_text_stays_text(page, server, web_info):
    page.goto(server.url + f"/documents/{web_info['xss_doc']}/pages/1")
    text = page.locator("pre.page-text").inner_text()
    assert '<script>alert("xss")</script>' in text
    assert page.locator("pre.page-text script, pre.page-text img").count() == 0
    page.goto(server.url + "/?q=memo+alert")
    page.wait_for_selector(".hit")
    assert page.locator(".hit h2 script, .hit img").count() == 0
    assert not page.problems, page.problems


def test_login_then_upload_and_ingest(browser, web_info, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(web_info["data_dir"], data)
    app = create_app(Settings(data_dir=data), token=TOKEN, runner="builtins:dict")
    pdf = tmp_path / "clinic.pdf"
    make_pdf(pdf, ["Vigilant Solutions LEARN data sharing"])
    with Server(app) as s:
        ctx = browser.new_context()
        page = ctx.new_page()
        page.goto(s.url + "/batches")
        assert "/login" in page.url
        page.fill("input[name=token]", "not-the-token")
        page.click("form.login button")
        assert page.locator(".error").inner_text() == "wrong token"
        page.fill("input[name=token]", TOKEN)
        page.click("form.login button")
        page.wait_for_url(s.url + "/batches")
        page.set_input_files("input[name=files]", str(pdf))
        page.fill("form[action='/batches/upload'] input[name=batch]", "clinic upload")
        page.click("form[action='/batches/upload'] button")
        page.wait_for_selector(".notice")
        assert "queued" in page.locator(".notice").first.inner_text()
        for _ in range(100):
            page.goto(s.url + "/batches")
            if page.locator(".job-done").count():
                break
            page.wait_for_timeout(200)
        assert page.locator(".job-done", has_text="clinic upload").count() == 1
        assert (data / "uploads" / "clinic-upload" / "clinic.pdf").read_bytes() == pdf.read_bytes()
        page.screenshot(path=str(ARTIFACTS / "web-batches.png"), full_page=True)
        ctx.close()


def test_api_docs_render_offline(page, server):
    """Swagger UI is served from this server's own assets (no CDN) and lists the API."""
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server.url}/docs")
    page.wait_for_selector(".opblock-summary-path", timeout=15_000)
    paths = [t.replace("\u200b", "") for t in page.locator(".opblock-summary-path").all_inner_texts()]
    assert "/api/search" in paths and "/api/documents/{doc_id}" in paths
    assert all(u.startswith(server.url) or u.startswith("data:") for u in requests), requests
    assert not page.problems
