"""Sample contracts and task orders (text written for foialens; parties and numbers are invented).

Markup: ``[text](v:vendor_id)``, ``[text](d:data_type)``, ``[text](a:agency_id)`` (empty id: the
printed name), ``[text](x:code)``; ``C(sentence, *labels)`` marks a clause (see samples.layout).

Clause annotation rules (all sample documents; DESIGN.md label taxonomy). Every sentence of a
text paragraph that carries a label is wrapped in ``C``; every sentence that names ICE/DHS (ERO,
HSI, CBP, USCIS, "federal immigration authority") or immigration enforcement without being
``ice_access`` is wrapped in ``NEAR`` (a must-not-tag for ``ice_access``), with its other labels.

- ``ice_access``: the sentence itself names ICE/DHS/CBP or an immigration-enforcement use and says
  they have, get, use or may query data or systems, or that data is or may be shared with them
  (a grant, an obligation, a permission or a reported fact). A requester's description, a request
  that was refused, a DHS oversight office (Privacy Office, Inspector General) receiving audit
  logs, and a sentence that relies on context to know who gets access are not ``ice_access``.
- ``ice_restriction``: prohibits or limits ICE/immigration-enforcement access, sharing or use,
  including a reported fact that such access is off.
- ``third_party_sharing``: sharing with or disclosure to other agencies or parties (beyond the
  contracting parties), or a rule about such sharing (consent, notice, no sale). Not ICE-specific:
  sharing only with ICE/DHS components is ``ice_access`` (or ``ice_restriction``) alone; sharing
  with ICE/DHS and others carries both labels.
- ``purpose_limitation``: use, access or sharing scoped to a stated purpose, or a purpose
  excluded ("only for / in connection with", "for ... purposes", "for the purpose of", "shall not
  be used to/for").
- ``retention``, ``audit_oversight``, ``sensitive_locations``: as named (audit trails, reviews,
  discipline for misuse; keeping and purging data; schools, clinics, places of worship ...).
"""

from __future__ import annotations

from foialens.samples.layout import NEAR, C, Footer, Gap, Heading, L, P, Table, Title
from foialens.samples.render import Doc
from foialens.samples.scan import Scan
from foialens.samples.setting import Setting

VIGILANT = "[Vigilant Solutions, LLC](v:vigilant_solutions)"
ICE = "[U.S. Immigration and Customs Enforcement](a:ice)"


