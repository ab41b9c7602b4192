"""The per-page OCR decision: empty, image-only with a sparse layer, and garbage text layers."""

from __future__ import annotations

from foialens.extractors.page_survey import PageSurvey
from foialens.extractors.text_quality import garbage_reason, ocr_reason

PROSE = (
    "The Contractor shall not disclose any information obtained under this agreement to "
    "Immigration and Customs Enforcement except as required by law. All records are kept "
    "for a period of ninety days and then deleted, and the County shall audit the use of "
    "the system each quarter. "
) * 3
TEXT_PAGE = PageSurvey(images=0, paths=3, image_coverage=0.0)
SCAN = PageSurvey(images=1, paths=0, image_coverage=1.0)


def test_good_prose_needs_no_ocr():
    assert garbage_reason(PROSE) is None
    assert ocr_reason(PROSE, TEXT_PAGE) is None
    assert ocr_reason(PROSE, SCAN) is None  # a scan that already carries a full OCR layer


def test_empty_layer_on_a_drawn_page_needs_ocr_but_blank_page_does_not():
    assert ocr_reason("  \n ", SCAN)[0] == "empty"
    assert ocr_reason("12", PageSurvey(paths=400))[0] == "empty"  # text drawn as outlines
    assert ocr_reason("", PageSurvey()) is None


def test_sparse_layer_on_an_image_page_needs_ocr():
    assert ocr_reason("ICE 2019-ICLI-00001 123 (b)(6) released in part", SCAN)[0] == "image_page"


def test_garbage_layers():
    assert "unreadable" in garbage_reason("(cid:12)(cid:44)(cid:3)" * 20)
    assert "unreadable" in garbage_reason("\ufffd\ufffd ab \ue001\ue002\ue003" * 10)
    assert "letters" in garbage_reason("|||| ---- ;;;; 0000 #### ~~~~ " * 5)
    caesar = "".join(chr(ord(c) + 3) if c.isalpha() else c for c in PROSE)
    assert "English" in garbage_reason(caesar)
    assert ocr_reason(caesar, SCAN)[0] == "garbage"


def test_non_english_text_is_not_garbage():
    greek = "Η υπογεγραμμένη Ιουλία Οικονόμου από τη Λευκωσία ορκίζομαι και λέγω τα εξής " * 5
    assert garbage_reason(greek) is None
    numbers = "Invoice 2019-0001 total 12,400.00 USD; invoice 2019-0002 total 8,100.00 USD. " * 4
    assert garbage_reason(numbers) is None


def test_garbage_kinds_and_flags():
    from foialens.extractors.text_quality import garbage_kind

    assert garbage_kind("(cid:12)(cid:44)(cid:3)" * 20)[0] == "unreadable"
    assert garbage_kind("2024-03-01 10:22:31 3f2a9c1e-7b4d-4c2e-9a1f-0c8d7e6b5a43 u10482 42 ok\n" * 5)[0] == "few_letters"
    caesar = "".join(chr(ord(c) + 3) if c.isalpha() else c for c in PROSE)
    flag = ocr_reason(caesar, TEXT_PAGE)
    assert (flag.reason, flag.kind) == ("garbage", "not_english") and "English" in flag.detail
    assert ocr_reason("  \n ", SCAN).kind == "empty"



def test_character_counts_match_the_per_character_definitions():
    """visible_chars and the letter count go by whole runs (fast); on any text they must give what
    a character-by-character count gives (whitespace: str.isspace; letters: a word character
    that is not a digit or "_", regex [^\\W\\d_])."""
    import re

    from hypothesis import given, settings
    from hypothesis import strategies as st

    from foialens.extractors.text_quality import _LETTERS, visible_chars

    one_letter = re.compile(r"[^\W\d_]")

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
           | st.text(alphabet=" \t\n\r\x0b\x0c\x1c\x85\xa0\u2028\u3000ab1_é¹\ufffd", max_size=60))
    def check(text: str) -> None:
        assert visible_chars(text) == sum(not c.isspace() for c in text)
        assert sum(map(len, _LETTERS.findall(text))) == sum(bool(one_letter.fullmatch(c)) for c in text)

    check()
