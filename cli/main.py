"""The ``foialens`` Typer app: every command, registered from the module that holds it.

Command modules import only what their command needs, inside the command, so ``foialens --help``
and ``foialens search`` start without loading spaCy, Prefect, scikit-learn, numpy or the PDF
libraries (``tests/cli/test_cold_start.py`` checks it). Help is plain text (typer's rich help
formatting alone costs ~0.2 s of imports).
"""

from __future__ import annotations

import os

# no pydantic plugins are used: skip their discovery (a scan of every installed package's
# metadata at the first model, ~50 ms of each command's start); set it empty to allow plugins
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

import typer  # noqa: E402

from foialens.cli import batches, documents, network, ops, query, training  # noqa: E402
from foialens.environment import configure_environment  # noqa: E402

app = typer.Typer(
    name="foialens",
    help="Search FOIA releases and contracts for surveillance vendors, data types and ICE-access clauses.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

app.command()(documents.ingest)
app.command()(documents.analyze)
app.command()(query.search)
app.command()(network.network)
app.command()(documents.reindex)
app.command()(batches.batches)
app.command()(ops.serve)
app.command()(ops.worker)
app.command()(ops.watch)
app.command("train")(training.train_command)
app.command("evaluate")(training.evaluate_command)
app.command("sample-batch")(documents.sample_batch)


def main() -> None:
    configure_environment()
    app()


if __name__ == "__main__":
    main()