def vigilant_alpr_contract(s: Setting) -> Doc:
    sheriff = s.sheriff
    p1 = (
        Title("AGREEMENT FOR LICENSE PLATE RECOGNITION DATA SERVICES"),
        L(f"Contract No. {s.contract_no}", f"Effective Date: {s.date}", align="center", size=10),
        P(f"This Agreement is entered into by and between {sheriff} (\"Agency\"), a law enforcement "
          f"agency of {s.county}, {s.state}, and {VIGILANT} (\"[Vigilant](v:vigilant_solutions)\"), a wholly owned subsidiary of "
          "[Motorola Solutions, Inc.](v:motorola_solutions), with offices at 2021 Las Positas Court, Livermore, California."),
        Heading("RECITALS"),
        P("WHEREAS, Vigilant operates the [Law Enforcement Archival and Reporting Network](v:vigilant_solutions) "
          "(\"[LEARN](v:vigilant_solutions)\"), a hosted platform that stores and analyzes "
          "[license plate](d:alpr) detections collected by fixed and mobile cameras;"),
        P("WHEREAS, Vigilant also maintains the [National Vehicle Location Service](v:vigilant_solutions) "
          "(\"[NVLS](v:vigilant_solutions)\"), a repository of commercially collected [license plate reader](d:alpr) "
          "records gathered by private operators, including repossession and parking companies, which "
          "reveal the [historical location of vehicles](d:vehicle_location);"),
        P("WHEREAS, Agency wishes to obtain access to LEARN and NVLS for investigative purposes and to contribute "
          "detections captured by its own [automated license plate recognition](d:alpr) cameras;"),
        P("NOW, THEREFORE, in consideration of the mutual promises set out below, the parties agree as follows."),
        Heading("SECTION 1. TERM"),
        P("The initial term of this Agreement is three (3) years from the Effective Date. Agency may renew "
          "for two additional one-year periods by written notice given no later than sixty (60) days before "
          "the end of the then-current term."),
    )
    p2 = (
        Heading("SECTION 2. DEFINITIONS"),
        P("2.1 \"ALPR\" means automated [license plate recognition](d:alpr) technology, consisting of "
          "high-speed cameras and software that convert images of license plates into alphanumeric data."),
        P("2.2 \"Detection\" means a single capture of a plate by an ALPR camera, including the plate number, "
          "an image of the vehicle, the date and time, and the [GPS coordinates](d:vehicle_location) of the camera."),
        P("2.3 \"Hot List\" means a list of plate numbers of interest loaded by an authorized user, such as "
          "plates associated with stolen vehicles, wanted persons or AMBER Alerts."),
        P("2.4 \"Commercial Data\" means Detections contributed to NVLS by private operators and made "
          "available to subscribing agencies."),
        Heading("SECTION 3. SERVICES"),
        P("3.1 Vigilant shall provide Agency with twenty-five (25) named user licenses for LEARN, including "
          "query, alerting, analytics and mapping functions, and unlimited access to Commercial Data through NVLS."),
        P("3.2 Vigilant shall provide [PlateSearch](v:vigilant_solutions), the mobile application that allows "
          "deputies to run license plates against LEARN and Hot Lists from patrol vehicles."),
        P("3.3 Vigilant shall install and maintain six (6) fixed ALPR cameras at locations designated by Agency "
          "and two (2) mobile camera kits mounted on patrol vehicles."),
        P("3.4 Vigilant shall provide training to all users before access is granted, and annual refresher "
          "training thereafter."),
    )
    p3 = (
        Heading("SECTION 4. DATA OWNERSHIP AND SHARING"),
        P("4.1 Agency retains ownership of all Detections captured by its cameras (\"Agency Data\").",
          C("[Vigilant](v:vigilant_solutions) acts as custodian of Agency Data and shall not sell Agency Data.",
            "third_party_sharing")),
        P(C("4.2 Agency may share Agency Data and Hot Lists through LEARN with other law enforcement agencies "
            "that have executed a data sharing agreement with Vigilant.", "third_party_sharing"),
          C("Sharing is configured by Agency's system administrator on a per-agency basis.", "third_party_sharing")),
        P(C("4.3 Agency authorizes Vigilant to make Agency Data available to federal partners including "
            "[DHS](a:dhs)/[ICE](a:ice) for law enforcement purposes, and Agency's sharing settings in LEARN "
            "shall reflect this authorization.", "ice_access", "third_party_sharing", "purpose_limitation"),
          C(f"Users of {ICE} assigned to [Enforcement and Removal Operations](a:ice) may query Agency Data "
            "and Commercial Data under the federal enterprise account.", "ice_access")),
        P(C("4.4 Vigilant shall notify Agency within five (5) business days of any request by a third party "
            "for Agency Data that is not made through LEARN.", "third_party_sharing")),
        Heading("SECTION 5. DATA RETENTION"),
        P(C("5.1 Agency Data shall be retained in LEARN for three hundred sixty-five (365) days from the date "
            "of capture and then automatically purged, unless Agency selects a shorter period.", "retention"),
          C("Detections linked to an open investigation may be preserved by a user for the life of the case.",
            "retention")),
        P(C("5.2 Commercial Data is retained by Vigilant under its own retention schedule, which may exceed "
            "five (5) years.", "retention")),
    )
    p4 = (
        Heading("SECTION 6. AUDIT AND ACCOUNTABILITY"),
        P(C("6.1 [LEARN](v:vigilant_solutions) shall record an audit trail of every query, including the user, the date and time, "
            "the plate searched and the stated reason for the search.", "audit_oversight"),
          C("Agency shall review the audit trail at least quarterly and make it available to the "
            f"{s.county} Board of Supervisors on request.", "audit_oversight")),
        P(C("6.2 Users shall enter a case number or incident number before any query of Commercial Data is "
            "permitted, and queries shall be limited to legitimate law enforcement purposes.",
            "purpose_limitation", "audit_oversight")),
        Heading("SECTION 7. FEES"),
        Table(
            (
                ("Item", "Description", "Qty", "Annual fee"),
                ("[LEARN](v:vigilant_solutions) licenses", "Named user licenses, query and analytics", "25", "$12,500"),
                ("[NVLS](v:vigilant_solutions)", "Commercial [license plate](d:alpr) data access", "1", "$18,000"),
                ("Fixed cameras", "Installation, maintenance, cellular service", "6", "$14,400"),
                ("Mobile kits", "Two-camera vehicle kits", "2", "$3,600"),
                ("Total", "", "", f"${s.amount:,}"),
            ),
            (110, 220, 40, 98),
        ),
        P("7.1 Fees are payable annually in advance within thirty (30) days of invoice."),
    )
    p5 = (
        Heading("SECTION 8. GENERAL PROVISIONS"),
        P("8.1 This Agreement is governed by the laws of the State of " f"{s.state}. Either party may terminate "
          "this Agreement for convenience on ninety (90) days written notice."),
        P("8.2 [Vigilant](v:vigilant_solutions) shall maintain the security of Agency Data consistent with the [CJIS](a:fbi) Security Policy."),
        Gap(20),
        L(f"FOR {s.county.upper()} SHERIFF'S OFFICE", "", "______________________________", s.officer, f"Date: {s.date}"),
        L("FOR [VIGILANT SOLUTIONS, LLC](v:vigilant_solutions)", "", "______________________________", s.vendor_rep,
          "Regional Account Manager"),
    )
    return Doc(f"{s.county.lower().replace(' ', '-')}-vigilant-alpr-contract.pdf", "contract",
               "License Plate Recognition Data Services Agreement", (p1, p2, p3, p4, p5),
               Footer(page_label="Page {n} of {total}"))


