"""Law and ordinance fixtures for the restrict-relation and conflict tests, written for foialens.

Each text is modelled on a real public statute or ordinance (cited in the text itself and in
``SOURCES``): the structure, the subject of each provision and the legal effect follow the
source, the wording is a paraphrase written for these tests, not the official text. Riverton is a
fictional California city. ``law_pdf`` renders a fixture as a real PDF with a text layer.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

from tests.support.pdfs import text_pdf

SOURCES = {
    "ca_values_act": "Cal. Gov. Code § 7284.6 (SB 54, California Values Act, 2017)",
    "ca_alpr": "Cal. Civ. Code §§ 1798.90.5 and 1798.90.55 (SB 34, 2015)",
    "wa_keep_working": "RCW 43.17.425 (Keep Washington Working Act, 2019)",
    "or_sanctuary": "ORS 181A.820 and ORS 180.805 (Sanctuary Promise Act, 2021)",
    "riverton_ccops": "Oakland Municipal Code ch. 9.64 (a CCOPS ordinance, 2018) and San Francisco "
                      "Administrative Code § 19B.2 (face recognition ban, 2019)",
}

LAWS: dict[str, str] = {
    "ca_values_act": """\
CALIFORNIA GOVERNMENT CODE
Title 1, Division 7, Chapter 17.25. Cooperation with Immigration Authorities
Test fixture written for foialens, modelled on Cal. Gov. Code § 7284.6 as enacted by Senate Bill 54
(the California Values Act). A paraphrase for testing, not the official text of the statute.
Section 7284.6.
(a) California law enforcement agencies shall not do any of the following:
(1) Use agency or department moneys or personnel to investigate, interrogate, detain, detect, or
arrest persons for immigration enforcement purposes, including any of the following:
(A) Inquiring into a person's immigration status.
(B) Detaining a person on the basis of a hold request.
(C) Providing information about a person's release date, or answering requests for notification
by providing release dates or other release information, unless the information is public.
(D) Providing personal information about a person, such as the person's home address or work
address, unless the information is available to the public.
(E) Making arrests based on civil immigration warrants.
(2) Make agency or department databases, including databases that private vendors maintain for
the agency, or the information in them other than information regarding a person's citizenship
or immigration status, available to anyone or to any entity for the purpose of immigration
enforcement.
(b) Nothing in this section prohibits a California law enforcement agency from answering a
request from federal immigration authorities for a specific person's criminal history.
""",
    "ca_alpr": """\
CALIFORNIA CIVIL CODE
Title 1.81.23. Collection of License Plate Information
Test fixture written for foialens, modelled on Cal. Civ. Code §§ 1798.90.5 and 1798.90.55 as
enacted by Senate Bill 34. A paraphrase for testing, not the official text of the statute.
Section 1798.90.5. The definitions below apply throughout this title.
(a) "ALPR system" means a searchable computerized database built from information collected by
fixed or mobile cameras that read and convert images of license plates into computer-readable
data.
(b) "ALPR information" means the information or data collected by an ALPR system.
(c) "Public agency" means the state, any city, county, or city and county, or any agency or
political subdivision of the state or of a city, county, or city and county, including a law
enforcement agency.
Section 1798.90.55. Whatever any other law or regulation provides:
(a) A public agency that operates or intends to operate an ALPR system shall give the public an
opportunity to comment at a regularly scheduled public meeting of its governing body before it
implements the program.
(b) A public agency shall not sell, share, or transfer ALPR information, except to another public
agency, and only as otherwise permitted by law. Data hosting and towing services are not a sale,
sharing or transfer of ALPR information for this purpose.
""",
    "wa_keep_working": """\
REVISED CODE OF WASHINGTON
RCW 43.17.425. State agencies, immigration enforcement, information about persons.
Test fixture written for foialens, modelled on RCW 43.17.425 as enacted by the Keep Washington
Working Act of the Washington State Legislature. A paraphrase for testing, not the official text.
(1) State agencies shall not make services or benefits conditional on the citizenship or
immigration status of an applicant, except as required by state or federal law.
(2) State agencies shall not disclose personal information about any person, including a home
address, to federal immigration authorities for the purpose of civil immigration enforcement,
except as required by state or federal law.
(3) Nothing in this section prohibits a state agency from answering a lawful subpoena or a
judicial warrant.
""",
    "or_sanctuary": """\
OREGON REVISED STATUTES
ORS 181A.820. Enforcement of federal immigration laws.
Test fixture written for foialens, modelled on ORS 181A.820 and ORS 180.805 (the Sanctuary Promise
Act of the Oregon Legislature). A paraphrase for testing, not the official text of the statutes.
(1) No law enforcement agency of the State of Oregon or of any political subdivision of the state
shall use agency moneys, equipment or personnel for the purpose of detecting or apprehending
persons whose only violation of law is that they are persons of foreign citizenship present in
the United States in violation of federal immigration laws.
Section 180.805. Information held by public bodies.
(1) Except as required by state or federal law, a public body may not disclose, for the purpose of
civil immigration enforcement, the home address, workplace, hours of work or date of release from
custody of any person.
""",
    "riverton_ccops": """\
