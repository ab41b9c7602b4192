"""Issue 14, the clinic's workbench, over HTTP against the real index of the web tests (the sample
batch through the real pipeline plus crafted documents): facet semantics, highlighting, bad
redactions, parameters and page bounds, the OpenAPI document, grouped and sorted results, the
reader, entity pages, citations, saved searches with alerts, notes and corrections."""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from urllib.parse import parse_qsl, urlsplit

import pytest
from fastapi.testclient import TestClient

from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.web import LOCAL


def search(client, **params) -> dict:
    r = client.get("/api/search", params={"page_size": 100, **params})
    assert r.status_code == 200, r.text
    return r.json()


def facet_links(html: str, field: str) -> list[dict]:
    """The facet entries of one field on a search page: href, value, shown count text."""
    section = re.search(rf'<section class="facet" data-field="{field}".*?</section>', html, re.S)
    assert section, f"no {field} facet"
    out = []
    for m in re.finditer(r'<li[^>]*><a href="([^"]+)" data-value="([^"]+)".*?</a>\s*<span class="count[^"]*"[^>]*>([^<]+)</span>',
                         section.group(0), re.S):
        out.append({"href": unescape(m.group(1)), "value": m.group(2), "count": m.group(3)})
    return out


def total_of(client, href: str) -> int:
    params = parse_qsl(urlsplit(href).query)
    return client.get("/api/search", params=params + [("page_size", "1")]).json()["total"]


# --- facets: OR within a field, AND across, counts that say what a click gives -------------------


def test_facet_counts_say_what_a_click_gives(client):
    """Bug: a second value of one field OR-ed the filter (10 -> 11) while the counts were computed
    as AND, so values not on the same pages vanished."""
    html = client.get("/", params={"q": "license plate", "vendors": "vigilant_solutions"}).text
    base = search(client, q="license plate", vendors="vigilant_solutions")["total"]
    vendors = facet_links(html, "vendors")
    others = [v for v in vendors if v["value"] != "vigilant_solutions"]
    assert others, "values of a chosen field that never co-occur with the choice must still show"
    for v in others:
        assert v["count"].startswith("+")
        assert total_of(client, v["href"]) == base + int(v["count"][1:]), v
    assert any(int(v["count"][1:]) > 0 for v in others)
    # a field with nothing chosen: the number is the total a click gives (AND across fields)
    for v in facet_links(html, "clauses"):
        assert total_of(client, v["href"]) == int(v["count"]), v


def test_api_facets_or_within_and_across_fields(client):
    one = search(client, q="license plate", vendors="vigilant_solutions")
    listed = {fv["value"]: fv for fv in one["facets"]["vendors"]}
    assert listed["vigilant_solutions"]["adds"] is None
    flock = listed["flock_safety"]
    both = search(client, q="license plate", vendors=["vigilant_solutions", "flock_safety"])
    assert both["total"] == one["total"] + flock["adds"]
    assert all({"vigilant_solutions", "flock_safety"} & set(h["vendors"]) for h in both["hits"])
    anded = search(client, q="license plate", vendors=["vigilant_solutions", "flock_safety"], clauses="ice_access")
    assert all("ice_access" in h["clauses"] for h in anded["hits"]) and anded["total"] <= both["total"]


def test_facets_show_names_and_years_newest_first(client):
    html = client.get("/", params={"q": "license OR informant"}).text
    vendors = re.search(r'data-field="vendors".*?</section>', html, re.S).group(0)
    assert ">Vigilant Solutions</a>" in vendors and ">vigilant_solutions</a>" not in vendors
    body = search(client, q="license OR informant")
    assert body["labels"]["vendors"]["vigilant_solutions"] == "Vigilant Solutions"
    years = [fv["value"] for fv in body["facets"]["year"]]
    counts = [fv["count"] for fv in body["facets"]["year"]]
    assert years == sorted(years, reverse=True) and "2021" in years
    assert counts != sorted(counts, reverse=True), "the data must tell year order from count order"
    # a parent agency that no document names (pages naming the FBI are found by "doj"): its name
    parent = search(client, agencies="doj")
    assert parent["labels"]["agencies"]["doj"] == "U.S. Department of Justice"
    assert ">U.S. Department of Justice</a>" in client.get("/", params={"agencies": "doj"}).text


