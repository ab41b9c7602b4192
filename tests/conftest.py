"""Shared test fixtures. The process environment for tesseract and Prefect comes from
foialens.environment (the one place it is defined) plus a project-local PREFECT_HOME."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from foialens.environment import configure_environment

pytest_plugins = ["tests.support.search_servers"]

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / ".cache"
CORPUS = ROOT.parent / "shared" / "corpus"

os.environ.setdefault("PREFECT_HOME", str(ROOT / ".prefect-test"))
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
configure_environment()


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


@pytest.fixture(scope="session")
def clause_model_path() -> Path:
    """The clause model artifact in the cache directory, built once (setup.sh normally built it)."""
    from foialens.models.training import artifact_path, ensure_model
    from foialens.settings import Settings

    path = artifact_path(Settings().cache_dir)
    ensure_model(path)
    return path


@pytest.fixture(scope="session")
def tagger(clause_model_path):
    """One tagger for the session (default pipeline: tokenizer of the spaCy package, no NER)."""
    from foialens.models.tagger import Tagger

    return Tagger(clause_model_path=clause_model_path)
