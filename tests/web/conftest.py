"""What the web tests share: the session's data directory (the real flow on the sample batch plus
crafted documents, built once: tests/support/web.py), an in-process client on it, and the headless
Chromium of the browser tests (Debian's /usr/bin/chromium, no browser download), one per test
module, skipped where it is not installed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from foialens.settings import Settings
from foialens.web.app import create_app
from tests.support.web import LOCAL, build_data_dir

CHROMIUM = os.environ.get("FOIALENS_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="module")
def browser():
    if not shutil.which(CHROMIUM) and not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session")
def web_info(tmp_path_factory, sample_batch):
    return build_data_dir(tmp_path_factory, sample_batch)


@pytest.fixture(scope="module")
def client(web_info):
    app = create_app(Settings(data_dir=web_info["data_dir"]), start_jobs=False)
    with TestClient(app, base_url=LOCAL) as c:
        yield c
