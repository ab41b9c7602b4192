"""What the command modules share: consoles, the common options, settings from flags, errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, NoReturn, Optional

import typer


class _LazyConsole:
    """A rich Console made on first use: importing rich.console costs ~0.1 s, which `foialens
    --help` and `foialens search --json` never need."""

    def __init__(self, **options):
        self._options = options
        self._console = None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


console = _LazyConsole()
err = _LazyConsole(stderr=True)

DataDirOption = Annotated[
    Optional[Path], typer.Option("--data-dir", help="Data directory (env FOIALENS_DATA_DIR).")
]
BackendOption = Annotated[
    Optional[str],
    typer.Option("--backend", help="sqlite (embedded, default) or elasticsearch (env FOIALENS_BACKEND)."),
]
EsUrlOption = Annotated[Optional[str], typer.Option("--es-url", help="Elasticsearch URL (env FOIALENS_ES_URL).")]


def fail(message: str, code: int = 2) -> NoReturn:
    err.print(f"[bold red]error:[/] {message}")
    raise typer.Exit(code)


def make_settings(data_dir: Path | None = None, backend: str | None = None, es_url: str | None = None, **more):
    """Settings from the environment with the command's flags on top; a bad value is a usage
    error naming the setting."""
    from pydantic import ValidationError

    from foialens.settings import Settings

    overrides = {k: v for k, v in {"data_dir": data_dir, "backend": backend, **more}.items() if v is not None}
    if es_url is not None:
        overrides["es"] = {"url": es_url}
    try:
        return Settings(**overrides)
    except ValidationError as exc:
        first = exc.errors()[0]
        fail(f"invalid setting: {'.'.join(str(p) for p in first['loc'])}: {first['msg']}")


def check_backend(settings) -> None:
    """Fail fast (exit 2) when the configured search backend cannot be reached."""
    from foialens.search.backend import BackendUnavailable
    from foialens.search.factory import open_backend

    try:
        open_backend(settings.backend_config()).close()
    except BackendUnavailable as exc:
        fail(str(exc))
