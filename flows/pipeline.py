"""Plain functions the flow and the CLI share: find PDFs, analyse one file, load the tagger once."""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from foialens.extractors.limits import ExtractLimits
from foialens.extractors.records import ExtractedDocument
from foialens.files import safe_text
from foialens.models.records import DocumentTags
from foialens.store.results import DocumentResult

if TYPE_CHECKING:  # spaCy, scikit-learn and the PDF libraries load on first use, not on import
    from foialens.models.tagger import Tagger


@dataclass
class Discovery:
    files: list[Path] = field(default_factory=list)
    # Inputs that are not PDFs we can read at all: {"path": ..., "code": ..., "message": ...}
    problems: list[dict] = field(default_factory=list)


def _problem(path: Path, code: str, message: str) -> dict:
    return {"path": safe_text(str(path)), "code": code, "message": message}


def _classify(path: Path) -> tuple[str, str]:
    """("dir" | "file", "") for what can be read, else (problem code, message). Symlinks are
    followed; a loop, a dangling link, a FIFO, socket or device is a problem, never opened
    (opening a FIFO would block the batch forever)."""
    try:
        link = stat.S_ISLNK(os.lstat(path).st_mode)
    except FileNotFoundError:
        return "not_found", "no such file or folder"
    except OSError as exc:
        return "unreadable", f"cannot read it: {exc.strerror or exc}"
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "dangling_link", f"symbolic link to a missing file ({_readlink(path)})"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return "symlink_loop", "symbolic link loop (the link points back at itself)"
        return "unreadable", f"cannot read it: {exc.strerror or exc}"
    if stat.S_ISDIR(mode):
        return "dir", ""
    if stat.S_ISREG(mode):
        return "file", ""
    what = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a socket" if stat.S_ISSOCK(mode)
            else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode) else "not a regular file")
    return "not_a_regular_file", what + (" (through a symbolic link)" if link else "") + "; skipped"


def _readlink(path: Path) -> str:
    try:
        return safe_text(os.readlink(path))
    except OSError:
        return "?"


def _walk(folder: Path, found: Discovery) -> list[Path]:
    """Every regular *.pdf file under ``folder`` (symlinked folders are not entered); special
    and broken entries named *.pdf and unreadable sub-folders are recorded as problems."""
    out: list[Path] = []

    def unreadable(exc: OSError) -> None:
        found.problems.append(_problem(Path(exc.filename or folder), "unreadable",
                                       f"cannot list this folder: {exc.strerror or exc}"))

    for root, dirs, files in os.walk(folder, onerror=unreadable):
        dirs.sort()
        for name in files:
            if not name.lower().endswith(".pdf"):
                continue
            path = Path(root) / name
            kind, message = _classify(path)
            if kind == "file":
                out.append(path)
            elif kind != "dir":
                found.problems.append(_problem(path, kind, message))
    return sorted(out)


def discover_pdfs(paths: list[Path | str]) -> Discovery:
    """Expand folders (recursively) to their *.pdf files, keep explicit files as given.
    Missing paths, broken or looping symlinks, FIFOs and other special files, and folders that
    cannot be listed are reported, not raised (and never opened); duplicates are dropped; order
    is stable."""
    found = Discovery()
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        kind, message = _classify(path)
        if kind == "dir":
            before = len(found.problems)
            candidates = _walk(path, found)
            if not candidates and len(found.problems) == before:
                found.problems.append(_problem(path, "no_pdfs", "folder contains no .pdf files"))
        elif kind == "file":
            candidates = [path]
        else:
            found.problems.append(_problem(path, kind, message))
            continue
        for c in candidates:
            try:
                key = c.resolve()
            except (OSError, RuntimeError):
                key = c
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
    from foialens.models.tagger import Tagger

    return Tagger(spacy_model=spacy_model, use_ner=use_ner, cache_dir=cache_dir)


def pipeline_version(tagger: Tagger) -> str:
    """Results made by another package, gazetteer or clause-model version are recomputed on
    re-ingest; everything else is reused."""
    from foialens.models.gazetteer import gazetteer_version

    model = tagger.clause_model
    return (
        f"foialens-{_package_version()};{gazetteer_version()};"
        f"clauses={model.version}:{model.data_sha256[:12]}"
    )


def tag_document(extracted: ExtractedDocument, tagger: Tagger) -> DocumentTags:
    """Tags of a document, and its data-sharing relations (lists read from the cells of its
    tabular pages, and its ICE clauses)."""
    from foialens.extractors.layout import lines_of
    from foialens.models.relations import document_relations

    if extracted.failed:
        return DocumentTags()
    pages = [(p.page, p.text) for p in extracted.pages if p.text]
    tags = tagger.tag_pages(pages, ocr_pages={p.page for p in extracted.pages if p.method == "ocr"})
    lines = {p.page: lines_of(p.cells) for p in extracted.pages if p.cells}
    tags.relations = document_relations(pages, lines, tags)
    return tags


def analyze_file(
    path: Path,
    tagger: Tagger,
    batch: str = "",
    limits: ExtractLimits | None = None,
    ocr: bool = True,
) -> DocumentResult:
    from foialens.extractors.document import extract_document

    extracted = extract_document(path, limits=limits, ocr=ocr)
    return DocumentResult(
        pipeline_version=pipeline_version(tagger),
        batch=batch,
        extracted=extracted,
        tags=tag_document(extracted, tagger),
    )