def palantir_icm_task_order(s: Setting) -> Doc:
    hsi = "[Homeland Security Investigations](a:ice)"
    p1 = (
        Title("ORDER FOR SUPPLIES OR SERVICES"),
        L(f"Task Order No. 70CMSD{s.year % 100}FC0000{s.seq:02d}", "Contract Vehicle: GSA Schedule 70",
          f"Issuing Office: {ICE}, Office of Acquisition Management", align="center", size=9.5),
        Heading("C.1 BACKGROUND"),
        P(NEAR(f"{hsi} ([HSI](a:ice)) is the principal investigative component of the "
               "[Department of Homeland Security](a:dhs)."),
          NEAR("HSI special agents investigate transnational crime, "
               "including human smuggling, narcotics, financial crime and immigration fraud."),
          C("Since 2014 HSI has "
            "used [Investigative Case Management](v:palantir) ([ICM](v:palantir)), a case management system "
            "built on the [Palantir Gotham](v:palantir) platform, as its system of record.", "ice_access")),
        Heading("C.2 SCOPE"),
        P(C("The contractor, [Palantir Technologies Inc.](v:palantir), shall provide operations and maintenance, "
            "software licenses, engineering support and hosting for ICM and for [FALCON](v:palantir), the HSI "
            "analytical environment that ingests data from ICM and from other government and commercial sources.",
            "ice_access")),
        P(C("The contractor shall integrate the following data sources into ICM and FALCON: "
            "[criminal history](d:criminal_history) records from the [FBI](a:fbi) National Crime Information "
            "Center, [immigration status](d:immigration_status) and border crossing records held by "
            "[CBP](a:cbp) and [USCIS](a:uscis), subpoenaed [telephone toll records](d:phone_records), "
            "[financial transaction](d:financial_records) reports, and publicly available "
            "[social media](d:social_media) content collected under HSI policy.", "ice_access")),
    )
    p2 = (
        Heading("C.3 TASKS"),
        P("Task 1. Operations and maintenance. Keep [ICM](v:palantir) and [FALCON](v:palantir) available 99.5 percent of each month, "
          "apply security patches within thirty days and maintain the development, test and production "
          "environments in a FedRAMP High authorized cloud."),
        P("Task 2. Data integration. Build and maintain interfaces to the data sources in C.2 and to new "
          "sources designated by the Contracting Officer's Representative."),
        P(C("Task 3. Access for enforcement users. The contractor shall provision access to ICM and FALCON "
            "for HSI special agents and for officers of [Enforcement and Removal Operations](a:ice) "
            "([ERO](a:ice)) who support criminal and civil immigration enforcement cases.", "ice_access"),
          C("ERO users shall be able to search ICM records, including [home addresses](d:identity_records), "
            "employment information and known associates, to locate subjects of removal orders.", "ice_access")),
        P(C("Task 4. Information sharing. The contractor shall configure ICM to exchange case records with "
            "[CBP](a:cbp), the [FBI](a:fbi) and state and local task force partners under approved "
            "memoranda of understanding.", "third_party_sharing", "ice_access")),
        P("Task 5. Training. Deliver role-based training for new users and maintain online help material."),
    )
    p3 = (
        Heading("C.4 PRIVACY, SECURITY AND AUDIT"),
        P(NEAR("The contractor shall maintain audit logs of every search, record view and export in [ICM](v:palantir) and "
               "[FALCON](v:palantir), retain them for at least seven years, and provide them to the [DHS](a:dhs) Privacy Office "
               "and the Office of Inspector General on request.", "audit_oversight", "retention")),
        P(C("Case records shall be retained according to the records schedule approved by the National "
            "Archives and Records Administration, currently twenty-five years after case closure.", "retention")),
        P(C("The contractor shall not use government data for any purpose other than performance of this "
            "task order.", "purpose_limitation")),
        Heading("C.5 DELIVERABLES"),
        Table(
            (
                ("CLIN", "Deliverable", "Period", "Amount"),
                ("0001", "ICM software licenses and hosting", "12 months", "$19,850,000"),
                ("0002", "FALCON operations and maintenance", "12 months", "$6,420,000"),
                ("0003", "Engineering and integration support", "12 months", "$4,310,000"),
                ("0004", "Training", "12 months", "$285,000"),
            ),
            (50, 230, 80, 108),
        ),
    )
    p4 = (
        Heading("C.6 PERIOD OF PERFORMANCE"),
        P(f"The base period is twelve months beginning {s.date}, with four twelve-month option periods."),
        Heading("C.7 POINTS OF CONTACT"),
        P("Contracting Officer: Office of Acquisition Management, Dallas, Texas.",
          NEAR("Contracting Officer's Representative: HSI Information Technology Services Division, "
               "Washington, D.C.")),
        Gap(16),
        L("APPROVED FOR THE GOVERNMENT", "", "______________________________", "Contracting Officer",
          f"{ICE}"),
    )
    return Doc("ice-hsi-palantir-icm-task-order.pdf" if s.seq == 1 else f"ice-hsi-palantir-task-order-{s.seq}.pdf",
               "contract", "ICE HSI Task Order: Investigative Case Management and FALCON", (p1, p2, p3, p4),
               Footer(header="UNCLASSIFIED", page_label="Page {n} of {total}"))


