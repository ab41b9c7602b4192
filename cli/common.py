"""What the command modules share: consoles, the common options, settings from flags, errors."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import NoReturn

import click


class _LazyConsole:
    """A rich Console made on first use: importing rich.console costs ~0.1 s, which `foialens
    --help` and `foialens search` never need (they print with click)."""

    def __init__(self, **options):
        self._options = options
        self._console = None

    def __getattr__(self, name: str):
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return getattr(self._console, name)


console = _LazyConsole()

PATH = click.Path(path_type=Path)  # an argument or option that is a file or folder (not checked here)

# The options most commands share. click makes a new option each time one is applied.
data_dir_option = click.option("--data-dir", type=PATH, help="Data directory (env FOIALENS_DATA_DIR).")
backend_option = click.option("--backend", help="sqlite (embedded, default) or elasticsearch (env FOIALENS_BACKEND).")
es_url_option = click.option("--es-url", help="Elasticsearch URL (env FOIALENS_ES_URL).")


def index_options(f):
    """--data-dir, --backend and --es-url: where the index is."""
    return data_dir_option(backend_option(es_url_option(f)))


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``error: message`` on standard error and exit (2: a usage or input error)."""
    click.echo(click.style("error:", fg="red", bold=True) + f" {message}", err=True)
    sys.exit(code)


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
