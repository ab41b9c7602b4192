"""Sample MOU, usage policy and procurement packet (text written for foialens; names invented).

Markup and clause helpers are described in samples.layout; the clause annotation rules are in the
docstring of samples.contracts.
"""

from __future__ import annotations

from foialens.samples.layout import NEAR, C, Footer, Gap, Heading, L, P, Table, Title
from foialens.samples.render import Doc
from foialens.samples.scan import Scan
from foialens.samples.setting import Setting


def dmv_fusion_mou(s: Setting) -> Doc:
    dmv, sp, fc = s.dmv, s.state_police, s.fusion
    p1 = (
        Title("MEMORANDUM OF UNDERSTANDING"),
        L(f"between the {dmv}", f"and the {sp} on behalf of the {fc}", align="center", size=10.5),
        Heading("I. PURPOSE"),
        P(C(f"This Memorandum of Understanding (\"MOU\") sets out the terms under which the {dmv} (\"DMV\") "
            f"provides the {sp} (\"State Police\") and the {fc} (\"Fusion Center\") with access to "
            "[driver license and vehicle registration records](d:dmv_records) and to "
            "[driver license photographs](d:face_images) for criminal justice purposes.",
            "third_party_sharing", "purpose_limitation")),
        Heading("II. AUTHORITY"),
        P(C(f"This MOU is entered into under the federal Driver's Privacy Protection Act, 18 U.S.C. 2721, and "
            f"{s.state} Revised Statutes chapter 802, which limit the disclosure of personal information held "
            "by the DMV.", "third_party_sharing"),
          NEAR("Chapter 802 was amended to restrict disclosures for the purpose of civil immigration "
               "enforcement.", "ice_restriction", "purpose_limitation")),
        Heading("III. RECORDS COVERED"),
        P("The records covered are: (a) [driver license and identification card records](d:dmv_records), "
          "including name, [date of birth and residential address](d:identity_records); (b) "
          "[vehicle registration records](d:dmv_records); and (c) [facial images](d:face_images) captured for "
          "license issuance, which may be searched through the DMV facial recognition system operated by "
          "[IDEMIA Identity & Security USA](v:idemia)."),
    )
    p2 = (
        Heading("IV. PERMITTED ACCESS"),
        P(C("State Police and Fusion Center personnel may query [DMV records](d:dmv_records) only in connection with a "
            "criminal investigation, a missing person case or the identification of a deceased person, and "
            "shall record the reason for each query.", "purpose_limitation", "audit_oversight")),
        P(C("The Fusion Center may provide DMV information to other state and local law enforcement agencies "
            "that have signed the Fusion Center user agreement.", "third_party_sharing")),
        Heading("V. PROHIBITED DISCLOSURES"),
        P(NEAR("Information obtained under this MOU shall not be disclosed to "
            "[U.S. Immigration and Customs Enforcement](a:ice) ([ICE](a:ice)), "
            "[U.S. Customs and Border Protection](a:cbp) ([CBP](a:cbp)) or any other agency for the purpose of "
            "civil immigration enforcement.", "ice_restriction", "purpose_limitation"),
          NEAR("The State Police shall not grant any federal immigration authority direct or indirect access to "
            "DMV systems, including through task force accounts or shared user credentials.", "ice_restriction")),
        P(NEAR("Nothing in this MOU shall be construed to authorize the Fusion Center to provide [ICE](a:ice) "
               "with DMV records or photographs.", "ice_restriction"),
          NEAR("A request from [Enforcement and Removal Operations](a:ice) for [address information](d:identity_records) "
               "shall be declined unless it is accompanied by a judicial warrant signed by a judge.",
               "ice_restriction")),
    )
    p3 = (
        Heading("VI. FACIAL RECOGNITION SEARCHES"),
        P(C("Facial recognition searches of [DMV photographs](d:face_images) may be requested only by a trained Fusion Center "
            "examiner, for a serious violent felony, and the result is an investigative lead only.",
            "purpose_limitation"),
          NEAR("Requests from federal agencies, including the [Department of Homeland Security](a:dhs), shall "
               "not be accepted for immigration purposes.", "ice_restriction", "purpose_limitation")),
        P(NEAR("For context only: in 2019 [ICE](a:ice) asked the DMV to run facial recognition searches of license "
               "photographs."), "That request was not granted and no such searches were performed."),
        Heading("VII. AUDIT"),
        P(C("The DMV shall audit State Police and Fusion Center queries every six months and report the "
            "number of queries, the requesting units and any misuse to the Legislature.", "audit_oversight"),
          C("Any disclosure in violation of Section V shall be reported to the DMV Director within "
            "forty-eight hours.", "audit_oversight")),
        Heading("VIII. RETENTION"),
        P(C("DMV information obtained under this MOU shall not be stored in any Fusion Center database "
            "for more than ninety days unless it becomes part of a criminal case file.", "retention")),
    )
    p4 = (
        Heading("IX. TERM AND TERMINATION"),
        P("This MOU takes effect on the date of the last signature and remains in effect for three years. "
          "Either party may terminate it on thirty days written notice.",
          C("The DMV may suspend access immediately if it finds a violation of Section V.", "audit_oversight")),
        Gap(18),
        L(s.director, f"for the {dmv}", s.date),
        Gap(6),
        L("Superintendent", f"for the {sp}", s.date),
    )
    return Doc(f"{s.state.lower().replace(' ', '-')}-dmv-fusion-center-mou.pdf", "mou",
               "Memorandum of Understanding: DMV records", (p1, p2, p3, p4),
               Footer(page_label="Page {n} of {total}"))