def clearview_pilot(s: Setting) -> Doc:
    police = s.police
    p1 = (
        Title(f"{s.city.upper()} POLICE DEPARTMENT", size=13),
        Title("FACIAL RECOGNITION PILOT AGREEMENT", size=12),
        P(f"This Pilot Agreement is made on {s.date} between the {police} (\"Department\") and "
          "[Clearview AI, Inc.](v:clearview_ai) (\"Clearview\") of New York, New York."),
        P("1. Purpose. The Department will evaluate the Clearview search application for ninety days to "
          "determine whether it assists detectives in identifying suspects and victims from "
          "[photographs of faces](d:face_images) lawfully obtained during investigations."),
        P("2. Service. Clearview will provide up to ten user accounts. A user uploads a probe image and the "
          "application returns publicly available [facial images](d:face_images) collected from the internet, "
          "with links to the pages where each image appears."),
        P("3. Cost. The pilot is provided at no charge. No purchase obligation arises from this pilot."),
    )
    p2 = (
        P(C("4. Permitted use. Searches may be conducted only in connection with an open criminal case "
            "number and may not be used as the sole basis for an arrest.", "purpose_limitation")),
        P(C("5. Prohibited use. Users shall not search images to identify persons engaged in lawful protest, "
            "religious practice or other activity protected by the First Amendment.", "purpose_limitation")),
        P(NEAR("6. Sharing. Search results shall not be shared with [ICE](a:ice) or any other federal "
               "immigration authority except in response to a judicial warrant.", "ice_restriction")),
        P(C("7. Records. The Department will keep a log of each search, including the case number, and the "
            "log will be reviewed by the Professional Standards Unit at the end of the pilot.", "audit_oversight")),
        P("8. Existing systems. The pilot does not replace the Department's booking photo system, "
          "[NEC NeoFace Reveal](v:nec), which continues to be used for [mugshot](d:booking_records) comparison."),
    )
    p3 = (
        P("9. Term. The pilot ends ninety days after the date above unless extended in writing."),
        Gap(14),
        L(f"FOR THE {s.city.upper()} POLICE DEPARTMENT", "", "______________________", s.chief, "", "",
          "FOR [CLEARVIEW AI, INC.](v:clearview_ai)", "", "______________________", "Authorized Representative"),
    )
    return Doc(f"{s.city.lower().replace(' ', '-')}-pd-clearview-pilot-scanned.pdf", "contract",
               "Facial Recognition Pilot Agreement", (p1, p2, p3),
               scans={1: Scan(skew=0.8), 2: Scan(rotate=180), 3: Scan(skew=-1.1)})