# --- highlighting -----------------------------------------------------------------------------------


def test_hit_links_carry_the_query_and_the_page_marks_it(client, web_info):
    html = client.get("/", params={"q": "informant"}).text
    link = re.search(rf'href="(/documents/{web_info["leak_doc"]}/pages/1[^"]*)"', html).group(1)
    assert "q=informant" in unescape(link)
    page = client.get(unescape(link)).text
    text = page[page.index('<pre class="page-text"'):]
    marked = re.findall(r'<mark class="hl-q"[^>]*>([^<]+)</mark>', text)
    assert [m.lower() for m in marked] == ["informant", "informant"]
    api = client.get(f"/api/documents/{web_info['leak_doc']}/pages/1", params={"q": "informant"}).json()
    assert [api["text"][s:e].lower() for s, e in api["highlights"]] == ["informant", "informant"]


def test_title_only_matches_are_highlighted_in_the_title(client, web_info):
    html = client.get("/", params={"q": "HSI 2018"}).text  # "2018" is only in the title
    assert "<mark>2018</mark>" in html
    assert "matches the title" in html


def test_entity_marks_inside_clause_sentences_are_kept(client, web_info):
    html = client.get(f"/documents/{web_info['foia_doc']}/pages/1").text
    both = re.findall(r'<mark class="hl-clause hl-entity"[^>]*>([^<]+)</mark>', html)
    assert "Vigilant Solutions" in both and "ICE" in both and "license plate" in both
    assert 'class="legend"' in html  # what the colours mean


# --- bad redactions ----------------------------------------------------------------------------------


def test_bad_redactions_show_the_leaked_text(client, web_info):
    doc = web_info["leak_doc"]
    page = client.get(f"/documents/{doc}/pages/1").text
    assert '<mark class="leaked">Maria Q. Example, 14 Elm St</mark>' in page
    assert '<mark class="hl-leaked"' in page  # and where it stands in the text
    api = client.get(f"/api/documents/{doc}/pages/1").json()
    assert api["leaked"] == [{"index": 0, "bbox": api["redactions"][0]["bbox"], "text": "Maria Q. Example, 14 Elm St"}]
    overview = client.get(f"/documents/{doc}").text
    assert "Maria Q. Example, 14 Elm St" in overview


def test_bad_redactions_view_across_the_collection(client, web_info):
    html = client.get("/redactions").text
    every = search(client, redactions="text_under_box")
    assert f"<strong>{every['total']}</strong>" in html and every["total"] >= 2
    assert "Maria Q. Example, 14 Elm St" in html
    narrowed = client.get("/redactions", params={"q": "informant"}).text
    assert "Maria Q. Example" in narrowed and "ICLI-00001" not in narrowed


# --- parameters, bounds, limits ---------------------------------------------------------------------


