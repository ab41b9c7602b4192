"""A small corpus of page records for the search contract suite (expected values derive from it)."""

from __future__ import annotations

from foialens.search.records import PageRecord

# --- corpus ----------------------------------------------------------------------------------


def _doc(doc_id, path, title, batch, year, pages):
    return [
        PageRecord(doc_id=doc_id, page=i, path=path, title=title, batch=batch, year=year, **page)
        for i, page in enumerate(pages, start=1)
    ]


def corpus() -> list[PageRecord]:
    recs: list[PageRecord] = []
    recs += _doc("a" * 64, "2019-ice/vigilant-mou.pdf", "Vigilant Solutions LEARN Data Sharing MOU", "2019-foia-ice", "2019", [
        dict(text="Memorandum of Understanding between U.S. Immigration and Customs Enforcement (ICE) and "
                  "Vigilant Solutions for access to the Law Enforcement Archival and Reporting Network (LEARN). "
                  "License plate reader data is provided as a commercial service.",
             vendors=["vigilant_solutions"], agencies=["ice"], data_types=["alpr"], programs=["learn_nvls"]),
        dict(text="ICE Enforcement and Removal Operations may query license plate reader detections. The vendor "
                  "shall grant ICE access to ALPR data collected by participating agencies nationwide.",
             vendors=["vigilant_solutions"], agencies=["ice"], data_types=["alpr", "vehicle_location"],
             clauses=["ice_access"]),
        dict(text="(b)(6) (b)(7)(C) Point of contact withheld. Records will be retained for three years and "
                  "audited annually by the Office of Professional Responsibility.",
             exemptions=["b6", "b7c"], clauses=["retention", "audit_oversight"], redactions=["redacted"]),
    ])
    recs += _doc("b" * 64, "2019-ice/palantir-falcon.pdf", "Palantir FALCON Task Order", "2019-foia-ice", "2018", [
        dict(text="Homeland Security Investigations (HSI) will use Palantir FALCON and the Investigative Case "
                  "Management system to analyze records, phone records and financial records.",
             vendors=["palantir"], agencies=["ice"], data_types=["phone_records", "financial_records"]),
        dict(text="The contractor shall not share data with third parties without the written approval of the "
                  "contracting officer. Palantir personnel require background investigations.",
             vendors=["palantir"], clauses=["third_party_sharing"]),
    ])
    recs += _doc("c" * 64, "2020-county/alpr-policy.pdf", "County Sheriff ALPR Policy", "2020-county", "2020", [
        dict(text="The Sheriff's Office operates license plate readers purchased from Flock Safety. Data shall not "
                  "be shared with ICE or used for immigration enforcement purposes.",
             vendors=["flock_safety"], agencies=["sheriff", "ice"], data_types=["alpr"], clauses=["ice_restriction"],
             programs=["flock_network"]),
        dict(text="Plate reads are retained for 30 days and then purged. Audit logs of every query are reviewed "
                  "monthly; records of access are kept for two years.",
             data_types=["alpr"], clauses=["retention", "audit_oversight"]),
        dict(text="<script>alert('x')</script> Contact records@county.gov & ask for <b>surveillance</b> "
                  "logs \"as is\" — café ñandú.",
             agencies=["sheriff"]),
    ])
    recs += _doc("d" * 64, "2020-county/clearview.pdf", "Clearview AI Subscription", "2020-county", "2020", [
        dict(text="Clearview AI facial recognition subscription: face images scraped from public websites may be "
                  "searched by detectives. CBP requested a trial account.",
             vendors=["clearview_ai"], agencies=["cbp"], data_types=["face_images"]),
        dict(text="Surveillance at sensitive locations such as schools, hospitals and places of worship is "
                  "prohibited without a warrant.",
             clauses=["sensitive_locations"]),
    ])
    recs += _doc("e" * 64, "2021-dhs/accurint.pdf", "LexisNexis Accurint for Law Enforcement", "2021-dhs", "2021", [
        dict(text="Accurint provides DMV records, utility records and phone records to ICE HSI and CBP agents "
                  "for identity resolution.",
             vendors=["lexisnexis"], agencies=["ice", "cbp"],
             data_types=["dmv_records", "utility_records", "phone_records"]),
    ])
    # a long FOIA production: many pages that all mention "records", with varied density
    pages = []
    for i in range(1, 24):
        extra = " ".join(["records"] * (1 + i % 4))
        pages.append(dict(
            text=f"FOIA production page {i}. Responsive {extra} concerning surveillance technology "
                 f"procurement by the agency, item {i * 7}. " + ("Exemption (b)(7)(E) applied." if i % 5 == 0 else ""),
            exemptions=["b7e"] if i % 5 == 0 else [],
            agencies=["dhs"] if i % 3 == 0 else [],
        ))
    recs += _doc("f" * 64, "2021-dhs/production.pdf", "DHS FOIA Production 2021-0042", "2021-dhs", "2021", pages)
    return recs


CORPUS = corpus()
