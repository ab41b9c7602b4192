"""Batch summaries: what a batch contained and what went wrong, as JSON (``<data_dir>/batches/``)
and markdown, and how a batch compares with the batches ingested before it (new vendors,
agencies, data types; clause count changes). ``flows.summary.SummaryBuilder`` fills them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field

from foialens.files import safe_text


class Failure(BaseModel):
    path: str
    code: str
    message: str


class PageFailure(BaseModel):
    """A page that could not be (fully) extracted in an otherwise processed document."""

    path: str
    page: int
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


class IceFlow(BaseModel):
    """A data flow to ICE/DHS immigration enforcement found in the batch, with its evidence."""

    source_id: str
    source_name: str
    recipient_id: str
    recipient_name: str
    kind: str
    data_type: str = ""
    vendor: str = ""
    doc_id: str
    path: str
    page: int
    text: str


class SearchAlert(BaseModel):
    """A saved search that matches pages of this batch."""

    search_id: str
    name: str
    text: str = ""
    filters: dict[str, list[str]] = Field(default_factory=dict)
    pages: int
    first: list[dict] = Field(default_factory=list)  # up to 5 {doc_id, page, title}


IMMIGRATION_AGENCIES = frozenset({"dhs", "ice", "hsi", "ero", "cbp", "usbp", "uscis"})
ICE_FLOWS_KEPT = 500  # flows listed in a summary (all are counted)
ICE_FLOWS_SHOWN = 20  # in the markdown


class BatchSummary(BaseModel):
    batch: str
    # when the ingest was asked for (upload received, command started, folder settled), when the
    # batch run itself started, and when its summary was made: ``seconds`` is the wall time from
    # queued (or started, for summaries written before queued_at existed) to finished,
    # ``processing_seconds`` the part after the run started
    queued_at: datetime | None = None
    started_at: datetime
    finished_at: datetime | None = None
    seconds: float = 0.0
    processing_seconds: float | None = None
    backend: str = "sqlite"
    documents: int = 0  # files seen in this run
    processed: int = 0  # extracted and tagged in this run
    unchanged: int = 0  # already processed with this pipeline version: reused
    failed: list[Failure] = Field(default_factory=list)
    # pages of processed documents that could not be (fully) extracted: page_too_large,
    # page_failed, ocr_failed, ocr_unavailable, timeout
    page_errors: list[PageFailure] = Field(default_factory=list)
    # grant relations whose recipient is ICE/DHS immigration enforcement (or an agency under it)
    ice_flows: list[IceFlow] = Field(default_factory=list)
    ice_flows_total: int = 0
    pages: int = 0
    pages_indexed: int = 0
    pages_ocr: int = 0
    vendors: dict[str, int] = Field(default_factory=dict)  # id -> documents mentioning it
    data_types: dict[str, int] = Field(default_factory=dict)
    agencies: dict[str, int] = Field(default_factory=dict)
    programs: dict[str, int] = Field(default_factory=dict)  # government programs and systems
    clauses: dict[str, int] = Field(default_factory=dict)  # label -> clause count
    exemptions: dict[str, int] = Field(default_factory=dict)  # code -> occurrences
    redacted_share: float = 0.0  # share of page area under redaction boxes, whole batch
    doc_ids: list[str] = Field(default_factory=list)
    comparison: BatchComparison | None = None
    extract_workers: int = 1  # documents extracted at once in this run
    workers: int = 0  # `foialens worker` processes the documents went to (0: the run's own process)
    duplicates: int = 0  # files skipped because the same content came earlier in the batch
    flow_run_id: str | None = None  # the Prefect flow run that made this summary (its artifacts)
    # display names of the ids above: facet field ("vendors", ...) -> id -> name
    names: dict[str, dict[str, str]] = Field(default_factory=dict)
    alerts: list[SearchAlert] = Field(default_factory=list)  # saved searches matching this batch

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


def timestamp() -> str:
    return datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")


def clean_batch_name(raw: str | None) -> str:
    """A user-given batch name with whitespace collapsed, unprintable characters dropped, at
    most 100 characters ("" when nothing is left)."""
    name = " ".join((raw or "").split())[:100]
    return "".join(ch for ch in name if ch.isprintable())


def default_batch_name(paths: list[str], given: str | None = None, prefix: str = "batch") -> str:
    """The given name (cleaned) or, for a single folder, its name, else ``<prefix>-<UTC time>``."""
    name = clean_batch_name(given)
    if name:
        return name
    if len(paths) == 1 and Path(paths[0]).is_dir():
        return safe_text(Path(paths[0]).resolve().name)
    return f"{prefix}-{timestamp()}"


def summary_file_name(batch: str) -> str:
    """The file a batch's summary is stored in: its name as a slug ("ICLI 2019" -> icli-2019.json)."""
    return batch_slug(batch) + ".json"


def batch_slug(batch: str) -> str:
    """URL- and file-safe form of a batch name (also the web UI's /batches/<slug>)."""
    return _SLUG.sub("-", batch.lower()).strip("-") or "batch"


_SLUG = re.compile(r"[^a-z0-9]+")


def read_summaries(batches_dir: Path) -> list[BatchSummary]:
    """Every stored batch summary, oldest first; unreadable files are skipped."""
    out = []
    if batches_dir.is_dir():
        for path in batches_dir.glob("*.json"):
            try:
                out.append(BatchSummary.model_validate(json.loads(path.read_text(encoding="utf-8"))))
            except (OSError, ValueError):
                continue
    return sorted(out, key=lambda b: b.started_at)


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
    if s.ice_flows_total:
        sources = len({f.source_id for f in s.ice_flows})
        lines.append(f"**Data flows to ICE/DHS found in this batch:** {s.ice_flows_total} relations from "
                     f"{sources}{'+' if s.ice_flows_total > len(s.ice_flows) else ''} sources\n")
        lines.append("| source | recipient | data | via | evidence |\n|---|---|---|---|---|")
        lines += [f"| {_cell(f.source_name)} | {_cell(f.recipient_name)} | {f.kind} {f.data_type} | {f.vendor or '-'} | "
                  f"{_cell(Path(f.path).name)} p.{f.page}: {_cell(f.text[:120])} |" for f in s.ice_flows[:ICE_FLOWS_SHOWN]]
        if s.ice_flows_total > ICE_FLOWS_SHOWN:
            lines.append(f"\n... and {s.ice_flows_total - ICE_FLOWS_SHOWN} more (`foialens network --to ice --batch ...`)")
        lines.append("")
    if s.alerts:
        lines.append(f"**Saved searches matching this batch** ({len(s.alerts)})\n")
        lines += [f"- {_cell(a.name)}: {a.pages} page{'' if a.pages == 1 else 's'}" for a in s.alerts]
        lines.append("")
    if s.page_errors:
        lines.append(f"**Page errors** ({len(s.page_errors)})\n\n| file | page | reason | detail |\n|---|---|---|---|")
        lines += [f"| {_cell(e.path)} | {e.page} | {e.code} | {_cell(e.message)} |"
                  for e in s.page_errors[:PAGE_ERRORS_SHOWN]]
        if len(s.page_errors) > PAGE_ERRORS_SHOWN:
            lines.append(f"\n... and {len(s.page_errors) - PAGE_ERRORS_SHOWN} more (all in the batch JSON)")
        lines.append("")
    if s.comparison is not None:
        lines.append(comparison_markdown(s.comparison))
    return "\n".join(lines) + "\n"


PAGE_ERRORS_SHOWN = 200  # rows of the markdown table (the JSON has them all)


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

