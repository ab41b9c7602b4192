"""Clause classifier: data format and split, negation features, training artifact, held-out scores."""

from __future__ import annotations

import logging
from pathlib import Path

import joblib
import pytest

from foialens.models.clause_data import (
    DEFAULT_DATA,
    Example,
    load_examples,
    split,
)
from foialens.models.clauses import (
    HAND_FEATURE_NAMES,
    MODEL_VERSION,
    clause_tokens,
    hand_features,
    normalize,
)
from foialens.models.evaluation import evaluate
from foialens.models.records import CLAUSE_LABELS
from foialens.models.training import artifact_path, data_hash, ensure_model, is_current, load_model


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> tuple[Path, list[str]]:
    """A model trained from scratch by ensure_model (artifact missing), with the log it wrote."""
    path = tmp_path_factory.mktemp("clauses") / "clauses.joblib"
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())  # type: ignore[method-assign]
    logger = logging.getLogger("foialens.models.training")
    logger.addHandler(handler)
    old_level = logger.level
    logger.setLevel(logging.INFO)
    try:
        ensure_model(path, real_splits=())  # the written sentences only: fast, and the held-out split is theirs
    finally:
        logger.removeHandler(handler)
        logger.setLevel(old_level)
    return path, records


def test_training_data_is_valid_and_large_enough():
    examples = load_examples(DEFAULT_DATA)
    assert len(examples) >= 500
    assert {label for ex in examples for label in ex.labels} == set(CLAUSE_LABELS)
    assert sum(not ex.labels for ex in examples) >= 50  # boilerplate / hard negatives
    assert {"contract", "mou", "policy", "foia"} <= {ex.source for ex in examples}
    # negated means "negates ICE access": never labelled as a grant
    assert not [ex.text for ex in examples if ex.negated and "ice_access" in ex.labels]
    # hard negatives: ICE mentioned, no ICE label
    assert sum("ICE_" in normalize(ex.text) and not {"ice_access", "ice_restriction"} & set(ex.labels) for ex in examples) >= 30


def test_split_is_by_group_and_covers_both_ice_labels():
    train, test = split(load_examples(DEFAULT_DATA))
    assert not {ex.group_key for ex in train} & {ex.group_key for ex in test}
    assert 0.15 <= len(test) / (len(train) + len(test)) <= 0.35
    for label in ("ice_access", "ice_restriction"):
        assert sum(label in ex.labels for ex in test) >= 10
    assert sum(ex.negated for ex in test) >= 10


def test_bad_label_is_reported_with_its_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "ok", "labels": []}\n{"text": "x", "labels": ["ice_acess"]}\n')
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        load_examples(bad)


def test_negation_scope_marks_the_ice_mention():
    assert "NEG_ICE_" in clause_tokens("Data shall not be shared with ICE.")
    assert "ICE_" in clause_tokens("Data shall be shared with ICE.")
    assert "NEG_ICE_" not in clause_tokens("Data shall be shared with ICE.")
    # scope ends at punctuation / "but"
    tokens = clause_tokens("Data shall not be sold, but may be shared with Homeland Security Investigations.")
    assert "ICE_" in tokens and "NEG_ICE_" not in tokens
    assert "AGENCY_" in clause_tokens("Data may be shared with the FBI.")


def test_negation_scope_runs_through_an_including_list():
    tokens = clause_tokens("Data shall not be shared with any federal agency, including ICE, for immigration purposes.")
    assert "NEG_ICE_" in tokens and "NEG_immigration" not in tokens


def test_warrant_requirement_is_not_a_negation_of_access():
    assert "NEG_ICE_" not in clause_tokens("ICE may query the System without a warrant.")
    assert "NEG_warrant" not in clause_tokens("Access by ICE does not require a warrant.")
    assert "NEG_ICE_" in clause_tokens("Data shall not be shared with ICE without a warrant.")


def test_relation_gate_needs_an_ice_or_immigration_mention_and_an_access_word():
    from foialens.models.clauses import relation_gate

    gated = relation_gate(["Page 4 of 7 ICE 2019-ICLI-00001 126", "ICE may query the System.",
                           "Audit logs shall be available to the DHS Office of Inspector General.",
                           "Plates were searched to find people with final orders of removal."])
    assert gated.tolist() == [True, False, True, False]


def test_report_gate_foia_process_and_unanswered_requests():
    from foialens.models.clauses import report_gate

    gated = report_gate(["Your request sought records about ICE access to plate data.",
                         "ICE asked the county for booking records.",
                         "ICE asked us to add these plates to the hot list, which we did.",
                         "According to the released logs, ICE accessed the Portal 40 times."])
    assert gated.tolist() == [True, True, False, False]


def test_outbound_gate_ice_giving_is_not_ice_access():
    from foialens.models.clauses import outbound_gate

    gated = outbound_gate([
        "ICE may share this information with the Federal Bureau of Investigation.",
        "ICE will provide instructors and training materials.",
        "To query the commercial LPR data service, authorized ICE users must provide a license plate number.",
        "The LEA shall provide ICE with access to its records.",
        "Upon ICE's request, such data and information shall be provided to ICE.",
        "U.S. Immigration and Customs Enforcement shall be given access to the database.",
    ])
    assert gated.tolist() == [True, True, False, False, False, False]


def test_sensitive_gate_needs_a_sensitive_place_and_a_word_of_collection():
    from foialens.models.clauses import sensitive_gate

    gated = sensitive_gate([
        "ALPR cameras shall not be placed within 100 feet of schools or places of worship.",
        "Customer shall not use the LEARN database to identify individuals visiting domestic violence shelters.",
        # court opinions and an insurance case: a church, worship, medical costs, no data
        "The Chapel is a nonprofit religious organization that operates a church facility in Orrington, Maine.",
        "By all accounts, the pandemic disrupted the Chapel's usual routine of staging weekly worship services.",
        "The promise was one to pay a particular medical expense.",
        # data, but no sensitive place
        "LPR records protected by the Privacy Act are covered by the External Investigations SORN.",
    ])
    assert gated.tolist() == [False, False, True, True, True, True]


