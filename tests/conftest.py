"""Shared test fixtures. Environment for tesseract and Prefect is set before anything imports them."""

from __future__ import annotations

pytest_plugins = ["tests.search_servers"]

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect-test"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def sample_batch() -> Path:
    """The bundled sample batch, generated once per generator version into .cache/."""
    from foialens.samples.generate import generate_sample_batch

    return generate_sample_batch(CACHE / "sample-batch")


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    """../shared/corpus; tests using it are skipped when it is absent."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not present")
    return CORPUS
