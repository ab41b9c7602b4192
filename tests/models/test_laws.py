"""Laws and ordinances -> restrict relations, on fixtures modelled on real statutes (tests/support/laws.py:
SB 54, SB 34, Keep Washington Working, Oregon's sanctuary statute, a CCOPS ordinance with a face
recognition ban), read as documents: kind, jurisdiction, provisions with their lead-ins, exceptions."""

from __future__ import annotations

import pytest

from foialens.models.context import document_kind
from foialens.models.laws import jurisdiction, law_relations, provisions
from foialens.models.records import DocumentTags
from tests.support.laws import LAWS, SOURCES, law_pages


def rules(name: str) -> list[tuple]:
    return [(r.data_type, r.recipient_classes, r.covers, r.purpose, r.direction, r.citation)
            for r in law_relations(law_pages(name), DocumentTags())]


@pytest.mark.parametrize("name", sorted(LAWS))
def test_fixtures_are_laws_and_cite_their_model(name):
    assert document_kind(LAWS[name]) == "law"
    assert "Test fixture written for foialens, modelled on" in LAWS[name] and SOURCES[name]


@pytest.mark.parametrize("name,state,place,citation", [
    ("ca_values_act", "CA", None, "Cal. Gov. Code § 7284.6"),
    ("ca_alpr", "CA", None, "Cal. Civ. Code §§ 1798.90.5"),
    ("wa_keep_working", "WA", None, "RCW 43.17.425"),
    ("or_sanctuary", "OR", None, "ORS 181A.820"),
    ("riverton_ccops", "CA", "riverton", "ORDINANCE NO. 2024-17"),
])
def test_jurisdiction_from_citations_and_names(name, state, place, citation):
    where = jurisdiction(LAWS[name])
    assert (where.state, where.place, where.citation) == (state, place, citation)


def test_provisions_nest_and_keep_their_lead_ins():
    provs = provisions(law_pages("ca_values_act"))
    c = next(p for p in provs if p.marker == "C")
    assert [p.marker for p in c.parents] == ["", "a", "1"]
    assert c.reading().startswith("Section 7284.6. California law enforcement agencies shall not do any of the following:")
    two = next(p for p in provs if p.marker == "2")
    assert [p.marker for p in two.parents] == ["", "a"]  # (2) closes (1) and its (A)-(E)
    b = next(p for p in provs if p.marker == "b")
    assert [p.marker for p in b.parents] == [""]


def test_values_act_forbids_sharing_with_immigration_but_not_its_exceptions():
    got = rules("ca_values_act")
    cite = "Cal. Gov. Code § 7284.6"
    both = (["immigration"], ["state", "local", "fusion"], "immigration_enforcement", "sharing", cite)
    assert got == [
        ("immigration_status", *both),  # (A) inquiring into immigration status
        ("booking_records", *both),  # (C) release dates
        ("identity_records", *both),  # (D) home or work address
        (None, *both),  # (a)(2) databases, whatever they hold (the citizenship carve-out is not data it names)
    ]
    # (B) hold requests and (E) arrests share nothing; (b) "Nothing in this section prohibits" is an exception


def test_alpr_statute_rules_out_everyone_but_in_state_public_agencies():
    [rel] = law_relations(law_pages("ca_alpr"), DocumentTags())
    assert rel.polarity == "restrict" and rel.data_type == "alpr" and rel.kind == "detections"
    assert rel.recipient_classes == ["federal", "out_of_state", "private"]  # "public agency" means one of the state
    assert rel.citation == "Cal. Civ. Code § 1798.90.55" and rel.section == "law:Cal. Civ. Code § 1798.90.55"
    assert rel.jurisdiction == "CA" and rel.source.jurisdictions == ["CA"] and rel.source.level == "class"
    assert "shall not sell, share, or transfer ALPR information, except to another public agency" in rel.evidence.text
    assert rel.evidence.text.startswith("Section 1798.90.55.") and rel.evidence.page == 1
    # without the definition, a "public agency" may be federal: only private parties are ruled out
    undefined = LAWS["ca_alpr"].replace('"Public agency" means', "A public body is")
    [rel] = law_relations([(1, undefined)], DocumentTags())
    assert rel.recipient_classes == ["private"]


def test_washington_and_oregon():
    assert rules("wa_keep_working") == [
        ("identity_records", ["immigration"], ["state"], "immigration_enforcement", "sharing", "RCW 43.17.425")]
    got = rules("or_sanctuary")
    assert got[0] == (None, ["immigration"], ["state", "local", "fusion"], "immigration_enforcement", "sharing", "ORS 181A.820")
    assert {g[0] for g in got[1:]} == {"booking_records", "identity_records"}
    assert {g[-1] for g in got[1:]} == {"ORS 180.805"}


def test_ordinance_binds_city_departments_and_bans_face_recognition():
    got = law_relations(law_pages("riverton_ccops"), DocumentTags())
    assert [(r.data_type, r.recipient_classes, r.direction, r.citation) for r in got] == [
        ("alpr", ["immigration"], "sharing", "ORDINANCE NO. 2024-17, § 3"),
        (None, ["private"], "sharing", "ORDINANCE NO. 2024-17, § 3"),
        ("face_images", ["any"], "receiving", "ORDINANCE NO. 2024-17, § 4"),
    ]
    assert {r.jurisdiction for r in got} == {"CA/riverton"} and all(r.covers == ["local"] for r in got)
    ban = got[2]
    assert ban.recipient.jurisdictions == ["CA", "CA/riverton"] and ban.source.id == "class-any"


def test_a_law_without_a_state_and_permissions_yield_nothing():
    assert law_relations([(1, "Section 1. (a) No agency shall share license plate data with anyone.")], DocumentTags()) == []
    permission = "CALIFORNIA PENAL CODE\nSection 1. (a) A police department may share ALPR data with another agency."
    assert law_relations([(1, permission)], DocumentTags()) == []


def test_a_policy_binds_the_agency_that_issues_it():
    from foialens.models.context import document_kind
    from foialens.models.records import EntityTag, Mention
    from tests.support.laws import POLICY

    assert document_kind(POLICY) == "policy"
    at = POLICY.index("Riverton Police Department")
    pd = EntityTag(id="local-riverton-police", name="Riverton Police Department", kind="agency",
                   mentions=[Mention(page=1, text="Riverton Police Department", start=at, end=at + 26)])
    [rule] = law_relations([(1, POLICY)], DocumentTags(agencies=[pd]), kind="policy")
    assert rule.source.id == "local-riverton-police" and rule.source.jurisdictions == ["CA", "CA/riverton"]
    assert (rule.jurisdiction, rule.covers, rule.recipient_classes) == ("CA/riverton", ["local"], ["immigration"])
    assert rule.data_type == "alpr" and rule.citation == "Riverton Police Department General Order 4.21"
    assert rule.evidence.text.startswith("The Riverton Police Department shall not share ALPR data")
    # (a) permits sharing: no rule; a policy whose agency is not known binds no one
    assert law_relations([(1, POLICY)], DocumentTags(), kind="policy") == []
