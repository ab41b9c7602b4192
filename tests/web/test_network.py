"""The data-sharing network in the web UI and API (real data directory, real SQLite index)."""

from __future__ import annotations

from tests.support.web import XSS


def test_api_relations_to_ice_takes_hsi(client):
    body = client.get("/api/relations", params={"to": "ice"}).json()
    crafted = [r for r in body["relations"] if r["source_id"] == "local-ca-riverton-police"]
    assert [(r["recipient_id"], r["polarity"]) for r in crafted] == [("hsi", "grant")]  # grants by default
    assert crafted[0]["text"] == "DHS - HSI (Newark NJ)" and crafted[0]["page"] == 1
    both = client.get("/api/relations", params={"to": "ice", "polarity": "any", "from": "local-ca-riverton-police"}).json()
    assert both["total"] == 2
    assert client.get("/api/relations", params={"polarity": "sometimes"}).status_code == 400


def test_api_network_elements(client):
    graph = client.get("/api/network", params={"from": "local-ca-riverton-police", "polarity": "any"}).json()
    assert {n["data"]["id"] for n in graph["nodes"]} == {"local-ca-riverton-police", "hsi", "ice"}
    assert {(e["data"]["target"], e["data"]["polarity"]) for e in graph["edges"]} == {("hsi", "grant"), ("ice", "restrict")}


def test_agency_page_lists_shares_with_evidence_links(client, web_info):
    page = client.get("/agencies/local-ca-riverton-police")
    assert page.status_code == 200
    html = page.text
    assert "Riverton Police Department (CA)" in html and "HSI (Newark NJ)" in html
    assert f'/documents/{web_info["foia_doc"]}/pages/1' in html
    assert "(restriction)" in html and "<script>alert" not in html  # evidence text is escaped
    assert "local-ca-riverton-police" in {g["id"] for g in client.get("/api/agencies/hsi").json()["receives_from"]}
    assert client.get("/agencies/local-nowhere-police").status_code == 404


def test_network_page_has_graph_and_table(client):
    html = client.get("/network", params={"to": "dhs"}).text
    assert 'id="graph"' in html and "/static/vendor/cytoscape.min.js" in html and "/static/network.js" in html
    assert 'id="network-table"' in html and "Riverton Police Department (CA)" in html
    assert client.get("/static/vendor/cytoscape.min.js").status_code == 200


def test_document_page_shows_relations_and_key_clauses(client, web_info):
    html = client.get(f"/documents/{web_info['foia_doc']}").text
    assert "Data-sharing relations (2)" in html and XSS not in html
    hit = client.get("/api/search", params={"clauses": "ice_access", "batch": "sample"}).json()["hits"][0]
    tagged = client.get(f"/documents/{hit['doc_id']}").text
    assert "Key clauses" in tagged and "ICE/DHS access" in tagged
