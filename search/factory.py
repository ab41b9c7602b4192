"""Open the configured backend."""

from __future__ import annotations

from search.backend import SearchBackend
from search.config import BackendConfig


def open_backend(config: BackendConfig) -> SearchBackend:
    if config.kind == "sqlite":
        from search.sqlite_backend import SqliteBackend

        return SqliteBackend(config.sqlite_path, timeout=config.request_timeout)
    from search.es_backend import ElasticsearchBackend

    return ElasticsearchBackend(config)
