"""`foialens train` / `foialens evaluate` (cli/training.py)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

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


def _corrections(data_dir):
    from foialens.store.workbench import Correction, Corrections

    store = Corrections(data_dir)
    doc = "a" * 64
    store.add(Correction(doc_id=doc, page=1, action="missing", field="clauses", value="ice_access",
                         text="Deputies may run plates for Immigration and Customs Enforcement on request."))
    store.add(Correction(doc_id=doc, page=2, action="wrong", field="clauses", value="ice_access",
                         text="Nothing in this agreement lets ICE query the database."))
    store.add(Correction(doc_id=doc, page=2, action="note", note="check the exhibit"))  # not training data
    store.add(Correction(doc_id=doc, page=3, action="wrong", field="vendors", value="palantir"))  # not a clause
    return store


def test_corrections_become_labelled_sentences(tmp_path):
    examples = _corrections(tmp_path).training_examples()
    assert [(e["labels"], e["source"]) for e in examples] == [(["ice_access"], "correction"), ([], "correction")]
    assert examples[1]["text"].startswith("Nothing in this agreement")


def test_train_with_corrections_needs_some(tmp_path):
    result = CliRunner().invoke(app, ["train", "--with-corrections", "--data-dir", str(tmp_path),
                                      "--out", str(tmp_path / "m.joblib")])
    assert result.exit_code == 2 and "no clause corrections" in result.output


@pytest.mark.slow
def test_train_with_corrections_learns_from_them(tmp_path):
    from foialens.models.training import load_model

    _corrections(tmp_path)
    out = tmp_path / "m.joblib"
    result = CliRunner().invoke(app, ["train", "--with-corrections", "--json", "--data-dir", str(tmp_path),
                                      "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    assert report["extra_examples"] == 2
    model = load_model(out)
    assert model.info["extra_examples"] == 2
    # the shipped model's training set plus the two corrections (no second training: counted)
    from foialens.models.training import data_hash, training_examples

    assert report["n_train"] == len(training_examples()[0]) + 2
    assert report["data_sha256"] != data_hash()
