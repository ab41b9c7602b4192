"""`foialens train` / `foialens evaluate` (cli/training.py)."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from foialens.cli.main import app


def test_evaluate_prints_report_as_json(clause_model_path):
    result = CliRunner().invoke(app, ["evaluate", "--json", "--model", str(clause_model_path)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["scope"] == "held_out"
    assert report["negated_tagged_ice_access"] == 0
    assert set(report["labels"]) >= {"ice_access", "ice_restriction"}


def test_evaluate_without_model_fails_clearly(tmp_path):
    result = CliRunner().invoke(app, ["evaluate", "--model", str(tmp_path / "none.joblib")])
    assert result.exit_code == 2
    assert "foialens train" in result.output
