"""Issue 14 in headless Chromium against a real server: facets that OR within a field and add what
they say, keyboard navigation and the skip link, the reader (zoom, jump, thumbnails, citations),
bad redactions, entity pages, saving a search, a correction; an axe-core audit (WCAG 2 A/AA) of
every page kind. Screenshots go to test-artifacts/ (docs/screenshots/ holds the chosen ones)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.web import Server
from tests.web.test_browser import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.slow]

AXE = Path(__file__).resolve().parent.parent / "support" / "vendor" / "axe.min.js"


@pytest.fixture(scope="module")
def server(web_info, tmp_path_factory):
    import shutil

    data = tmp_path_factory.mktemp("workbench") / "data"  # this module writes (searches, notes)
    shutil.copytree(web_info["data_dir"], data)
    app = create_app(Settings(data_dir=data), start_jobs=False)
    with Server(app) as s:
        yield s


def _page(browser, **options):
    ctx = browser.new_context(viewport={"width": 1300, "height": 900}, **options)
    pg = ctx.new_page()
    problems: list[str] = []
    pg.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: problems.append(str(e)))
    pg.problems = problems
    return ctx, pg


@pytest.fixture()
def page(browser):
    ctx, pg = _page(browser)
    yield pg
    ctx.close()


def total(page) -> int:
    return int(page.locator("h2.total strong").first.inner_text())


def test_facets_or_within_a_field_add_what_they_say(page, server):
    page.goto(server.url + "/?q=license+plate")
    page.click("section.facet[data-field=vendors] a[data-value=vigilant_solutions]")
    page.wait_for_selector(".chip")
    one = total(page)
    flock = page.locator("section.facet[data-field=vendors] li", has=page.locator("a[data-value=flock_safety]"))
    adds = int(flock.locator(".count").inner_text().lstrip("+"))
    assert adds > 0
    flock.locator("a").click()
    page.wait_for_load_state()
    assert page.locator(".chip").count() == 2 and total(page) == one + adds
    assert page.locator("section.facet[data-field=vendors] h3", has_text="any of").count() == 1
    page.screenshot(path=str(ARTIFACTS / "workbench-facets.png"), full_page=True)
    assert not page.problems, page.problems


def test_keyboard_skip_link_and_result_navigation(page, server, web_info):
    page.goto(server.url + "/?q=informant")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("j")
    first = page.evaluate("document.activeElement.className")
    assert first == "hit-link"
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.locator("#q").blur()
    page.keyboard.press("j")
    page.keyboard.press("Enter")
    page.wait_for_selector("pre.page-text")
    assert "q=informant" in page.url
    assert page.locator("pre.page-text mark.hl-q").count() >= 1
    assert not page.problems, page.problems


def test_reader_zoom_jump_and_citation(page, server, web_info):
    ARTIFACTS.mkdir(exist_ok=True)
    page.goto(server.url + f"/documents/{web_info['leak_doc']}/read?q=informant")
    page.wait_for_selector("#p2")
    assert page.locator(".thumbs img").count() == 2
    page.wait_for_function("Array.from(document.querySelectorAll('.thumbs img')).every(i => i.complete && i.naturalWidth > 0)")
    width = page.locator("#p1 svg.page-svg").bounding_box()["width"]
    page.click("button[data-zoom='1']")
    assert page.locator("#zoom-level").inner_text() == "125%"
    assert page.locator("#p1 svg.page-svg").bounding_box()["width"] > width * 1.1
    page.click("button[data-zoom='0']")
    page.fill("#jump-page", "2")
    page.press("#jump-page", "Enter")
    page.wait_for_function("location.hash === '#p2'")
    assert page.evaluate("document.activeElement.id") == "p2"
    assert page.locator("#p1 mark.leaked").inner_text() == "Maria Q. Example, 14 Elm St"
    assert "DHS-ICE-000101" in page.locator("#p1 button.cite").get_attribute("data-cite")
    found = page.request.get(server.url + "/api/search", params={"q": '"ICLI-00001"', "redactions": "text_under_box"})
    doc = found.json()["hits"][0]["doc_id"]  # the sample batch's FOIA production with a bad redaction
    page.goto(server.url + f"/documents/{doc}/read?q=license+plate")
    page.wait_for_function("Array.from(document.querySelectorAll('.page-svg image')).length > 0")
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "workbench-reader.png"), full_page=False)
    page.goto(server.url + f"/documents/{doc}/read?q=license+plate&page=4")
    page.wait_for_timeout(800)
    page.screenshot(path=str(ARTIFACTS / "workbench-reader-leak.png"), full_page=False)
    assert not page.problems, page.problems


def test_save_a_search_and_correct_a_tag(page, server, web_info):
    page.goto(server.url + "/?q=clearview")
    page.click("text=save this search")
    page.fill("#search-name", "Clearview in new batches")
    page.click("form button[type=submit] >> text=Save search")
    page.wait_for_selector(".saved")
    assert page.locator(".saved h2", has_text="Clearview in new batches").count() == 1
    page.goto(server.url + f"/documents/{web_info['foia_doc']}/pages/1")
    page.click("details.note-form summary")
    page.select_option("select[name=action]", "wrong")
    page.select_option("select[name=field]", "clauses")
    page.fill("input[name=value]", "ice_access")
    page.fill("input[name=note]", "a query, not access")
    page.click("details.note-form button[type=submit]")
    page.wait_for_selector(".note-wrong")
    assert "a query, not access" in page.locator(".note-wrong").inner_text()
    assert not page.problems, page.problems


def test_grouped_results_and_bad_redactions(page, server):
    page.goto(server.url + "/?q=license+plate&group=document")
    assert page.locator(".doc-hit").count() == int(page.locator(".doc-count").inner_text())
    page.screenshot(path=str(ARTIFACTS / "workbench-grouped.png"), full_page=True)
    page.goto(server.url + "/redactions")
    assert page.locator("table.bad-redactions mark.leaked", has_text="Maria Q. Example").count() == 1
    page.screenshot(path=str(ARTIFACTS / "workbench-redactions.png"), full_page=True)
    page.goto(server.url + "/vendors/vigilant_solutions")
    assert page.locator("h1").inner_text() == "Vigilant Solutions"
    page.screenshot(path=str(ARTIFACTS / "workbench-vendor.png"), full_page=True)
    assert not page.problems, page.problems


AUDITED = [
    "/", "/?q=license+plate", "/?q=license+plate&vendors=vigilant_solutions&group=document",
    "/?q=license+zzzqqq", "/redactions", "/searches", "/corrections", "/vendors/vigilant_solutions",
    "/data-types/alpr", "/agencies/ice", "/batches", "/network?to=dhs",
]


def test_axe_finds_no_wcag_a_or_aa_violations(browser, server, web_info):
    """axe-core (vendored from npm) on every kind of page. The audit's own script is injected, so
    this context bypasses the CSP; the other tests keep it."""
    ctx, page = _page(browser, bypass_csp=True)
    doc, leak = web_info["foia_doc"], web_info["leak_doc"]
    paths = [*AUDITED, f"/documents/{doc}", f"/documents/{doc}/pages/1?q=license",
             f"/documents/{leak}/read?q=informant", f"/documents/{leak}/pages/1"]
    found = {}
    for path in paths:
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        page.add_script_tag(path=str(AXE))
        result = page.evaluate("""() => axe.run(document, {runOnly: {type: 'tag',
            values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})""")
        bad = [f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes'][:3]]}"
               for v in result["violations"]]
        if bad:
            found[path] = bad
    ctx.close()
    assert not found, "\n".join(f"{p}: {b}" for p, bs in found.items() for b in bs)


def test_csp_is_kept_on_every_new_page(page, server, web_info):
    """No page needs an inline script or style: the CSP stays strict and nothing is blocked."""
    for path in ("/?q=license+plate&group=document", f"/documents/{web_info['leak_doc']}/read",
                 "/redactions", "/vendors/vigilant_solutions", "/searches"):
        response = page.goto(server.url + path)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert not re.search(r"<script>(?!</script>)|style=", page.content().split("<body>")[1])
    assert not page.problems, page.problems


def test_export_a_selection_of_hits(browser, server, tmp_path):
    import csv

    ctx = browser.new_context(accept_downloads=True, viewport={"width": 1300, "height": 900})
    page = ctx.new_page()
    page.goto(server.url + "/?q=license+plate")
    picks = page.locator("input.pick")
    chosen = [picks.nth(0).get_attribute("value"), picks.nth(2).get_attribute("value")]
    picks.nth(0).check()
    picks.nth(2).check()
    with page.expect_download() as dl:
        page.click(".selection-bar button:has-text('CSV')")
    path = tmp_path / "chosen.csv"
    dl.value.save_as(path)
    rows = list(csv.DictReader(path.open(encoding="utf-8")))
    assert sorted(f"{r['doc_id']}:{r['page']}" for r in rows) == sorted(chosen)
    with page.expect_download() as dl:
        page.click(".selection-bar button:has-text('citations')")
    cites = tmp_path / "chosen.md"
    dl.value.save_as(cites)
    lines = [line for line in cites.read_text(encoding="utf-8").splitlines() if line.startswith("- ")]
    assert len(lines) == 2 and all(any(c.replace(":", "/pages/") in line for c in chosen) for line in lines)
    ctx.close()


def test_network_graph_is_drawn_under_the_csp(page, server):
    """/network draws its graph with the vendored cytoscape.js (no CDN, no inline script): the
    canvas holds as many nodes as the API returns, the table lists the same relations, and the
    browser reports no error or CSP violation."""
    response = page.goto(server.url + "/network?to=dhs")
    assert "unsafe-inline" not in response.headers["content-security-policy"]
    page.wait_for_selector("#graph[data-drawn]", timeout=20_000)
    api = page.request.get(server.url + "/api/network?to=dhs").json()
    assert int(page.get_attribute("#graph", "data-drawn")) == len(api["nodes"]) > 1
    assert page.locator("#graph canvas").count() >= 1
    assert page.locator("table tbody tr").count() >= 1
    page.screenshot(path=str(ARTIFACTS / "network.png"))
    assert not page.problems, page.problems
