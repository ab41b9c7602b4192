"""Regression: table cells of a page whose text is positioned letter by letter (a run per letter)
read "San Leandro PD", not "San Leandr o PD"; overlapping runs no longer repeat a letter ("Users
may s see"); a cell's text is read once per cell, and prose pages read none."""

from __future__ import annotations

import pypdfium2 as pdfium
import pytest

from foialens.extractors.layout import is_tabular, text_layer_cells

pytestmark = pytest.mark.corpus


def _cells(path, page_no: int) -> list[str]:
    """The cells extract_document keeps for one page."""
    pdf = pdfium.PdfDocument(path)
    try:
        page = pdf[page_no - 1]
        box = page.get_mediabox()
        cells = text_layer_cells(page.get_textpage(), box[2] - box[0], box[3] - box[1], page.get_rotation())
        return [c.text for c in cells] if is_tabular(cells) else []
    finally:
        pdf.close()


def test_letter_positioned_agency_list_reads_whole_names(corpus_dir):
    cells = _cells(corpus_dir / "real/ncric_astrometrics_data_integration_guide.pdf", 13)
    assert {"San Leandro PD", "Vallejo PD", "Vacaville PD"} <= set(cells)
    assert not any(" o PD" in c or c.startswith("V ") for c in cells)


def test_overlapping_runs_do_not_repeat_letters(corpus_dir):
    cells = _cells(corpus_dir / "real/vigilant_learn_user_guide.pdf", 14)
    assert "System User Guide I License Plate Query I Search Results" in cells


def test_prose_page_reads_no_cell_text(corpus_dir, monkeypatch):
    """A page of running text (a 287(g) MOA) looks list-like to the cheap text test but its runs
    do not line up in rows: no cell, and no run's text is read."""
    pdf = pdfium.PdfDocument(corpus_dir / "real/ice_287g_moa_freeborn_co_mn_wso.pdf")
    try:
        page = pdf[1]
        textpage = page.get_textpage()
        reads = []
        real = type(textpage).get_text_bounded
        monkeypatch.setattr(type(textpage), "get_text_bounded", lambda self, *a, **k: reads.append(a) or real(self, *a, **k))
        box = page.get_mediabox()
        cells = text_layer_cells(textpage, box[2] - box[0], box[3] - box[1], page.get_rotation())
        assert textpage.count_rects() > 20
        assert cells == [] and reads == []
        assert not is_tabular(cells)
    finally:
        pdf.close()
