"""FOIA exemption codes and Bates numbers: spellings, ids, offsets, and prose that must not match."""

from __future__ import annotations

import pytest

from foialens.extractors.foia import find_bates, find_exemptions


def codes(text: str) -> list[str]:
    return [e.code for e in find_exemptions(text, 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(b)(6)", ["b6"]),
        ("(b)(7)(C)", ["b7c"]),
        ("(B)(7)(E)", ["b7e"]),
        ("b7c", ["b7c"]),
        ("B7E withheld", ["b7e"]),
        ("(b) (7)(E)", ["b7e"]),
        ("(b)(7) (C)", ["b7c"]),
        ("(b)(7)c", ["b7c"]),
        ("b(5)", ["b5"]),
        ("(b)(7)", ["b7"]),
        ("(b)(7)(c),(b)(7)(e)", ["b7c", "b7e"]),
        ("(b)(6); (b)(7)(C)", ["b6", "b7c"]),
        ("(b)(6), (7)(C)", ["b6", "b7c"]),
        ("(b)(7)(C), (E)", ["b7c", "b7e"]),
        ("(b)(6) & (b)(7)(C)", ["b6", "b7c"]),
        ("(bX6), (b)(7XC)", ["b6", "b7c"]),  # OCR reads ")(" as "X"
        ("From: b6, b7c\nTo: b6", ["b6", "b7c", "b6"]),
        ("Exemptions 6 and 7(C) apply to the names", ["b6", "b7c"]),
        ("withheld under FOIA Exemption 5", ["b5"]),
        ("pursuant to 5 U.S.C. § 552(b)(6) and (b)(7)(C)", ["b6", "b7c"]),
        ("Name: (b)(6)\nPhone: (b)(6)", ["b6", "b6"]),
        ("(b)(6) (b)(7)(C) John Smith met the agents", ["b6", "b7c"]),
        ("(b)(1) (b)(2) (b)(3) (b)(4) (b)(5) (b)(8) (b)(9)", ["b1", "b2", "b3", "b4", "b5", "b8", "b9"]),
        ("(b)(7)(A) (b)(7)(B) (b)(7)(D) (b)(7)(F)", ["b7a", "b7b", "b7d", "b7f"]),
    ],
)
def test_spellings(text, expected):
    assert codes(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "as provided in subsection (b)(2) of the contract",
        "under paragraph (b)(1) of this clause",
        "see Section (b)(6) above",
        "pursuant to 18 U.S.C. 1030(b)(6)",
        "FAR 52.204-21(b)(1) requires",
        "disclosures under 5 U.S.C. 552a(b)(7) of the Privacy Act",
        "(b)(1) The Contractor shall deliver the reports monthly.",
        "vitamin B6 and B12",
        "Plan b6 was chosen",
        "the form (b) below and item (6)",
        "grid cell b6 and b7",
    ],
)
def test_prose_is_not_an_exemption(text):
    assert codes(text) == []


def test_offsets_point_at_the_printed_code():
    text = "Agent (b)(6), (b)(7)(C) called; the file (b)(7)(E) was withheld."
    found = find_exemptions(text, 4)
    assert [(e.code, e.text) for e in found] == [("b6", "(b)(6)"), ("b7c", "(b)(7)(C)"), ("b7e", "(b)(7)(E)")]
    for e in found:
        assert e.page == 4 and text[e.start : e.end] == e.text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ICE 2019-ICLI-00001 123", ["ICE 2019-ICLI-00001 123"]),
        ("Page 4\nICE 2019-ICLI-00001 123\n", ["ICE 2019-ICLI-00001 123"]),
        ("Request 2019-ICFO-12345 received", ["2019-ICFO-12345"]),
        ("2019-ICFO-12345 and 5 more pages", ["2019-ICFO-12345"]),
        ("DHS-001234", ["DHS-001234"]),
        ("DHS-ICE-000456 then DHS 000123", ["DHS-ICE-000456", "DHS 000123"]),
        ("ICE_0000123", ["ICE_0000123"]),
        ("in ICE-2019 and COVID-19 and FY 2020", []),
        ("contract HSHQDC-16-D-00020 and order 70CDCR18P00000012", []),
    ],
)
def test_bates(text, expected):
    found = find_bates(text, 2)
    assert [b.text for b in found] == expected
    assert all(b.page == 2 and text[b.start : b.end] == b.text for b in found)


def test_line_opening_codes_on_a_foia_page_are_exemptions():
    letter = (
        "The following FOIA exemptions were applied:\n"
        "(b)(5) protects inter-agency or intra-agency memoranda.\n"
        "(b)(6) Personal privacy of employees and third parties.\n"
    )
    assert codes(letter) == ["b5", "b6"]
    contract = "(b)(1) The Contractor shall deliver the reports.\n(b)(2) Reports shall be monthly.\n"
    assert codes(contract) == []
