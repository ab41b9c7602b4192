"""Tagger: context rules for ambiguous names, pattern agencies, exact offsets, fallbacks, clauses."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from foialens.models.records import DocumentTags
from foialens.models.tagger import Tagger


def vendor_ids(tags: DocumentTags) -> set[str]:
    return {t.id for t in tags.vendors}


def assert_offsets_exact(tags: DocumentTags, pages: dict[int, str]) -> None:
    for tag in (*tags.vendors, *tags.data_types, *tags.agencies):
        assert tag.mentions
        for m in tag.mentions:
            assert pages[m.page][m.start : m.end] == m.text, (tag.id, m)
    for c in tags.clauses:
        assert pages[c.page][c.start : c.end] == c.text


AMBIGUOUS_CASES = [
    # Falcon: Palantir FALCON, Flock's Falcon camera, the bird, Falcon Heights
    ("HSI agents search the FALCON platform daily.", {"palantir"}),
    ("Palantir delivered the software. Falcon is hosted in the cloud.", {"palantir"}),
    ("Flock Safety will install twenty Falcon cameras on poles.", {"flock_safety"}),
    ("A peregrine falcon nested on the courthouse roof.", set()),
    ("The meeting was held at Falcon Heights City Hall.", set()),
    ("The Falcon was spotted near the river at dawn.", set()),
    # CLEAR: Thomson Reuters CLEAR vs the adjective/verb
    ("ERO officers ran CLEAR searches to find current addresses.", {"thomson_reuters"}),
    ("Thomson Reuters CLEAR was used by the task force.", {"thomson_reuters"}),
    ("The instructions were clear and concise.", set()),
    ("ALL CLEAR was announced after the drill.", set()),
    ("Officers must clear the area before towing.", set()),
    # Axon: company vs neuron
    ("Axon body cameras and Evidence.com storage are included.", {"axon"}),
    ("The Axon contract covers 200 cameras for patrol officers.", {"axon"}),
    ("Each neuron has one Axon that carries signals to a synapse.", set()),
    # Vigilant: company vs adjective
    ("Vigilant hot-list alerts for stolen plates are sent by email.", {"vigilant_solutions"}),
    ("Officers must remain Vigilant at all times.", set()),
    ("Please be vigilant about phishing emails.", set()),
    # NEC: biometrics vendor vs electrical code
    ("The NEC facial recognition algorithm was tested.", {"nec"}),
    ("Wiring shall comply with NEC Article 250 of the electrical code.", set()),
    # Flock: company vs "a flock of"
    ("The Flock cameras captured the plate at 3 a.m.", {"flock_safety"}),
    ("A Flock of geese crossed the road.", set()),
    ("a flock of birds", set()),
    # Rekor: ALPR vendor vs Sigstore's transparency log
    ("Rekor Scout reads license plates from existing cameras.", {"rekor"}),
    ("The Rekor license plate recognition software was licensed for two years.", {"rekor"}),
    ("Signatures are recorded in Rekor, the Sigstore transparency log.", set()),
    # Locate X: Babel Street product vs "locate x"
    ("CBP purchased Locate X licenses to query device location data.", {"babel_street"}),
    ("Locate X on the number line and mark it.", set()),
    ("Babel Street sells LocateX.", {"babel_street"}),
]


@pytest.mark.parametrize("text,expected", AMBIGUOUS_CASES)
def test_ambiguous_names_need_context(tagger, text, expected):
    tags = tagger.tag_pages([(1, text)])
    assert vendor_ids(tags) == expected
    assert_offsets_exact(tags, {1: text})


def test_page_level_support_resolves_ambiguous_names(tagger):
    page = "Contract with Palantir Technologies.\n\nThe Falcon migration completes in May."
    assert vendor_ids(tagger.tag_pages([(1, page)])) == {"palantir"}
    # without an unambiguous mention on the same page, the bare word does not count
    assert vendor_ids(tagger.tag_pages([(1, "Contract with a vendor."), (2, "The Falcon migration completes in May.")])) == set()


def test_pattern_agencies_keep_their_name(tagger):
    pages = {
        1: "MEMORANDUM OF UNDERSTANDING\nLAMAR COUNTY SHERIFF'S OFFICE\n\nThe Lamar County Sheriff’s Office and "
        "the Oregon State Police share data with the Northern California Regional Intelligence Center.",
        2: "PERMITTED ACCESS State Police may not query the system. Contact the Houston Police Department.",
    }
    tags = tagger.tag_pages(list(pages.items()))
    agencies = {t.id: t for t in tags.agencies}
    lamar = agencies["local-lamar-county-sheriff"]
    assert lamar.name == "Lamar County Sheriff’s Office"  # a non-all-caps spelling is preferred
    assert len(lamar.mentions) == 2
    assert agencies["state-or-state-police"].name == "Oregon State Police"
    assert "fusion-northern-california-fusion-center" in agencies
    assert "local-houston-police" in agencies
    assert not any("permitted" in i for i in agencies)
    assert_offsets_exact(tags, pages)


def test_named_agencies(tagger):
    text = "ICE/ERO and HSI, DHS, CBP, USCIS, the FBI's CJIS Division, the DEA and the DMV."
    tags = tagger.tag_pages([(1, text)])
    assert {t.id for t in tags.agencies} == {"ero", "hsi", "dhs", "cbp", "uscis", "fbi", "dea", "dmv"}
    # a page naming HSI or ERO is an ICE (and DHS) page for search filters
    assert {"ice", "dhs", "hsi", "ero", "doj"} <= set(tags.page_ids(1)["agencies"])
    assert {t.id for t in tagger.tag_pages([(1, "Roads were closed due to ice.")]).agencies} == set()


def test_offsets_exact_across_pdf_line_breaks(tagger):
    pages = {
        1: "  The Agency uses Vigilant\r\nSolutions' LEARN.\r\n\r\nAutomated   license\nplate   readers feed\tNVLS. ",
        2: "Palantir\n\n\nFALCON and\u00a0Clearview AI; fingerprints to NGI.",
    }
    tags = tagger.tag_pages(list(pages.items()))
    assert vendor_ids(tags) == {"vigilant_solutions", "palantir", "clearview_ai"}
    assert {t.id for t in tags.data_types} == {"alpr", "fingerprints"}
    assert_offsets_exact(tags, pages)
    vigilant = next(t for t in tags.vendors if t.id == "vigilant_solutions")
    assert [m.text for m in vigilant.mentions] == ["Vigilant\r\nSolutions", "LEARN", "NVLS"]


WORDS = ["The", "Agency", "shares", "ALPR", "data", "with", "ICE", "through", "Thomson", "Reuters", "CLEAR", "."]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([" ", "  ", "\n", "\r\n", "\t", " \n "]), min_size=len(WORDS) - 1, max_size=len(WORDS) - 1))
def test_offsets_exact_for_any_whitespace(tagger, gaps):
    text = WORDS[0] + "".join(g + w for g, w in zip(gaps, WORDS[1:]))
    tags = tagger.tag_pages([(3, text)])
    assert_offsets_exact(tags, {3: text})
    assert vendor_ids(tags) == {"thomson_reuters"}
    assert {t.id for t in tags.agencies} == {"ice"}


@pytest.mark.parametrize("model", [None, "no_such_spacy_model_package"])
def test_works_without_the_spacy_model(model, caplog, clause_model_path):
    tagger = Tagger(spacy_model=model, clause_model_path=clause_model_path)
    assert "ner" not in tagger.nlp.pipe_names
    text = "Flock Safety shares LPR data with ICE. Data shall not be shared with ICE."
    tags = tagger.tag_pages([(1, text)])
    assert vendor_ids(tags) == {"flock_safety"}
    assert_offsets_exact(tags, {1: text})
    if model:
        assert "not installed" in caplog.text


@pytest.mark.slow
def test_ner_option_keeps_results_and_rejects_places(clause_model_path):
    tagger = Tagger(use_ner=True, clause_model_path=clause_model_path)
    assert tagger.has_ner
    text = "Vigilant Solutions sold LEARN to the Sheriff. The Falcon Heights council met in Minnesota."
    tags = tagger.tag_pages([(1, text)])
    assert vendor_ids(tags) == {"vigilant_solutions"}
    assert_offsets_exact(tags, {1: text})


def test_clauses_grant_vs_prohibition(tagger):
    page = (
        "4.3 Agency shall provide U.S. Immigration and Customs Enforcement with direct access to the LEARN "
        "database.\n4.4 ALPR data shall not be shared with ICE except pursuant to a judicial warrant.\n"
        "4.5 Data will be purged after 30 days.\n4.6 This Agreement shall be governed by the laws of Texas."
    )
    tags = tagger.tag_pages([(2, page)])
    by_label = {}
    for c in tags.clauses:
        by_label.setdefault(c.label, []).append(c.text)
        assert 0.0 <= c.score <= 1.0 and c.page == 2
    assert by_label["ice_access"] == [
        "4.3 Agency shall provide U.S. Immigration and Customs Enforcement with direct access to the LEARN database."
    ]
    assert by_label["ice_restriction"] == ["4.4 ALPR data shall not be shared with ICE except pursuant to a judicial warrant."]
    assert "retention" in by_label
    assert not any("governed" in t for texts in by_label.values() for t in texts)
    assert_offsets_exact(tags, {2: page})
    assert tags.words == len(page.split())
    assert tags.page_ids(2)["clauses"] == sorted(by_label)


def test_court_filing_prose_is_not_clauses_but_a_quoted_clause_is(tagger):
    page = (
        "UNITED STATES DISTRICT COURT\nNORTHERN DISTRICT OF ILLINOIS\nJANE DOE, Plaintiff, v. CITY OF CHICAGO, "
        "Defendant.\nCase No. 1:19-cv-01234\nMEMORANDUM OPINION AND ORDER\n"
        "The parties conferred about the schedule and the Court granted the motion to extend discovery.\n"
        "The agreement between the Sheriff and ICE provides: \"Upon ICE's request, such data and information "
        "shall be provided to ICE.\"\n"
        "The Chapel is a nonprofit religious organization that operates a church facility and worship services.\n"
    )
    tags = tagger.tag_pages([(1, page)])
    assert tags.kind == "court_filing"
    assert [(c.label, c.text[:21]) for c in tags.clauses] == [("ice_access", "The agreement between")]


def test_empty_and_blank_pages(tagger):
    tags = tagger.tag_pages([(1, ""), (2, "   \n\n  "), (3, "ICE")])
    assert [t.id for t in tags.agencies] == ["ice"]
    assert tags.clauses == []
