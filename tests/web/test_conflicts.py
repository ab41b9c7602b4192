"""The conflicts page and API over a data directory built by the real pipeline from a sharing
report and the laws it breaks (tests/support/laws.py)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.laws import conflict_data_dir


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    info = conflict_data_dir(tmp_path_factory)
    app = create_app(Settings(data_dir=info["data_dir"]), start_jobs=False)
    with TestClient(app, base_url="http://127.0.0.1") as c:
        yield c


def test_api_conflicts(client):
    body = client.get("/api/conflicts", params={"from": "local-riverton-police", "to": "ice"}).json()
    assert body["total"] == 2 and body["rules"] >= 5
    cites = {c["rule"]["citation"] for c in body["conflicts"]}
    assert cites == {"Cal. Civ. Code § 1798.90.55", "Cal. Gov. Code § 7284.6"}
    assert all(c["grant"]["recipient_id"] == "hsi" and c["reasons"] for c in body["conflicts"])
    assert client.get("/api/conflicts", params={"polarity": "sometimes"}).status_code == 400


def test_conflicts_page_shows_both_pieces_of_evidence(client):
    page = client.get("/conflicts", params={"from": "local-riverton-police"})
    assert page.status_code == 200
    html = page.text
    assert "Conflicts" in html and 'id="conflicts-table"' in html
    assert "DHS - HSI (San Diego CA)" in html and "Alpharetta Police Department (GA)" in html
    assert "Cal. Civ. Code § 1798.90.55" in html and "shall not sell, share, or transfer ALPR information" in html
    assert "/documents/" in html and "learn_nvls" in html
    assert "Anaheim" not in html  # sharing within California's public agencies breaks nothing
    assert '<a href="/conflicts">Conflicts</a>' in client.get("/network").text
