"""Fixtures of the fault suite: real servers and files with faults injected (tests/support/faults.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.faults import FaultProxy, RestartableOsmem

CONTRACT = "harrow-county-vigilant-alpr-contract.pdf"
MOU = "oregon-dmv-fusion-center-mou.pdf"
POLICY = "riverton-pd-alpr-policy.pdf"


@pytest.fixture
def fault_proxy(osmem_es_url):
    """Factory: FaultProxy(rule) in front of the session osmem server (or ``target``)."""
    proxies: list[FaultProxy] = []

    def make(rule=None, target: str | None = None) -> FaultProxy:
        proxies.append(FaultProxy(target or osmem_es_url, rule) if rule else FaultProxy(target or osmem_es_url))
        return proxies[-1]

    yield make
    for p in proxies:
        p.close()


@pytest.fixture
def restartable_osmem():
    server = RestartableOsmem()
    yield server
    server.close()


@pytest.fixture
def text_pdfs(sample_batch, tmp_path) -> Path:
    """A folder with three text-layer PDFs of the sample batch (no OCR: fast)."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (CONTRACT, MOU, POLICY):
        shutil.copy(sample_batch / name, folder / name)
    return folder
