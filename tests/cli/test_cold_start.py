"""`foialens search` and `foialens --help` start without the heavy libraries: a real CLI run in a
fresh interpreter, then a look at ``sys.modules`` (what was imported, not how long it took: the
wall-clock ratio is measured by bench/run, not asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from tests.support.search_records import corpus

ROOT = Path(__file__).resolve().parents[2]

# Never on the search or help path: the NLP stack, the orchestrator, the classifier, the PDF
# libraries, numpy (the SQLite facet counts of a small match set need none) and the web stack.
HEAVY = ("spacy", "thinc", "prefect", "sklearn", "scipy", "pdfplumber", "pdfminer", "pypdfium2", "numpy",
         "PIL", "pytesseract", "fastapi", "starlette", "uvicorn", "elasticsearch", "networkx", "joblib",
         # nor the CLI helpers that cost ~0.1 s each: typer (a pydantic validator per parameter) and rich
         "typer", "rich")

PROBE = """
import json, sys
sys.argv = ["foialens", *json.loads(sys.argv[1])]
from foialens.cli.main import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code or 0
sys.stderr.write("\\nMODULES " + json.dumps({"code": code, "modules": sorted(sys.modules)}) + "\\n")
"""


def run_cli(args: list[str]) -> tuple[int, str, set[str]]:
    done = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)], capture_output=True, text=True,
                          timeout=120, cwd=ROOT)
    marker = done.stderr.rpartition("MODULES ")[2]
    assert marker.strip(), done.stderr[-2000:]
    report = json.loads(marker)
    return report["code"], done.stdout, {m.split(".")[0] for m in report["modules"]}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("cold-start")
    engine = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    try:
        engine.replace_documents(corpus())
    finally:
        engine.close()
    return data


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_search_imports_nothing_heavy(data_dir, as_json):
    args = ["search", "license plate", "--data-dir", str(data_dir)] + (["--json"] if as_json else [])
    code, out, loaded = run_cli(args)
    assert code == 0, out
    assert ("Vigilant" in out) if not as_json else json.loads(out)["total"] > 0
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "pydantic_settings" not in loaded  # Settings reads FOIALENS_* itself (~0.2 s of imports saved)


def test_filter_only_search_imports_nothing_heavy(data_dir):
    code, out, loaded = run_cli(["search", "--vendor", "palantir", "--json", "--data-dir", str(data_dir)])
    assert code == 0 and json.loads(out)["total"] > 0
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))


def test_help_imports_nothing_heavy():
    code, out, loaded = run_cli(["--help"])
    assert code == 0 and "search" in out and "ingest" in out
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    # not even pydantic's settings machinery: help needs no settings
    assert "pydantic_settings" not in loaded


def test_search_help_imports_nothing_heavy():
    code, out, loaded = run_cli(["search", "--help"])
    assert code == 0 and "--vendor" in out
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
