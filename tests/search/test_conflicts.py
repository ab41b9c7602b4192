"""search/conflicts.py: which grants a rule covers (jurisdiction, level, data, recipient class,
direction), on plain relation records."""

from __future__ import annotations

from foialens.search.conflicts import conflicts, covers
from foialens.search.records import RelationRecord


def grant(recipient="hsi", rpath=("hsi", "ice", "dhs"), rlevel="federal", rplaces=("US",), source="local-ca-irvine-police",
          slevel="local", splaces=("CA", "CA/irvine"), data="alpr", section="detections_shared_with", n=0) -> RelationRecord:
    return RelationRecord(doc_id="a" * 64, n=n, page=2, source_id=source, source_name=source, recipient_id=recipient,
                          recipient_name=recipient, source_path=[source], recipient_path=list(rpath), data_type=data,
                          kind="detections", section=section, source_level=slevel, recipient_level=rlevel,
                          source_jurisdictions=list(splaces), recipient_jurisdictions=list(rplaces), text=recipient)


def rule(classes=("federal", "out_of_state", "private"), data="alpr", where="CA", levels=("state", "local", "fusion"),
         direction="sharing", purpose="", n=0) -> RelationRecord:
    return RelationRecord(doc_id="b" * 64, n=n, page=1, source_id="class-ca", recipient_id="class-x", polarity="restrict",
                          direction=direction, data_type=data, kind="detections", jurisdiction=where, covers=list(levels),
                          recipient_classes=list(classes), purpose=purpose, citation="Cal. Civ. Code § 1798.90.55",
                          section="law:Cal. Civ. Code § 1798.90.55", text="A public agency shall not share ALPR information")


def test_federal_and_out_of_state_recipients_are_covered_in_state_ones_are_not():
    assert covers(rule(), grant()) is not None
    assert covers(rule(), grant("local-ga-alpharetta-police", ["local-ga-alpharetta-police"], "local", ["GA", "GA/alpharetta"]))
    assert covers(rule(), grant("local-ca-anaheim-police", ["local-ca-anaheim-police"], "local", ["CA", "CA/anaheim"])) is None
    # a recipient whose state is not known is not taken for out-of-state
    assert covers(rule(), grant("local-anaheim-police", ["local-anaheim-police"], "local", [])) is None


def test_jurisdiction_level_and_data_must_match():
    assert covers(rule(where="WA"), grant()) is None  # a Washington law does not bind Irvine
    assert covers(rule(), grant(splaces=())) is None  # the source's state is not known
    assert covers(rule(levels=("state",)), grant()) is None  # a rule for state agencies, a city police
    assert covers(rule(data="identity_records"), grant()) is None
    assert covers(rule(data="vehicle_location"), grant())  # ALPR detections are vehicle locations
    assert covers(rule(data=""), grant(data="booking_records"))  # a rule that names no data covers any
    assert covers(rule(where="CA/irvine", levels=("local",)), grant())  # a city ordinance binds the city's police
    assert covers(rule(where="CA/riverton", levels=("local",)), grant()) is None


def test_immigration_class_and_reasons():
    imm = rule(classes=("immigration",), data="", purpose="immigration_enforcement")
    reasons = covers(imm, grant())
    assert reasons and any("immigration enforcement agency" in r for r in reasons)
    assert any("Cal. Civ. Code § 1798.90.55" in r for r in reasons) and any("purposes" in r for r in reasons)
    assert covers(imm, grant("fbi", ["fbi", "doj"])) is None
    # an ICE-access clause is immigration whatever component it names
    assert covers(imm, grant("dea", ["dea", "doj"], section="clause:ice_access"))


def test_receiving_rules_bind_the_recipient():
    ban = rule(classes=("any",), data="face_images", where="CA/irvine", levels=("local",), direction="receiving")
    incoming = grant(recipient="local-ca-irvine-police", rpath=["local-ca-irvine-police"], rlevel="local",
                     rplaces=["CA", "CA/irvine"], source="agency-clearview", slevel="agency", splaces=[], data="face_images")
    assert covers(ban, incoming)
    assert covers(ban, grant(data="face_images")) is None  # Irvine giving face images away is not obtaining them


def test_conflicts_pairs_and_skips_what_is_not_a_rule():
    grants = [grant(n=0), grant("local-ca-anaheim-police", ["local-ca-anaheim-police"], "local", ["CA"], n=1)]
    restricts = [rule(), rule(n=1), RelationRecord(doc_id="c" * 64, n=0, page=1, source_id="local-x", recipient_id="ice",
                                                   polarity="restrict", data_type="alpr")]
    found = conflicts(grants, restricts)
    assert [(c.grant.recipient_id, c.rule.citation) for c in found] == [("hsi", "Cal. Civ. Code § 1798.90.55")]
    assert conflicts([grant()], []) == []
