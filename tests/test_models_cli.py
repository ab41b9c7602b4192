"""`foialens train` / `foialens evaluate` wrappers (flows/cli_models.py)."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from foialens.flows.cli_models import register
from foialens.models.training import DEFAULT_ARTIFACT, ensure_model


def make_app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def test_evaluate_prints_report_as_json():
    ensure_model(DEFAULT_ARTIFACT)
    result = CliRunner().invoke(make_app(), ["evaluate", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["scope"] == "held_out"
    assert report["negated_tagged_ice_access"] == 0
    assert set(report["labels"]) >= {"ice_access", "ice_restriction"}


def test_evaluate_without_model_fails_clearly(tmp_path):
    result = CliRunner().invoke(make_app(), ["evaluate", "--model", str(tmp_path / "none.joblib")])
    assert result.exit_code == 2
    assert "foialens train" in result.output
