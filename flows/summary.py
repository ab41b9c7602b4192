"""Batch summary: what a batch contained and what went wrong, as JSON and markdown, and how a
batch compares with the batches ingested before it (new vendors, agencies, data types; clause
count changes)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from foialens.flows.results import DocumentResult


class Failure(BaseModel):
    path: str
    code: str
    message: str


class CountChange(BaseModel):
    before: int  # in the previous batch
    now: int

    @property
    def delta(self) -> int:
        return self.now - self.before


class BatchComparison(BaseModel):
    """This batch against the batches started before it (same data directory)."""

    earlier: list[str] = Field(default_factory=list)  # batch names, oldest first
    previous: str | None = None  # the most recent earlier batch: clause counts compare with it
    new_vendors: list[str] = Field(default_factory=list)  # never seen in an earlier batch
    new_agencies: list[str] = Field(default_factory=list)
    new_data_types: list[str] = Field(default_factory=list)
    new_clause_labels: list[str] = Field(default_factory=list)
    clause_changes: dict[str, CountChange] = Field(default_factory=dict)  # label -> previous/now
    exemption_changes: dict[str, CountChange] = Field(default_factory=dict)


class BatchSummary(BaseModel):
    batch: str
    started_at: datetime
    finished_at: datetime | None = None
    seconds: float = 0.0
    backend: str = "sqlite"
    documents: int = 0  # files seen in this run
    processed: int = 0  # extracted and tagged in this run
    unchanged: int = 0  # already processed with this pipeline version: reused
    failed: list[Failure] = Field(default_factory=list)
    pages: int = 0
    pages_indexed: int = 0
    pages_ocr: int = 0
    vendors: dict[str, int] = Field(default_factory=dict)  # id -> documents mentioning it
    data_types: dict[str, int] = Field(default_factory=dict)
    agencies: dict[str, int] = Field(default_factory=dict)
    clauses: dict[str, int] = Field(default_factory=dict)  # label -> clause count
    exemptions: dict[str, int] = Field(default_factory=dict)  # code -> occurrences
    redacted_share: float = 0.0  # share of page area under redaction boxes, whole batch
    doc_ids: list[str] = Field(default_factory=list)
    comparison: BatchComparison | None = None
    extract_workers: int = 1  # documents extracted at once in this run
    duplicates: int = 0  # files skipped because the same content came earlier in the batch
    flow_run_id: str | None = None  # the Prefect flow run that made this summary (its artifacts)

    @property
    def ok(self) -> bool:
        return not self.failed


def _changes(before: dict[str, int], now: dict[str, int]) -> dict[str, CountChange]:
    keys = sorted(set(before) | set(now))
    return {
        k: CountChange(before=before.get(k, 0), now=now.get(k, 0))
        for k in keys
        if before.get(k, 0) != now.get(k, 0)
    }


def compare_batches(current: BatchSummary, earlier: Iterable[BatchSummary]) -> BatchComparison:
    """Compare ``current`` with the batches that started before it (other names only: a re-run
    of the same batch replaces its summary). New ids are those no earlier batch had; clause and
    exemption counts are compared with the most recent earlier batch (all zero without one)."""
    before = sorted(
        (b for b in earlier if b.batch != current.batch and b.started_at < current.started_at),
        key=lambda b: b.started_at,
    )
    seen = {key: set() for key in ("vendors", "agencies", "data_types", "clauses")}
    for b in before:
        for key, ids in seen.items():
            ids.update(getattr(b, key))

    def new(key: str) -> list[str]:
        return [k for k in getattr(current, key) if k not in seen[key]]

    previous = before[-1] if before else None
    return BatchComparison(
        earlier=[b.batch for b in before],
        previous=previous.batch if previous else None,
        new_vendors=new("vendors"),
        new_agencies=new("agencies"),
        new_data_types=new("data_types"),
        new_clause_labels=new("clauses"),
        clause_changes=_changes(previous.clauses if previous else {}, current.clauses),
        exemption_changes=_changes(previous.exemptions if previous else {}, current.exemptions),
    )


def load_summaries(batches_dir: Path) -> list[BatchSummary]:
    """Every stored batch summary, oldest first; unreadable files are skipped."""
    out = []
    if batches_dir.is_dir():
        for path in batches_dir.glob("*.json"):
            try:
                out.append(BatchSummary.model_validate(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue
    return sorted(out, key=lambda b: b.started_at)


class SummaryBuilder:
    """Accumulates a batch summary one document at a time (the flow does not keep every
    document's result in memory)."""

    def __init__(self, batch: str, started_at: datetime, backend: str = "sqlite"):
        self.batch, self.started_at, self.backend = batch, started_at, backend
        self.vendors: Counter[str] = Counter()
        self.data_types: Counter[str] = Counter()
        self.agencies: Counter[str] = Counter()
        self.clauses: Counter[str] = Counter()
        self.exemptions: Counter[str] = Counter()
        self.failed: list[Failure] = []
        self.documents = self.processed = self.unchanged = 0
        self.pages = self.pages_ocr = self.pages_indexed = 0
        self.area = self.covered = 0.0
        self.doc_ids: list[str] = []
        self.extract_workers = 1
        self.duplicates = 0
        self.rows: list[dict] = []  # one small row per document, for the table artifact

    def add_problem(self, problem: dict) -> None:
        """A document that yielded no result: an input that is not a readable PDF at all (from
        discovery) or one whose extraction or tagging raised even after the task's retries."""
        self.documents += 1
        self.add_failure(problem["path"], problem["code"], problem["message"])
        self.rows.append({"file": Path(problem["path"]).name, "pages": 0, "pages_ocr": 0,
                          "status": problem["code"], "vendors": "", "clauses": ""})

    def add_failure(self, path: str, code: str, message: str) -> None:
        """A failure of a document already counted (e.g. its pages could not be indexed)."""
        self.failed.append(Failure(path=path, code=code, message=message))

    def add(self, r: DocumentResult, reused: bool = False) -> None:
        ex = r.extracted
        self.documents += 1
        if reused:
            self.unchanged += 1
        else:
            self.processed += 1
        fatal = [e for e in ex.errors if e.fatal]
        if fatal:
            self.failed.append(Failure(path=ex.path, code=fatal[0].code, message=fatal[0].message))
        self.vendors.update(t.id for t in r.tags.vendors)
        self.data_types.update(t.id for t in r.tags.data_types)
        self.agencies.update(t.id for t in r.tags.agencies)
        self.clauses.update(c.label for c in r.tags.clauses)
        self.exemptions.update(e.code for p in ex.pages for e in p.exemptions)
        self.pages += ex.page_count
        self.pages_ocr += len(ex.pages_ocr)
        for p in ex.pages:
            self.area += p.width * p.height
            self.covered += p.redacted_share * p.width * p.height
        if r.doc_id:
            self.doc_ids.append(r.doc_id)
        self.rows.append({
            "file": Path(ex.path).name,
            "pages": ex.page_count,
            "pages_ocr": len(ex.pages_ocr),
            "status": fatal[0].code if fatal else ("unchanged" if reused else "processed"),
            "vendors": ", ".join(t.id for t in r.tags.vendors),
            "clauses": ", ".join(sorted({c.label for c in r.tags.clauses})),
        })

    def finish(self) -> BatchSummary:
        finished = datetime.now(self.started_at.tzinfo)
        return BatchSummary(
            batch=self.batch,
            started_at=self.started_at,
            finished_at=finished,
            seconds=round((finished - self.started_at).total_seconds(), 2),
            backend=self.backend,
            documents=self.documents,
            processed=self.processed,
            unchanged=self.unchanged,
            failed=self.failed,
            pages=self.pages,
            pages_indexed=self.pages_indexed,
            pages_ocr=self.pages_ocr,
            vendors=dict(self.vendors.most_common()),
            data_types=dict(self.data_types.most_common()),
            agencies=dict(self.agencies.most_common()),
            clauses=dict(self.clauses.most_common()),
            exemptions=dict(self.exemptions.most_common()),
            redacted_share=round(self.covered / self.area, 4) if self.area else 0.0,
            doc_ids=self.doc_ids,
            extract_workers=self.extract_workers,
            duplicates=self.duplicates,
        )


def to_markdown(s: BatchSummary) -> str:
    def table(title: str, counts: dict[str, int]) -> str:
        if not counts:
            return f"**{title}:** none\n"
        rows = "\n".join(f"| {k} | {v} |" for k, v in counts.items())
        return f"**{title}**\n\n| id | count |\n|---|---|\n{rows}\n"

    lines = [
        f"# Batch `{s.batch}`",
        "",
        f"- documents: {s.documents} (processed {s.processed}, unchanged {s.unchanged}, "
        f"failed {len(s.failed)})",
        f"- pages: {s.pages} (OCR {s.pages_ocr}, indexed {s.pages_indexed})",
        f"- redacted share of page area: {s.redacted_share:.1%}",
        f"- wall time: {s.seconds:.1f} s, backend: {s.backend}",
        "",
        table("Vendors (documents)", s.vendors),
        table("Data types (documents)", s.data_types),
        table("Agencies (documents)", s.agencies),
        table("Clauses", s.clauses),
        table("Exemptions", s.exemptions),
    ]
    if s.failed:
        lines.append("**Failures**\n\n| file | reason | detail |\n|---|---|---|")
        lines += [f"| {_cell(f.path)} | {f.code} | {_cell(f.message)} |" for f in s.failed]
        lines.append("")
    if s.comparison is not None:
        lines.append(comparison_markdown(s.comparison))
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def comparison_markdown(c: BatchComparison) -> str:
    if not c.earlier:
        return "**Compared with earlier batches:** this is the first batch in the data directory.\n"

    def ids(values: list[str]) -> str:
        return ", ".join(f"`{v}`" for v in values) or "none"

    lines = [
        f"**Compared with earlier batches** ({len(c.earlier)}; clause counts against `{c.previous}`)",
        "",
        f"- new vendors: {ids(c.new_vendors)}",
        f"- new agencies: {ids(c.new_agencies)}",
        f"- new data types: {ids(c.new_data_types)}",
        f"- new clause labels: {ids(c.new_clause_labels)}",
        "",
    ]
    if c.clause_changes:
        lines += ["| clause | previous | now | change |", "|---|---|---|---|"]
        lines += [f"| {k} | {v.before} | {v.now} | {v.delta:+d} |" for k, v in c.clause_changes.items()]
    else:
        lines.append("Clause counts unchanged.")
    return "\n".join(lines) + "\n"

