"""`foialens train` and `foialens evaluate`: thin wrappers over models.training / models.evaluation."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from foialens.cli.common import console, fail, make_settings


def train_command(
    data: Optional[Path] = typer.Option(None, "--data", help="labelled clause JSONL (default: the bundled training data)"),
    out: Optional[Path] = typer.Option(None, "--out", help="where to write the artifact (default: the cache directory)"),
    seed: int = typer.Option(13, "--seed"),
    json_output: bool = typer.Option(False, "--json", help="print the report as JSON"),
    if_missing: bool = typer.Option(False, "--if-missing", help="do nothing when the artifact already exists (set-up)"),
) -> None:
    """Train the clause classifier (train split of DATA) and write the joblib artifact."""
    from foialens.models.clause_data import DEFAULT_DATA
    from foialens.models.records import CLAUSE_LABELS
    from foialens.models.training import artifact_path, train

    data = data or DEFAULT_DATA
    out = out or artifact_path(make_settings().cache_dir, data)
    if if_missing and out.exists():
        console.print(f"clause model already built: {out}")
        return
    report = train(data, out, seed)
    if json_output:
        print(report.model_dump_json(indent=1))
        return
    table = Table(title=f"clause model {report.version} -> {report.out_path}")
    for col in ("label", "train examples", "threshold", "out-of-fold F1"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label in CLAUSE_LABELS:
        table.add_row(label, str(report.label_counts[label]), f"{report.thresholds[label]:.3f}", f"{report.oof_f1[label]:.3f}")
    console.print(table)
    console.print(
        f"{report.n_train} train / {report.n_test} held-out examples, data sha256 {report.data_sha256[:12]}…, "
        f"{report.seconds:.1f} s"
    )


def evaluate_command(
    model: Optional[Path] = typer.Option(None, "--model", help="model artifact (default: the one `foialens train` built)"),
    data: Optional[Path] = typer.Option(None, "--data", help="labelled JSONL (default: held-out split of the training data)"),
    json_output: bool = typer.Option(False, "--json", help="print the report as JSON"),
) -> None:
    """Precision/recall/F1 per clause label, ICE access/restriction confusion, negation errors."""
    from foialens.models.evaluation import evaluate
    from foialens.models.training import artifact_path

    model = model or artifact_path(make_settings().cache_dir)
    if not model.exists():
        fail(f"no model at {model}; run `foialens train` first")
    report = evaluate(model, data)
    if json_output:
        print(report.model_dump_json(indent=1))
        return
    table = Table(title=f"{report.data_path} ({report.scope}, {report.n} sentences)")
    for col in ("label", "precision", "recall", "F1", "support", "predicted"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label, s in report.labels.items():
        table.add_row(label, f"{s.precision:.3f}", f"{s.recall:.3f}", f"{s.f1:.3f}", str(s.support), str(s.predicted))
    console.print(table)
    console.print(f"micro F1 {report.micro_f1:.3f}")
    confusion = Table(title="ICE clauses: gold (rows) vs predicted (columns)")
    confusion.add_column("gold \\ predicted")
    classes = list(report.ice_confusion)
    for c in classes:
        confusion.add_column(c, justify="right")
    for gold in classes:
        confusion.add_row(gold, *(str(report.ice_confusion[gold][p]) for p in classes))
    console.print(confusion)
    colour = "green" if report.negated_tagged_ice_access == 0 else "red"
    console.print(f"[{colour}]negated sentences tagged ice_access: {report.negated_tagged_ice_access} of {report.negated}[/{colour}]")
    for text in report.negated_ice_access_examples:
        console.print(f"  - {text}")
