"""Accuracy on real documents, beside the sample batch: what ``foialens evaluate`` reports.

Each labelled real document (models/data/real/, read from a corpus folder and matched by sha256)
goes through the real pipeline: extraction (cached per file and extractor version in
``<cache_dir>/eval/``, since OCR of the scanned ones takes minutes) and the tagger under test.
The scores are computed by the pure functions of ``foialens.models.tag_accuracy``.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from pathlib import Path

from pydantic import BaseModel, Field

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument
from foialens.files import write_atomic
from foialens.flows.pipeline import tag_document
from foialens.models.real_data import RealDocument, documents, relations, sentences
from foialens.models.records import CLAUSE_LABELS, DocumentTags
from foialens.models.tag_accuracy import (
    ClauseLabelScore,
    RelationScore,
    TagScore,
    score_clauses,
    score_documents,
    score_relations,
)
from foialens.models.tagger import Tagger

ICE_LABELS = ("ice_access", "ice_restriction")
FLAGSHIP_KINDS = ("sharing_report", "vendor_contract")  # the vendor must be found in these


def extractor_version() -> str:
    """Hash of the extractors' source: cached extractions are redone when it changes."""
    digest = hashlib.sha256()
    folder = Path(extract_document.__code__.co_filename).parent
    for path in sorted(folder.glob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def extract_cached(path: Path, cache_dir: Path, limits: ExtractLimits | None = None) -> ExtractedDocument:
    key = hashlib.sha256(path.read_bytes()).hexdigest()
    target = cache_dir / "eval" / f"{key}-{extractor_version()}.json"
    if target.is_file():
        return ExtractedDocument.model_validate_json(target.read_text(encoding="utf-8"))
    doc = extract_document(path, limits or ExtractLimits(max_seconds=3600))
    write_atomic(target, doc.model_dump_json())
    return doc


class DocumentCheck(BaseModel):
    doc: str
    kind: str
    split: str
    words: int
    pages: int
    pages_ocr: int  # pages the pipeline OCR'd
    pages_image_only: int  # pages without a usable text layer (fewer than 20 characters)
    clause_tags: int
    ice_tags: int
    has_ice_content: bool | None
    vendors_missed: list[str]
    vendors_extra: list[str]
    flagship_found: bool | None  # sharing reports and contracts: the gold vendor(s) found
    agencies_federal_missed: list[str]
    agencies_federal_extra: list[str]
    agencies_local: list[str]  # predicted local/state agency names (for review)
    programs_missed: list[str] = Field(default_factory=list)  # documents with gold programs only
    programs_extra: list[str] = Field(default_factory=list)


class RealReport(BaseModel):
    corpus: str
    split: str
    documents: int
    labels: dict[str, ClauseLabelScore]  # on the split's labelled pages
    hard_negatives: int
    hard_negative_errors: int  # hard negatives given a label they do not have
    hard_negative_examples: list[str] = Field(default_factory=list)
    ice_tags_without_ice_content: dict[str, int]  # documents with no ICE content -> ICE tags
    tags_per_1000_words: float  # all documents of the corpus (every split), all pages
    vendors: TagScore
    agencies_federal: TagScore
    programs: TagScore | None = None  # the split's documents with gold programs, scored like vendors
    programs_per_document: dict[str, TagScore] = Field(default_factory=dict)
    ocr_pages: int
    image_only_pages: int
    text_layer_documents_ocred: list[str]  # documents without image-only pages that were OCR'd anyway
    checks: list[DocumentCheck]
    errors: dict[str, list[str]] = Field(default_factory=dict)  # per label: +FP / -FN sentences
    relations: dict[str, RelationScore] = Field(default_factory=dict)  # sharing reports (every split)
    relations_text_layer: RelationScore | None = None  # reports read from their text layer
    relations_scanned: RelationScore | None = None  # reports read mostly by OCR


def corpus_files(corpus: Path) -> dict[str, Path]:
    """Labelled documents found in ``corpus`` (by name, verified by sha256)."""
    out = {}
    for name, doc in documents().items():
        path = corpus / name
        if path.is_file() and hashlib.sha256(path.read_bytes()).hexdigest() == doc.sha256:
            out[name] = path
    return out


_IMAGE_ONLY_CHARS = 20


def _image_only(path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(path))
    try:
        count = 0
        for i in range(len(pdf)):
            page = pdf[i]
            text = page.get_textpage().get_text_range()
            count += len(re.sub(r"\s", "", text)) < _IMAGE_ONLY_CHARS
            page.close()
        return count
    finally:
        pdf.close()


def evaluate_real(corpus: Path, tagger: Tagger, cache_dir: Path, split: str = "dev") -> RealReport:
    files = corpus_files(corpus)
    if not files:
        raise FileNotFoundError(f"none of the labelled real documents are in {corpus}")
    gold = documents()
    gold_relations = relations()
    relation_scores: dict[str, RelationScore] = {}
    text_rows: list[RelationScore] = []
    scanned_rows: list[RelationScore] = []
    by_doc: dict[str, list] = {}
    for s in sentences():
        by_doc.setdefault(s.doc, []).append(s)
    scored: dict[str, tuple] = {}
    checks: list[DocumentCheck] = []
    total_words = total_tags = 0
    vendor_pairs: dict[str, tuple[set[str], set[str]]] = {}
    federal_pairs: dict[str, tuple[set[str], set[str]]] = {}
    program_pairs: dict[str, tuple[set[str], set[str]]] = {}
    hard = hard_errors = 0
    hard_examples: list[str] = []
    ice_without: dict[str, int] = {}
    ocr_pages = image_only_pages = 0
    ocred_text_docs: list[str] = []
    for name, path in sorted(files.items()):
        doc = gold[name]
        extracted = extract_cached(path, cache_dir)
        pages = [(p.page, p.text) for p in extracted.pages if p.text]
        tags = tag_document(extracted, tagger)
        words = sum(len(t.split()) for _, t in pages)
        ice_tags = sum(c.label in ICE_LABELS for c in tags.clauses)
        total_words += words
        total_tags += len(tags.clauses)
        image_only = _image_only(path)
        ocr_pages += len(extracted.pages_ocr)
        image_only_pages += image_only
        if image_only == 0 and extracted.pages_ocr:
            ocred_text_docs.append(f"{name}: {len(extracted.pages_ocr)} pages")
        if doc.has_ice_content is False and ice_tags:
            ice_without[name] = ice_tags
        checks.append(_check(doc, extracted, tags, words, image_only, ice_tags))
        gold_rows = [(g["section"], g["printed"]) for g in gold_relations if g["doc"] == name]
        if gold_rows:
            scored_rows = score_relations([(r.section or "", r.evidence.text) for r in tags.relations if r.section
                                           and not r.section.startswith("clause:")], gold_rows)
            relation_scores[name] = scored_rows
            (scanned_rows if len(extracted.pages_ocr) * 2 > len(extracted.pages) else text_rows).append(scored_rows)
        if doc.split != split:
            continue
        vendor_pairs[name] = ({t.id for t in tags.vendors}, set(doc.vendors))
        federal_pairs[name] = (_federal(tags), set(doc.agencies_federal) & FEDERAL)
        if doc.programs is not None:
            program_pairs[name] = ({t.id for t in tags.programs}, set(doc.programs))
        labelled = set(doc.pages_labelled)
        truth = [{"page": p, "clauses": [{"text": s.text, "labels": s.labels, "near_miss": s.hard_negative}
                                         for s in by_doc.get(name, []) if s.page == p]} for p in sorted(labelled)]
        predicted = [c for c in tags.clauses if c.page in labelled]
        scored[name] = (dict(pages), truth, predicted)
    score = score_clauses(scored, fuzzy=True)
    for m in score.clauses:
        if m.near_miss:
            hard += 1
            wrong = set(m.predicted) - set(m.truth)
            if wrong:
                hard_errors += 1
                hard_examples.append(f"{m.doc} p{m.page} +{','.join(sorted(wrong))}: {m.text[:160]}")
    return RealReport(
        corpus=str(corpus), split=split, documents=len(scored), labels=score.labels,
        hard_negatives=hard, hard_negative_errors=hard_errors, hard_negative_examples=hard_examples,
        ice_tags_without_ice_content=ice_without,
        tags_per_1000_words=round(1000 * total_tags / max(total_words, 1), 2),
        vendors=score_documents(vendor_pairs), agencies_federal=score_documents(federal_pairs),
        programs=score_documents(program_pairs) if program_pairs else None,
        programs_per_document={name: score_documents({name: pair}) for name, pair in sorted(program_pairs.items())},
        ocr_pages=ocr_pages, image_only_pages=image_only_pages, text_layer_documents_ocred=ocred_text_docs,
        checks=checks, errors={label: score.errors(label) for label in CLAUSE_LABELS},
        relations=relation_scores, relations_text_layer=_pooled(text_rows), relations_scanned=_pooled(scanned_rows),
    )


def _pooled(scores: list[RelationScore]) -> RelationScore | None:
    if not scores:
        return None
    tp, fp, fn = (sum(getattr(s, f) for s in scores) for f in ("tp", "fp", "fn"))
    return RelationScore(tp=tp, fp=fp, fn=fn, precision=round(tp / (tp + fp), 4) if tp + fp else 1.0,
                         recall=round(tp / (tp + fn), 4) if tp + fn else 1.0, errors=[])


# The federal agencies of the taxonomy (the agency gazetteer); others named in the gold are not scored.
FEDERAL = frozenset({"ice", "hsi", "ero", "dhs", "cbp", "usbp", "uscis", "fbi", "doj", "dea", "atf", "usms"})


def _federal(tags: DocumentTags) -> set[str]:
    return {t.id for t in tags.agencies if t.id in FEDERAL}


def _check(doc: RealDocument, extracted: ExtractedDocument, tags: DocumentTags, words: int, image_only: int,
           ice_tags: int) -> DocumentCheck:
    vendors = {t.id for t in tags.vendors}
    flagship = None
    if doc.kind in FLAGSHIP_KINDS and doc.vendors:
        flagship = set(doc.vendors) <= vendors if doc.kind == "sharing_report" else bool(set(doc.vendors) & vendors)
    federal = _federal(tags)
    return DocumentCheck(
        doc=doc.doc, kind=doc.kind, split=doc.split, words=words, pages=extracted.page_count,
        pages_ocr=len(extracted.pages_ocr), pages_image_only=image_only, clause_tags=len(tags.clauses),
        ice_tags=ice_tags, has_ice_content=doc.has_ice_content,
        vendors_missed=sorted(set(doc.vendors) - vendors), vendors_extra=sorted(vendors - set(doc.vendors)),
        flagship_found=flagship,
        agencies_federal_missed=sorted(set(doc.agencies_federal) & FEDERAL - federal),
        agencies_federal_extra=sorted(federal - set(doc.agencies_federal)),
        agencies_local=sorted(t.name for t in tags.agencies if t.id not in FEDERAL),
        programs_missed=sorted(set(doc.programs or ()) - {t.id for t in tags.programs}),
        programs_extra=sorted({t.id for t in tags.programs} - set(doc.programs)) if doc.programs is not None else [],
    )


# --- the sample batch, scored the same way -----------------------------------------------------


class SampleReport(BaseModel):
    documents: int
    labels: dict[str, ClauseLabelScore]
    near_misses_tagged_ice_access: list[str]
    vendors: TagScore
    data_types: TagScore


def sample_text_pages(batch: Path) -> dict[str, tuple[list[tuple[int, str]], list[dict]]]:
    """file -> (text-layer pages (number, text), their page_truth) of the sample batch."""
    import pypdfium2 as pdfium

    truth = json.loads((batch / "ground_truth.json").read_text())
    out = {}
    for doc in truth["documents"]:
        pdf = pdfium.PdfDocument(batch / doc["file"])
        kept = [pt for pt in doc["page_truth"] if not pt["scanned"]]
        pages = [(pt["page"], pdf[pt["page"] - 1].get_textpage().get_text_range()) for pt in kept]
        pdf.close()
        if pages:
            out[doc["file"]] = (pages, kept)
    return out


def evaluate_sample(batch: Path, tagger: Tagger) -> SampleReport:
    docs = sample_text_pages(batch)
    tagged = {name: (pages, truth, tagger.tag_pages(pages)) for name, (pages, truth) in docs.items()}
    facets = {}
    for facet in ("vendors", "data_types"):
        facets[facet] = score_documents({
            name: ({i for p, _ in pages for i in tags.page_ids(p)[facet]}, {i for pt in truth for i in pt[facet]})
            for name, (pages, truth, tags) in tagged.items()
        })
    score = score_clauses({name: (dict(pages), truth, tags.clauses) for name, (pages, truth, tags) in tagged.items()})
    return SampleReport(
        documents=len(docs), labels=score.labels,
        near_misses_tagged_ice_access=[f"{m.doc} p{m.page}: {m.text}" for m in score.near_misses_tagged("ice_access")],
        **facets,
    )


def label_counts(split: str | None = None) -> Counter:
    docs = documents()
    return Counter(label for s in sentences() if split is None or docs[s.doc].split == split for label in s.labels)


# --- the whole report: real dev split beside the sample batch -----------------------------------

EVAL_SPLITS = ("train",)  # what the model scored on the dev documents learned from


class Evaluation(BaseModel):
    model: str  # the artifact scored (trained without the dev documents)
    real: RealReport | None
    real_missing: str | None = None  # why there is no real-document report
    sample: SampleReport


def evaluate_all(cache_dir: Path, corpus: Path | None, sample_dir: Path, spacy_model: str | None = None) -> Evaluation:
    """The dev split of the real documents and the sample batch, scored by one clause model that
    never saw the dev documents (built into the cache directory on first use)."""
    from foialens.models.training import artifact_path, ensure_model

    path = artifact_path(cache_dir, real_splits=EVAL_SPLITS)
    model = ensure_model(path, real_splits=EVAL_SPLITS)
    if tuple(model.info.get("real_splits", ())) != EVAL_SPLITS:
        raise RuntimeError(f"{path} was trained on {model.info.get('real_splits')}, not {EVAL_SPLITS}: "
                           "dev scores would include documents the model learned from")
    tagger = Tagger(spacy_model=spacy_model, clause_model_path=path)
    real, missing = None, None
    if corpus is None or not corpus.is_dir():
        missing = f"no corpus folder at {corpus}" if corpus else "no corpus folder given"
    else:
        try:
            real = evaluate_real(corpus, tagger, cache_dir, split="dev")
        except FileNotFoundError as exc:
            missing = str(exc)
    from foialens.samples.generate import generate_sample_batch

    sample = evaluate_sample(generate_sample_batch(sample_dir), tagger)
    return Evaluation(model=str(path), real=real, real_missing=missing, sample=sample)
