"""Process environment the pipeline needs before tesseract or Prefect run: the one place it is set.

Entry points call :func:`configure_environment` (the CLI, the Prefect flow module, extraction
worker processes, the web job runner) and so does ``extract_document`` before it starts
tesseract. Values already in the environment win (``setdefault``)."""

from __future__ import annotations

import os

DEFAULTS = {
    # tesseract's own OpenMP threads fight our per-page process pool (10x slower otherwise)
    "OMP_THREAD_LIMIT": "1",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "PREFECT_LOGGING_LEVEL": "WARNING",
}


def configure_environment() -> None:
    for key, value in DEFAULTS.items():
        os.environ.setdefault(key, value)
