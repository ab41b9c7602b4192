"""Programs and systems: the gazetteer's shape, tagging (short forms need context, a layer of their
own beside agencies and data types), page tags with parents, and the route a flow passes."""

from __future__ import annotations

import pytest

from foialens.models.gazetteer import ancestors, load_gazetteer
from foialens.models.records import Clause, EntityTag, Mention
from foialens.models.relations import clause_relations
from foialens.models.tagger import Tagger

PROGRAMS = load_gazetteer("program").by_id()


@pytest.fixture(scope="module")
def tagger(clause_model_path):
    return Tagger(clause_model_path=clause_model_path)


def programs(tags) -> dict[str, list[str]]:
    return {t.id: [m.text for m in t.mentions] for t in tags.programs}


def test_the_issue_list_is_covered_with_owner_data_and_route():
    wanted = {"secure_communities", "pep", "ident", "hart", "ngi", "iafis", "ncic", "nlets", "tecs", "lesc", "287g",
              "287g_jem", "287g_wso", "287g_tfm", "ice_detainer", "i_247a", "i_247d", "i_247n", "i_203",
              "fusion_center", "learn_nvls", "flock_network"}
    assert wanted <= set(PROGRAMS)
    agencies = load_gazetteer("agency").by_id()
    vendors = load_gazetteer("vendor").by_id()
    data_types = load_gazetteer("data_type").by_id()
    for e in PROGRAMS.values():
        assert e.owner is None or e.owner in agencies, e.id
        assert e.vendor is None or e.vendor in vendors, e.id
        assert e.data and set(e.data) <= set(data_types), e.id
        assert set(e.route) <= set(PROGRAMS) and (e.parent is None or e.parent in PROGRAMS), e.id
    assert PROGRAMS["secure_communities"].route == ("ngi", "ident")  # booking -> FBI NGI -> DHS IDENT
    assert (PROGRAMS["ident"].owner, PROGRAMS["ngi"].owner, PROGRAMS["tecs"].owner) == ("dhs", "fbi", "cbp")
    assert PROGRAMS["learn_nvls"].vendor == "vigilant_solutions" and PROGRAMS["nlets"].owner is None
    assert ancestors("program", "287g_jem") == ["287g"] and ancestors("program", "i_247a") == ["ice_detainer"]


def test_ambiguous_program_forms_belong_to_programs_only():
    forms = {f for e in PROGRAMS.values() for a in e.ambiguous for f in a.forms}
    assert {"PEP", "TECS", "JEM", "WSO", "TFM"} <= forms
    for kind in ("vendor", "agency", "data_type"):
        others = {f for e in load_gazetteer(kind).entries for a in e.ambiguous for f in a.forms}
        assert not forms & others, kind


@pytest.mark.parametrize("text,expected", [
    ("Under Secure Communities (S-Comm), fingerprints taken at booking go to the FBI.",
     {"secure_communities": ["Secure Communities", "S-Comm"]}),
    ("The Sheriff signed a 287(g) Jail Enforcement Model agreement; JEM officers work in the jail.",
     {"287g": ["287(g)"], "287g_jem": ["Jail Enforcement Model", "JEM"]}),
    ("ICE lodged an I-247A detainer with the jail and later an I-247N request.",
     {"i_247a": ["I-247A"], "i_247n": ["I-247N"]}),
    ("CBP officers queried TECS for border crossing records.", {"tecs": ["TECS"]}),
    ("The Priority Enforcement Program (PEP) replaced it; PEP relies on notification requests.",
     {"pep": ["Priority Enforcement Program (PEP)", "PEP"]}),
    ("Access to Flock’s national law enforcement network of devices is included.",
     {"flock_network": ["Flock’s national law enforcement network"]}),
    ("Records in EARM, a subset of the Enforcement Integrated Database (EID), are kept 75 years.",
     {"earm": ["EARM"], "eid": ["Enforcement Integrated Database", "EID"]}),
    # short forms without a cue are not programs
    ("The pep rally drew a crowd; Jem and the WSO choir sang.", {}),
    ("TECS and PEP were on the agenda of the school board.", {}),
])
def test_programs_found_with_context_only(tagger, text, expected):
    assert programs(tagger.tag_pages([(1, text)])) == expected


def test_programs_are_a_layer_beside_agencies_and_data_types(tagger):
    text = ("Secure Communities sends fingerprints to NGI; NCIC queries go through Nlets. "
            "The Northern California Regional Intelligence Center is the fusion center.")
    tags = tagger.tag_pages([(1, text)])
    found = programs(tags)
    assert {"secure_communities", "ngi", "ncic", "nlets", "fusion_center"} <= set(found)
    assert found["fusion_center"] == ["Northern California Regional Intelligence Center", "fusion center"]
    assert {"ice", "fbi"} <= {t.id for t in tags.agencies}  # "Secure Communities" is ICE's, "NGI" the FBI's
    assert "criminal_history" in {t.id for t in tags.data_types}  # NCIC
    for t in tags.programs:
        for m in t.mentions:
            assert text[m.start : m.end] == m.text


def test_page_ids_carry_program_parents(tagger):
    tags = tagger.tag_pages([(1, "This 287(g) Warrant Service Officer agreement covers the WSO program."), (2, "Nothing.")])
    assert tags.page_ids(1)["programs"] == ["287g", "287g_wso"]
    assert tags.page_ids(2)["programs"] == []


def test_clause_relations_pass_through_the_program_route():
    sheriff = EntityTag(id="local-freeborn-county-sheriff", name="Freeborn County Sheriff's Office", kind="agency",
                        mentions=[Mention(page=1, text="x", start=0, end=1)] * 2)
    text = "Through Secure Communities, fingerprints the LEA submits at booking are shared with ICE."
    at = text.index("Secure Communities")
    scomm = EntityTag(id="secure_communities", name="Secure Communities (S-Comm)", kind="program",
                      mentions=[Mention(page=1, text="Secure Communities", start=at, end=at + 18)])
    clause = Clause(label="ice_access", score=0.9, page=1, text=text, start=0, end=len(text))
    [rel] = clause_relations([clause], [sheriff], "agreement_287g", "2020", {}, set(), [scomm], state="MN")
    assert rel.via == ["secure_communities", "ngi", "ident"]
    assert rel.data_type == "fingerprints"  # what the program carries first, when the page names no data
    assert rel.source.jurisdictions == ["MN", "MN/freeborn-county"] and rel.source.level == "local"
    other = Clause(label="ice_access", score=0.9, page=2, text="ICE may query the jail database.", start=0, end=32)
    assert clause_relations([other], [sheriff], "agreement_287g", "2020", {}, set(), [scomm])[0].via == []
