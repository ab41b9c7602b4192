"""SummaryBuilder: a batch summary (``foialens.store.batches.BatchSummary``) accumulated one
document at a time, so the flow never keeps every document's result in memory."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from pathlib import Path

from foialens.store.batches import ICE_FLOWS_KEPT, IMMIGRATION_AGENCIES, BatchSummary, Failure, IceFlow, PageFailure
from foialens.store.results import DocumentResult


class SummaryBuilder:
    """Accumulates a batch summary one document at a time (the flow does not keep every
    document's result in memory)."""

    def __init__(self, batch: str, started_at: datetime, backend: str = "sqlite", queued_at: datetime | None = None):
        self.batch, self.started_at, self.backend = batch, started_at, backend
        self.queued_at = queued_at if queued_at is not None and queued_at <= started_at else None
        self.workers = 0  # `foialens worker` processes the documents went to (0: this process)
        self.vendors: Counter[str] = Counter()
        self.data_types: Counter[str] = Counter()
        self.agencies: Counter[str] = Counter()
        self.programs: Counter[str] = Counter()
        self.clauses: Counter[str] = Counter()
        self.exemptions: Counter[str] = Counter()
        self.failed: list[Failure] = []
        self.page_errors: list[PageFailure] = []
        self.documents = self.processed = self.unchanged = 0
        self.pages = self.pages_ocr = self.pages_indexed = 0
        self.area = self.covered = 0.0
        self.doc_ids: list[str] = []
        self.extract_workers = 1
        self.duplicates = 0
        self.rows: list[dict] = []  # one small row per document, for the table artifact
        self.ice_flows: list[IceFlow] = []
        self.ice_flows_total = 0
        self.names: dict[str, dict[str, str]] = {}

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
        self.page_errors += [PageFailure(path=ex.path, page=e.page, code=e.code, message=e.message)
                             for e in ex.errors if not e.fatal]
        self.vendors.update(t.id for t in r.tags.vendors)
        self.data_types.update(t.id for t in r.tags.data_types)
        self.agencies.update(t.id for t in r.tags.agencies)
        self.programs.update(t.id for t in r.tags.programs)
        for field, names in r.names().items():
            self.names.setdefault(field, {}).update(names)
        self.clauses.update(c.label for c in r.tags.clauses)
        for rel in r.tags.relations:
            if rel.polarity == "grant" and IMMIGRATION_AGENCIES & set(rel.recipient.path or [rel.recipient.id]):
                self.ice_flows_total += 1
                if len(self.ice_flows) < ICE_FLOWS_KEPT:
                    self.ice_flows.append(IceFlow(
                        source_id=rel.source.id, source_name=rel.source.name, recipient_id=rel.recipient.id,
                        recipient_name=rel.recipient.name, kind=rel.kind, data_type=rel.data_type or "",
                        vendor=rel.platform_vendor or "", doc_id=r.doc_id, path=ex.path, page=rel.evidence.page,
                        text=rel.evidence.text))
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
            queued_at=self.queued_at,
            started_at=self.started_at,
            finished_at=finished,
            # wall time: from when the ingest was asked for (queued) to this summary
            seconds=round((finished - (self.queued_at or self.started_at)).total_seconds(), 2),
            processing_seconds=round((finished - self.started_at).total_seconds(), 2),
            workers=self.workers,
            backend=self.backend,
            documents=self.documents,
            processed=self.processed,
            unchanged=self.unchanged,
            failed=self.failed,
            page_errors=self.page_errors,
            pages=self.pages,
            pages_indexed=self.pages_indexed,
            pages_ocr=self.pages_ocr,
            vendors=dict(self.vendors.most_common()),
            data_types=dict(self.data_types.most_common()),
            agencies=dict(self.agencies.most_common()),
            programs=dict(self.programs.most_common()),
            clauses=dict(self.clauses.most_common()),
            exemptions=dict(self.exemptions.most_common()),
            redacted_share=round(self.covered / self.area, 4) if self.area else 0.0,
            doc_ids=self.doc_ids,
            extract_workers=self.extract_workers,
            duplicates=self.duplicates,
            names=self.names,
            ice_flows=self.ice_flows,
            ice_flows_total=self.ice_flows_total,
        )
