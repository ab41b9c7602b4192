"""Sample FOIA cover letter and released pages with redactions, exemption stamps and Bates numbers.

Text written for foialens; people and request numbers are invented. Markup and helpers are
described in samples.layout; the clause annotation rules are in the docstring of samples.contracts.
"""

from __future__ import annotations

from foialens.samples.layout import NEAR, C, Footer, Gap, Heading, L, Letterhead, P, Redacted, S, Title
from foialens.samples.render import Doc
from foialens.samples.scan import Scan
from foialens.samples.setting import Setting

B6 = S(("(b)(6)", "b6"))
B7C = S(("(b)(7)(C)", "b7c"))
B7E_SPACED = S(("(b) (7)(E)", "b7e"))
B7E = S(("(b)(7)(E)", "b7e"))
B7C_SHORT = S(("b7c", "b7c"))
B5_SHORT = S(("b(5)", "b5"))
B6_B7C_COMMA = S(("(b)(6)", "b6"), ("(b)(7)(c)", "b7c"), sep=",")
B6_B7C = S(("(b)(6)", "b6"), ("(b)(7)(C)", "b7c"), sep="; ")

ICE_LETTERHEAD = Letterhead(
    "[U.S. Immigration and Customs Enforcement](a:ice)",
    ("[U.S. Department of Homeland Security](a:dhs)", "Freedom of Information Act Office",
     "500 12th Street SW, Stop 5009, Washington, DC 20536-5009"),
)


def _case(s: Setting) -> tuple[str, str]:
    return f"{s.year}-ICFO-{10000 + s.seq * 2345:05d}", f"{s.year}-ICLI-{s.seq:05d}"


def ice_foia_cover_letter(s: Setting) -> Doc:
    request, production = _case(s)
    p1 = (
        ICE_LETTERHEAD,
        L(s.date, "", "Jordan Reyes", "Immigrant Rights Clinic", "1400 Commonwealth Avenue", "Portland, OR 97205",
          size=10.5),
        L(f"RE: [ICE](a:ice) FOIA Case Number {request}", f"Production: {production}", font="Helvetica-Bold",
          size=10.5),
        P("Dear Requester:"),
        P(NEAR(f"This letter is the final response of [U.S. Immigration and Customs Enforcement](a:ice) "
               f"([ICE](a:ice)) to your Freedom of Information Act (FOIA) request dated {s.month} 2, {s.year}."),
          NEAR("You asked for contracts, emails and usage records concerning ICE access to "
               "[license plate reader](d:alpr) data from [Vigilant Solutions](v:vigilant_solutions), commercial "
               "[location data](d:location_data), and public records services such as "
               "[Thomson Reuters](v:thomson_reuters) [CLEAR](v:thomson_reuters).")),
        P(NEAR("A search of the [Enforcement and Removal Operations](a:ice) and "
               "[Homeland Security Investigations](a:ice) program offices produced 311 pages of potentially "
               "responsive records."), "Of those pages, 186 were found to be responsive. 61 pages are released in "
          "full, 118 pages are released in part and 7 pages are withheld in full pursuant to the "
          "exemptions described below."),
    )
    p2 = (
        P("[(b)(5)](x:b5) protects inter-agency or intra-agency memoranda or letters that would not be "
          "available by law to a party in litigation with the agency, including deliberative drafts and "
          "legal advice."),
        P("[(b)(6)](x:b6) exempts from disclosure personnel or medical files and similar files the release of "
          "which would cause a clearly unwarranted invasion of personal privacy.", NEAR("ICE has withheld the names, "
          "telephone numbers and email addresses of employees and third parties.")),
        P("[(b)(7)(C)](x:b7c) protects records compiled for law enforcement purposes the release of which could "
          "reasonably be expected to constitute an unwarranted invasion of personal privacy."),
        P("[(b)(7)(E)](x:b7e) protects records compiled for law enforcement purposes the release of which would "
          "disclose techniques and procedures for law enforcement investigations, such as database query "
          "parameters and internal system addresses."),
        P(NEAR("You may appeal this determination within ninety days of the date of this letter to the ICE "
               "Office of the Principal Legal Advisor, Government Information Law Division.")),
        P("Sincerely,"),
        L("Fernando Pineiro", "FOIA Officer", "Freedom of Information Act Office", "[U.S. Immigration and Customs Enforcement](a:ice)"),
    )
    return Doc(f"ice-foia-cover-letter-{request}.pdf", "foia_letter", f"ICE FOIA final response {request}",
               (p1, p2), Footer(page_label="Page {n} of {total}"))