def test_page_past_the_end_goes_to_the_last_page(client):
    total = search(client, q="license plate")["total"]
    last = -(-total // 10)
    r = client.get("/", params={"q": "license plate", "page": 50}, follow_redirects=False)
    assert r.status_code == 303 and f"page={last}" in r.headers["location"]
    html = client.get(r.headers["location"]).text
    assert f"page {last} of {last}" in html and 'rel="next"' not in html


def test_singular_filter_names_are_accepted_and_unknown_ones_refused(client):
    plural = search(client, vendors="flock_safety")
    singular = search(client, vendor="flock_safety")
    assert singular["total"] == plural["total"] >= 1
    assert search(client, data_type="alpr")["total"] == search(client, data_types="alpr")["total"]
    r = client.get("/api/search", params={"q": "ice", "vendr": "palantir"})
    assert r.status_code == 400 and r.json()["error"] == "unknown_parameter" and "vendr" in r.json()["detail"]


def test_body_over_the_limit_names_the_limit(client):
    r = client.post("/api/batches", content=json.dumps({"paths": ["/x" * 40_000]}),
                    headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert r.json()["detail"] == "request body larger than the limit of 64 KB"


def test_openapi_says_what_the_server_does(client):
    spec = client.get("/openapi.json").json()
    text = json.dumps(spec)
    assert '"422"' not in text and "HTTPValidationError" not in text
    search_op = spec["paths"]["/api/search"]["get"]
    assert search_op["responses"]["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        **spec["components"]["securitySchemes"]["bearerAuth"], "type": "http", "scheme": "bearer"}
    upload = spec["paths"]["/api/batches/upload"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    form = spec["components"]["schemas"][upload["$ref"].rsplit("/", 1)[1]]
    assert form["properties"]["files"]["items"] == {"type": "string", "format": "binary"}
    doc = spec["paths"]["/api/documents/{doc_id}"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert doc["$ref"].endswith("/DocumentOut")
    assert {"vendors", "clauses", "relations", "bates"} <= set(spec["components"]["schemas"]["DocumentOut"]["properties"])


def test_typed_document_response_validates_the_stored_contract(client, web_info):
    for doc in (web_info["foia_doc"], web_info["leak_doc"], web_info["xss_doc"]):
        r = client.get(f"/api/documents/{doc}")
        assert r.status_code == 200 and r.json()["doc_id"] == doc


# --- result views ------------------------------------------------------------------------------------


def test_results_grouped_by_document(client):
    every = search(client, q="license plate")
    docs = {h["doc_id"] for h in every["hits"]}
    html = client.get("/", params={"q": "license plate", "group": "document", "page_size": 100}).text
    assert f'<strong class="doc-count">{len(docs)}</strong>' in html
    assert html.count('class="hit doc-hit"') == len(docs)


def test_sort_by_title_and_page_size(client):
    html = client.get("/", params={"q": "license plate", "sort": "title", "page_size": 20}).text
    titles = [unescape(re.sub("<[^>]+>", "", t)) for t in re.findall(r'class="hit-link"[^>]*>(.*?)</a>', html)]
    assert titles == sorted(titles, key=str.casefold) and len(titles) == min(20, search(client, q="license plate")["total"])
    assert client.get("/", params={"q": "x", "sort": "size"}).status_code == 400


def test_empty_results_suggest_ways_out(client):
    html = client.get("/", params={"q": "license zzzqqq"}).text
    assert "Nothing matches" in html
    m = re.search(r'<ul class="suggestions">\s*<li><a href="([^"]+)">[^<]+</a>.*?: (\d+) pages?</li>', html, re.S)
    assert m, html[-2000:]
    assert total_of(client, unescape(m.group(1))) == int(m.group(2)) > 0
    dropped = client.get("/", params={"q": "license", "vendors": "clearview_ai"}).text
    assert "without the filter Vendors" in dropped


# --- the reader, entity pages, citations --------------------------------------------------------------


def test_reader_shows_every_page_with_bates_highlights_and_citations(client, web_info):
    doc = web_info["leak_doc"]
    html = client.get(f"/documents/{doc}/read", params={"q": "page"}).text
    assert 'id="p1"' in html and 'id="p2"' in html
    assert '<span class="bates">DHS-ICE-000102</span>' in html
    assert html.count('class="hl-q"') >= 1 and 'data-cite="Informant file ICE/HSI 2018, DHS-ICE-000101, p. 1 of 2' in html
    assert html.count('<img src="/documents/') == 2  # thumbnails
    r = client.get(f"/documents/{doc}/read", params={"page": 2, "q": "page"}, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"].endswith("#p2") and "q=page" in r.headers["location"]


@pytest.mark.parametrize("path, field, entity", [("vendors", "vendors", "vigilant_solutions"),
                                                  ("data-types", "data_types", "alpr"),
                                                  ("programs", "programs", "learn_nvls")])
def test_entity_pages(client, path, field, entity):
    html = client.get(f"/{path}/{entity}").text
    data = client.get(f"/api/entities/{field}/{entity}").json()
    pages = search(client, **{field: entity})
    assert data["pages"] == pages["total"]
    assert {d["doc_id"] for d in data["documents"]} == {h["doc_id"] for h in pages["hits"]}
    assert data["timeline"] and sum(t["documents"] for t in data["timeline"]) == len(data["documents"])
    assert data["clauses"] and all(c["page"] in next(d["pages"] for d in data["documents"] if d["doc_id"] == c["doc_id"])
                                   for c in data["clauses"])
    assert "Over the years" in html and "Clauses on its pages" in html
    for other, values in data["beside"].items():  # counted on the pages that carry the entity
        if other == field:  # the same field ORs in a search: counted below from the pages themselves
            pages_with = {(h["doc_id"], h["page"]) for h in pages["hits"]}
            for v in values:
                assert v["count"] == len(pages_with & {(h["doc_id"], h["page"]) for h in
                                                       search(client, **{field: v["value"]})["hits"]})
            continue
        for v in values:
            assert v["count"] == search(client, **{field: entity, other: v["value"]})["total"], (other, v)
    if field == "vendors":
        assert data["sharing"], "LEARN sharing through Vigilant Solutions"
        assert "Data sharing through it" in html
    assert client.get(f"/{path}/no_such_entity").status_code == 404


def test_agency_page_has_documents_and_relations(client):
    html = client.get("/agencies/ice").text
    assert "Over the years" in html and "Receives data from" in html


def test_citation_list_has_bates_numbers_and_links(client, web_info):
    doc = web_info["leak_doc"]
    r = client.get("/export.citations", params={"q": "informant OR page"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/markdown")
    assert (f"- Informant file ICE/HSI 2018, DHS-ICE-000101, p. 1 of 2 (batch crafted). "
            f"http://127.0.0.1:8000/documents/{doc}/pages/1") in r.text
    chosen = client.get("/export.citations", params={"q": "informant OR page", "sel": f"{doc}:2"}).text
    assert [line for line in chosen.splitlines() if line.startswith("- ")] == [
        f"- Informant file ICE/HSI 2018, DHS-ICE-000102, p. 2 of 2 (batch crafted). "
        f"http://127.0.0.1:8000/documents/{doc}/pages/2"]


def test_csv_export_of_chosen_pages(client, web_info):
    doc = web_info["leak_doc"]
    r = client.get("/export.csv", params={"q": "informant OR page", "sel": [f"{doc}:2", f"{doc}:1"]})
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert sorted(int(row["page"]) for row in rows) == [1, 2] and {row["doc_id"] for row in rows} == {doc}
    html = client.get("/", params={"q": "informant"}).text
    assert f'name="sel" value="{doc}:1"' in html and 'formaction="/export.csv"' in html


# --- saved searches, notes and corrections --------------------------------------------------------------


def test_saved_searches_alert_on_a_matching_batch(web_info, tmp_path):
    """A saved search, a new batch with and one without a match: the alert is stored with the
    search, listed in the batch summary and shown in the UI."""
    import shutil

    from foialens.flows.alerts import check_saved_searches
    from foialens.search.factory import open_backend
    from foialens.store.batches import to_markdown
    from foialens.store.datadir import DataDir
    from tests.support.web import add_results, crafted_results

    data_dir = tmp_path / "data"
    shutil.copytree(web_info["data_dir"], data_dir)
    app = create_app(Settings(data_dir=data_dir), start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        r = c.post("/api/searches", json={"name": "informants", "q": "informant"})
        assert r.status_code == 201
        assert c.post("/api/searches", json={"q": "ice", "filters": {"nope": ["x"]}}).status_code == 400
        page = c.get("/searches/new", params={"q": "clearview", "vendors": "clearview_ai"})
        assert 'name="vendors" value="clearview_ai"' in page.text
        assert c.post("/searches", data={"q": "clearview", "vendors": "clearview_ai", "name": "Clearview"},
                      follow_redirects=False).status_code == 303
        assert [s["name"] for s in c.get("/api/searches").json()] == ["informants", "Clearview"]

        items = crafted_results(tmp_path / "src", batch="new-release")
        add_results(data_dir, [items[2]], batch="new-release")  # the informant file, in a new batch
        data = DataDir(data_dir)
        backend = open_backend(Settings(data_dir=data_dir).backend_config())
        try:
            alerts = check_saved_searches(backend, data, "new-release")
        finally:
            backend.close()
        assert [(a.name, a.pages) for a in alerts] == [("informants", 2)]  # page 2 by its title
        summary = next(s for s in data.summaries() if s.batch == "new-release")
        summary.alerts = alerts
        data.save_summary(summary)
        assert "informants: 2 pages" in to_markdown(summary)

        saved = c.get("/api/searches").json()
        assert [a["batch"] for a in saved[0]["alerts"]][:1] == ["new-release"] and saved[1]["alerts"] == []
        html = c.get("/searches").text
        assert "new alert" in html and "batch <a" in html and "new-release" in html
        assert "Saved searches matching this batch" in c.get("/batches/new-release").text
        c.post(f"/searches/{saved[0]['id']}/seen")
        assert "new alert" not in c.get("/searches").text


def test_notes_and_corrections(web_info, tmp_path):
    import shutil

    data_dir = tmp_path / "data"
    shutil.copytree(web_info["data_dir"], data_dir)
    doc = web_info["foia_doc"]
    app = create_app(Settings(data_dir=data_dir), start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        r = c.post(f"/documents/{doc}/pages/1/notes", data={"action": "wrong", "field": "clauses", "value": "ice_access",
                                                           "note": "a query, not access"}, follow_redirects=False)
        assert r.status_code == 303
        r = c.post("/api/corrections", json={"doc_id": doc, "page": 1, "action": "missing", "field": "clauses",
                                             "value": "third_party_sharing",
                                             "text": "Name of officer: (b)(6), (b)(7)(C)"})
        assert r.status_code == 201
        assert c.post("/api/corrections", json={"doc_id": doc, "page": 1, "action": "wrong", "field": "vendors",
                                                "value": "palantir"}).status_code == 400  # not on the page
        assert c.post("/api/corrections", json={"doc_id": doc, "page": 9, "action": "note"}).status_code == 404
        page = c.get(f"/documents/{doc}/pages/1").text
        assert "Wrong tag" in page and "a query, not access" in page and "Missing tag" in page
        assert "Notes and corrections (2)" in c.get(f"/documents/{doc}").text
        rows = list(csv.DictReader(io.StringIO(c.get("/corrections.csv").text)))
        assert [(r["action"], r["value"]) for r in rows] == [("wrong", "ice_access"), ("missing", "third_party_sharing")]
        assert rows[0]["text"].startswith("ICE ERO may query the LEARN")  # the tagged sentence, filled in
        lines = [json.loads(line) for line in c.get("/corrections.jsonl").text.splitlines()]
        assert lines[1]["url"].endswith(f"/documents/{doc}/pages/1")
        assert "2 clause corrections usable as training data" in c.get("/corrections").text
        first = c.get("/api/corrections", params={"doc_id": doc}).json()[0]
        assert c.delete(f"/api/corrections/{first['id']}").status_code == 204
        assert len(c.get("/api/corrections").json()) == 1
    from foialens.store.datadir import DataDir

    examples = DataDir(data_dir).corrections().training_examples()
    assert examples == [{"text": "Name of officer: (b)(6), (b)(7)(C)", "labels": ["third_party_sharing"],
                         "source": "correction", "group": examples[0]["group"]}]
