"""Item 5: searching a data directory the user can only read (a read-only mount: even root
cannot write) works: the CLI and the backend open the index read-only."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from foialens.search.backend import BackendUnavailable
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.search.records import PageRecord, SearchQuery
from tests.support.faults import mount_read_only

PAGES = [PageRecord(doc_id="a" * 64, page=1, path="/in/a.pdf", title="ALPR contract", batch="b1",
                    text="Vigilant license plate reader data shared with ICE", vendors=["vigilant_solutions"])]


@pytest.fixture
def data_dir(tmp_path):
    data = tmp_path / "data"
    backend = open_backend(BackendConfig(sqlite_path=data / "index.sqlite"))
    backend.replace_documents(PAGES)
    backend.close()  # a clean close: no -wal/-shm files are left next to the index
    return data


def search_cli(data_dir, *args):
    env = {**os.environ, "FOIALENS_DATA_DIR": str(data_dir)}
    return subprocess.run([sys.executable, "-m", "foialens.cli.main", "search", *args, "--json"],
                          capture_output=True, text=True, env=env, timeout=120)


def test_cli_search_on_a_read_only_mount(data_dir, tmp_path):
    with mount_read_only(data_dir, tmp_path / "ro") as ro:
        with pytest.raises(OSError):
            (ro / "probe").write_text("x")  # really read-only
        done = search_cli(ro, "license plate")
        assert done.returncode == 0, done.stderr[-2000:]
        result = json.loads(done.stdout)
        assert result["total"] == 1 and result["hits"][0]["doc_id"] == "a" * 64
        assert search_cli(ro, "--vendor", "vigilant_solutions").returncode == 0
        assert sorted(p.name for p in ro.iterdir()) == ["index.sqlite"]  # nothing was written


def test_read_only_backend_with_live_wal_files(data_dir, tmp_path):
    """Read-only next to a writer (WAL files present): reads see committed writes."""
    writer = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    reader = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite", read_only=True))
    try:
        assert reader.search(SearchQuery(text="plate")).total == 1
        writer.replace_documents([PAGES[0].model_copy(update={"doc_id": "b" * 64})])
        assert reader.search(SearchQuery(text="plate")).total == 2
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            reader._conn().execute("DELETE FROM meta")
    finally:
        reader.close()
        writer.close()


def test_read_only_backend_on_a_read_only_mount(data_dir, tmp_path):
    with mount_read_only(data_dir, tmp_path / "ro") as ro:
        reader = open_backend(BackendConfig(sqlite_path=ro / "index.sqlite", read_only=True))
        try:
            assert reader.search(SearchQuery(text="vigilant")).total == 1
            assert [p.page for p in reader.document_pages("a" * 64)] == [1]
            assert reader.documents().total == 1
        finally:
            reader.close()


def test_read_only_without_an_index_is_a_clear_error(tmp_path):
    with pytest.raises(BackendUnavailable, match="no search index"):
        open_backend(BackendConfig(sqlite_path=tmp_path / "none" / "index.sqlite", read_only=True))
    assert not (tmp_path / "none").exists()


def test_a_copy_on_read_only_media_keeps_working(data_dir, tmp_path):
    """The same, for an index copied while a writer had WAL files (e.g. a snapshot)."""
    writer = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite"))
    writer.replace_documents([PAGES[0].model_copy(update={"doc_id": "c" * 64})])
    snapshot = tmp_path / "snap"
    shutil.copytree(data_dir, snapshot)
    writer.close()
    with mount_read_only(snapshot, tmp_path / "ro2") as ro:
        done = search_cli(ro, "plate")
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout)["total"] == 2
