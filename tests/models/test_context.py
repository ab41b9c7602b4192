"""Reading a document as a whole: its kind, its parties and defined terms, and how a sentence is
rewritten with role tokens before the clause classifier reads it (models/context.py)."""

from __future__ import annotations

import pytest

from foialens.models.context import clause_prior, defined_terms, document_context, document_kind, rewrite

MOA = (
    "MEMORANDUM OF AGREEMENT\nWarrant Service Officer Program\nI. PARTIES\n"
    "This Memorandum of Agreement (MOA) constitutes an agreement between U.S. Immigration and Customs "
    "Enforcement (ICE), a component of the Department of Homeland Security (DHS), and the Lyon County "
    "Sheriff's Office, hereinafter the law enforcement agency (LEA), pursuant to which ICE delegates to "
    "nominated LEA personnel the authority to perform certain immigration enforcement functions under "
    "section 287(g) of the Immigration and Nationality Act.\n"
)
FLOCK = (
    "Master Services Agreement\nThis Master Services Agreement is entered into by and between Flock Group, "
    "Inc. with a place of business at 1170 Howell Mill Road NW, Atlanta, GA 30318 (\u201cFlock\u201d) and the "
    "entity identified in the signature block (\u201cCustomer\u201d) (each a \u201cParty\u201d). Flock will "
    "retain Footage for thirty (30) days (\u201cRetention Period\u201d).\n"
)
PIA = ("Privacy Impact Assessment\nfor the Acquisition and Use of License Plate Reader Data\nDHS/ICE/PIA-039\n"
       "U.S. Immigration and Customs Enforcement (ICE) users query the service.\n")


@pytest.mark.parametrize("text, kind", [
    (MOA, "agreement_287g"),
    (FLOCK, "vendor_contract"),
    (PIA, "pia"),
    ("Agency\nData Sharing Report\nDetections Shared\nThe Irvine Police Department Agency is Sharing its "
     "Detection data with the following Agencies:\nAnaheim Police Department  Antioch Police Department\n", "sharing_report"),
    ("UNITED STATES DISTRICT COURT\nFOR THE NORTHERN DISTRICT OF ILLINOIS\nJOHN DOE, Plaintiff,\nv.\n"
     "CITY OF CHICAGO, Defendant.\nCase No. 1:19-cv-01234\nMEMORANDUM OPINION AND ORDER\n", "court_filing"),
    # an appellate opinion about an insurance policy, a letter to the clerk of an appeals court
    ("Case: 21-50498 Document: 00516242060 Page: 1 Date Filed: 03/16/2022\nUnited States Court of Appeals\n"
     "for the Fifth Circuit\nNo. 21-50498\nVanessa St. Pierre, Plaintiff-Appellant,\nversus\nStandard Insurance "
     "Company, Defendant-Appellee.\nBefore Barksdale, Stewart, and Dennis, Circuit Judges.\nPer Curiam:\nThis case "
     "arises from a dispute involving a life insurance policy. The policy terms and the pricing of the premium "
     "are disputed. See Walker v. Walker, 631 S.W.3d 259 (Tex. 2021).\n", "court_filing"),
    ("January 19, 2023\nVia ECF\nMr. Michael E. Gans\nClerk of Court\nUnited States Court of Appeals\n"
     "For the Eighth Circuit\nRe: United States v. Xiang, No. 22-1801\nDear Mr. Gans,\nDr. Xiang submits this "
     "letter to respond to the government's supplemental notice, 2023 WL 128600. Products under a munitions "
     "embargo were quoted at a price.\nSincerely,\n", "court_filing"),
    ("Dear Ms. Smith:\nThis letter responds to your Freedom of Information Act (FOIA) request dated May 1 "
     "for records concerning license plate readers. Sincerely,\n", "foia_letter"),
    ("Request Data Table Report 2025-06-01 to 2025-10-06\nDate of Request | Name | Status\n"
     "06/02/2025 | J. Doe | Closed\n" * 40, "log"),
])
def test_document_kinds(text, kind):
    assert document_kind(text, pages=3) == kind


def test_the_287g_program_must_be_named_in_an_agreement():
    report = "Monthly Encounter Report\nERO\n287(g) Overview: the program creates partnerships with agencies.\n"
    assert document_kind(report) == "report"


def test_defined_terms_name_the_parties_by_role():
    assert defined_terms(MOA) == {"ICE": "ice", "DHS": "ice", "LEA": "party"}
    assert defined_terms(FLOCK) == {"Flock": "vendor", "Customer": "party"}  # "Retention Period" is no party


def test_a_287g_agreement_reads_federal_as_ice():
    ctx = document_context([(1, MOA)])
    assert ctx.kind == "agreement_287g" and ctx.ice_party and ctx.ice_content
    sentence = ("The LEA agrees to cooperate with any Federal investigation related to this MOA, including "
                "providing access to appropriate databases.")
    assert rewrite(sentence, ctx).split()[:2] == ["PARTY_", "agrees"]
    assert "ICE_ investigation" in " ".join(rewrite(sentence, ctx).split())


def test_pia_users_are_the_authors_users():
    ctx = document_context([(1, PIA)])
    assert ctx.kind == "pia"
    assert " ".join(rewrite("Users may only query known plates.", ctx).split()) == "ICE_ may only query known plates."


def test_documents_without_immigration_enforcement_have_no_ice_content():
    assert not document_context([(1, FLOCK)]).ice_content
    assert not document_context([(1, "Grant applications from DHS that funded ALPR cameras. Roads had ice.")]).ice_content
    assert document_context([(1, "Data shall not be shared with DHS for immigration enforcement.")]).ice_content


def test_a_court_filing_argues_about_clauses_but_what_it_quotes_is_read_as_one():
    assert clause_prior("vendor_contract", "Vendor shall share plate data with ICE.") == {}
    argued = clause_prior("court_filing", "Plaintiff argues that the County shared plate data with ICE.")
    assert set(argued) == {"ice_access", "ice_restriction", "third_party_sharing", "retention", "audit_oversight",
                           "purpose_limitation", "sensitive_locations"} and max(argued.values()) < 1.0
    assert clause_prior("court_filing", 'The MOA provides: "Upon ICE\'s request, such data and information '
                                        'shall be provided to ICE."') == {}
    assert clause_prior("court_filing", 'The "Policy" was adopted in 2019.')  # a quoted name is no clause
    # quoted case law binds no party
    assert clause_prior("court_filing", 'The Court said that CBP can search for "contraband, evidence of '
                                        'contraband, or evidence of activity in violation of the laws."')


def test_in_an_agreement_ice_signs_its_duties_restrict_access_only_when_they_name_data():
    assert clause_prior("agreement_287g", "ICE will generally not terminate an agreement.")["ice_restriction"] < 1.0
    assert clause_prior("agreement_287g", "ICE shall not access LEA records except through the LEA.") == {}
    assert clause_prior("pia", "ICE will generally not terminate an agreement.") == {}
