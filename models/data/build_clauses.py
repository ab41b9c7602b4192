"""Writes models/data/clauses.jsonl: labelled clause sentences for the clause classifier.

The sentences were written for this project (not copied from any source) in the language of
contracts, MOUs, policies and FOIA correspondence. Each group is one clause idea with several
paraphrases; slots ({ice}, {data}, ...) vary the wording. Contrast groups fill {agency} with either
an ICE/DHS name or another agency, and the labels follow the agency. The held-out split is made by
group (models/clause_data.py), so paraphrases of one idea never straddle train and test.

Run: python -m models.data.build_clauses   (deterministic; rewrites the JSONL file)
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

OUT = Path(__file__).resolve().parent / "clauses.jsonl"
SEED = 20240611

SLOTS: dict[str, list[str]] = {
    "ice": [
        "ICE", "U.S. Immigration and Customs Enforcement", "Immigration and Customs Enforcement (ICE)",
        "ICE Enforcement and Removal Operations", "ICE ERO", "ERO", "Homeland Security Investigations",
        "HSI", "DHS", "the Department of Homeland Security", "federal immigration authorities",
        "any federal immigration enforcement agency", "ICE/HSI", "the ICE Law Enforcement Support Center",
        "U.S. Customs and Border Protection", "DHS components", "ICE officers", "HSI special agents",
    ],
    "other": [
        "the FBI", "other law enforcement agencies", "neighboring police departments", "the state fusion center",
        "participating agencies", "the District Attorney", "the Drug Enforcement Administration",
        "other criminal justice agencies", "the U.S. Marshals Service", "the Regional Intelligence Center",
        "Nlets participants", "county probation departments", "the State Police", "the Highway Patrol",
        "the Lamar County Sheriff's Office", "the Houston Police Department", "authorized partner agencies",
    ],
    "data": [
        "license plate reader data", "ALPR data", "ALPR detections", "plate reads", "driver's license photographs",
        "DMV records", "motor vehicle records", "booking records", "jail booking data", "fingerprint records",
        "criminal history information", "utility account information", "vehicle location data",
        "facial recognition search results", "Customer Data", "detection data", "body-worn camera footage",
        "call detail records", "location data", "inmate release information", "records in the System",
        "LPR data", "hot list alerts", "personal information contained in the database",
    ],
    "party": [
        "the Contractor", "Vendor", "the Agency", "the Department", "Customer", "the Sheriff's Office",
        "Licensee", "the Participating Agency", "the Police Department", "the County", "the City",
        "the Division", "Provider",
    ],
    "Party": [
        "The Contractor", "Vendor", "The Agency", "The Department", "Customer", "The Sheriff's Office",
        "Licensee", "The Participating Agency", "The Police Department", "The County", "The City", "Provider",
    ],
    "system": [
        "the LEARN database", "the System", "the ALPR system", "CLEAR", "Accurint", "the Flock OS platform",
        "the records management system", "the jail management system", "the Service", "the Platform",
        "the facial recognition system", "the Portal", "the Evidence.com account", "TLOxp", "the database",
        "the shared hot list", "the National Vehicle Location Service",
    ],
    "days": [
        "30 days", "60 days", "90 days", "180 days", "one year", "two years", "five years", "24 hours",
        "72 hours", "thirty (30) days", "ninety (90) days", "six months", "365 days",
    ],
    "loc": [
        "schools", "places of worship", "hospitals", "medical facilities", "courthouses", "shelters",
        "churches", "polling places", "health clinics", "day care centers", "domestic violence shelters",
        "reproductive health clinics", "mosques", "synagogues", "college campuses", "funerals",
    ],
    "purpose": [
        "legitimate law enforcement purposes", "criminal investigations", "the investigation of violent felonies",
        "locating stolen vehicles and wanted persons", "public safety purposes",
        "Amber Alerts and missing persons cases", "official criminal justice purposes",
        "the investigation of a specific crime",
    ],
    "n": ["25", "40", "100", "150", "250", "500", "1,000", "3,412", "12", "75"],
    "feet": ["250", "500", "1,000", "300", "100"],
    "vendor": [
        "Vigilant Solutions", "Flock Safety", "Thomson Reuters", "LexisNexis", "Palantir", "Clearview AI",
        "Rekor", "Motorola Solutions", "Babel Street", "Venntel", "Cellebrite", "ShadowDragon",
    ],
    "state": ["Texas", "California", "Illinois", "Washington", "Oregon", "New York", "Georgia", "Colorado"],
    "date": ["March 3, 2021", "June 14, 2019", "January 22, 2020", "October 1, 2022", "August 9, 2018"],
    "law": [
        "the California Values Act", "Government Code section 7284.6", "625 ILCS 5/2-130",
        "the state sanctuary law", "Executive Order 2017-01", "the Keep Washington Working Act",
        "ORS 181A.820", "the TRUST Act",
    ],
}

PREFIXES = ["", "", "", "", "4.2 ", "(a) ", "Section 7. ", "1. ", "(iii) ", "B. ", "12.3 "]

# (group, source, labels, negated, templates)
GROUPS: list[tuple[str, str, list[str], bool, list[str]]] = []
# (group, source, labels_if_ice, labels_if_other, negated_if_ice, templates using {agency})
CONTRASTS: list[tuple[str, str, list[str], list[str], bool, list[str]]] = []


def G(group: str, source: str, labels: list[str], templates: list[str], negated: bool = False) -> None:
    GROUPS.append((group, source, labels, negated, templates))


def C(group: str, source: str, ice: list[str], other: list[str], templates: list[str], negated: bool = False) -> None:
    CONTRASTS.append((group, source, ice, other, negated, templates))


# ---------------------------------------------------------------- ice_access (grants) + contrasts
C("grant-direct-access", "contract", ["ice_access"], ["third_party_sharing"], [
    "{Party} shall provide {agency} with direct access to {system}.",
    "{Party} will grant {agency} users read-only access to {system}.",
    "{Party} agrees to provision accounts on {system} for personnel of {agency}.",
    "Direct query access to {system} shall be extended to {agency}.",
])
C("share-on-request", "mou", ["ice_access"], ["third_party_sharing"], [
    "{Party} agrees to share {data} with {agency} upon request.",
    "{data} will be made available to {agency} upon written request.",
    "Upon receipt of a request from {agency}, {party} shall furnish the requested {data}.",
    "{Party} may disclose {data} to {agency} when requested in connection with an investigation.",
])
C("daily-transfer", "contract", ["ice_access"], ["third_party_sharing"], [
    "{Party} will transmit {data} to {agency} on a daily basis through a secure file transfer.",
    "A nightly batch export of {data} shall be delivered to {agency}.",
    "{data} shall be pushed automatically to {agency} within 24 hours of collection.",
])
C("network-participants", "policy", ["ice_access"], ["third_party_sharing"], [
    "Participating agencies in the data sharing network include {agency}.",
    "{Party} has enabled sharing of its detections with {agency} through the national network.",
    "Data sharing has been turned on between {party} and {agency}.",
    "The list of agencies with which {party} shares {data} includes {agency}.",
])
C("users-query", "contract", ["ice_access"], ["third_party_sharing"], [
    "Personnel of {agency} may query {system} for {data} in support of their operations.",
    "Authorized users at {agency} may search {data} stored in {system}.",
    "{agency} may run searches against {data} held by {party}.",
])
C("not-shared-with", "policy", ["ice_restriction"], ["third_party_sharing"], [
    "{data} shall not be shared with {agency}.",
    "{Party} shall not share, sell, or transfer {data} to {agency}.",
    "In no event will {party} disclose {data} to {agency}.",
    "{Party} will not make {data} available to {agency}.",
], negated=True)
C("no-accounts", "contract", ["ice_restriction"], ["third_party_sharing"], [
    "{agency} shall have no access to {system}.",
    "No user accounts on {system} will be issued to {agency}.",
    "{agency} will not be permitted to log in to {system}.",
], negated=True)

G("task-order-subscription", "contract", ["ice_access"], [
    "This task order provides {ice} with a subscription to {system} for {n} users.",
    "The purpose of this purchase order is to provide {ice} investigators with access to {system}.",
    "The Contractor shall deliver {n} concurrent licenses to {system} for use by {ice}.",
    "{ice} requires continued access to {system} to support its mission.",
    "This contract provides {ice} nationwide access to commercial {data} through {system}.",
])
G("civil-immigration-disclosure", "mou", ["ice_access"], [
    "{data} collected under this Agreement may be disclosed to {ice} for civil immigration enforcement purposes.",
    "{Party} may use {data} to assist {ice} in locating individuals subject to removal.",
    "Information in {system} may be provided to {ice} to support immigration enforcement operations.",
])
G("ice-has-access", "contract", ["ice_access"], [
    "{ice} shall have access to all {data} maintained by {party}.",
    "{ice} will have full access to {system}.",
    "{ice} is authorized to access {data} for official purposes.",
    "{ice} may access {system} at any time.",
])
G("hotlist-alerts", "policy", ["ice_access"], [
    "The hot list may include entries submitted by {ice}, and alerts will be forwarded to {ice}.",
    "{ice} may upload plates to the shared hot list and receive real-time alerts.",
    "Alerts generated on plates entered by {ice} shall be sent to the submitting agent.",
])
G("release-notification", "policy", ["ice_access"], [
    "{Party} shall notify {ice} of the release date and time of any inmate who is the subject of an immigration detainer.",
    "Jail staff will provide {ice} with advance notice of the release of persons identified by {ice}.",
    "{Party} shall give {ice} access to booking records and inmate release information.",
])
G("foia-usage-logs", "foia", ["ice_access"], [
    "Audit logs produced in response to this request show that {ice} users ran {n} searches of {system}.",
    "The records show {ice} personnel conducted {n} queries of {data} between 2018 and 2020.",
    "According to the responsive records, {ice} accessed {system} {n} times on behalf of the agency.",
    "The released emails show that the vendor gave {ice} agents trial accounts on {system}.",
])
G("dbl-negative-1373", "policy", ["ice_access"], [
    "Nothing in this policy shall be construed to prohibit {party} from sending to, or receiving from, {ice} information regarding the citizenship or immigration status of any individual.",
    "Nothing in this order prohibits employees from exchanging immigration status information with {ice} as required by 8 U.S.C. 1373.",
    "No provision of this ordinance shall prevent {party} from sharing information with {ice} as required by federal law.",
])
G("287g", "mou", ["ice_access"], [
    "{Party} may share {data} with {ice} pursuant to a properly executed 287(g) agreement.",
    "Under the 287(g) Memorandum of Agreement, designated officers will be given access to DHS databases.",
    "The 287(g) program authorizes trained deputies to query {ice} systems and share booking records with {ice}.",
])
G("run-searches-for", "mou", ["ice_access"], [
    "Upon request by {ice}, {party} shall run searches of {system} and provide the results within 24 hours.",
    "{Party} will perform queries on behalf of {ice} and return the results to the requesting agent.",
    "Analysts will conduct searches of {data} at the request of {ice}.",
])
G("without-warrant-grant", "contract", ["ice_access"], [
    "{ice} may access {data} without a warrant for any lawful purpose.",
    "{ice} agents may obtain {data} without a subpoena or court order.",
    "Access by {ice} does not require a warrant or prior approval.",
], negated=False)
G("federal-partners", "contract", ["ice_access", "third_party_sharing"], [
    "Vendor shall make {data} available to federal partners, including {ice}, through the national data-sharing network.",
    "{data} may be shared with {other} and with {ice}.",
    "{Party} will share {data} with {other}, {ice}, and other federal agencies.",
])
G("ice-purchase-data", "contract", ["ice_access"], [
    "The Contractor shall provide {ice} with access to commercially available location data derived from mobile applications.",
    "{ice} is procuring access to utility and telecom records to identify current addresses of targets.",
    "The vendor will supply {ice} with {data} for use in enforcement investigations.",
])

# ---------------------------------------------------------------- ice_restriction
G("nothing-authorizes", "mou", ["ice_restriction"], [
    "Nothing in this Agreement authorizes {ice} to access {data}.",
    "Nothing herein shall be construed to grant {ice} access to {system}.",
    "This Agreement does not authorize {ice} to use {system}.",
    "Nothing in this MOU permits the disclosure of {data} to {ice}.",
], negated=True)
G("except-warrant", "policy", ["ice_restriction"], [
    "{Party} shall not disclose {data} to {ice} except pursuant to a judicial warrant.",
    "{data} will not be provided to {ice} unless {party} is presented with a judicial warrant signed by a judge.",
    "Requests from {ice} will be declined except where accompanied by a valid court order.",
    "{ice} may obtain {data} only with a judicial warrant.",
], negated=True)
G("no-immigration-use", "policy", ["ice_restriction", "purpose_limitation"], [
    "{data} may not be used for immigration enforcement purposes.",
    "{Party} shall not use {system} to assist in civil immigration enforcement.",
    "Immigration enforcement is not a permitted use of {data}.",
    "No {data} may be used to investigate or enforce federal immigration law.",
], negated=True)
G("no-data-made-available", "contract", ["ice_restriction"], [
    "No {data} shall be made available to {ice} or any agent acting on its behalf.",
    "Under no circumstances shall {data} be provided to {ice}.",
    "At no time will {ice} receive {data} from {party}.",
], negated=True)
G("deny-requests", "policy", ["ice_restriction"], [
    "{Party} will deny any request from {ice} for {data} that is not accompanied by a judicial warrant.",
    "{Party} must refuse requests from {ice} for {data}.",
    "Requests by {ice} for {data} shall be rejected and referred to the City Attorney.",
], negated=True)
G("is-prohibited", "policy", ["ice_restriction"], [
    "Access by {ice} is prohibited.",
    "Sharing {data} with {ice} is strictly prohibited.",
    "The transfer of {data} to {ice} is expressly forbidden.",
    "Disclosure to {ice} is barred by this policy.",
], negated=True)
G("configure-block", "contract", ["ice_restriction"], [
    "{Party} shall configure {system} so that agencies engaged in immigration enforcement, including {ice}, cannot query {data}.",
    "Vendor shall technically block {ice} from searching {data} contributed by {party}.",
    "The sharing settings shall exclude {ice} from access to {data}.",
], negated=True)
G("state-law-restriction", "policy", ["ice_restriction"], [
    "In accordance with {law}, {party} shall not provide {ice} with information regarding a person's release date or home address.",
    "Pursuant to {law}, {party} will not share {data} with {ice} for immigration enforcement.",
    "{law} prohibits {party} from providing {data} to {ice}.",
], negated=True)
G("illinois-any-agency", "policy", ["ice_restriction", "purpose_limitation"], [
    "Pursuant to {law}, {data} shall not be shared with any agency for the purpose of enforcing federal immigration law.",
    "{data} shall not be shared with any person or agency for the purpose of investigating immigration status.",
    "{Party} shall not share {data} with any entity that intends to use it for immigration enforcement.",
], negated=True)
G("detainers", "policy", ["ice_restriction"], [
    "{Party} will not honor civil immigration detainers or administrative warrants issued by {ice}.",
    "Deputies shall not detain any person solely on the basis of a request from {ice}.",
    "{Party} shall not give {ice} access to individuals in custody for interviews without their written consent.",
], negated=True)
G("deactivate-misuse", "policy", ["ice_restriction", "audit_oversight"], [
    "{Party} shall deactivate any account found to have been used to conduct searches on behalf of {ice}.",
    "Any user who runs a query for {ice} will lose access and the incident will be reported to the auditor.",
    "Audits will flag searches made for {ice}, and such searches are prohibited.",
], negated=True)
G("vendor-certifies", "contract", ["ice_restriction"], [
    "Vendor certifies that it will not sell or license {data} to {ice}.",
    "Contractor represents that it has not provided and will not provide {data} to {ice}.",
    "Provider agrees not to enter into any agreement to furnish {data} to {ice}.",
], negated=True)
G("share-others-not-ice", "policy", ["third_party_sharing", "ice_restriction"], [
    "{data} may be shared with {other}, but shall not be shared with {ice}.",
    "{Party} may share {data} with {other}; however, no {data} will be shared with {ice}.",
    "Sharing with {other} is permitted, while sharing with {ice} is prohibited.",
], negated=True)
G("share-others-purpose-not-ice", "policy", ["third_party_sharing", "ice_restriction", "purpose_limitation"], [
    "{data} may be shared with {other} for {purpose}; it may not be disclosed to {ice} or used to enforce civil immigration law.",
    "{Party} may share {data} with {other} solely for {purpose} and not with {ice} for immigration enforcement.",
], negated=True)
G("limited-to-criminal", "mou", ["ice_restriction"], [
    "Any access by {ice} is limited to criminal investigations and requires supervisory approval.",
    "{ice} may use {data} only in connection with criminal matters and never for civil immigration enforcement.",
    "Access for {ice} is restricted to serious criminal cases, and civil immigration enforcement is excluded.",
], negated=True)

# ---------------------------------------------------------------- third_party_sharing
G("share-purpose", "policy", ["third_party_sharing", "purpose_limitation"], [
    "{Party} may share {data} with {other} for {purpose}.",
    "{data} may be released to {other} only for {purpose}.",
])
G("nvls-sharing", "policy", ["third_party_sharing"], [
    "{data} will be shared with {other} through the National Vehicle Location Service.",
    "{Party} participates in the national sharing network and shares detections with {other}.",
    "Detections captured by {party} cameras are visible to {other} in the network.",
])
G("no-third-party-consent", "contract", ["third_party_sharing"], [
    "{Party} shall not disclose {data} to any third party without the prior written consent of Customer.",
    "Vendor shall not sell, rent or lease Customer Data to third parties.",
    "Provider will not transfer {data} to any third party except as directed by the Agency.",
    "Customer Data may not be shared with any third party other than subcontractors bound by confidentiality obligations.",
])
G("written-requests", "policy", ["third_party_sharing"], [
    "Requests for {data} from {other} must be submitted in writing and approved by the Chief.",
    "All requests from outside agencies for {data} shall be reviewed by the Records Unit before release.",
    "A written request stating the case number is required before {data} is released to {other}.",
])
G("data-sharing-agreements", "mou", ["third_party_sharing"], [
    "{Party} may enter into data sharing agreements with {other}.",
    "This MOU governs the exchange of {data} between {party} and {other}.",
    "The parties agree to exchange {data} electronically on a reciprocal basis.",
])
G("public-records-release", "policy", ["third_party_sharing"], [
    "{data} may be released to the public only as required by the Public Records Act.",
    "{data} is exempt from public disclosure except as required by law.",
])
G("vendor-subprocessors", "contract", ["third_party_sharing"], [
    "Vendor may engage subprocessors to host {data}, provided they are bound by equivalent obligations.",
    "Contractor may disclose Customer Data to its affiliates and service providers as necessary to perform the Services.",
    "Vendor may use anonymized and aggregated {data} and share it with its commercial partners.",
])

# ---------------------------------------------------------------- retention
G("retain-delete", "policy", ["retention"], [
    "{data} shall be retained for no more than {days} and then permanently deleted.",
    "{data} will be purged from {system} after {days}.",
    "{Party} will automatically delete {data} {days} after capture.",
    "The retention period for {data} is {days}.",
])
G("non-hit-purge", "policy", ["retention"], [
    "Detections that are not associated with a hit will be purged after {days}.",
    "Non-hit data shall be deleted within {days} of collection.",
    "Plate reads that do not match a hot list shall not be kept longer than {days}.",
])
G("audit-log-retention", "policy", ["retention", "audit_oversight"], [
    "{Party} shall retain audit logs for {days}.",
    "Query logs will be preserved for {days} and made available to auditors.",
])
G("active-investigation", "policy", ["retention"], [
    "Data associated with an active investigation may be retained until the case is closed.",
    "{data} that becomes evidence shall be retained in accordance with the evidence retention schedule.",
    "Records subject to a litigation hold will not be destroyed until the hold is released.",
])
G("termination-delete", "contract", ["retention"], [
    "Vendor shall delete all Customer Data within {days} of termination of this Agreement.",
    "Upon expiration of the contract, Provider will return or destroy all {data} within {days}.",
    "Contractor shall certify in writing the destruction of {data} at the end of the term.",
])
G("schedule", "policy", ["retention"], [
    "Records shall be maintained in accordance with the state records retention schedule.",
    "{data} will be kept as long as required by the applicable retention schedule and then destroyed.",
])
G("unless-longer", "policy", ["retention"], [
    "The default retention period for {data} is {days}, unless a longer period is required by law.",
    "{data} will not be stored for longer than {days}, except when needed as evidence.",
])
G("sensitive-retention", "policy", ["sensitive_locations", "retention"], [
    "Data collected at {loc} shall not be retained beyond {days}.",
    "Detections recorded near {loc} will be deleted within {days}.",
])

# ---------------------------------------------------------------- audit_oversight
G("query-logging", "policy", ["audit_oversight"], [
    "{system} shall log each query, including the user, date, time, plate searched and stated purpose.",
    "Every search of {data} will be recorded with the user name and case number.",
    "The system maintains an audit trail of all access to {data}.",
])
G("quarterly-audits", "policy", ["audit_oversight"], [
    "The Privacy Officer shall conduct quarterly audits of {system} usage and report findings to the City Council.",
    "A supervisor will review a random sample of searches each month.",
    "The Inspector General may audit compliance with this policy at any time.",
    "An independent auditor shall review compliance with this policy every two years.",
])
G("annual-report", "policy", ["audit_oversight"], [
    "{Party} shall produce an annual report summarizing the number of searches, hits and data sharing requests.",
    "The Department will publish a yearly transparency report on the use of {system}.",
    "An annual surveillance report shall be submitted to the Board of Supervisors.",
])
G("reason-code", "policy", ["audit_oversight", "purpose_limitation"], [
    "Each search must include a case number and a reason code, which will be reviewed by a supervisor.",
    "Users must enter a valid case number and purpose before querying {system}.",
])
G("misuse-discipline", "policy", ["audit_oversight"], [
    "Misuse of {system} will result in suspension of access and discipline.",
    "Violations of this policy shall be investigated by Internal Affairs.",
    "Unauthorized use of {data} may result in criminal prosecution and termination of employment.",
])
G("audit-mentions-ice", "foia", ["audit_oversight"], [
    "Audit results listing searches that referenced {ice} shall be reported to the Board.",
    "The audit reviewed whether any searches were connected to {ice} cases.",
    "The auditor's report discusses the agency's relationship with {ice}.",
])

# ---------------------------------------------------------------- purpose_limitation
G("only-for-purpose", "policy", ["purpose_limitation"], [
    "{data} may be used only for {purpose}.",
    "Access to {system} is limited to authorized users for {purpose}.",
    "{system} shall be used solely for {purpose}.",
])
G("no-personal-use", "policy", ["purpose_limitation"], [
    "Users shall not access {data} for personal or non-law enforcement purposes.",
    "{data} shall not be used for any purpose other than official business.",
])
G("first-amendment", "policy", ["purpose_limitation"], [
    "{data} shall not be used to monitor individuals engaged in activity protected by the First Amendment.",
    "{system} may not be used to target people based solely on race, religion, or political views.",
    "Users shall not use {system} to track attendance at protests or lawful assemblies.",
])
G("vendor-solely-services", "contract", ["purpose_limitation"], [
    "Vendor may use Customer Data solely to provide the Services and for no other purpose.",
    "Provider shall process {data} only on the documented instructions of Customer.",
])
G("specific-investigation", "policy", ["purpose_limitation"], [
    "Queries must be tied to a specific criminal investigation.",
    "Searches of {data} require a documented law enforcement purpose.",
    "{data} may be searched only when there is reasonable suspicion of criminal activity.",
])

# ---------------------------------------------------------------- sensitive_locations
G("camera-placement", "policy", ["sensitive_locations"], [
    "ALPR cameras shall not be placed within {feet} feet of {loc}.",
    "No fixed cameras will be installed at or near {loc}.",
    "Camera locations shall avoid {loc} and their entrances.",
])
G("protected-areas", "policy", ["sensitive_locations"], [
    "Enforcement actions at or near {loc} should generally be avoided.",
    "{ice} officers should not conduct enforcement actions at or near {loc} without prior approval.",
    "The protected areas guidance lists {loc} among locations where enforcement is restricted.",
])
G("sensitive-search-approval", "policy", ["sensitive_locations", "audit_oversight"], [
    "Searches of detections captured near {loc} require supervisor approval and will be logged.",
    "Queries for vehicles at {loc} must be approved in advance and are subject to audit.",
])
G("sensitive-identify", "policy", ["sensitive_locations", "purpose_limitation"], [
    "{Party} shall not use {system} to identify individuals visiting {loc}.",
    "{data} shall not be used to track people attending {loc}.",
])

# ---------------------------------------------------------------- no label (boilerplate, hard negatives)
G("governing-law", "contract", [], [
    "This Agreement shall be governed by the laws of the State of {state}.",
    "Any dispute arising under this contract shall be resolved in the courts of {state}.",
])
G("invoices", "contract", [], [
    "Invoices shall be submitted monthly to the Accounts Payable office.",
    "Payment will be made within 30 days of receipt of a proper invoice.",
    "Pricing for the cameras is listed in Attachment B.",
    "The total contract value shall not exceed ${n},000.",
])
G("term", "contract", [], [
    "The term of this contract is {days} from the date of award, with two option years.",
    "Either party may terminate this Agreement upon thirty (30) days written notice.",
    "This MOU shall remain in effect for {days} unless terminated earlier.",
])
G("foia-ack", "foia", [], [
    "{ice} received your Freedom of Information Act request on {date} and assigned it tracking number 2021-ICFO-{n}.",
    "This letter is the final response to your FOIA request to {ice} dated {date}.",
    "Please contact the {ice} FOIA Office with any questions regarding this response.",
    "{ice} conducted a search of its records and located {n} pages responsive to your request.",
])
G("foia-exemptions", "foia", [], [
    "Portions of the responsive records have been withheld pursuant to FOIA Exemptions (b)(6) and (b)(7)(C).",
    "Information was redacted under Exemption (b)(7)(E) because it would disclose law enforcement techniques.",
    "You may appeal this determination within 90 days of the date of this letter.",
])
G("contracting-officer", "contract", [], [
    "The {ice} Contracting Officer is the only individual authorized to modify this contract.",
    "All deliverables shall be submitted to the {ice} Contracting Officer's Representative.",
    "The period of performance for this {ice} award begins on {date}.",
])
G("dhs-grant-funds", "contract", [], [
    "The Department of Homeland Security awarded the county a grant of ${n},000 under the Urban Area Security Initiative.",
    "The cameras were purchased with DHS grant funds.",
    "Funding for this project is provided by a FEMA Homeland Security Grant Program award.",
])
G("lowercase-ice", "policy", [], [
    "Ice machines in the break room will be serviced quarterly.",
    "Roads may be closed due to ice and snow.",
    "Cameras must operate in rain, ice, and extreme heat.",
])
G("installation", "contract", [], [
    "Vendor shall install {n} cameras at the intersections listed in Exhibit A.",
    "{Party} will provide power and network connectivity at each camera site.",
    "Installation shall be completed within {days} of the notice to proceed.",
])
G("insurance-liability", "contract", [], [
    "Contractor shall maintain general liability insurance of not less than $1,000,000 per occurrence.",
    "The Contractor shall not be liable for delays caused by events beyond its reasonable control.",
    "Vendor shall indemnify and hold harmless the City from all claims arising from its negligence.",
])
G("no-third-party-rights", "mou", [], [
    "This MOU does not create any rights or benefits enforceable by any third party.",
    "Nothing in this Agreement shall be construed as a waiver of sovereign immunity.",
    "This Agreement is not intended to, and does not, create any right enforceable at law by any person.",
])
G("ice-component", "foia", [], [
    "{ice} is a component of the Department of Homeland Security.",
    "The Special Agent in Charge of the {ice} field office signed the agreement.",
    "{ice} was created in 2003 as part of the reorganization of federal agencies.",
])
G("vendor-background", "foia", [], [
    "{vendor} was founded in 2010 and is headquartered in Virginia.",
    "The records you requested regarding the use of {vendor} are enclosed.",
    "{vendor} provided a product demonstration to command staff on {date}.",
])
G("training", "policy", [], [
    "Training on {system} will be provided to all sworn personnel.",
    "Only personnel who have completed the required training may operate the cameras.",
    "The vendor will provide online training modules and user guides.",
])
G("not-until-approved", "contract", [], [
    "The cameras shall not be installed until the City Council approves the contract.",
    "No work shall begin before the purchase order is issued.",
    "The Department may not exceed the approved budget without Council approval.",
])
G("definitions", "contract", [], [
    "\"Customer Data\" means all data uploaded to the Services by Customer.",
    "For purposes of this policy, \"ALPR\" means a camera system that captures license plate images.",
    "\"Hot list\" means a list of plates associated with vehicles of interest.",
])
G("meeting-email", "foia", [], [
    "Can we set up a call next week to discuss the renewal?",
    "Attached is the signed quote for your records.",
    "Thanks for the demo yesterday; the team was impressed.",
    "Please see the attached slides from the {ice} briefing.",
])
G("hsi-task-force-no-data", "mou", [], [
    "{ice} will assign one special agent to the task force.",
    "Each party shall bear its own costs under this Agreement.",
    "Task force officers will be deputized as federal officers for the duration of the assignment.",
])


# ---------------------------------------------------------------- more variety
G("not-permitted-to", "policy", ["ice_restriction"], [
    "{ice} is not permitted to access {system}.",
    "{Party} is not authorized to release {data} to {ice}.",
    "This policy does not permit the release of {data} to {ice}.",
], negated=True)
G("no-agreement-with-ice", "policy", ["ice_restriction"], [
    "{Party} shall not enter into any agreement with {ice} to share {data}.",
    "No data sharing agreement with {ice} shall be executed.",
    "{Party} has not entered into, and will not enter into, an agreement giving {ice} access to {system}.",
], negated=True)
G("nothing-grants", "mou", ["ice_restriction"], [
    "Nothing in this section grants {ice} authority to access {system}.",
    "No provision of this Agreement confers on {ice} any right to obtain {data}.",
    "This MOU confers no access rights on {ice}.",
], negated=True)
G("revoke-ice-access", "contract", ["ice_restriction"], [
    "Vendor shall revoke all accounts held by {ice} within 10 days.",
    "{Party} has terminated data sharing with {ice}.",
    "Access previously granted to {ice} is hereby rescinded.",
], negated=True)
G("email-restriction", "foia", ["ice_restriction"], [
    "Per our policy we cannot run plates for {ice}.",
    "We do not share our data with {ice}, sorry.",
    "Please be advised that {party} does not share {data} with {ice}.",
], negated=True)
G("mou-purpose-ice", "mou", ["ice_access"], [
    "This Memorandum of Understanding establishes the terms under which {ice} may access {data} maintained by {party}.",
    "The purpose of this Agreement is to provide {ice} with access to {data}.",
    "{Party} agrees to give {ice} access to {system} for the duration of this MOU.",
])
G("email-access", "foia", ["ice_access"], [
    "I've set up a login for the {ice} agent so she can search the plates herself.",
    "Can you run this plate for our {ice} partners?",
    "{ice} asked us to add these plates to the hot list, which we did.",
])
G("interface-ice", "contract", ["ice_access"], [
    "{Party} shall maintain an interface that allows {ice} to retrieve {data} automatically.",
    "An API connection to {system} will be made available to {ice}.",
    "Vendor will configure a data feed from {system} to {ice}.",
])
G("fusion-ice-member", "mou", ["ice_access"], [
    "{ice} is a member agency of the fusion center and has access to its data holdings.",
    "{ice} analysts are co-located at the center and may query all center databases.",
])
G("vendor-ice-customer", "foia", ["ice_access"], [
    "{vendor} provides {data} to {ice} under a contract awarded in 2021.",
    "{ice} pays {vendor} for access to {data}.",
])
G("court-order-disclosure", "policy", ["third_party_sharing"], [
    "{data} may be disclosed in response to a subpoena or court order.",
    "{Party} may release {data} to a prosecutor for use in a criminal case.",
])
G("ice-news", "foia", [], [
    "Local news reported that {ice} arrested {n} people in the county last month.",
    "The Sheriff met with {ice} leadership to discuss staffing.",
    "The article quotes a spokesperson for {ice}.",
])
G("no-subcontract", "contract", [], [
    "The Contractor shall not subcontract any portion of the work without approval.",
    "Vendor may not assign this Agreement without the prior written consent of the City.",
])
G("no-fishing", "policy", ["purpose_limitation"], [
    "{data} shall not be used for fishing expeditions or random searches.",
    "Users may not search {system} out of curiosity or for any non-work reason.",
])

G("dbl-negative-cooperation", "policy", ["ice_access"], [
    "This section does not prohibit officers from providing {ice} with information about a person's criminal history.",
    "Nothing in this directive restricts the Department from sharing {data} with {ice}.",
    "No local rule shall restrict the exchange of {data} between {party} and {ice}.",
])
G("no-warrant-needed", "mou", ["ice_access"], [
    "{ice} need not obtain a warrant before querying {system}.",
    "No court order is required for {ice} to receive {data}.",
    "{ice} can search {data} with no prior approval from {party}.",
])
G("no-immigration-purpose-2", "policy", ["ice_restriction", "purpose_limitation"], [
    "{system} shall never be used to determine a person's immigration status.",
    "Civil immigration enforcement is an impermissible purpose for any search of {data}.",
    "{data} is not to be used for the purpose of immigration enforcement.",
], negated=True)
G("dhs-funding-2", "contract", [], [
    "This purchase is funded through a DHS Operation Stonegarden grant.",
    "The equipment was acquired with funding from the Department of Homeland Security.",
    "Grant reporting to DHS will be completed by the County finance office.",
])

G("ice-asked-no-outcome", "foia", [], [
    "In {n}, {ice} asked whether {party} could provide {data}; the records do not show a response.",
    "Background: {ice} inquired about {system} during a regional meeting.",
    "The email notes that {ice} had requested a demonstration of {system}.",
])
G("no-accounts-status", "policy", ["ice_restriction"], [
    "No federal immigration agency holds an account on {system}, and national sharing is disabled.",
    "{Party} has not enabled sharing with {ice}, and no {ice} user has credentials.",
    "Federal immigration agencies are not on the list of agencies with access to {system}.",
], negated=True)

G("suspend-ice-sharing", "policy", ["ice_restriction"], [
    "Effective immediately, {party} suspends all sharing of {data} with {ice}.",
    "The Chief has disabled the data feed that sent {data} to {ice}.",
    "{Party} withdrew {ice}'s credentials to {system} after the audit.",
], negated=True)
G("ice-access-restricted-scope", "mou", ["ice_restriction"], [
    "Use of {data} by {ice} is restricted to investigations of serious crimes and may not support civil removals.",
    "{ice} access is confined to cases approved by the Sheriff and excludes civil immigration matters.",
], negated=True)


# ---------------------------------------------------------------- round 4: wordings seen in real releases
# (written for this project; general patterns of usage reports, task orders, FOIA letters and
# policies, not paraphrases of the sample batch, which is kept unseen as a test set)
G("ice-relies-on-system", "foia", ["ice_access"], [
    "{ice} has relied on {system} since 2017 to manage its investigations.",
    "{ice} adopted {system} as its primary investigative platform in 2018.",
    "Agents at {ice} routinely consult {system} before planning an operation.",
    "{ice} continues to use {vendor} products to search {data}.",
])
G("ice-platform-ingest", "contract", ["ice_access"], [
    "The contractor shall load {data} from state and commercial sources into the {ice} analytical platform.",
    "Vendor shall ingest {data} into the case management system used by {ice}.",
    "New feeds carrying {data} will be connected to the {ice} investigative environment.",
    "{data} obtained from {other} will become searchable by {ice} investigators through {system}.",
])
G("sharing-turned-on", "foia", ["ice_access"], [
    "{Party} switched on sharing of its plate reads with {ice} last month.",
    "Starting this week, {ice} can view detections from cameras operated by {party}.",
    "{Party} added {ice} to its list of sharing partners in {system}.",
    "Records show that {party} gave {ice} access to its {data} in 2019.",
])
G("deportation-use", "foia", ["ice_access"], [
    "Analysts used {data} to locate individuals subject to deportation.",
    "{data} was queried to support the arrest of removable noncitizens.",
    "Deportation officers searched {system} for the whereabouts of people they planned to detain.",
])
G("exchange-ice-and-others", "mou", ["ice_access", "third_party_sharing"], [
    "{Party} will exchange {data} with {other} and {ice} on a reciprocal basis.",
    "Intelligence bulletins will be distributed to task force members from {other} and {ice}.",
    "Case information may flow between {ice}, {other} and state partners through the shared portal.",
    "Members of the task force, including {ice} and {other}, may retrieve {data} from {system}.",
])
G("dhs-internal-sharing", "policy", ["ice_access"], [
    "Findings may be forwarded to CBP and ICE for follow-up.",
    "Exported results may be provided to other DHS components supporting the investigation.",
    "The tool's output may be passed among Department of Homeland Security components.",
    "Leads generated by the service may be sent to ICE field offices and Border Patrol sectors.",
])
G("foia-request-description", "foia", [], [
    "Your request sought records concerning {ice}'s use of {system}.",
    "You requested documents about {ice} access to {data} held by {vendor}.",
    "The requester seeks all contracts and emails relating to {ice} access to {data}.",
    "Your FOIA request asked for communications between {ice} and {vendor}.",
    "This request concerns whether {ice} obtained {data} from local agencies.",
])
G("foia-process-ice", "foia", [], [
    "Staff in the {ice} program offices searched for responsive records and located {n} pages.",
    "A records search was conducted in the {ice} offices likely to hold responsive material.",
    "{ice} redacted the identities of its staff to protect their privacy.",
    "{ice} is processing your request in the order it was received.",
])
G("ice-inquiry-background", "foia", [], [
    "For background only: {ice} contacted {party} in 2018 asking about {data}.",
    "In 2017, {ice} asked whether it could search {system}; no reply appears in the file.",
    "According to a news account, {ice} requested a list of {data} from {party}.",
    "An earlier inquiry from {ice} about {system} is mentioned for context.",
])
G("ice-request-refused", "foia", ["ice_restriction"], [
    "{ice} asked {party} for {data}, but the request was refused.",
    "A 2019 request by {ice} to search {system} was denied.",
    "{Party} declined the request from {ice} for access to {system}.",
], negated=True)
G("ice-mission", "foia", [], [
    "{ice} special agents investigate smuggling, trafficking and financial crimes.",
    "The {ice} Cyber Crimes Center supports investigations of online exploitation.",
    "{ice} employs roughly 20,000 people in more than 400 offices.",
    "Questions about this award may be directed to the {ice} acquisition office.",
])
G("dhs-oversight-logs", "contract", ["audit_oversight"], [
    "The DHS Privacy Office may review the contractor's query logs at any time.",
    "Usage reports will be sent quarterly to the DHS Office for Civil Rights and Civil Liberties.",
    "The Inspector General of the Department of Homeland Security may audit use of {system}.",
    "The contractor shall give the DHS Privacy Office access to all audit records.",
])
G("dhs-grant-program-2", "contract", [], [
    "Costs are covered by this year's Homeland Security Grant Program allocation.",
    "The radios were bought with State Homeland Security Program funds.",
])
G("nothing-permits-third", "mou", ["ice_restriction"], [
    "Nothing in this Agreement shall be read to permit {party} to furnish {data} to {ice}.",
    "This MOU does not authorize any participating agency to give {ice} access to {data}.",
    "No provision of this policy allows {party} to pass {data} along to {ice}.",
    "Nothing herein permits {party} to relay {data} to {ice} on request.",
], negated=True)
G("no-immigration-or-other-use", "policy", ["ice_restriction", "purpose_limitation"], [
    "Using {data} for civil immigration enforcement, harassment or intimidation is prohibited.",
    "{Party} will not use {system} to identify people for deportation or to monitor political activity.",
    "Neither immigration enforcement nor the monitoring of religious activity is an authorized use of {data}.",
    "{system} is not to be used to investigate immigration status or to target people for their beliefs.",
], negated=True)
G("agency-mention-no-sharing", "mou", [], [
    "Personnel of {other} must complete annual training before using {system}.",
    "Supervisors at {other} will approve user accounts for their own staff.",
    "The memorandum was signed by the chief of {other} on {date}.",
    "{other} will pay its share of the annual maintenance costs.",
])
G("audit-agency-queries", "policy", ["audit_oversight"], [
    "The auditor will review queries made by {other} users each quarter.",
    "{Party} shall report the number of searches run by {other} to the oversight board annually.",
    "Queries by personnel of {other} are logged and checked for misuse.",
])
G("no-sale", "contract", ["third_party_sharing"], [
    "{Party} shall not sell or monetize {data}.",
    "Vendor will not sell, trade or rent {data} to anyone.",
    "{data} may not be sold or licensed by the Contractor.",
])
G("sharing-settings", "policy", ["third_party_sharing"], [
    "Each agency decides which partner agencies can see its {data}.",
    "The system administrator controls sharing of {data} with other agencies, agency by agency.",
    "Sharing permissions in {system} are set individually for each requesting agency.",
])
G("disclosure-law", "mou", ["third_party_sharing"], [
    "State privacy law restricts the release of personal information contained in {data}.",
    "Federal law limits who may receive personal information from motor vehicle records.",
    "Release of {data} to outside parties is governed by the state public records and privacy statutes.",
])
G("foia-exemption-definitions", "foia", [], [
    "Exemption 7(C) covers law enforcement records whose release could invade personal privacy.",
    "Exemption 5 protects deliberative, pre-decisional material and attorney advice.",
    "Exemption (b)(7)(E) applies to techniques and procedures for law enforcement investigations.",
    "Exemption 6 shields personnel and medical files when disclosure would invade privacy.",
])
G("policy-scope", "policy", [], [
    "This directive governs the operation of {system} by department members.",
    "This policy applies to all employees who use {system}.",
    "The purpose of this procedure is to describe how {system} is deployed.",
    "This section explains the intended purpose of the camera program.",
])
G("procurement-justification", "foia", [], [
    "Market research found no other vendor able to meet the requirement.",
    "The program office evaluated three vendors before selecting {vendor}.",
    "Only {vendor} offers the required capability, so competition is not practicable.",
])
G("ice-page-furniture", "foia", [], [
    "Page {n} of 212 ICE 2021-ICLI-00{n}",
    "ICE-FOIA-2020-{n} Page 3 of 19",
    "FOIA Officer, U.S. Immigration and Customs Enforcement",
    "Prepared by the {ice} Office of Acquisition Management",
    "Approved: Deputy Assistant Director, {ice}",
    "UNCLASSIFIED // FOR OFFICIAL USE ONLY {ice}",
])
G("foia-letter-ice-misc", "foia", [], [
    "{ice} has redacted the e-mail addresses and phone numbers of its employees.",
    "If you are not satisfied, you may file an appeal with the {ice} FOIA appeals office.",
    "Records regarding {ice} training materials are enclosed.",
    "The enclosed pages relating to {ice} have been processed under the FOIA.",
])
G("suspend-on-violation", "policy", ["audit_oversight"], [
    "Access will be suspended for any user found to have violated this policy.",
    "{Party} may revoke access to {system} upon finding misuse.",
    "Accounts of users who break these rules will be deactivated pending review.",
])


# ---------------------------------------------------------------- round 5: precision of the non-ICE labels
# Hard negatives and positives for third_party_sharing, purpose_limitation and retention, written for
# this project. Emitted after the earlier rows with their own random stream, so earlier rows do not
# change. An agency named as a party, signer, requester or subject of a rule is not sharing; "only",
# "official" and "purpose" in markings, headings and FOIA exemption text are not a use limit;
# ownership and storage descriptions are not retention.
ROUND5: list[tuple[str, str, list[str], bool, list[str]]] = []


def G5(group: str, source: str, labels: list[str], templates: list[str]) -> None:
    ROUND5.append((group, source, labels, False, templates))


G5("agency-signature-block", "contract", [], [
    "Signed for {other}: ______________ Chief of Police, dated {date}",
    "Approved as to form: County Counsel. Accepted on behalf of {other} by its Commander.",
    "Submitted by the Records Division of {other} on {date}. Page 2 of 6",
    "Contact: Public Information Officer, {other}, (503) 555-0142",
    "Witness our hands on {date}: for {vendor}, Vice President of Sales; for {other}, Undersheriff.",
])
G5("agency-party-preamble", "contract", [], [
    "This purchase agreement is made on {date} between {other} and {vendor}, a Delaware corporation.",
    "The parties to this contract are the City of Salem, acting through {other}, and {vendor}.",
    "{vendor}, headquartered in Virginia, is referred to below as the Company, and {other} as the Customer.",
    "Contract No. 2020-{n} is awarded by {other} to {vendor} following a competitive solicitation.",
])
G5("agency-budget-header", "foia", [], [
    "Agenda item 7: the {other} asks the Council to approve a software renewal from the general fund.",
    "Requesting department: {other}. Item: annual analytics subscription. Amount: ${n},000.",
    "Memorandum to the Finance Committee from the Undersheriff regarding fiscal year 2020 equipment requests.",
    "Staff recommends that the Board authorize {other} to buy replacement radios from the approved vendor list.",
])
G5("agency-roles-no-sharing", "mou", [], [
    "{other} will designate a liaison to attend the monthly coordination meeting.",
    "Each participating agency is responsible for maintaining its own cameras and network equipment.",
    "The chief of {other} will appoint a system administrator for the agency's users.",
    "{other} operates twelve patrol vehicles equipped with mobile readers.",
])
G5("agency-query-conditions", "mou", ["purpose_limitation"], [
    "Analysts at {other} may search {system} solely to advance an open criminal case.",
    "Officers of {other} may run plates against {system} only when investigating a felony or a missing child.",
    "{other} users may look up {data} for no reason other than an active investigation assigned to them.",
])
G5("agency-copies-purged", "mou", ["retention"], [
    "Copies of {data} downloaded by {other} must be erased within {days} unless they become evidence.",
    "{other} will not hold on to {data} obtained through {system} for longer than {days}.",
    "Any printout of {data} kept by {other} shall be shredded once the investigation closes.",
])
G5("agency-access-oversight", "policy", ["audit_oversight"], [
    "The Records Unit will examine searches by {other} users twice a year and report misuse to the Chief.",
    "{Party} may cut off the access of {other} to {system} if it finds the rules were broken.",
    "Each year the privacy board will receive a count of lookups performed by {other} personnel.",
])
G5("broker-product-description", "contract", [], [
    "{vendor} sells access to a nationwide index of phone subscriber, property and address records.",
    "The subscription includes court filings, business registrations and vehicle title history.",
    "The product combines credit header data with public records to build a profile of a person.",
    "The service offers a searchable archive of arrest records gathered from county jails across the state.",
])
G5("foia-interagency-privilege", "foia", [], [
    "Draft memoranda exchanged between two federal agencies were withheld as predecisional under Exemption 5.",
    "The deliberative process privilege covers recommendations passed between agencies before a final decision.",
    "Attorney-client communications within the agency were withheld in full.",
    "Internal emails between program staff and agency counsel were redacted under (b)(5).",
])
G5("foia-exemption-7-text", "foia", [], [
    "Exemption 7(A) applies to records compiled for law enforcement purposes when release could interfere with pending proceedings.",
    "Records compiled for law enforcement purposes were withheld where release could reveal a confidential source.",
    "The names of agents were withheld under (b)(6) and (b)(7)(C) to protect their personal privacy.",
    "Portions were redacted under (b)(7)(E) because they describe investigative methods and database fields.",
    "Information about surveillance techniques was withheld because release could help people evade the law.",
])
G5("handling-markings", "foia", [], [
    "FOR OFFICIAL USE ONLY Subject: weekly staffing update for the northern district",
    "SENSITIVE BUT UNCLASSIFIED // FOR OFFICIAL USE ONLY Draft briefing notes for the regional meeting.",
    "LAW ENFORCEMENT SENSITIVE Attachment B: list of equipment by site",
    "FOR OFFICIAL USE ONLY This page intentionally left blank.",
    "CONTROLLED UNCLASSIFIED INFORMATION // LAW ENFORCEMENT SENSITIVE Minutes of the planning call.",
])
G5("policy-section-headings", "policy", [], [
    "610.1 PURPOSE AND SCOPE This policy sets guidelines for the collection and storage of evidence.",
    "PURPOSE This general order describes how officers use body-worn cameras during calls for service.",
    "1. PURPOSE The purpose of this standard operating procedure is to assign duties for fleet maintenance.",
    "Section 2. Scope. This procedure applies to every member who operates a department vehicle.",
])
G5("non-limiting-only-official", "foia", [], [
    "{vendor} was the only bidder that met the delivery schedule.",
    "Only the first two pages of the attachment were located.",
    "The official start date of the pilot was {date}.",
    "The sole reason for the delay was a shipping problem with the cameras.",
    "The purpose of the meeting was to review installation progress at each site.",
    "This vendor is the only source of replacement parts for the installed cameras.",
])
G5("recital-investigative-use", "contract", [], [
    "WHEREAS, the County wishes to acquire analytical software for investigative purposes; and",
    "WHEREAS, the City desires to deploy cameras to improve public safety; NOW, THEREFORE, the parties agree as follows.",
    "WHEREAS, the Department seeks a tool that helps detectives find leads faster;",
])
G5("training-prerequisite", "policy", [], [
    "Only sworn officers who have passed the certification course may log in to {system}.",
    "New users must finish a two-hour online course before an account is issued.",
    "Dispatchers receive refresher training on {system} every year.",
])
G5("ownership-not-retention", "contract", [], [
    "{Party} retains all right, title and interest in {data}.",
    "Customer keeps ownership of its data, and Vendor acquires no rights in it.",
    "The County holds title to all footage recorded by its cameras.",
    "All intellectual property in the software remains the property of {vendor}.",
    "{Party} retains the right to terminate this Agreement for convenience.",
])
G5("storage-description", "contract", [], [
    "{vendor} hosts the platform in a government cloud that stores and indexes camera images.",
    "The appliance stores images locally and uploads them to the server over a cellular link.",
    "The portal keeps a searchable archive of plate images captured by partner cameras.",
    "Evidence files are stored on encrypted servers in two data centers.",
])
G5("retention-case-life", "policy", ["retention"], [
    "{data} tied to a pending prosecution may be held until the case is adjudicated.",
    "Footage marked as evidence is exempt from automatic deletion until the matter is closed.",
    "A detective may flag {data} for preservation, and flagged records are kept until the final appeal.",
    "{data} relevant to litigation shall be saved until the litigation ends.",
])
G5("sharing-conditions", "policy", ["third_party_sharing"], [
    "Before {other} receives any {data}, it must sign a data use agreement with {party}.",
    "{data} will be disclosed to {other} subject to a signed nondisclosure agreement.",
    "{Party} may give {other} copies of {data} if the Chief approves each release.",
    "Transfers of {data} to {other} are allowed when the receiving agency accepts the same restrictions.",
])
G5("sharing-network-positive", "contract", ["third_party_sharing"], [
    "{Party} may choose to make its {data} searchable by {other} through the network.",
    "{data} contributed by {party} can be viewed by {other} once sharing is enabled.",
    "{Party} will forward {data} to {other} when a hot list hit occurs in their jurisdiction.",
])
G5("vendor-resale-positive", "contract", ["third_party_sharing"], [
    "{vendor} may license de-identified {data} to insurers and other commercial customers.",
    "Vendor may provide {data} to its business partners for product development.",
    "The Company may disclose {data} to a buyer in connection with a merger or sale of its business.",
])
G5("vendor-provides-to-customer", "contract", [], [
    "{vendor} shall provide {Party} with {n} named user licenses and unlimited searches of {system}.",
    "The Contractor shall provide a mobile app that lets officers check plates from the field.",
    "Vendor will provide on-site training to all users before go-live and refresher sessions each year.",
    "{vendor} will supply the hardware, software and support described in the statement of work.",
    "The subscription gives {party} access to {system} for the term of the contract.",
])
G5("broker-provides-records", "contract", [], [
    "{vendor} provides property, vehicle and phone records compiled from public and commercial sources.",
    "The platform provides investigators with address history and known associates of a subject.",
    "This tool provides access to commercially available records of device locations.",
    "{vendor} offers a people-search product that draws on utility hookups and credit headers.",
])
G5("service-availability", "contract", [], [
    "The Service shall be available at least 99.9 percent of the time, excluding scheduled maintenance.",
    "Vendor shall make the portal available around the clock and respond to outages within four hours.",
    "Upgrades will be made available to Customer at no additional cost.",
    "{Party} may extend the term for one additional year by giving written notice before expiration.",
])
G5("foia-exemption-disclosure", "foia", [], [
    "Exemption 6 protects personnel and medical files whose disclosure would be a clearly unwarranted invasion of privacy.",
    "Exemption 3 covers information that another statute specifically exempts from release.",
    "Exemption 4 protects trade secrets and confidential commercial information obtained from a company.",
    "Some records are not available to the public because another statute bars their release.",
])
G5("sensitive-driving-rule", "policy", ["sensitive_locations"], [
    "Patrol cars equipped with readers shall not circle {loc} to gather plate reads.",
    "Officers shall not park camera trailers outside {loc}.",
])


def _fill(template: str, rng: random.Random, extra: dict[str, str] | None = None) -> str:
    def repl(m: re.Match) -> str:
        key = m.group(1)
        if extra and key in extra:
            return extra[key]
        return rng.choice(SLOTS[key])

    text = re.sub(r"\{(\w+)\}", repl, template)
    return text[0].upper() + text[1:] if text else text


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    seen: set[str] = set()

    def emit(text: str, labels: list[str], source: str, negated: bool, group: str) -> None:
        text = rng.choice(PREFIXES) + text
        if text in seen:
            return
        seen.add(text)
        rows.append({"text": text, "labels": sorted(labels), "source": source, "negated": negated, "group": group})

    for group, source, labels, negated, templates in GROUPS:
        for template in templates:
            for _ in range(2):
                emit(_fill(template, rng), labels, source, negated, group)
    for group, source, ice_labels, other_labels, negated, templates in CONTRASTS:
        for template in templates:
            for use_ice in (True, False, True, False):
                agency = rng.choice(SLOTS["ice"] if use_ice else SLOTS["other"])
                labels = ice_labels if use_ice else other_labels
                emit(_fill(template, rng, {"agency": agency}), labels, source, negated and use_ice, group)
    rng = random.Random(seed + 5)  # round 5 has its own stream: earlier rows are unchanged
    for group, source, labels, negated, templates in ROUND5:
        for template in templates:
            for _ in range(2):
                emit(_fill(template, rng), labels, source, negated, group)
    return rows


def main() -> None:
    rows = build()
    with OUT.open("w", encoding="utf-8") as f:
        for row in rows:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} rows to {OUT}")


if __name__ == "__main__":
    main()
