"""Highlighted snippets, the same for every backend.

Engines are asked to wrap matches in two private-use sentinel characters; the raw snippet is
then HTML-escaped and only the sentinels become ``<mark>``/``</mark>``. Page text is cleaned
of the sentinels before indexing, so text can never forge markup.
"""

from __future__ import annotations

import html
import re

MARK_START = "\ue000"
MARK_END = "\ue001"
ELLIPSIS = "\u2026"
SNIPPET_TOKENS = 24  # FTS5 snippet() length in tokens
SNIPPET_CHARS = 180  # ES fragment size / browse snippet length in characters


def strip_markers(text: str) -> str:
    """Remove the sentinel characters from text before it is indexed."""
    return text.replace(MARK_START, "").replace(MARK_END, "")


def render(raw: str) -> str:
    """Escape an engine snippet and turn the sentinels into <mark> tags (balanced)."""
    out: list[str] = []
    open_mark = False
    for part in _split_markers(raw):
        if part == MARK_START:
            if not open_mark:
                out.append("<mark>")
                open_mark = True
        elif part == MARK_END:
            if open_mark:
                out.append("</mark>")
                open_mark = False
        else:
            out.append(html.escape(part, quote=True))
    if open_mark:
        out.append("</mark>")
    return "".join(out)


def leading(text: str, limit: int = SNIPPET_CHARS) -> str:
    """Escaped start of a page, for hits with nothing to highlight (browse by tag)."""
    text = " ".join(strip_markers(text).split())
    if len(text) <= limit:
        return html.escape(text, quote=True)
    cut = text.rfind(" ", 0, limit)
    return html.escape(text[: cut if cut > 0 else limit], quote=True) + ELLIPSIS


def _split_markers(raw: str) -> list[str]:
    parts: list[str] = []
    buf: list[str] = []
    for ch in raw:
        if ch in (MARK_START, MARK_END):
            if buf:
                parts.append("".join(buf))
                buf = []
            parts.append(ch)
        else:
            buf.append(ch)
    if buf:
        parts.append("".join(buf))
    return parts


_MARKED = re.compile(r"<mark>(.*?)</mark>", re.S)


def pieces(snippet: str) -> list[tuple[str, bool]]:
    """A rendered snippet (escaped HTML with <mark>) as plain-text pieces: (text, highlighted).
    The CLI styles the highlighted pieces; exports join the texts."""
    out: list[tuple[str, bool]] = []
    pos = 0
    for m in _MARKED.finditer(snippet):
        if m.start() > pos:
            out.append((html.unescape(snippet[pos : m.start()]), False))
        out.append((html.unescape(m.group(1)), True))
        pos = m.end()
    if pos < len(snippet):
        out.append((html.unescape(snippet[pos:]), False))
    return out


def plain(snippet: str) -> str:
    """A rendered snippet as plain text (no markup, entities decoded)."""
    return "".join(text for text, _ in pieces(snippet))
