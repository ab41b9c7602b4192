"""Backend configuration (plain pydantic): what a backend needs to open, nothing more.

``foialens.settings.Settings`` nests :class:`ElasticsearchConfig` as its ``es`` field (so every
field here is settable as ``FOIALENS_ES_<NAME>``) and builds a :class:`BackendConfig` from it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class ElasticsearchConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = "http://localhost:9200"
    api_key: str | None = None
    username: str | None = None
    password: str | None = None
    ca_certs: Path | None = None
    verify_certs: bool = True
    # Send plain application/json instead of the client's compatible-with media type
    # (needed for OpenSearch-compatible servers and some proxies).
    plain_json: bool = False
    # Indices are <prefix>-pages-v<N> / <prefix>-docs-v<N> behind aliases <prefix>-pages / <prefix>-docs.
    index_prefix: str = Field("foialens", pattern=r"^[a-z0-9][a-z0-9_.-]*$")
    request_timeout: float = Field(30.0, gt=0)
    # The start-up health check: a node that does not answer within this many seconds (or
    # refuses the connection) fails at once, without retries.
    connect_timeout: float = Field(5.0, gt=0)
    max_retries: int = Field(3, ge=0)  # retries after the first attempt (connection errors, 429, 5xx)
    retry_backoff: float = Field(0.5, ge=0)  # first wait in seconds, doubled per retry (max 10 s)
    # Shards/replicas of new indices (replicas are 0 during a rebuild's bulk load, then this).
    # Keep 0 replicas on a single node; use >= 1 on multi-node clusters.
    shards: int = Field(1, ge=1)
    replicas: int = Field(0, ge=0)

    @model_validator(mode="after")
    def _auth(self) -> ElasticsearchConfig:
        if (self.username is None) != (self.password is None):
            raise ValueError("es username and password must be given together")
        if self.api_key and self.username:
            raise ValueError("give either an es api_key or es username/password, not both")
        return self


class BackendConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["sqlite", "elasticsearch"] = "sqlite"
    sqlite_path: Path = Path("foialens-index.sqlite3")  # the embedded index file
    sqlite_timeout: float = Field(30.0, gt=0)  # seconds to wait for the write lock
    # Open for reading only (searches, listings): nothing is created or written, so an index on
    # read-only media or in a directory the user cannot write works. SQLite only.
    read_only: bool = False
    es: ElasticsearchConfig = Field(default_factory=ElasticsearchConfig)
