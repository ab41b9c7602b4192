"""Open the configured backend."""

from __future__ import annotations

from foialens.search.backend import SearchBackend
from foialens.search.config import BackendConfig


def open_backend(config: BackendConfig) -> SearchBackend:
    if config.kind == "sqlite":
        from foialens.search.sqlite_backend import SqliteBackend

        return SqliteBackend(config.sqlite_path, timeout=config.sqlite_timeout, read_only=config.read_only)
    from foialens.search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(config.es)
