"""`foialens batches`: list and compare stored batch summaries."""

from __future__ import annotations

import json

from foialens.store.batches import compare_batches
from tests.support.batches import summary


def test_batches_cli_lists_and_compares(tmp_path):
    from click.testing import CliRunner

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


def test_ingest_summary_prints_the_top_values_per_facet_with_names(tmp_path):
    """A 45-document batch naming 900 local agencies: the printed summary shows the most frequent
    few per facet by name with a count of the rest (it printed every agency); --json has them all."""
    from foialens.cli.common import console
    from foialens.cli.documents import SUMMARY_TOP, print_summary
    from foialens.settings import Settings

    s = summary("big", 0, vendors={"flock_safety": 30, "vigilant_solutions": 12},
                agencies={f"local-town-{i:03d}-police": 900 - i for i in range(900)}).model_dump(mode="json")
    s["names"] = {"vendors": {"flock_safety": "Flock Safety"},
                  "agencies": {f"local-town-{i:03d}-police": f"Town {i} Police" for i in range(900)}}
    s.update(processed=45, unchanged=0, pages_indexed=45, documents=45)
    with console.capture() as cap:
        print_summary(s, Settings(data_dir=tmp_path))
    out = cap.get()
    assert "Flock Safety (30)" in out and "flock_safety" not in out
    assert "Town 0 Police (900)" in out and f"Town {SUMMARY_TOP} Police" not in out
    assert f"(+{900 - SUMMARY_TOP} more)" in out
    assert len(out.splitlines()) < 40

    batches = tmp_path / "batches"
    batches.mkdir()
    (batches / "big.json").write_text(json.dumps(s))
    from click.testing import CliRunner

    from foialens.cli.main import app

    listed = json.loads(CliRunner().invoke(app, ["batches", "--json", "--data-dir", str(tmp_path)]).output)
    assert len(listed[0]["agencies"]) == 900
