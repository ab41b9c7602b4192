"""Item 3: what went wrong below the document level is in the batch summary: page-level errors
(a page too large to render for OCR, pages left without OCR) and entries that were skipped
(symlink loops, dangling links, FIFOs, folders that cannot be listed). A document that belongs
to two overlapping batches is listed (and found) under both."""

from __future__ import annotations

import io
import json
import os
import shutil
import threading

import pytest
from PIL import Image
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from foialens.flows.batch import run_batch
from foialens.flows.request import IngestRequest
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import SearchQuery
from foialens.store.batches import to_markdown
from foialens.store.datadir import DataDir
from tests.faults.conftest import CONTRACT, MOU, POLICY


def request(paths, data_dir, batch="b", **kw) -> IngestRequest:
    return IngestRequest(paths=[str(p) for p in paths], batch=batch, data_dir=str(data_dir), extract_workers=1, **kw)


def huge_scan(path):
    """One text page, then a 100 x 100 inch page with only an image: it needs OCR and cannot be
    rendered at the minimum OCR resolution within the pixel limit (page_too_large)."""
    c = canvas.Canvas(str(path), pagesize=(612, 792))
    c.setFont("Helvetica", 11)
    c.drawString(72, 720, "Vigilant Solutions license plate reader agreement, page one.")
    c.showPage()
    c.setPageSize((7200, 7200))
    buf = io.BytesIO()
    Image.new("L", (64, 64), 128).save(buf, format="PNG")
    buf.seek(0)
    c.drawImage(ImageReader(buf), 100, 100, width=7000, height=7000)
    c.showPage()
    c.save()
    return path


def test_page_level_errors_are_in_the_summary(sample_batch, tmp_path):
    folder, scans = tmp_path / "in", tmp_path / "scans"
    folder.mkdir()
    scans.mkdir()
    huge_scan(folder / "huge-exhibit.pdf")
    shutil.copy(sample_batch / "riverton-pd-clearview-pilot-scanned.pdf", scans / "scan.pdf")
    data = tmp_path / "data"
    summary = run_batch(request([folder], data))
    assert [(e.path.endswith("huge-exhibit.pdf"), e.page, e.code) for e in summary.page_errors] == [
        (True, 2, "page_too_large")]
    assert summary.failed == []  # the document itself was processed (page 1 is indexed)
    stored = json.loads((data / "batches" / "b.json").read_text())
    assert [e["code"] for e in stored["page_errors"]] == ["page_too_large"]
    markdown = to_markdown(summary)
    assert "| huge-exhibit.pdf | 2 | page_too_large |" in markdown.replace(str(folder) + "/", "")
    no_ocr = run_batch(request([scans], data, batch="scans", ocr=False))  # pages left without OCR
    assert no_ocr.page_errors and {e.code for e in no_ocr.page_errors} == {"ocr_unavailable"}
    assert all(e.path.endswith("scan.pdf") and e.page >= 1 for e in no_ocr.page_errors)