def ice_foia_production(s: Setting) -> Doc:
    request, production = _case(s)
    ice, ero = "[ICE](a:ice)", "[ERO](a:ice)"
    p1 = (
        Redacted(B6_B7C, width=220, label="From:", size=10),
        Redacted(B6_B7C, width=220, label="To:", size=10),
        L(f"Sent: Tuesday, {s.month} {s.day}, {s.year - 1} 9:14 AM",
          "Subject: LPR data access for field offices", size=10),
        P("All,"),
        P("Following up on yesterday's call.",
          C(f"{ero} field offices have had access to "
            "[LEARN](v:vigilant_solutions) through the agency enterprise license since December.", "ice_access"),
          C("Officers can "
            "query commercial [license plate](d:alpr) data in the [National Vehicle Location Service](v:vigilant_solutions) "
            "and any detections shared with ICE by local agencies.", "ice_access")),
        P(C("Under the enterprise agreement, any [ICE](a:ice) user with a LEARN account can run a plate "
            "against detections that a participating agency has elected to share.", "ice_access")),
        Redacted(B7E_SPACED, width=380, lines=2),
        P(C("Please remind your officers that each query requires a case number.", "audit_oversight"),
          "Let me know if anyone still needs an account."),
        Redacted(B6, width=150, size=10),
        L("Deportation Operations Unit", size=10),
    )
    p2 = (
        Title("JUSTIFICATION FOR OTHER THAN FULL AND OPEN COMPETITION", size=11),
        P(NEAR(f"1. Agency: {ice}, [Homeland Security Investigations](a:ice), Cyber Crimes Center.")),
        P("2. Description: Subscription to [Babel Street](v:babel_street) [Locate X](v:babel_street), which "
          "provides access to [commercially available location data](d:location_data) collected from mobile "
          "applications."),
        P("3. Reason: The data allows investigators to identify devices present at a location of interest and "
          "to follow their movements over time. The following capabilities are not available from any other "
          "source:"),
        Redacted(B7E, width=400, lines=4),
        P("4. Market research: Program staff reviewed two other providers, including "
          "[Venntel](v:venntel), and found that neither met the requirements above."),
        Redacted(B6_B7C_COMMA, width=180, label="Program manager:"),
        Redacted(B6_B7C_COMMA, width=180, label="Contracting officer:"),
    )
    p3 = (
        Heading("Venntel portal usage notes"),
        P("The [Venntel](v:venntel) portal returns device sightings for an area drawn by the user. Results "
          "include an advertising identifier, latitude and longitude, and time stamp for each "
          "[device location](d:location_data)."),
        Redacted(B7E_SPACED, width=400, lines=3),
        P(C("Results may be exported and shared with [CBP](a:cbp) and other [DHS](a:dhs) components working "
            "on the same investigation.", "ice_access")),
        P("Names of analysts trained on the portal:"),
        Redacted(B7C_SHORT, width=200),
        Redacted(B7C_SHORT, width=200),
        Redacted(B7C_SHORT, width=200),
    )
    p4 = (
        Heading("CLEAR usage report, fiscal year " f"{s.year - 1}"),
        P(C(f"[Thomson Reuters](v:thomson_reuters) [CLEAR](v:thomson_reuters) searches by {ero} and "
            "[HSI](a:ice) users.", "ice_access"), "Search types include person, [utility](d:utility_records), "
          "[vehicle registration](d:dmv_records) and [phone](d:phone_records) searches."),
        P("Top users by number of searches are listed below. The field office totals include searches of "
          "[jail booking](d:booking_records) data."),
        Redacted(B6, width=260, label="1.",
                 hidden="Deportation Officer Mark T. Ellison, Seattle 2,214"),
        Redacted(B6, width=260, label="2."),
        Redacted(B6, width=260, label="3."),
        P(C("Most searches were run to obtain a current address for a person with a final order of removal.",
            "ice_access")),
    )
    p5 = (
        L("From: Vigilant support", f"Sent: {s.month} {s.day + 1}, {s.year - 1}",
          "Subject: RE: agency sharing", size=10),
        P(C(f"The {s.sheriff} has enabled sharing of its detections with ICE in [LEARN](v:vigilant_solutions) "
            "as of this week.", "ice_access"), "Detections from its six fixed cameras will appear in your results."),
        P(NEAR("Sharing can be turned off by the agency at any time; when it is turned off, [ICE](a:ice) users can "
            "no longer see that agency's detections.", "ice_restriction")),
        Redacted(B6_B7C, width=200),
        L("Customer Success, [Vigilant Solutions](v:vigilant_solutions)", size=10),
    )
    p6 = (
        Heading("Draft talking points (deliberative)"),
        Redacted(B5_SHORT, width=400, lines=12),
        P("Questions regarding this document should be directed to the Office of Public Affairs."),
    )
    p7 = (
        Title("WITHHELD IN FULL", size=14),
        P("This page has been withheld in full pursuant to [(b)(7)(E)](x:b7e)."),
        Gap(20),
        Redacted(B7E, width=400, lines=6),
    )
    return Doc(f"ice-foia-production-{production}.pdf", "foia_production", f"ICE FOIA production {production}",
               (p1, p2, p3, p4, p5, p6, p7),
               Footer(header="FOR OFFICIAL USE ONLY // LAW ENFORCEMENT SENSITIVE", page_label="Page {n} of {total}",
                      bates=f"[ICE](a:ice) {production} {{n}}", bates_start=123))


