"""Backend configuration (plain pydantic; the CLI/settings layer fills it)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, model_validator


class BackendConfig(BaseModel):
    kind: Literal["sqlite", "elasticsearch"] = "sqlite"
    # embedded
    sqlite_path: Path = Path("foialens-index.sqlite3")
    # Elasticsearch
    es_url: str = "http://localhost:9200"
    es_api_key: str | None = None
    es_username: str | None = None
    es_password: str | None = None
    es_ca_certs: Path | None = None
    es_verify_certs: bool = True
    index_prefix: str = Field("foialens", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    request_timeout: float = 30.0
    max_retries: int = Field(3, ge=0)  # retries after the first attempt (connection errors, 429, 5xx)
    retry_backoff: float = Field(0.5, ge=0)  # first wait in seconds, doubled per retry (max 10 s)
    # Send plain application/json instead of the client's compatible-with media type
    # (needed for OpenSearch-compatible servers and some proxies).
    plain_json_headers: bool = False
    # Shards/replicas of new indices (replicas are 0 during a rebuild's bulk load, then this).
    # Keep 0 on a single node; use >= 1 on multi-node clusters.
    es_replicas: int = Field(0, ge=0)
    es_shards: int = Field(1, ge=1)

    @model_validator(mode="after")
    def _auth(self) -> BackendConfig:
        if (self.es_username is None) != (self.es_password is None):
            raise ValueError("es_username and es_password must be given together")
        if self.es_api_key and self.es_username:
            raise ValueError("give either es_api_key or es_username/es_password, not both")
        return self
