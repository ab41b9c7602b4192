"""Batch summary: what a batch contained and what went wrong, as JSON and markdown."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from pydantic import BaseModel, Field

from flows.results import DocumentResult


class Failure(BaseModel):
    path: str
    code: str
    message: str


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

    @property
    def ok(self) -> bool:
        return not self.failed


def summarise(
    batch: str,
    started_at: datetime,
    results: list[DocumentResult],
    problems: list[dict],
    unchanged: int,
    pages_indexed: int,
    backend: str,
) -> BatchSummary:
    vendors: Counter[str] = Counter()
    data_types: Counter[str] = Counter()
    agencies: Counter[str] = Counter()
    clauses: Counter[str] = Counter()
    exemptions: Counter[str] = Counter()
    failed = [Failure(**p) for p in problems]
    area = covered = 0.0
    for r in results:
        ex = r.extracted
        fatal = [e for e in ex.errors if e.fatal]
        if fatal:
            failed.append(Failure(path=ex.path, code=fatal[0].code, message=fatal[0].message))
        vendors.update(t.id for t in r.tags.vendors)
        data_types.update(t.id for t in r.tags.data_types)
        agencies.update(t.id for t in r.tags.agencies)
        clauses.update(c.label for c in r.tags.clauses)
        exemptions.update(e.code for p in ex.pages for e in p.exemptions)
        for p in ex.pages:
            area += p.width * p.height
            covered += p.redacted_share * p.width * p.height
    finished = datetime.now(started_at.tzinfo)
    return BatchSummary(
        batch=batch,
        started_at=started_at,
        finished_at=finished,
        seconds=round((finished - started_at).total_seconds(), 2),
        backend=backend,
        documents=len(results) + len(problems),
        processed=len(results) - unchanged,
        unchanged=unchanged,
        failed=failed,
        pages=sum(r.extracted.page_count for r in results),
        pages_indexed=pages_indexed,
        pages_ocr=sum(len(r.extracted.pages_ocr) for r in results),
        vendors=dict(vendors.most_common()),
        data_types=dict(data_types.most_common()),
        agencies=dict(agencies.most_common()),
        clauses=dict(clauses.most_common()),
        exemptions=dict(exemptions.most_common()),
        redacted_share=round(covered / area, 4) if area else 0.0,
        doc_ids=[r.doc_id for r in results if r.doc_id],
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
        lines += [f"| {f.path} | {f.code} | {f.message} |" for f in s.failed]
    return "\n".join(lines) + "\n"
