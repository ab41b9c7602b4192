"""DataDir: results, originals, summaries, page images, unsafe ids, and the layout migration of a
data directory written by an earlier version (no layout.json, summaries without names)."""

from __future__ import annotations

import json
from datetime import datetime, timezone

import pytest

from foialens.extractors.records import ExtractedDocument, PageText
from foialens.models.records import DocumentTags, EntityTag, Mention
from foialens.store.batches import BatchSummary
from foialens.store.datadir import LAYOUT, DataDir, UnsafePath
from foialens.store.pages import PageNotFound
from foialens.store.results import DocumentResult
from tests.support.web import make_pdf

DOC = "ab" * 32


def result(doc_id: str = DOC, batch: str = "old") -> DocumentResult:
    page = PageText(page=1, text="Vigilant Solutions LEARN", width=612, height=792)
    tags = DocumentTags(vendors=[EntityTag(id="vigilant_solutions", name="Vigilant Solutions", kind="vendor",
                                           mentions=[Mention(page=1, text="Vigilant Solutions", start=0, end=18)])])
    return DocumentResult(pipeline_version="v", batch=batch,
                          extracted=ExtractedDocument(doc_id=doc_id, path="/in/a.pdf", page_count=1, pages=[page]),
                          tags=tags)


def test_results_round_trip_and_bad_ids_reach_nothing(tmp_path):
    data = DataDir(tmp_path).prepare()
    data.save(result())
    assert data.load(DOC).tags.vendors[0].id == "vigilant_solutions"
    assert [r.doc_id for r in data.results()] == [DOC] and data.count_results() == 1
    for bad in ("../../etc/passwd", "AB" * 32, "ab" * 31, "", "ab" * 32 + "/x"):
        assert data.load(bad) is None
        with pytest.raises(UnsafePath):
            data.original(bad)
    assert not any(p.name.endswith(".tmp") for p in data.results_dir.iterdir())


def test_originals_and_page_images(tmp_path):
    data = DataDir(tmp_path / "data").prepare()
    src = tmp_path / "a.pdf"
    make_pdf(src, ["page one", "page two"])
    stored = data.keep_original(src, DOC)
    assert stored.read_bytes() == src.read_bytes() and data.keep_original(src, DOC) == stored
    png = data.page_image(DOC, 2)
    assert png.read_bytes().startswith(b"\x89PNG") and png.parent == data.pages_cache_dir / DOC
    with pytest.raises(PageNotFound):
        data.page_image(DOC, 3)
    with pytest.raises(PageNotFound):
        data.page_image("cd" * 32, 1)


def test_a_directory_from_before_layout_json_is_migrated(tmp_path):
    """Layout 1: batch summaries without display names. Opening for writing adds them from the
    stored results and records the layout; a second prepare() changes nothing."""
    (tmp_path / "results").mkdir()
    (tmp_path / "results" / f"{DOC}.json").write_text(result().model_dump_json())
    (tmp_path / "batches").mkdir()
    old = BatchSummary(batch="old", started_at=datetime(2025, 1, 1, tzinfo=timezone.utc), doc_ids=[DOC],
                       vendors={"vigilant_solutions": 1}).model_dump(mode="json")
    old.pop("names")
    (tmp_path / "batches" / "old.json").write_text(json.dumps(old))
    data = DataDir(tmp_path)
    assert data.layout_version() == 1 and data.names() == {}
    data.prepare()
    assert data.layout_version() == LAYOUT
    assert data.names()["vendors"] == {"vigilant_solutions": "Vigilant Solutions"}
    stamp = (tmp_path / "batches" / "old.json").stat().st_mtime_ns
    DataDir(tmp_path).prepare()
    assert (tmp_path / "batches" / "old.json").stat().st_mtime_ns == stamp


def test_summaries_are_saved_under_their_slug(tmp_path):
    data = DataDir(tmp_path).prepare()
    path = data.save_summary(BatchSummary(batch="ICLI 2019/x", started_at=datetime.now(timezone.utc)))
    assert path.name == "icli-2019-x.json"
    assert [s.batch for s in data.summaries()] == ["ICLI 2019/x"]
