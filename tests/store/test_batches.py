"""Batch comparison and summary logic (plain functions, no flow run)."""

from __future__ import annotations

import json

from foialens.flows.summary import SummaryBuilder
from foialens.store.batches import (
    compare_batches,
    comparison_markdown,
    read_summaries,
    to_markdown,
)
from tests.support.batches import T0, summary


def test_new_ids_are_those_no_earlier_batch_had():
    a = summary("a", 0, vendors={"palantir": 2}, agencies={"ice": 3}, data_types={"alpr": 1},
                clauses={"ice_access": 4, "retention": 1})
    b = summary("b", 1, vendors={"vigilant_solutions": 1}, agencies={"cbp": 1}, clauses={"ice_access": 2})
    c = summary("c", 2, vendors={"palantir": 1, "vigilant_solutions": 2, "clearview_ai": 1},
                agencies={"ice": 1, "fbi": 2}, data_types={"alpr": 2, "face_images": 1},
                clauses={"ice_access": 5, "ice_restriction": 2}, exemptions={"b6": 3})
    later = summary("d", 3, vendors={"flock_safety": 1})
    cmp = compare_batches(c, [later, b, a, c])  # any order; itself and later batches ignored
    assert cmp.earlier == ["a", "b"] and cmp.previous == "b"
    assert cmp.new_vendors == ["clearview_ai"]
    assert cmp.new_agencies == ["fbi"]
    assert cmp.new_data_types == ["face_images"]
    assert cmp.new_clause_labels == ["ice_restriction"]
    changes = {k: (v.before, v.now, v.delta) for k, v in cmp.clause_changes.items()}
    assert changes == {"ice_access": (2, 5, 3), "ice_restriction": (0, 2, 2)}
    assert cmp.exemption_changes["b6"].delta == 3
    md = comparison_markdown(cmp)
    assert "`clearview_ai`" in md and "| ice_access | 2 | 5 | +3 |" in md


def test_first_batch_has_everything_new_and_a_rerun_is_not_compared_with_itself():
    first = summary("only", 0, vendors={"palantir": 1}, clauses={"ice_access": 1})
    cmp = compare_batches(first, [first])
    assert cmp.earlier == [] and cmp.previous is None and cmp.new_vendors == ["palantir"]
    assert "first batch" in comparison_markdown(cmp)
    rerun = summary("only", 5, vendors={"palantir": 1})
    assert compare_batches(rerun, [first]).earlier == []


def test_summaries_round_trip_through_the_batches_dir(tmp_path):
    a = summary("a", 0, vendors={"palantir": 1})
    b = summary("b", 1, vendors={"palantir": 1, "venntel": 1})
    b.comparison = compare_batches(b, [a])
    for s in (b, a):
        (tmp_path / f"{s.batch}.json").write_text(json.dumps(s.model_dump(mode="json")))
    (tmp_path / "broken.json").write_text("{not json")
    loaded = read_summaries(tmp_path)
    assert [s.batch for s in loaded] == ["a", "b"]
    assert loaded[1].comparison.new_vendors == ["venntel"]
    assert "new vendors: `venntel`" in to_markdown(loaded[1])


def test_builder_counts_failures_and_problems_once():
    builder = SummaryBuilder("x", T0)
    builder.add_problem({"path": "/in/a.pdf", "code": "extract_error", "message": "RuntimeError: boom"})
    builder.add_problem({"path": "/in/missing", "code": "not_found", "message": "no such file"})
    s = builder.finish()
    assert s.documents == 2 and [f.code for f in s.failed] == ["extract_error", "not_found"]
    assert [r["status"] for r in builder.rows] == ["extract_error", "not_found"]
    assert "| /in/a.pdf | extract_error | RuntimeError: boom |" in to_markdown(s)
