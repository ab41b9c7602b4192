"""DocumentResult: everything the pipeline learned about one file, and the views derived from it
(the `analyze --json` output contract and the page records that go to the search index)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from pydantic import BaseModel, Field

from foialens.extractors.records import ExtractedDocument, Redaction
from foialens.models.context import document_year
from foialens.models.gazetteer import display_name
from foialens.models.records import DocumentTags
from foialens.search.records import PageRecord, RelationRecord

ENTITY_FIELDS = ("vendors", "data_types", "agencies", "programs")


def redaction_tags(redactions: list[Redaction]) -> list[str]:
    """Search tags of a page's redaction boxes: "redacted", plus "text_under_box" for bad ones."""
    tags = ["redacted"] if redactions else []
    if any(r.text_underneath for r in redactions):
        tags.append("text_under_box")
    return tags


class DocumentResult(BaseModel):
    pipeline_version: str
    batch: str  # the first batch the document came in
    # every batch the document came in, in order (a document can be in overlapping batches);
    # empty in results stored before this field existed: then just ``batch``
    batches: list[str] = Field(default_factory=list)
    extracted: ExtractedDocument
    tags: DocumentTags = Field(default_factory=DocumentTags)
    processed_at: datetime = Field(default_factory=lambda: datetime.now(timezone.utc))

    @property
    def doc_id(self) -> str:
        return self.extracted.doc_id

    @property
    def failed(self) -> bool:
        return self.extracted.failed

    @property
    def all_batches(self) -> list[str]:
        return list(dict.fromkeys(self.batches or ([self.batch] if self.batch else [])))

    def in_batch(self, batch: str) -> DocumentResult:
        """This result as a member of ``batch`` too (itself when it already is)."""
        if batch in self.all_batches:
            return self
        return self.model_copy(update={"batch": self.batch or batch, "batches": [*self.all_batches, batch]})

    @property
    def title(self) -> str:
        return self.extracted.title or Path(self.extracted.path).name

    @property
    def year(self) -> str:
        """Most frequent plausible year on the first two pages ("" when none)."""
        return document_year([(p.page, p.text) for p in self.extracted.pages[:2]])

    def names(self) -> dict[str, dict[str, str]]:
        """Display names of the document's entity ids, by facet field (for labels)."""
        out = {field: {t.id: t.name for t in getattr(self.tags, field)} for field in ENTITY_FIELDS}
        for t in self.tags.programs:  # a page naming JEM is found under "287g" too: name it
            for parent in t.parents:
                out["programs"].setdefault(parent, display_name("program", parent))
        return out

    def contract(self) -> dict:
        """The stable `analyze --json` object (README, "Output contract")."""
        ex, tags = self.extracted, self.tags

        def entities(items):
            return [
                {"id": t.id, "name": t.name, "mentions": [m.model_dump() for m in t.mentions]}
                for t in items
            ]

        return {
            "doc_id": ex.doc_id,
            "path": ex.path,
            "title": self.title,
            "pages": ex.page_count,
            "batch": self.batch,
            "batches": self.all_batches,
            "pages_ocr": ex.pages_ocr,
            "ocr_confidence": {
                str(p.page): p.ocr_confidence for p in ex.pages if p.ocr_confidence is not None
            },
            "errors": [e.model_dump() for e in ex.errors],
            "vendors": entities(tags.vendors),
            "data_types": entities(tags.data_types),
            "agencies": entities(tags.agencies),
            "programs": entities(tags.programs),
            "clauses": [c.model_dump() for c in tags.clauses],
            "key_clauses": [c.model_dump() for c in tags.key_clauses],
            "relations": [r.model_dump() for r in tags.relations],
            "kind": tags.kind,
            "exemptions": [
                e.model_dump(exclude_none=True) for p in ex.pages for e in p.exemptions
            ],
            "bates": [b.text for p in ex.pages for b in p.bates],
            "redactions": [
                {"page": r.page, "bbox": list(r.bbox), "source": r.source,
                 "text_underneath": r.text_underneath}
                for p in ex.pages for r in p.redactions
            ],
            "redacted_share": round(ex.redacted_share, 4),
            "pipeline_version": self.pipeline_version,
        }

    def relation_records(self) -> list[RelationRecord]:
        """The document's data-sharing relations as search records (with the document's
        path, title, batch and year, and each agency's path up the hierarchy)."""
        out = []
        for n, r in enumerate(self.tags.relations):
            out.append(RelationRecord(
                doc_id=self.doc_id, n=n, path=self.extracted.path, title=self.title, batch=self.batch,
                year=self.year, page=r.evidence.page, source_id=r.source.id, source_name=r.source.name,
                recipient_id=r.recipient.id, recipient_name=r.recipient.name,
                source_path=r.source.path or [r.source.id], recipient_path=r.recipient.path or [r.recipient.id],
                data_type=r.data_type or "", platform_vendor=r.platform_vendor or "", kind=r.kind,
                direction=r.direction, polarity=r.polarity, as_of=r.as_of or "", section=r.section or "",
                text=r.evidence.text, bbox=list(r.evidence.bbox) if r.evidence.bbox else None,
                via=r.via, source_level=r.source.level or "", recipient_level=r.recipient.level or "",
                source_jurisdictions=r.source.jurisdictions, recipient_jurisdictions=r.recipient.jurisdictions,
                jurisdiction=r.jurisdiction or "", covers=r.covers, recipient_classes=r.recipient_classes,
                purpose=r.purpose or "", citation=r.citation or "",
            ))
        return out

    def page_records(self) -> list[PageRecord]:
        """One search record per page that has text or tags."""
        year = self.year
        records = []
        for page in self.extracted.pages:
            ids = self.tags.page_ids(page.page)
            records.append(
                PageRecord(
                    doc_id=self.doc_id,
                    page=page.page,
                    path=self.extracted.path,
                    title=self.title,
                    batch=self.batch,
                    batches=self.all_batches,
                    year=year,
                    text=page.text,
                    method=page.method,
                    ocr_confidence=page.ocr_confidence,
                    exemptions=sorted({e.code for e in page.exemptions}),
                    redactions=redaction_tags(page.redactions),
                    **ids,
                )
            )
        return records


_KINDS = {"vendors": "vendor", "data_types": "data_type", "agencies": "agency", "programs": "program"}


def gazetteer_name(field: str, tag_id: str) -> str | None:
    """The gazetteer's display name of an entity id (e.g. "doj", a parent agency that pages are
    tagged with but no document named), None when it has none."""
    from foialens.models.gazetteer import display_name

    kind = _KINDS.get(field)
    if kind is None:
        return None
    try:
        return display_name(kind, tag_id)
    except KeyError:
        return None