def test_skipped_special_files_are_in_the_summary(sample_batch, tmp_path):
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    shutil.copy(sample_batch / MOU, folder / "sub" / MOU)
    os.symlink("loop.pdf", folder / "loop.pdf")  # points at itself
    os.symlink(tmp_path / "gone.pdf", folder / "dangling.pdf")
    os.mkfifo(folder / "pipe.pdf")  # opening it would block the batch forever
    os.symlink(folder / "pipe.pdf", folder / "link-to-pipe.pdf")
    data = tmp_path / "data"
    done: dict = {}
    worker = threading.Thread(target=lambda: done.setdefault("summary", run_batch(request([folder], data, ocr=False))))
    worker.start()
    worker.join(120)
    assert not worker.is_alive(), "the batch hung on the FIFO"
    summary = done["summary"]
    codes = {os.path.basename(f.path): f.code for f in summary.failed}
    assert codes == {"loop.pdf": "symlink_loop", "dangling.pdf": "dangling_link",
                     "pipe.pdf": "not_a_regular_file", "link-to-pipe.pdf": "not_a_regular_file"}
    assert "FIFO" in next(f.message for f in summary.failed if f.path.endswith("pipe.pdf"))
    assert summary.processed == 1 and summary.pages_indexed > 0
    # given by name on the command line, the same entries are reported the same way
    direct = run_batch(request([folder / "pipe.pdf", folder / "dangling.pdf"], data, batch="direct"))
    assert sorted(f.code for f in direct.failed) == ["dangling_link", "not_a_regular_file"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can list any folder")
def test_an_unreadable_folder_is_in_the_summary(sample_batch, tmp_path):
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    shutil.copy(sample_batch / MOU, folder / MOU)
    os.chmod(folder / "locked", 0)
    try:
        summary = run_batch(request([folder], tmp_path / "data", ocr=False))
    finally:
        os.chmod(folder / "locked", 0o755)
    assert [f.code for f in summary.failed] == ["unreadable"]


def test_a_document_in_two_overlapping_batches_lists_both(sample_batch, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for name in (CONTRACT, MOU):
        shutil.copy(sample_batch / name, first / name)
    for name in (MOU, POLICY):  # the MOU is in both batches
        shutil.copy(sample_batch / name, second / name)
    data = tmp_path / "data"
    s1 = run_batch(request([first], data, batch="2019 release", ocr=False))
    s2 = run_batch(request([second], data, batch="2020 release", ocr=False))
    assert s1.failed == [] and s2.failed == [] and s2.unchanged == 1
    mou_id = next(r.doc_id for r in DataDir(data).results() if r.extracted.path.endswith(MOU))
    assert mou_id in s1.doc_ids and mou_id in s2.doc_ids
    assert DataDir(data).load(mou_id).all_batches == ["2019 release", "2020 release"]
    backend = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    try:
        for batch, expected in (("2019 release", {CONTRACT, MOU}), ("2020 release", {MOU, POLICY})):
            listed = backend.documents(batch=batch)
            assert {os.path.basename(d.path) for d in listed.documents} == expected, batch
            found = backend.search(SearchQuery(filters={"batch": [batch]}, page_size=100))
            assert {os.path.basename(h.path) for h in found.hits} == expected, batch
        mou = next(d for d in backend.documents().documents if d.doc_id == mou_id)
        assert mou.batches == ["2019 release", "2020 release"]
        facets = backend.search(SearchQuery(text="fusion")).facets["batch"]
        assert {f.value for f in facets} >= {"2019 release", "2020 release"}
    finally:
        backend.close()
    # a re-run of the second batch changes nothing
    again = run_batch(request([second], data, batch="2020 release", ocr=False))
    assert again.unchanged == 2 and again.pages_indexed == 0


def test_overlapping_batches_on_elasticsearch(sample_batch, tmp_path, es_config, monkeypatch):
    for key, value in {"PLAIN_JSON": "true", "INDEX_PREFIX": es_config.index_prefix}.items():
        monkeypatch.setenv(f"FOIALENS_ES_{key}", value)
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    shutil.copy(sample_batch / MOU, first / MOU)
    shutil.copy(sample_batch / MOU, second / MOU)
    data = tmp_path / "data"
    es = {"backend": "elasticsearch", "es_url": es_config.url}
    run_batch(request([first], data, batch="A", ocr=False, **es))
    run_batch(request([second], data, batch="B", ocr=False, **es))
    backend = open_backend(BackendConfig(kind="elasticsearch", es=es_config))
    try:
        for batch in ("A", "B"):
            assert backend.documents(batch=batch).total == 1, batch
            assert backend.search(SearchQuery(filters={"batch": [batch]})).total > 0, batch
        [doc] = backend.documents().documents
        assert doc.batch == "A" and doc.batches == ["A", "B"]
        hit = backend.search(SearchQuery(text="fusion")).hits[0]
        assert hit.batch == "A" and hit.batches == ["A", "B"]
    finally:
        backend.close()
