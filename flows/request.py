"""An ingest request: what to ingest, as which batch, and the non-secret settings it overrides."""

from __future__ import annotations

import os
from datetime import datetime
from typing import Any, Literal
from urllib.parse import quote_from_bytes, unquote_to_bytes

from pydantic import BaseModel, Field, field_serializer, field_validator

from foialens.settings import Settings

FS_BYTES = "fsbytes:"  # prefix of a path whose name is not UTF-8, percent-encoded


def encode_path(path: str) -> str:
    """A path as JSON-safe text: unchanged when it is UTF-8, else ``fsbytes:`` + its bytes
    percent-encoded (run parameters and job files are JSON, which cannot carry the surrogate
    escapes Python uses for such names). :func:`decode_path` reverses it."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return FS_BYTES + quote_from_bytes(os.fsencode(path), safe="/")


def decode_path(path: str) -> str:
    return os.fsdecode(unquote_to_bytes(path[len(FS_BYTES):])) if path.startswith(FS_BYTES) else path


class IngestRequest(BaseModel):
    paths: list[str] = Field(min_length=1, description="folders (searched recursively) and/or PDF files")
    batch: str | None = Field(None, description="batch name (default: the folder name or a timestamp)")
    force: bool = Field(False, description="reprocess documents already ingested")
    ocr: bool | None = None
    extract_workers: int | None = Field(None, ge=1)
    data_dir: str | None = None
    backend: Literal["sqlite", "elasticsearch"] | None = None
    es_url: str | None = None
    # when the ingest was asked for (upload received, command started, folder settled): the batch
    # summary's wall time runs from here
    queued_at: datetime | None = None

    @field_validator("paths", mode="before")
    @classmethod
    def _decode_paths(cls, v):
        return [decode_path(p) if isinstance(p, str) else p for p in v] if isinstance(v, list) else v

    @field_serializer("paths")
    def _encode_paths(self, paths: list[str]) -> list[str]:
        return [encode_path(p) for p in paths]

    @classmethod
    def for_settings(cls, paths: list[str], settings: Settings, **fields: Any) -> IngestRequest:
        """A request that runs with the data directory, backend and cluster of ``settings``."""
        es_url = settings.es.url if settings.backend == "elasticsearch" else None
        return cls(paths=[str(p) for p in paths], data_dir=str(settings.data_dir), backend=settings.backend,
                   es_url=es_url, **fields)

    def settings(self) -> Settings:
        """The settings of the process running the request, with the request's overrides on top."""
        overrides: dict[str, Any] = {
            k: v for k, v in {"data_dir": self.data_dir, "backend": self.backend, "ocr": self.ocr,
                              "extract_workers": self.extract_workers}.items() if v is not None}
        if self.es_url is not None:
            overrides["es"] = {"url": self.es_url}
        return Settings(**overrides)

    def flow_parameters(self) -> dict[str, Any]:
        """The flow's parameters, leaving out what the runner's own settings decide."""
        return (self.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
                | {"paths": self._encode_paths(self.paths)})
