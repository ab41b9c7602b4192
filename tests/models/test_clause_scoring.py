"""models.tag_accuracy.score_clauses: span matching of predicted sentences to labelled ones."""

from __future__ import annotations

from foialens.models.records import Clause
from foialens.models.tag_accuracy import locate, score_clauses

PAGE = ("Task 3. Access for enforcement users. The contractor shall provision access\nfor ICE officers. "
        "Task 5. Training. Deliver training.\nYou asked for records concerning ICE access to data.")
TRUTH = [{"page": 1, "clauses": [
    {"text": "Task 3. Access for enforcement users. The contractor shall provision access for ICE officers.",
     "labels": ["ice_access"], "near_miss": False},
    {"text": "You asked for records concerning ICE access to data.", "labels": [], "near_miss": True},
]}]


def _clause(label: str, text: str) -> Clause:
    start, end = locate(PAGE, text)
    return Clause(label=label, score=0.9, page=1, text=PAGE[start:end], start=start, end=end)


def test_locate_ignores_line_breaks():
    start, end = locate(PAGE, "shall provision access for ICE officers.")
    assert PAGE[start:end] == "shall provision access\nfor ICE officers."


def test_split_prediction_matches_one_true_sentence():
    score = score_clauses({"d": ({1: PAGE}, TRUTH, [
        _clause("ice_access", "Task 3. Access for enforcement users."),
        _clause("ice_access", "The contractor shall provision access for ICE officers."),
    ])})
    s = score.labels["ice_access"]
    assert (s.tp, s.fp, s.fn) == (1, 0, 0)


def test_unlisted_sentence_and_near_miss_are_false_positives():
    score = score_clauses({"d": ({1: PAGE}, TRUTH, [
        _clause("retention", "Deliver training."),
        _clause("ice_access", "You asked for records concerning ICE access to data."),
    ])})
    assert (score.labels["ice_access"].fp, score.labels["ice_access"].fn) == (1, 1)
    assert score.labels["retention"].fp == 1
    assert [m.text for m in score.near_misses_tagged()] == ["You asked for records concerning ICE access to data."]
    assert any(e.startswith("+") and "Deliver training" in e for e in score.errors("retention"))


def test_merged_prediction_covers_both_true_sentences():
    start = PAGE.index("Task 3.")
    merged = Clause(label="ice_access", score=0.9, page=1, text=PAGE[start:], start=start, end=len(PAGE))
    score = score_clauses({"d": ({1: PAGE}, TRUTH, [merged])})
    assert (score.labels["ice_access"].tp, score.labels["ice_access"].fp) == (1, 1)


def test_prediction_without_offsets_is_matched_by_text():
    c = Clause(label="ice_access", score=0.9, page=1, text="The contractor shall provision access for ICE officers.")
    assert score_clauses({"d": ({1: PAGE}, TRUTH, [c])}).labels["ice_access"].tp == 1
