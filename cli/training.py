"""`foialens train` and `foialens evaluate`: thin wrappers over models.training / models.evaluation."""

from __future__ import annotations

from pathlib import Path

import click

from foialens.cli.common import PATH, console, data_dir_option, fail, make_settings


@click.command("train")
@click.option("--data", type=PATH, help="Labelled clause JSONL (default: the bundled training data).")
@click.option("--out", type=PATH, help="Where to write the artifact (default: the cache directory).")
@click.option("--seed", type=int, default=13, show_default=True, help="Random seed of the split and the model.")
@click.option("--json", "json_output", is_flag=True, help="Print the report as JSON.")
@click.option("--if-missing", is_flag=True, help="Do nothing when the artifact already exists (set-up).")
@click.option("--with-corrections", is_flag=True,
              help="Also learn from the clause corrections reviewers made in the web UI (data directory).")
@data_dir_option
def train(data: Path | None, out: Path | None, seed: int, json_output: bool, if_missing: bool,
          with_corrections: bool, data_dir) -> None:
    """Train the clause classifier (train split of DATA) and write the joblib artifact."""
    from foialens.models.clause_data import DEFAULT_DATA
    from foialens.models.records import CLAUSE_LABELS
    from foialens.models.training import artifact_path
    from foialens.models.training import train as train_model

    settings = make_settings(data_dir)
    extra: list[dict] = []
    if with_corrections:
        from foialens.store.datadir import DataDir

        extra = DataDir(settings.data_dir).corrections().training_examples()
        if not extra:
            fail(f"no clause corrections in {settings.data_dir} (mark a clause wrong or add a missing one on a page)")
    data = data or DEFAULT_DATA
    out = out or artifact_path(settings.cache_dir, data, extra=extra)
    if if_missing and out.exists():
        console.print(f"clause model already built: {out}")
        return
    report = train_model(data, out, seed, extra=extra)
    if json_output:
        print(report.model_dump_json(indent=1))
        return
    from rich.table import Table
    table = Table(title=f"clause model {report.version} -> {report.out_path}")
    for col in ("label", "train examples", "threshold", "out-of-fold F1"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label in CLAUSE_LABELS:
        table.add_row(label, str(report.label_counts[label]), f"{report.thresholds[label]:.3f}", f"{report.oof_f1[label]:.3f}")
    console.print(table)
    if report.extra_examples:
        console.print(f"{report.extra_examples} labelled sentences from reviewers' corrections included")
    console.print(
        f"{report.n_train} train / {report.n_test} held-out examples, data sha256 {report.data_sha256[:12]}…, "
        f"{report.seconds:.1f} s"
    )


@click.command("evaluate")
@click.option("--corpus", type=PATH, default=Path("../shared/corpus/real"), show_default=True,
              help="Folder with the labelled real documents (matched by sha256; models/data/real/).")
@click.option("--synthetic", is_flag=True, help="Score the written sentences' held-out split instead.")
@click.option("--model", type=PATH, help="With --synthetic: model artifact.")
@click.option("--data", type=PATH, help="With --synthetic: labelled JSONL (default: the held-out split).")
@click.option("--json", "json_output", is_flag=True, help="Print the report as JSON.")
def evaluate(corpus: Path, synthetic: bool, model: Path | None, data: Path | None, json_output: bool) -> None:
    """Accuracy on real documents (the dev split) beside the sample batch; --synthetic for the
    written sentences' held-out split or your own labelled JSONL."""
    if synthetic or data is not None or model is not None:
        _synthetic_report(model, data, json_output)
        return
    from foialens.flows.evaluation import evaluate_all

    settings = make_settings()
    with console.status("extracting and tagging the real documents (OCR of scans is cached after the first run)"):
        report = evaluate_all(settings.cache_dir, corpus, settings.cache_dir / "sample-batch", settings.spacy_model)
    if json_output:
        print(report.model_dump_json(indent=1))
        return
    _print_evaluation(report)


def _print_evaluation(report) -> None:
    from foialens.models.records import CLAUSE_LABELS

    real, sample = report.real, report.sample
    from rich.table import Table
    table = Table(title="Clause labels: real documents (dev split) | sample batch")
    for col in ("label", "real P", "real R", "real F1", "real n", "sample P", "sample R", "sample F1", "sample n"):
        table.add_column(col, justify="left" if col == "label" else "right")
    for label in CLAUSE_LABELS:
        r, s = (real.labels[label] if real else None), sample.labels[label]
        cells = [f"{r.precision:.2f}", f"{r.recall:.2f}", f"{r.f1:.2f}", str(r.support)] if r else ["-"] * 4
        table.add_row(label, *cells, f"{s.precision:.2f}", f"{s.recall:.2f}", f"{s.f1:.2f}", str(s.support))
    console.print(table)
    console.print(f"model: {report.model} (trained without the dev documents)")
    if real is None:
        console.print(f"[yellow]no real-document report: {report.real_missing}[/yellow]")
        return
    hn = real.hard_negative_errors / real.hard_negatives if real.hard_negatives else 0.0
    console.print(f"hard negatives given a wrong label: {real.hard_negative_errors} of {real.hard_negatives} ({hn:.1%})")
    console.print(f"clause tags per 1,000 words, all real documents: {real.tags_per_1000_words}")
    console.print(f"ICE tags on documents without ICE content: {real.ice_tags_without_ice_content or 'none'}")
    console.print(f"vendors per document (dev): P {real.vendors.precision:.2f} R {real.vendors.recall:.2f}; "
                  f"federal agencies: P {real.agencies_federal.precision:.2f} R {real.agencies_federal.recall:.2f}; "
                  f"sample batch vendors P {sample.vendors.precision:.2f} R {sample.vendors.recall:.2f}")
    if real.programs is not None:
        p = real.programs
        console.print(f"programs per document (dev, {p.documents} documents): P {p.precision:.2f} R {p.recall:.2f} "
                      f"(tp {p.tp}, fp {p.fp}, fn {p.fn}){'; ' + ', '.join(p.errors) if p.errors else ''}")
        for name, s in real.programs_per_document.items():
            console.print(f"  {name}: P {s.precision:.2f} R {s.recall:.2f}"
                          + (f" ({', '.join(e.split(': ', 1)[1] for e in s.errors)})" if s.errors else ""))
    console.print(f"pages OCR'd: {real.ocr_pages}; pages without a text layer: {real.image_only_pages}; "
                  f"text-layer documents OCR'd: {real.text_layer_documents_ocred or 'none'}")
    flagship = [c.doc for c in real.checks if c.flagship_found is False]
    console.print(f"sharing reports and contracts without their vendor: {flagship or 'none'}")


def _synthetic_report(model: Path | None, data: Path | None, json_output: bool) -> None:
    from foialens.models.evaluation import evaluate
    from foialens.models.training import artifact_path

    model = model or artifact_path(make_settings().cache_dir)
    if not model.exists():
        fail(f"no model at {model}; run `foialens train` first")
    report = evaluate(model, data)
    if json_output:
        print(report.model_dump_json(indent=1))
        return
    from rich.table import Table
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
