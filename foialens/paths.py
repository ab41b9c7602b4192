"""Default locations (XDG base directories). No other imports: every layer may use these."""

from __future__ import annotations

import os
from pathlib import Path


def default_data_dir() -> Path:
    """Where results, originals, batch summaries and the embedded index live."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "foialens"


def default_cache_dir() -> Path:
    """Where built artifacts live (the clause model): never inside the installed package."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "foialens"