def alpr_usage_policy(s: Setting) -> Doc:
    police = s.police
    p1 = (
        Title(f"{s.city.upper()} POLICE DEPARTMENT", size=12),
        Title("POLICY 462: AUTOMATED LICENSE PLATE READERS", size=12),
        L(f"Effective: {s.date}", f"Approved by: {s.chief}", size=9.5),
        Heading("462.1 PURPOSE AND SCOPE"),
        P(f"This policy governs the use of [automated license plate reader](d:alpr) ([ALPR](d:alpr)) technology by the "
          f"{police}. The Department operates fixed [Flock Safety](v:flock_safety) [Falcon](v:flock_safety) "
          "cameras at city entry points, mobile [ELSAG](v:elsag) units supplied by "
          "[Leonardo](v:elsag) on four patrol vehicles, and [Rekor Scout](v:rekor) software on existing "
          "traffic cameras."),
        Heading("462.2 AUTHORIZED USES"),
        P(C("ALPR data may be accessed only for a legitimate law enforcement purpose, such as locating stolen "
            "vehicles, wanted persons, missing or endangered persons, and vehicles associated with a specific "
            "criminal investigation.", "purpose_limitation"),
          NEAR("ALPR shall not be used to enforce civil immigration law or to monitor lawful activity protected "
            "by the First Amendment.", "purpose_limitation", "ice_restriction")),
    )
    p2 = (
        Heading("462.3 DATA RETENTION"),
        P(C("[ALPR](d:alpr) data shall be retained for thirty (30) days and then automatically and permanently deleted, "
            "unless it has become evidence in a specific criminal or civil case.", "retention")),
        Heading("462.4 SHARING"),
        P(C("ALPR data may be shared with other law enforcement agencies only after the requesting agency "
            "certifies in writing that it will follow this policy.", "third_party_sharing"),
          NEAR("ALPR data shall not be shared with any federal agency, including [ICE](a:ice) and "
            "[CBP](a:cbp), for the purpose of immigration enforcement.", "ice_restriction", "purpose_limitation")),
        P(NEAR("The Department has not enabled national lookup in the [Flock](v:flock_safety) system, and no federal "
               "immigration agency has an account.", "ice_restriction")),
        Heading("462.5 SENSITIVE LOCATIONS"),
        P(C("Fixed cameras shall not be placed to capture the entrances of schools, places of worship, "
            "courthouses, hospitals or medical clinics, or shelters.", "sensitive_locations"),
          C("Mobile units shall not be driven through the parking areas of such locations for the purpose of "
            "collecting plates.", "sensitive_locations")),
    )
    p3 = (
        Heading("462.6 AUDITS AND REPORTING"),
        P(C("The [ALPR](d:alpr) administrator shall audit user queries monthly, verifying that each query has a case "
            "number and an authorized purpose.", "audit_oversight"),
          C("An annual report listing the number of cameras, the number of detections, the number of hits and "
            "every agency with which data was shared shall be published on the City website.",
            "audit_oversight")),
        Heading("462.7 TRAINING AND DISCIPLINE"),
        P("Only members who complete Department ALPR training may access the system.",
          C("Misuse of ALPR data is a violation of this policy and may result in discipline up to and including "
            "termination.", "audit_oversight")),
    )
    return Doc(f"{s.city.lower().replace(' ', '-')}-pd-alpr-policy.pdf", "policy",
               "Policy 462: Automated License Plate Readers", (p1, p2, p3),
               Footer(page_label="Policy 462 - Page {n}"))


