"""An ingest request: what to ingest, as which batch, and the non-secret settings it overrides."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field

from foialens.settings import Settings


class IngestRequest(BaseModel):
    paths: list[str] = Field(min_length=1, description="folders (searched recursively) and/or PDF files")
    batch: str | None = Field(None, description="batch name (default: the folder name or a timestamp)")
    force: bool = Field(False, description="reprocess documents already ingested")
    ocr: bool | None = None
    extract_workers: int | None = Field(None, ge=1)
    data_dir: str | None = None
    backend: Literal["sqlite", "elasticsearch"] | None = None
    es_url: str | None = None

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
        return self.model_dump(exclude_none=True, exclude_defaults=True) | {"paths": self.paths}
