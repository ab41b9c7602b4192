"""Plain functions the flow and the CLI share: find PDFs, analyse one file, load the tagger once."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from foialens.extractors.document import extract_document
from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument
from foialens.models.gazetteer import gazetteer_version
from foialens.models.records import DocumentTags
from foialens.models.tagger import Tagger
from foialens.store.results import DocumentResult


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    # Inputs that are not PDFs we can read at all: {"path": ..., "code": ..., "message": ...}
    problems: list[dict] = field(default_factory=list)


def discover_pdfs(paths: list[Path | str]) -> Discovery:
    """Expand folders (recursively) to their *.pdf files, keep explicit files as given.
    Missing paths are reported, not raised; duplicates are dropped; order is stable."""
    found = Discovery()
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates = sorted(
                p for p in path.rglob("*") if p.is_file() and p.suffix.lower() == ".pdf"
            )
            if not candidates:
                found.problems.append(
                    {"path": str(path), "code": "no_pdfs", "message": "folder contains no .pdf files"}
                )
        elif path.is_file():
            candidates = [path]
        else:
            found.problems.append(
                {"path": str(path), "code": "not_found", "message": "no such file or folder"}
            )
            continue
        for c in candidates:
            key = c.resolve()
            if key not in seen:
                seen.add(key)
                found.files.append(c)
    return found


def _package_version() -> str:
    try:
        return version("foialens")
    except PackageNotFoundError:
        return "0+unknown"


@lru_cache(maxsize=4)
def get_tagger(spacy_model: str | None, use_ner: bool, cache_dir: Path | None = None) -> Tagger:
    """One tagger per process and configuration (loading spaCy and the classifier takes seconds)."""
    return Tagger(spacy_model=spacy_model, use_ner=use_ner, cache_dir=cache_dir)


def pipeline_version(tagger: Tagger) -> str:
    """Results made by another package, gazetteer or clause-model version are recomputed on
    re-ingest; everything else is reused."""
    model = tagger.clause_model
    return (
        f"foialens-{_package_version()};{gazetteer_version()};"
        f"clauses={model.version}:{model.data_sha256[:12]}"
    )


def tag_document(extracted: ExtractedDocument, tagger: Tagger) -> DocumentTags:
    if extracted.failed:
        return DocumentTags()
    return tagger.tag_pages([(p.page, p.text) for p in extracted.pages if p.text],
                            ocr_pages={p.page for p in extracted.pages if p.method == "ocr"})


def analyze_file(
    path: Path,
    tagger: Tagger,
    batch: str = "",
    limits: ExtractLimits | None = None,
    ocr: bool = True,
) -> DocumentResult:
    extracted = extract_document(path, limits=limits, ocr=ocr)
    return DocumentResult(
        pipeline_version=pipeline_version(tagger),
        batch=batch,
        extracted=extracted,
        tags=tag_document(extracted, tagger),
    )