def test_hand_features():
    names = list(HAND_FEATURE_NAMES)
    rows = hand_features(
        [
            "ICE shall have no access to the System.",
            "The Agency shall not disclose data to ICE except pursuant to a judicial warrant.",
            "Nothing in this policy shall prohibit the City from sending information to ICE.",
            "The Agency shall provide ICE with access.",
        ]
    ).toarray()
    f = [dict(zip(names, r)) for r in rows]
    assert f[0]["neg_after_ice"] == 1 and f[0]["neg_before_ice"] == 0
    assert f[1]["neg_before_ice"] == 1 and f[1]["exception_warrant"] == 1
    assert f[2]["double_negative"] == 1 and f[2]["nothing_in"] == 1
    assert f[3]["neg_before_ice"] == 0 and f[3]["neg_after_ice"] == 0 and f[3]["ice"] == 1 and f[3]["grant_verb"] == 1


@pytest.mark.slow
@pytest.mark.slow  # trains a model from scratch
def test_missing_artifact_is_trained_and_logged(trained):
    path, log = trained
    assert path.exists()
    assert any("missing" in m for m in log) and any("trained clause model" in m for m in log)
    model = load_model(path)
    assert model.version == MODEL_VERSION
    assert model.data_sha256 == data_hash(DEFAULT_DATA, ()) and model.info["real_splits"] == []
    assert set(model.thresholds) == set(CLAUSE_LABELS)
    assert all(0.0 < t < 1.0 for t in model.thresholds.values())
    assert is_current(model)


def test_changed_training_data_builds_another_artifact(tmp_path):
    """Artifacts are named by what they learned from: changed data or another choice of real
    documents is another file, never a stale one reused."""
    changed = tmp_path / "clauses.jsonl"
    changed.write_text(DEFAULT_DATA.read_text() + '{"text": "One more sentence.", "labels": []}\n')
    paths = {artifact_path(tmp_path, DEFAULT_DATA), artifact_path(tmp_path, changed),
             artifact_path(tmp_path, DEFAULT_DATA, ("train",)), artifact_path(tmp_path, DEFAULT_DATA, ())}
    assert len(paths) == 4 and all(p.parent == tmp_path / "models" for p in paths)


def test_unreadable_artifact_is_rejected(tmp_path):
    junk = tmp_path / "junk.joblib"
    joblib.dump({"not": "a model"}, junk)
    with pytest.raises(ValueError):
        load_model(junk)


@pytest.mark.slow  # trains a model from scratch
def test_held_out_scores(trained):
    report = evaluate(trained[0])
    assert report.scope == "held_out"
    assert report.negated >= 10
    assert report.negated_tagged_ice_access == 0, report.negated_ice_access_examples
    assert report.labels["ice_access"].f1 >= 0.75
    assert report.labels["ice_restriction"].f1 >= 0.75
    assert report.micro_f1 >= 0.75
    # a grant is (almost) never read as a prohibition and vice versa
    assert report.ice_confusion["ice_restriction"]["ice_access"] == 0
    assert report.ice_confusion["ice_access"]["ice_restriction"] <= 0.15 * report.labels["ice_access"].support


@pytest.mark.slow  # trains a model from scratch
def test_evaluate_user_file(trained, tmp_path):
    rows = [
        Example(text="The County shall give ICE officers accounts on the ALPR system.", labels=["ice_access"]),
        Example(text="ALPR data shall not be shared with ICE.", labels=["ice_restriction"], negated=True),
        Example(text="ICE will not be granted access to the database.", labels=["ice_restriction"], negated=True),
        Example(text="Invoices are due within 30 days of receipt.", labels=[]),
    ]
    path = tmp_path / "mine.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in rows))
    report = evaluate(trained[0], path)
    assert report.scope == "all" and report.n == 4
    assert report.negated == 2 and report.negated_tagged_ice_access == 0
    assert report.labels["ice_restriction"].support == 2


@pytest.mark.slow  # trains a model from scratch
def test_probabilities_are_probabilities(trained):
    model = load_model(trained[0])
    proba = model.predict_proba(["Data shall be shared with ICE.", "Nothing to see here."])
    assert proba.shape == (2, len(CLAUSE_LABELS))
    assert ((proba >= 0) & (proba <= 1)).all()
    assert model.predict([]) == []


def test_hand_features_non_ice_precision():
    """Another agency as a data recipient vs. as a party/signer; markings, exemption text, ownership."""
    f = [dict(zip(HAND_FEATURE_NAMES, r)) for r in hand_features(
        [
            "The Agency may share plate reads with other law enforcement agencies.",
            "Signed for the Lamar County Sheriff's Office by the Undersheriff.",
            "FOR OFFICIAL USE ONLY Subject: staffing",
            "Names were withheld under (b)(6) and (b)(7)(C).",
            "Customer retains ownership of all data uploaded to the Service.",
            "Plate reads shall be deleted after 30 days.",
        ]
    ).toarray()]
    assert f[0]["agency_share"] == 1 and f[0]["agency_no_share"] == 0
    assert f[1]["agency_share"] == 0 and f[1]["agency_no_share"] == 1
    assert f[2]["marking"] == 1 and f[0]["marking"] == 0
    assert f[3]["foia_exemption"] == 1 and f[0]["foia_exemption"] == 0
    assert f[4]["ownership"] == 1 and f[5]["ownership"] == 0