def procurement_packet(s: Setting) -> Doc:
    """A board packet: two staff-report pages with a text layer, then two scanned attachments."""
    p1 = (
        Title(f"{s.county.upper()} BOARD OF SUPERVISORS", size=12),
        Title("STAFF REPORT: PUBLIC SAFETY TECHNOLOGY PURCHASES", size=11),
        L(f"Meeting date: {s.date}", f"From: {s.officer}", size=9.5),
        Heading("Recommendation"),
        P(f"Authorize the {s.sheriff} to purchase the items below, funded by the Public Safety "
          "Realignment budget unit."),
        Heading("1. Gunshot detection"),
        P("Renewal of the [ShotSpotter](v:shotspotter) acoustic gunshot detection subscription from "
          "[SoundThinking, Inc.](v:shotspotter) covering three square miles of unincorporated area. Sensors "
          "record audio clips when an impulsive sound is detected."),
        Heading("2. Body-worn cameras"),
        P("Sixty [Axon Body 4](v:axon) cameras with [Evidence.com](v:axon) storage from "
          "[Axon Enterprise, Inc.](v:axon)", C("Recorded [body camera video](d:video) is retained according to "
          "the Sheriff's digital evidence policy.", "retention")),
    )
    p2 = (
        Heading("3. Mobile device forensics"),
        P("Renewal of two [Cellebrite](v:cellebrite) [UFED](v:cellebrite) licenses used to extract "
          "[call logs, messages and contacts](d:phone_records) from phones seized under a search warrant."),
        Heading("4. Dispatch and records"),
        P("Annual maintenance of the [Motorola Solutions](v:motorola_solutions) CommandCentral records "
          "management system, which holds [arrest and booking records](d:booking_records)."),
        Heading("Data sharing"),
        P(C("Data produced by these systems may be shared with other criminal justice agencies as permitted "
            "by county policy.", "third_party_sharing")),
        Heading("Fiscal impact"),
        P(f"Total cost ${s.amount * 4:,}, included in the adopted budget. Quotes are attached."),
    )
    p3 = (
        Title("PURCHASE ORDER", size=13),
        L(f"PO {s.contract_no}-C", "Vendor: [Cellebrite Inc.](v:cellebrite), Tysons, Virginia",
          f"Ship to: {s.sheriff}", size=11),
        Table(
            (
                ("Item", "Description", "Qty", "Amount"),
                ("1", "[UFED](v:cellebrite) 4PC Ultimate license renewal", "2", "$7,800"),
                ("2", "Physical Analyzer training seat", "2", "$3,990"),
            ),
            (40, 270, 50, 108),
            size=11,
        ),
        L("Authorized signature: ____________________", size=11),
    )
    p4 = (
        Title("QUOTE: GUNSHOT DETECTION SERVICE", size=13),
        L("[SoundThinking, Inc.](v:shotspotter), Fremont, California", f"Prepared for: {s.sheriff}", size=11),
        Table(
            (
                ("Service", "Coverage", "Term", "Price"),
                ("[ShotSpotter](v:shotspotter) Respond", "3 square miles", "12 months", "$195,000"),
                ("Investigator portal", "5 users", "12 months", "included"),
            ),
            (150, 130, 80, 108),
            size=11,
        ),
    )
    return Doc(f"{s.county.lower().replace(' ', '-')}-board-packet-mixed.pdf", "procurement",
               "Staff Report: Public Safety Technology Purchases", (p1, p2, p3, p4),
               Footer(page_label="Attachment A - {n}"),
               scans={3: Scan(skew=-0.7), 4: Scan(rotate=90)})
