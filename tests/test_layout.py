"""The shape of the house: one import namespace, imports that only run downwards, no cycles, and a
wheel whose only top-level package is foialens."""

from __future__ import annotations

import ast
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import networkx as nx
import pytest

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PACKAGE_DIRS: dict[str, str] = PYPROJECT["tool"]["setuptools"]["package-dir"]

# Which parts of foialens each part may import (itself always). "flows.launcher" is the one
# module of flows/ the web layer uses: the way every ingest is started.
BASE = {"environment", "paths", "files", "pdfium_lock"}  # small utilities with no foialens imports of their own
ALLOWED = {
    **{name: set() for name in BASE},
    "extractors": BASE,
    "models": BASE,
    "search": BASE,
    "store": BASE | {"extractors", "models", "search"},
    "settings": BASE | {"extractors", "search"},
    "samples": BASE,
    # flows.evaluation scores the model on the generated sample batch (samples/ is a leaf)
    "flows": BASE | {"extractors", "models", "search", "store", "settings", "samples"},
    "web": BASE | {"search", "store", "settings", "flows.launcher"},
    "cli": BASE | {"extractors", "models", "search", "store", "settings", "flows", "web", "samples"},
}


def modules() -> dict[str, Path]:
    """foialens module name -> source file, for every package in package-dir."""
    out = {}
    for package, folder in PACKAGE_DIRS.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            rel = path.relative_to(ROOT / folder).with_suffix("")
            parts = [p for p in rel.parts if p != "__init__"]
            name = ".".join([package, *parts])
            if package == "foialens" and parts and parts[0] != "__init__" and len(rel.parts) > 1:
                continue  # sub-folders of foialens/ are their own packages (none today)
            out[name] = path
    return out


def imports(path: Path, name: str) -> set[str]:
    """foialens modules imported anywhere in a file (module level or inside functions)."""
    found = set()
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else []))
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
    return {m for m in found if m == "foialens" or m.startswith("foialens.")}


def part(module: str) -> str:
    """foialens.flows.ingest -> flows; foialens.settings -> settings."""
    return module.split(".")[1] if module.count(".") else "foialens"


GRAPH = nx.DiGraph()
MODULES = modules()
for mod, src in MODULES.items():
    GRAPH.add_node(mod)
    for target in imports(src, mod):
        if target in MODULES:
            GRAPH.add_edge(mod, target)


def test_only_the_foialens_namespace_is_imported():
    bare = ("flows", "extractors", "models", "search", "store", "web", "cli", "samples")
    offenders = []
    for path in [*ROOT.glob("*/*.py"), *ROOT.glob("*/*/*.py"), ROOT / "bench" / "run"]:
        if ".venv" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [a.name for a in node.names] if isinstance(node, ast.Import) else (
                [node.module or ""] if isinstance(node, ast.ImportFrom) and not node.level else [])
            offenders += [f"{path.relative_to(ROOT)}: {n}" for n in names if n.split(".")[0] in bare]
    assert not offenders, offenders


def test_no_import_cycles():
    cycles = list(nx.simple_cycles(GRAPH))
    assert not cycles, cycles[:5]


def test_imports_only_run_downwards():
    wrong = []
    for mod, target in GRAPH.edges:
        src, dst = part(mod), part(target)
        if src == dst or src == "foialens" or dst == "foialens":
            continue
        allowed = ALLOWED[src]
        sub = ".".join(target.split(".")[1:3])
        if dst not in allowed and sub not in allowed:
            wrong.append(f"{mod} -> {target}")
    assert not wrong, wrong


def test_nothing_imports_the_cli():
    assert not [m for m, t in GRAPH.edges if part(t) == "cli" and part(m) != "cli"]


def test_every_package_folder_is_in_the_wheel_list():
    listed = set(PYPROJECT["tool"]["setuptools"]["packages"])
    folders = set()
    for package, folder in PACKAGE_DIRS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            rel = init.parent.relative_to(ROOT / folder)
            folders.add(".".join([package, *rel.parts]))
    assert folders == listed


@pytest.mark.slow
def test_the_wheel_holds_only_foialens(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr[-2000:]
    [wheel] = tmp_path.glob("foialens-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    top = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top == {"foialens"}
    for needed in ("foialens/models/gazetteers/vendors.json", "foialens/models/data/clauses.jsonl",
                   "foialens/web/templates/search.html", "foialens/cli/main.py", "foialens/store/datadir.py"):
        assert needed in names
    assert not [n for n in names if n.endswith(".joblib")]  # no model artifact inside the package
