"""What a document keeps when ``max_seconds`` stops it: the pages done, and one ``timeout`` error
naming the first page not finished."""

from __future__ import annotations

from foialens.extractors.records import ExtractedDocument, ExtractionError, PageText


def usable(page: PageText) -> bool:
    """A page the rest of the pipeline can use: read (text layer or OCR), or with some text."""
    return page.method != "none" or bool(page.text.strip())


def record_timeout(doc: ExtractedDocument, max_seconds: float, cut: list[int], unread: int | None) -> None:
    """Record that the time limit stopped ``doc``: ``cut`` are the pages whose OCR did not finish
    (they keep their text layer), ``unread`` the first page not read at all (None: all were read).

    One ``timeout`` error names the first page not finished (``page``) and says what was left
    undone; every other cut page keeps its own page error. The error is document-level
    (``page=None``, so ``doc.failed``) only when no page is usable."""
    first = min([*cut, *([unread] if unread else [])])
    parts = []
    if cut:
        parts.append(f"OCR of {_plural(len(cut), 'page')} not finished ({_numbers(cut)}), text layer kept")
    if unread:
        parts.append(f"pages {unread}-{doc.page_count} not read")
    n_usable = sum(usable(p) for p in doc.pages)
    message = (
        f"stopped after {max_seconds:g} s (max_seconds) at page {first} of {doc.page_count}: "
        + "; ".join(parts)
        + f"; {_plural(n_usable, 'page')} usable"
    )
    others = sorted((e for e in doc.errors if e.code == "timeout" and e.page != first), key=lambda e: e.page or 0)
    doc.errors = [e for e in doc.errors if e.code != "timeout"]
    doc.errors.append(ExtractionError(code="timeout", page=first if n_usable else None, message=message))
    doc.errors.extend(others)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _numbers(pages: list[int], show: int = 10) -> str:
    shown = ", ".join(str(n) for n in sorted(pages)[:show])
    return shown + (", ..." if len(pages) > show else "")