CITY OF RIVERTON, CALIFORNIA
ORDINANCE NO. 2024-17
An ordinance adding Chapter 9.70, Surveillance Technology and Community Safety, to the Riverton
Municipal Code.
Test fixture written for foialens, modelled on Oakland Municipal Code chapter 9.64 (a community
control over police surveillance ordinance) and San Francisco Administrative Code section 19B.2
(a face recognition ban). The City of Riverton, California is fictional; the text is a paraphrase.
BE IT ORDAINED by the City Council of the City of Riverton as follows:
Section 1. Definitions.
(a) "Surveillance technology" means any electronic device or system used to monitor or collect
information about members of the public, including automated license plate readers.
(b) "Surveillance data" means any data collected by surveillance technology.
Section 2. Council approval.
(a) A City department must obtain City Council approval before it acquires new surveillance
technology or agrees to share surveillance data with another entity.
Section 3. Sharing of surveillance data.
(a) No City department shall share surveillance data, including ALPR data, with any federal agency
for the purpose of immigration enforcement.
(b) No City department shall sell surveillance data to any private entity.
Section 4. Face recognition technology.
(a) It shall be unlawful for any City department or City staff to obtain, retain, access, or use
any face recognition technology, or any information obtained from face recognition technology.
""",
}


def law_pages(name: str) -> list[tuple[int, str]]:
    """A fixture as (page, text) pairs: one page."""
    return [(1, LAWS[name])]


def law_pdf(path: Path, name: str, width: int = 96) -> Path:
    """A fixture rendered as a PDF with a text layer (lines wrapped at ``width`` characters, 44
    lines a page)."""
    lines: list[str] = []
    for line in LAWS[name].splitlines():
        lines += textwrap.wrap(line, width) or [""]
    pages = [lines[i : i + 44] for i in range(0, len(lines), 44)]
    return text_pdf(path, pages, title=name)


# --- a corpus with a sharing report and the laws it breaks ------------------------------------------

REPORT_OWNER = "Riverton Police Department"
REPORT_ROWS = [
    "Anaheim Police Department (CA)", "Alpharetta Police Department (GA)", "Bakersfield Police Department (CA)",
    "Brea Police Department (CA)", "CBP - NTC", "Chino Police Department (CA)", "Claremont Police Department (CA)",
    "Costa Mesa Police Department (CA)", "DHS - HSI (San Diego CA)", "Dallas Police Department (TX)",
    "Fresno County Sheriffs Office (CA)", "Fullerton Police Department (CA)", "Garden Grove Police Department (CA)",
    "Huntington Beach Police Department (CA)", "Long Beach Police Department (CA)", "Ontario Police Department (CA)",
    "Orange Police Department (CA)", "Pasadena Police Department (CA)", "Santa Ana Police Department (CA)",
    "Tustin Police Department (CA)",
]
REAL_REPORT = "ocsd_vigilant_data_sharing_report_2020.pdf"
_BUILT: dict[str, dict] = {}


def conflict_corpus(folder: Path, real_corpus: Path | None = None) -> list[Path]:
    """PDFs of a corpus where sharing breaks a law: a generated LEARN report of the (fictional)
    Riverton Police Department, California, sharing ALPR detections with HSI, CBP and agencies of
    other states; the fixtures modelled on Cal. Civ. Code § 1798.90.55 (SB 34) and Cal. Gov. Code
    § 7284.6 (SB 54); and, when ``real_corpus`` holds it, the Orange County Sheriff's real 2020
    LEARN report."""
    from tests.support.pdfs import sharing_report_pdf

    folder.mkdir(parents=True, exist_ok=True)
    out = [sharing_report_pdf(folder / "riverton_pd_learn_sharing_2020.pdf", REPORT_OWNER, REPORT_ROWS),
           law_pdf(folder / "ca_civ_code_1798_90_55.pdf", "ca_alpr"),
           law_pdf(folder / "ca_gov_code_7284_6.pdf", "ca_values_act")]
    if real_corpus is not None and (real_corpus / REAL_REPORT).is_file():
        out.append(real_corpus / REAL_REPORT)
    return out


def conflict_data_dir(tmp_path_factory, real_corpus: Path | None = None) -> dict:
    """A data directory built by the real pipeline (flows.batch.run_batch: extraction, tagging,
    relations, SQLite index) on :func:`conflict_corpus`; built once per session."""
    if "info" in _BUILT:
        return _BUILT["info"]
    from foialens.flows.batch import run_batch
    from foialens.flows.request import IngestRequest

    root = tmp_path_factory.mktemp("conflicts")
    files = conflict_corpus(root / "in", real_corpus)
    summary = run_batch(IngestRequest(paths=[str(f) for f in files], batch="laws", data_dir=str(root / "data")))
    _BUILT["info"] = {"data_dir": root / "data", "files": files, "summary": summary,
                      "real": any(f.name == REAL_REPORT for f in files)}
    return _BUILT["info"]


POLICY = """\
RIVERTON POLICE DEPARTMENT
General Order 4.21: Automated License Plate Readers
Riverton, California. Effective January 1, 2021.
Purpose
This policy governs the use of automated license plate reader (ALPR) technology by the Riverton
Police Department.
Procedures
(a) ALPR data may be shared with other law enforcement agencies for official law enforcement
purposes.
(b) The Riverton Police Department shall not share ALPR data with federal immigration
authorities for the purpose of immigration enforcement.
"""
