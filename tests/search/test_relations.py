"""Data-sharing relations in the index: the same answers from SQLite and Elasticsearch (osmem over
HTTP) — filters with the agency hierarchy, counts, paging, replacement, deletion, rebuild."""

from __future__ import annotations

import pytest

from foialens.search.records import RelationQuery, RelationRecord
from tests.search.test_contract import CORPUS, _open

A, B = "a" * 64, "b" * 64


def rel(doc: str, n: int, source: str, recipient: str, *, rpath=None, polarity="grant", kind="detections",
        vendor="vigilant_solutions", batch="2020") -> RelationRecord:
    return RelationRecord(
        doc_id=doc, n=n, path=f"{doc[:4]}.pdf", batch=batch, page=1 + n // 10, source_id=source,
        source_name=source.replace("-", " ").title(), recipient_id=recipient,
        recipient_name=recipient.replace("-", " ").title(), source_path=[source], recipient_path=rpath or [recipient],
        data_type="alpr", platform_vendor=vendor, kind=kind, polarity=polarity, as_of=batch, text=f"row {n}",
        bbox=[10.0, 20.0 + n, 200.0, 30.0 + n],
    )


SHERIFF = "local-orange-county-sheriff"
RELATIONS_A = [
    rel(A, 0, SHERIFF, "hsi", rpath=["hsi", "ice", "dhs"]),
    rel(A, 1, SHERIFF, "cbp", rpath=["cbp", "dhs"]),
    rel(A, 2, SHERIFF, "local-ca-anaheim-police"),
    rel(A, 3, "local-ca-anaheim-police", SHERIFF),
    rel(A, 4, SHERIFF, "ice", rpath=["ice", "dhs"], polarity="restrict", kind="records", vendor=""),
]
RELATIONS_B = [rel(B, 0, "local-irvine-police", "hsi", rpath=["hsi", "ice", "dhs"], batch="2022")]


@pytest.fixture(params=["sqlite", "elasticsearch"])
def backend(request, tmp_path):
    b = _open(request.param, tmp_path, request)
    b.replace_documents(CORPUS)
    b.replace_relations(A, RELATIONS_A)
    b.replace_relations(B, RELATIONS_B)
    yield b
    b.close()


def ids(result) -> list[str]:
    return [r.id for r in result.relations]


def test_recipient_filter_takes_the_agencies_below(backend):
    to_ice = backend.search_relations(RelationQuery(filters={"recipient": ["ice"], "polarity": ["grant"]}))
    assert to_ice.total == 2 and {r.source_id for r in to_ice.relations} == {SHERIFF, "local-irvine-police"}
    to_dhs = backend.search_relations(RelationQuery(filters={"recipient": ["dhs"]}))
    assert to_dhs.total == 4  # HSI twice, CBP, and the restriction on ICE
    assert backend.search_relations(RelationQuery(filters={"recipient": ["hsi"], "batch": ["2022"]})).total == 1


def test_counts_order_and_paging(backend):
    everything = backend.search_relations(RelationQuery())
    assert everything.total == 6
    assert [(f.value, f.count) for f in everything.sources][:1] == [(SHERIFF, 4)]
    assert {(f.value, f.count) for f in everything.recipients} >= {("hsi", 2), (SHERIFF, 1)}
    names = [(r.source_name, r.recipient_name) for r in everything.relations]
    assert names == sorted(names, key=lambda n: (n[0].lower(), n[1].lower()))
    first = backend.search_relations(RelationQuery(limit=4, counts=False))
    rest = backend.search_relations(RelationQuery(offset=4, limit=4, counts=False))
    assert ids(first) + ids(rest) == ids(everything) and first.sources == []


def test_records_come_back_whole(backend):
    [r] = backend.search_relations(RelationQuery(filters={"doc_id": [B]})).relations
    assert r == RELATIONS_B[0]


def test_replace_and_delete(backend):
    backend.replace_relations(A, RELATIONS_A[:2])
    assert backend.search_relations(RelationQuery(filters={"doc_id": [A]})).total == 2
    backend.delete_document(B)
    assert backend.search_relations(RelationQuery(filters={"doc_id": [B]})).total == 0
    assert backend.search_relations(RelationQuery()).total == 2


def test_rebuild_loads_relations_with_the_pages(backend):
    report = backend.rebuild(iter(CORPUS), RELATIONS_B)
    assert report.relations == 1
    assert ids(backend.search_relations(RelationQuery())) == [RELATIONS_B[0].id]
    assert backend.count() == len(CORPUS)


def test_unknown_filter_is_refused():
    with pytest.raises(ValueError):
        RelationQuery(filters={"owner": ["x"]})


def test_via_and_rule_fields_round_trip_and_filter(backend):
    """Programs a flow passes through and a rule's scope are stored, returned and filtered alike."""
    C = "c" * 64
    scomm = rel(C, 0, "local-mn-freeborn-county-sheriff", "ice", rpath=["ice", "dhs"], vendor="").model_copy(update={
        "via": ["secure_communities", "ngi", "ident"], "data_type": "fingerprints", "source_level": "local",
        "source_jurisdictions": ["MN", "MN/freeborn-county"]})
    law = rel(C, 1, "class-ca-state-local-fusion", "class-federal-out_of_state-private", polarity="restrict",
              vendor="").model_copy(update={
        "jurisdiction": "CA", "covers": ["state", "local", "fusion"], "recipient_classes": ["federal", "out_of_state", "private"],
        "citation": "Cal. Civ. Code § 1798.90.55", "source_level": "class"})
    backend.replace_relations(C, [scomm, law])
    via = backend.search_relations(RelationQuery(filters={"via": ["ngi"]}))
    assert [r.id for r in via.relations] == [scomm.id] and via.relations[0] == scomm
    rules = backend.search_relations(RelationQuery(filters={"jurisdiction": ["CA"]}))
    assert [r.id for r in rules.relations] == [law.id] and rules.relations[0] == law
    assert backend.search_relations(RelationQuery(filters={"via": ["ident"], "jurisdiction": ["CA"]})).total == 0