def ice_foia_scanned_production(s: Setting) -> Doc:
    request, _ = _case(s)
    prefix = request.rsplit("-", 1)[0]
    p1 = (
        Title("SOCIAL MEDIA SCREENING PILOT: VENDOR SUMMARY", size=13),
        P("[Giant Oak](v:giant_oak) Search Technology ([GOST](v:giant_oak)) ranks people by the risk "
          "indicators found in their public [social media](d:social_media) posts and web pages.",
          C("[HSI](a:ice) used GOST to screen visa overstay leads.", "ice_access"), size=12),
        Redacted(B6, width=220, label="Program contact:", size=12),
        P("[Dataminr](v:dataminr) First Alert sends real-time alerts from public social media posts about "
          "events near locations of interest.", size=12),
    )
    p2 = (
        P("[Cobwebs](v:cobwebs) [Tangles](v:cobwebs) and [PenLink](v:penlink) PLX were evaluated for collection of "
          "[social media](d:social_media) and [phone records](d:phone_records).", size=12),
        Redacted(B7E_SPACED, width=360, lines=3, size=12),
        P(C("Collected information may be shared with [ICE](a:ice) field offices for enforcement leads.",
            "ice_access"), size=12),
    )
    p3 = (
        P("Evaluation team:", size=12),
        Redacted(B6_B7C_COMMA, width=240, size=12),
        Redacted(B6_B7C_COMMA, width=240, size=12),
        P("The pilot ended in September. No contract was awarded for [Tangles](v:cobwebs).", size=12),
    )
    return Doc(f"ice-foia-production-{request}-scanned.pdf", "foia_production", f"ICE FOIA production {request}",
               (p1, p2, p3),
               Footer(page_label="Page {n} of {total}", bates=prefix + "-{n:05d}",
                      bates_start=int(request.rsplit("-", 1)[1])),
               scans={1: Scan(skew=0.9), 2: Scan(skew=-1.2), 3: Scan(skew=0.5)})