BROKERS = {
    "thomson_reuters": ("[Thomson Reuters](v:thomson_reuters)", "[CLEAR](v:thomson_reuters)"),
    "lexisnexis": ("[LexisNexis Risk Solutions](v:lexisnexis)", "[Accurint](v:lexisnexis) for Law Enforcement"),
    "transunion": ("[TransUnion](v:transunion)", "[TLOxp](v:transunion)"),
}


def data_broker_subscriptions(s: Setting) -> Doc:
    tr, clear = BROKERS["thomson_reuters"]
    lx, accurint = BROKERS["lexisnexis"]
    tu, tlo = BROKERS["transunion"]
    p1 = (
        Title("INVESTIGATIVE DATA SUBSCRIPTIONS"),
        L(f"Purchase Order {s.contract_no}-B", f"Requesting unit: {s.fusion}", align="center", size=10),
        P(f"The {s.fusion} requests renewal of the following public records subscriptions for the period "
          f"beginning {s.date}. These services are used by analysts to locate persons and to confirm "
          "identities in criminal investigations."),
        Heading("1. [Thomson Reuters](v:thomson_reuters) [CLEAR](v:thomson_reuters)"),
        P(f"{tr} {clear} provides consolidated public and proprietary records, including "
          "[utility connection records](d:utility_records), [motor vehicle registrations](d:dmv_records) and "
          "[driver license data](d:dmv_records), [phone numbers](d:phone_records), "
          "[address history](d:identity_records) and [license plate recognition](d:alpr) detections. "
          "Twelve concurrent users are requested."),
        Heading("2. [LexisNexis](v:lexisnexis) [Accurint](v:lexisnexis)"),
        P(f"{lx} {accurint} provides person search, [Social Security number](d:identity_records) validation, "
          "relatives and associates, [real property and financial](d:financial_records) filings and "
          "[incarceration records](d:criminal_history). Eight users are requested."),
    )
    p2 = (
        Heading("3. [TransUnion](v:transunion) [TLOxp](v:transunion)"),
        P(f"{tu} {tlo} is a backup person-locator service with [credit header](d:financial_records) "
          "data. Three users are requested."),
        Heading("4. [Equifax](v:equifax) and [Appriss](v:appriss)"),
        P("[The Work Number](v:equifax), operated by [Equifax](v:equifax), provides "
          "[employment and income](d:financial_records) verification in response to subpoenas. "
          "[Appriss](v:appriss) [Justice Xchange](v:appriss) provides near real-time "
          "[jail booking records](d:booking_records) from participating county jails."),
        Heading("5. Terms of use"),
        P(C("Analysts shall access these services only for a permissible purpose under the Gramm-Leach-Bliley "
            "Act and the Driver's Privacy Protection Act, and shall record the case number for each search.",
            "purpose_limitation", "audit_oversight")),
        P(C("Results may be disseminated to partner law enforcement agencies participating in the fusion "
            "center, including federal task force officers assigned from [HSI](a:ice), [CBP](a:cbp) and the "
            "[FBI](a:fbi).", "third_party_sharing", "ice_access")),
        P(C("Search results shall be kept with the case file and destroyed when the case file is purged, "
            "and shall not be retained in any separate database.", "retention")),
    )
    p3 = (
        Heading("6. Cost"),
        Table(
            (
                ("Service", "Vendor", "Users", "Annual cost"),
                ("[CLEAR](v:thomson_reuters)", "[Thomson Reuters](v:thomson_reuters)", "12", "$61,200"),
                ("[Accurint](v:lexisnexis) for Law Enforcement", "[LexisNexis](v:lexisnexis)", "8", "$28,800"),
                ("[TLOxp](v:transunion)", "[TransUnion](v:transunion)", "3", "$5,400"),
                ("[Justice Xchange](v:appriss)", "[Appriss](v:appriss)", "site", "$7,500"),
            ),
            (170, 130, 60, 108),
        ),
        P(NEAR("The subscriptions will be paid from the Homeland Security Grant Program award for the current year.")),
        Gap(10),
        L("Requested by: Fusion Center Operations Manager", f"Approved by: {s.director}", f"Date: {s.date}"),
    )
    return Doc(f"{s.state.lower().replace(' ', '-')}-fusion-data-broker-subscriptions.pdf", "contract",
               "Investigative Data Subscriptions", (p1, p2, p3), Footer(page_label="Page {n} of {total}"))


