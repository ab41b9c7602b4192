"""What real page text looks like and how the tagger reads it: layout breaks end sentences, rows of
lists and tables are not clauses, agency names are bounded and plausible, OCR'd vendor names are
found, and each document gets a short list of key clauses."""

from __future__ import annotations

from foialens.models.agency_names import merge_variants, name_start, plausible_word
from foialens.models.prose import is_prose
from foialens.models.records import Clause, key_clauses
from foialens.models.segments import segments

PAGE = (
    "Privacy Impact Assessment Update\nDHS/ICE/PIA-039(a) LPR\nPage 2\n"
    "The commercial database receives data from a variety of governmental and private \nsources, including:\n"
    "\u2022 Toll road cameras;\n\u2022 Law enforcement agencies.\n"
    "Logging into the Database\nICE users access the commercial LPR database via a web-based system. Before \n"
    "gaining access to the LPR service, ICE users must obtain a unique username and password.\n"
)


def blocks(text: str) -> list[str]:
    out = []
    for seg in segments(text):
        cuts = (0, *seg.bounds, len(seg.text) + 1)
        out += [seg.text[a : b - 1] for a, b in zip(cuts, cuts[1:])]
    return out


def test_headings_items_and_page_numbers_end_a_block():
    assert blocks(PAGE) == [
        "Privacy Impact Assessment Update", "DHS/ICE/PIA-039(a) LPR", "Page 2",
        "The commercial database receives data from a variety of governmental and private sources, including:",
        "\u2022 Toll road cameras;", "\u2022 Law enforcement agencies.", "Logging into the Database",
        "ICE users access the commercial LPR database via a web-based system. Before gaining access to the LPR "
        "service, ICE users must obtain a unique username and password.",
    ]


def test_rows_of_names_are_not_prose():
    assert not is_prose("Anaheim Police Department Antioch Police Department CA Arcade Police Department")
    assert not is_prose("Matthew T. Albence Executive Associate Director Enforcement and Removal Operations")
    assert not is_prose("Date of Request Name Business Name Email Description Status Date Complete")
    assert is_prose("Upon ICE's request, such data and information shall be provided to ICE.")
    assert is_prose("ALPR data shall not be shared with ICE.")


def test_list_rows_and_letterheads_give_no_clauses_and_no_spilled_agency_names(tagger):
    page = ("City of Chicago\nRahm Emanuel, Mayor\nDepartment of Police\n\n"
            "The Orange County Sheriffs Department Agency is Sharing its Detection data with the following Agencies:\n"
            "DHS - HSI (Newark NJ)          Anaheim Police Department\nCBP - NTC          Alpharetta Police Department (GA)\n"
            "San Diego Sector Border Patrol          ICE\n")
    tags = tagger.tag_pages([(1, page)])
    assert tags.clauses == []
    ids = {t.id for t in tags.agencies}
    assert {"hsi", "cbp", "usbp", "ice"} <= ids
    assert not any("emanuel" in i or "rahm" in i for i in ids)
    assert "local-anaheim-police" in ids


def test_agency_names_are_plausible_names():
    assert not plausible_word("ArizonaA") and not plausible_word("WhoviUe") and not plausible_word("Aru.ona")
    assert plausible_word("DeKalb") and plausible_word("McHenry") and plausible_word("St.")
    assert name_start(["Arimna"], head_is_state=True) is None  # an OCR error is no state
    assert name_start(["Arizona"], head_is_state=True) == (0, "state")
    assert name_start(["Cook", "County"], head_is_state=True) == (0, "local")  # county corrections
    assert name_start(["Shinn", "Director", "Arizona"], head_is_state=True) == (2, "state")
    assert name_start(["Removal", "Operations", "Etowah", "County"], head_is_state=False) == (2, "local")
    assert name_start(["County"], head_is_state=False) is None
    assert name_start(["Rahm", "Emanuel"], head_is_state=False, head="Department of Police") is None
    assert name_start(["City", "of", "Chicago"], head_is_state=False, head="Department of Police") == (0, "local")


def test_longer_variants_of_a_found_name_are_that_agency():
    names = ["Eugene Police Department", "Ithe Eugene Police Department", "Springfield Police Department"]
    assert merge_variants(names) == {"Ithe Eugene Police Department": "Eugene Police Department"}


def test_agency_tags_carry_the_document_s_resolution(tagger):
    pages = [(1, "The Eugene Police Department uses Flock cameras."),
             (2, "Ithe Eugene Police Department received the request.")]
    [agency] = [t for t in tagger.tag_pages(pages).agencies if t.id.startswith("local-")]
    assert agency.id == "local-eugene-police"
    assert [(m.page, m.text) for m in agency.mentions] == [(1, "Eugene Police Department"), (2, "Eugene Police Department")]


def test_ocr_misread_vendor_names_are_found_on_ocr_pages_only(tagger):
    text = "The Department bought Vigi1ant Solutions plate data and a Ce11ebrite device. Immigration officers."
    on_ocr = {t.id for t in tagger.tag_pages([(1, text)], ocr_pages={1}).vendors}
    assert on_ocr == {"vigilant_solutions", "cellebrite"}  # "Immigration" is not "ImmigrationOS"
    assert {t.id for t in tagger.tag_pages([(1, text)]).vendors} == set()


def test_flagship_vendor_of_a_network_list_without_its_name(tagger):
    """A Flock network list names Flock's UI, not Flock; its "Falcon" cameras are Flock's."""
    pages = [(1, "Organization Name Networks Shared With Me Networks I'm Sharing\nPolk County FL SO"),
             (2, "Brookhaven GA PD (Falcon) search network")]
    tags = tagger.tag_pages(pages)
    assert {t.id for t in tags.vendors} == {"flock_safety"}


def test_key_clauses_are_the_strongest_few_per_label():
    clauses = [Clause(label="ice_access", score=s, page=1, text=f"s{s}") for s in (0.5, 0.9, 0.7, 0.6)]
    clauses += [Clause(label="ice_access", score=0.95, page=2, text="s0.9"), Clause(label="retention", score=0.4, page=1, text="r")]
    keys = key_clauses(clauses)
    assert [(c.label, c.score) for c in keys] == [("ice_access", 0.95), ("ice_access", 0.9), ("ice_access", 0.7),
                                                   ("retention", 0.4)]
