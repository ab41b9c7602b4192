"""The one settings object: flags > FOIALENS_* environment > defaults (foialens/settings.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from foialens.search.config import ElasticsearchConfig
from foialens.settings import Settings, setting_names


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch):
    for name in setting_names():
        monkeypatch.delenv(name, raising=False)


def test_defaults_without_environment():
    s = Settings()
    assert s.backend == "sqlite" and s.es.url == "http://localhost:9200" and s.ocr is True and s.token is None


def test_environment_is_read_and_coerced(monkeypatch, tmp_path):
    monkeypatch.setenv("FOIALENS_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("FOIALENS_OCR", "false")
    monkeypatch.setenv("FOIALENS_MAX_PAGES", "12")
    monkeypatch.setenv("FOIALENS_SPACY_MODEL", "")
    monkeypatch.setenv("FOIALENS_ES_URL", "http://es.example:9200")
    monkeypatch.setenv("FOIALENS_ES_REPLICAS", "2")
    s = Settings()
    assert (s.data_dir, s.ocr, s.max_pages, s.spacy_model) == (tmp_path, False, 12, None)
    assert (s.es.url, s.es.replicas, s.es.shards) == ("http://es.example:9200", 2, 1)


def test_flags_win_over_the_environment_field_by_field(monkeypatch):
    monkeypatch.setenv("FOIALENS_BACKEND", "elasticsearch")
    monkeypatch.setenv("FOIALENS_ES_URL", "http://from-env:9200")
    monkeypatch.setenv("FOIALENS_ES_INDEX_PREFIX", "clinic")
    s = Settings(backend="sqlite", es={"url": "http://from-flag:9200"}, data_dir=Path("/tmp/x"))
    assert s.backend == "sqlite" and s.data_dir == Path("/tmp/x")
    assert (s.es.url, s.es.index_prefix) == ("http://from-flag:9200", "clinic")  # merged, flag on top
    given = ElasticsearchConfig(url="http://object:9200")
    assert Settings(es=given).es == given  # a whole config object is taken as it is


def test_a_bad_environment_value_names_the_setting(monkeypatch):
    monkeypatch.setenv("FOIALENS_MAX_PAGES", "many")
    with pytest.raises(ValidationError, match="max_pages"):
        Settings()
    monkeypatch.delenv("FOIALENS_MAX_PAGES")
    monkeypatch.setenv("FOIALENS_ES_SHARDS", "0")
    with pytest.raises(ValidationError, match="shards"):
        Settings()


def test_unknown_foialens_variables_are_ignored(monkeypatch):
    monkeypatch.setenv("FOIALENS_NO_SUCH_SETTING", "1")
    monkeypatch.setenv("FOIALENS_ES_NO_SUCH_FIELD", "1")
    assert Settings().backend == "sqlite"
