"""The ``foialens`` command group (click): every command, registered from the module that holds it.

Command modules import only what their command needs, inside the command, so ``foialens --help``
and ``foialens search`` start without loading spaCy, Prefect, scikit-learn, numpy, rich or the
PDF libraries (``tests/cli/test_cold_start.py`` checks it). The CLI is plain click: typer builds a
pydantic validator for every parameter of the command it runs, ~0.1 s of each start.
"""

from __future__ import annotations

import os

# no pydantic plugins are used: skip their discovery (a scan of every installed package's
# metadata at the first model, ~50 ms of each command's start); set it empty to allow plugins
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import click  # noqa: E402

from foialens.cli import batches, documents, network, ops, query, training  # noqa: E402
from foialens.environment import configure_environment  # noqa: E402


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
def app() -> None:
    """Search FOIA releases and contracts for surveillance vendors, data types and ICE-access clauses."""


for command in (documents.ingest, documents.analyze, query.search, network.network, documents.reindex,
                batches.batches, ops.serve, ops.worker, ops.watch, training.train, training.evaluate,
                documents.sample_batch):
    app.add_command(command)


def main() -> None:
    configure_environment()
    app(prog_name="foialens")


if __name__ == "__main__":
    main()
