"""`foialens batches`: list and compare stored batch summaries."""

from __future__ import annotations

import json

from foialens.store.batches import compare_batches
from tests.support.batches import summary


def test_batches_cli_lists_and_compares(tmp_path):
    from typer.testing import CliRunner

    from foialens.cli.main import app

    batches = tmp_path / "batches"
    batches.mkdir()
    a = summary("2019-ICLI", 0, vendors={"palantir": 1}, clauses={"ice_access": 1})
    b = summary("2020-ICLI", 1, vendors={"palantir": 2, "venntel": 1}, agencies={"ice": 1},
                clauses={"ice_access": 3, "ice_restriction": 1})
    b.comparison = compare_batches(b, [a])
    for s in (a, b):
        (batches / f"{s.batch}.json").write_text(json.dumps(s.model_dump(mode="json")))
    runner = CliRunner()
    out = runner.invoke(app, ["batches", "--data-dir", str(tmp_path)], env={"COLUMNS": "250"})
    assert out.exit_code == 0, out.output
    assert "2019-ICLI" in out.output and "venntel" in out.output
    out = runner.invoke(app, ["batches", "--compare", "2020-ICLI", "--json", "--data-dir", str(tmp_path)])
    assert out.exit_code == 0, out.output
    cmp = json.loads(out.output)
    assert cmp["new_vendors"] == ["venntel"] and cmp["new_agencies"] == ["ice"]
    assert cmp["clause_changes"]["ice_access"] == {"before": 1, "now": 3}
    out = runner.invoke(app, ["batches", "--compare", "nope", "--data-dir", str(tmp_path)])
    assert out.exit_code == 2