def venntel_location_order(s: Setting) -> Doc:
    p1 = (
        Title("STATEMENT OF WORK: COMMERCIAL TELEMETRY DATA"),
        L(f"Requisition 70B0{s.seq:02d}{s.year % 100}Q00071", "[U.S. Customs and Border Protection](a:cbp), "
          "Office of Information and Technology", align="center", size=9.5),
        P(C("1. Background. [CBP](a:cbp) and [ICE](a:ice) require access to commercially available "
            "[location data](d:location_data) derived from mobile device advertising identifiers to support "
            "border security and criminal investigations.", "ice_access")),
        P("2. Requirement. The contractor, [Venntel, Inc.](v:venntel), shall provide a web portal that "
          "returns the [historical device locations](d:location_data) observed within a geofenced area and "
          "time window, and the movement history of a selected device identifier."),
        P(C("3. Users. Licensed users at CBP and at [ICE](a:ice) [Homeland Security Investigations](a:ice) "
            "may query the portal under this order.", "ice_access")),
        P(C("4. Data handling. Query results may be shared with other [DHS](a:dhs) components for "
            "law enforcement purposes.", "ice_access", "purpose_limitation")),
    )
    p2 = (
        P(C("5. Retention. Exported results shall be retained in the case file and purged under the "
            "applicable records schedule.", "retention")),
        P(NEAR("6. Oversight. The contractor shall make portal audit logs available to the [DHS](a:dhs) Office "
               "of Inspector General.", "audit_oversight")),
        P("7. Comparable services. Market research identified [Babel Street](v:babel_street) "
          "[Locate X](v:babel_street) as the only other source of comparable data."),
        P(f"8. Period. Twelve months from award. Estimated value ${s.amount * 3:,}."),
    )
    return Doc("cbp-venntel-location-data-sow.pdf" if s.seq == 1 else f"cbp-venntel-sow-{s.seq}.pdf", "contract",
               "Statement of Work: Commercial Telemetry Data", (p1, p2), Footer(page_label="{n}"))


__all__ = [
    "clearview_pilot",
    "data_broker_subscriptions",
    "palantir_icm_task_order",
    "venntel_location_order",
    "vigilant_alpr_contract",
]
