"""Sharing relations read from page cells: LEARN agency data-sharing reports and Flock network
lists, as laid out on the page (two columns, wrapped names, hot list tables, bottom-aligned cells)."""

from __future__ import annotations

from foialens.models.agency_ids import resolve_agency
from foialens.models.records import Clause, EntityTag, Mention
from foialens.models.relations import Cell, clause_relations, list_relations


def row(top: float, *cells: tuple[float, str], height: float = 10.0) -> list[Cell]:
    return [Cell(text, x, top, x + 7 * len(text), top + height) for x, text in cells]


LEARN_PAGE_1 = [
    row(20, (260, "Agency")), row(40, (230, "Data Sharing Report")), row(90, (230, "Detections Shared")),
    row(120, (74, "The Orange County Sheriffs Department Agency is Sharing its Detection data with the following Agencies:")),
    row(150, (69, "DHS - HSI (Newark NJ)"), (327, "Anaheim Police Department")),
    row(177, (68, "San Joaquin County Sheriffs Department"), (326, "CBP - NTC")),
    row(189, (68, "(CA)")),  # the left cell wraps onto a second line
    row(216, (68, "San Mateo County Vehicle Theft Task"), (326, "Alpharetta Police Department (GA)")),
    row(228, (68, "Force")),
    row(800, (60, "Date Created: 02-06-20"), (250, "LEARN Agency Data Sharing Report"), (480, "Page 1 of 14")),
]
LEARN_PAGE_2 = [
    row(90, (230, "Detections Received")),
    row(150, (69, "ICE"), (327, "Beaumont Police Department")),
    row(300, (230, "Hot-List Received")),
    row(330, (74, "The Orange County Sheriffs Department Agency is receiving Shared Hot List records from the following Agencies:")),
    row(360, (74, "Agency:"), (330, "Hot List(s):")),
    row(390, (74, "Montgomery Police Department"), (330, "HSI MASTER")),
]


def test_learn_report_sections_directions_and_wrapped_names():
    rels = list_relations([(1, "is Sharing its Detection data LEARN")], {1: LEARN_PAGE_1, 2: LEARN_PAGE_2},
                          {"vigilant_solutions"}, "2020")
    got = [(r.section, r.source.id, r.recipient.id) for r in rels]
    sheriff = resolve_agency("Orange County Sheriffs Department").id
    assert got == [
        ("detections_shared_with", sheriff, "hsi"),
        ("detections_shared_with", sheriff, "local-anaheim-police"),
        ("detections_shared_with", sheriff, "local-ca-san-joaquin-county-sheriff"),
        ("detections_shared_with", sheriff, "cbp"),
        ("detections_shared_with", sheriff, "local-san-mateo-county-vehicle-theft-task-force"),
        ("detections_shared_with", sheriff, "local-ga-alpharetta-police"),
        ("detections_received_from", "ice", sheriff),
        ("detections_received_from", "local-beaumont-police", sheriff),
        ("hotlist_received_from", "local-montgomery-police", sheriff),  # "HSI MASTER" is a hot list, not HSI
    ]
    hsi = rels[0]
    assert hsi.recipient.path == ["hsi", "ice", "dhs"] and hsi.platform_vendor == "vigilant_solutions"
    assert hsi.kind == "detections" and hsi.data_type == "alpr" and hsi.as_of == "2020"
    assert hsi.evidence.page == 1 and hsi.evidence.text == "DHS - HSI (Newark NJ)" and hsi.evidence.bbox[0] == 69
    assert rels[2].evidence.text == "San Joaquin County Sheriffs Department (CA)"


FLOCK = [
    row(10, (21, "Organization Name"), (281, "Networks Shared With Me"), (586, "Networks I'm Sharing")),
    row(40, (281, "Polk County FL SO,Polk County FL SO (LR),Polk County FL SO -")),
    row(55, (21, "Polk County FL SO"), (280, "Axon,Polk County FL SO (Tech)"), (586, "Okaloosa County FL SO")),
    row(75, (21, "Orange Beach AL PD"), (280, "Orange Beach AL PD")),
    row(95, (21, "Venice FL PD"), (586, "Okaloosa County FL SO")),
]


def test_flock_sheet_rows_share_with_and_receive_from_the_owner():
    rels = list_relations([(1, "Organization Name Networks Shared With Me Networks I'm Sharing")], {1: FLOCK}, set(), "2023")
    got = sorted((r.section, r.source.id, r.recipient.id) for r in rels)
    okaloosa = "local-fl-okaloosa-county-sheriff"
    assert got == sorted([
        ("flock_networks_shared_with_me", "local-fl-polk-county-sheriff", okaloosa),
        ("flock_networks_im_sharing", okaloosa, "local-fl-polk-county-sheriff"),
        ("flock_networks_shared_with_me", "local-al-orange-beach-police", okaloosa),
        ("flock_networks_im_sharing", okaloosa, "local-fl-venice-police"),
    ])
    assert {r.platform_vendor for r in rels} == {"flock_safety"}


def test_flock_device_list_gives_search_access_to_the_owner():
    text = ("Devices - Irvine CA PD\nName\nAkron OH PD (143 cameras)\nRelationship\nAccess\nSearch\nEnabled\n"
            "Name\nUSMS (1 camera)\nRelationship\nAccess\n")
    rels = list_relations([(1, text)], {}, set(), "2022")
    assert [(r.source.id, r.recipient.id, r.kind) for r in rels] == [
        ("local-oh-akron-police", "local-ca-irvine-police", "query_access"), ("usms", "local-ca-irvine-police", "query_access")]


def test_ice_clauses_are_grants_and_restrictions_of_the_local_party():
    sheriff = EntityTag(id="local-freeborn-county-sheriff", name="Freeborn County Sheriff's Office", kind="agency",
                        mentions=[Mention(page=1, text="x", start=0, end=1)] * 3)
    ice = EntityTag(id="ice", name="U.S. Immigration and Customs Enforcement", kind="agency")
    hsi = EntityTag(id="hsi", name="Homeland Security Investigations (ICE)", kind="agency")
    clauses = [
        Clause(label="ice_access", score=0.9, page=5, text="The LEA will provide access to its jail database to ICE."),
        Clause(label="ice_restriction", score=0.8, page=6, text="HSI may not query the ALPR data without a warrant."),
        Clause(label="retention", score=0.8, page=6, text="Data is kept 30 days."),
    ]
    rels = clause_relations(clauses, [sheriff, ice, hsi], "agreement_287g", "2020", {6: {"alpr"}}, set())
    assert [(r.source.id, r.recipient.id, r.polarity, r.kind, r.data_type) for r in rels] == [
        ("local-freeborn-county-sheriff", "ice", "grant", "system_access", None),
        ("local-freeborn-county-sheriff", "hsi", "restrict", "query_access", "alpr"),
    ]
    assert rels[0].evidence.page == 5 and rels[0].recipient.path == ["ice", "dhs"]
