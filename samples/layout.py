"""Building blocks of sample documents and the code that draws them with reportlab.

A document is written as pages of blocks (titles, paragraphs, tables, redaction boxes...). Text
carries inline annotations in a small markup, ``[printed text](kind:id)`` with kind ``v`` (vendor),
``d`` (data type), ``a`` (agency; an empty id means "the printed name is the id", used for local
police and sheriffs) or ``x`` (FOIA exemption code). Drawing a page strips the markup and returns
a ``PageTruth`` that records exactly what was drawn, so the ground truth and the PDF come from one
data structure and cannot drift apart.

Coordinates in the truth are PDF points with a top-left origin: ``[x0, top, x1, bottom]``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

PAGE_WIDTH, PAGE_HEIGHT = 612.0, 792.0  # US Letter
MARGIN = 72.0
BOTTOM_LIMIT = PAGE_HEIGHT - 60.0  # content must end above the footer
TEXT_WIDTH = PAGE_WIDTH - 2 * MARGIN
STAMP_SIZE = 10.0  # exemption stamps beside redaction boxes

_MARKUP = re.compile(r"\[([^\]]+)\]\(([vdax]):([^)]*)\)")
_KINDS = {"v": "vendor", "d": "data_type", "a": "agency", "x": "exemption"}


class LayoutError(ValueError):
    """A page's blocks do not fit on the page (an authoring error in the sample text)."""


@dataclass(frozen=True)
class Annotation:
    kind: str  # vendor | data_type | agency | exemption
    id: str
    text: str  # as printed


def parse_markup(text: str) -> tuple[str, list[Annotation]]:
    """Strip ``[text](k:id)`` markup; return the printed text and its annotations."""
    notes: list[Annotation] = []

    def keep(m: re.Match[str]) -> str:
        printed, kind, ident = m.group(1), _KINDS[m.group(2)], m.group(3)
        notes.append(Annotation(kind, ident or printed, printed))
        return printed

    return _MARKUP.sub(keep, text), notes


# ---------------------------------------------------------------------------------------------
# Blocks


@dataclass(frozen=True)
class Clause:
    """A sentence with clause labels. ``near_miss``: names ICE/DHS but grants no access."""

    text: str
    labels: tuple[str, ...] = ()
    near_miss: bool = False


def C(text: str, *labels: str) -> Clause:
    return Clause(text, tuple(labels))


def NEAR(text: str, *labels: str) -> Clause:
    return Clause(text, tuple(labels), near_miss=True)


@dataclass(frozen=True)
class Stamp:
    """An exemption stamp: printed pieces with their normalised codes, joined by ``sep``."""

    parts: tuple[tuple[str, str], ...]
    sep: str = ""

    @property
    def text(self) -> str:
        return self.sep.join(p for p, _ in self.parts)


def S(*parts: tuple[str, str], sep: str = "") -> Stamp:
    return Stamp(tuple(parts), sep)


@dataclass(frozen=True)
class Title:
    text: str
    size: float = 14.0
    font: str = "Helvetica-Bold"


@dataclass(frozen=True)
class Heading:
    text: str
    size: float = 11.0
    font: str = "Helvetica-Bold"


@dataclass(frozen=True)
class Para:
    parts: tuple[str | Clause, ...]
    font: str = "Times-Roman"
    size: float = 11.0
    indent: float = 0.0
    space_after: float = 7.0


def P(*parts: str | Clause, **kw: object) -> Para:
    return Para(tuple(parts), **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Lines:
    """Short unwrapped lines: addresses, memo headers, signature blocks."""

    lines: tuple[str, ...]
    font: str = "Helvetica"
    size: float = 10.0
    align: str = "left"  # left | center | right
    space_after: float = 8.0


def L(*lines: str, **kw: object) -> Lines:
    return Lines(tuple(lines), **kw)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Letterhead:
    name: str
    lines: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    size: float = 9.5


@dataclass(frozen=True)
class Redacted:
    """A solid black redaction box with its exemption stamp printed to the right.

    ``label`` is printed before the box on its first line. ``hidden`` is text left in the text
    layer under the box (a bad redaction).
    """

    stamp: Stamp
    width: float = 300.0
    lines: int = 1
    label: str = ""
    hidden: str | None = None
    size: float = 11.0


@dataclass(frozen=True)
class Gap:
    height: float = 12.0


Block = Title | Heading | Para | Lines | Letterhead | Table | Redacted | Gap


@dataclass(frozen=True)
class Footer:
    """Per-document page furniture: running header, page label and Bates numbers."""

    header: str | None = None
    page_label: str | None = None  # e.g. "Page {n} of {total}"
    bates: str | None = None  # e.g. "[ICE](a:ice) 2019-ICLI-00001 {n}" (markup allowed)
    bates_start: int = 1


# ---------------------------------------------------------------------------------------------
# Truth


@dataclass
class PageTruth:
    page: int
    annotations: list[Annotation] = field(default_factory=list)
    clauses: list[Clause] = field(default_factory=list)
    exemptions: list[tuple[str, str]] = field(default_factory=list)  # (code, printed)
    redactions: list[dict[str, object]] = field(default_factory=list)
    bates: str | None = None
    page_label: str | None = None

    def ids(self, kind: str) -> list[str]:
        return sorted({a.id for a in self.annotations if a.kind == kind})

    def to_json(self) -> dict[str, object]:
        return {
            "page": self.page,
            "vendors": self.ids("vendor"),
            "data_types": self.ids("data_type"),
            "agencies": self.ids("agency"),
            "mentions": [
                {"kind": a.kind, "id": a.id, "text": a.text}
                for a in self.annotations
                if a.kind != "exemption"
            ],
            "clauses": [
                {"text": c.text, "labels": list(c.labels), "near_miss": c.near_miss}
                for c in self.clauses
            ],
            "exemptions": [{"code": code, "text": text} for code, text in self.exemptions],
            "redaction_count": len(self.redactions),
            "redactions": self.redactions,
            "bates": self.bates,
            "page_label": self.page_label,
        }


# ---------------------------------------------------------------------------------------------
# Drawing


class _Page:
    """Draws blocks top-down on one canvas page and records what it drew."""

    def __init__(self, canvas: Canvas, truth: PageTruth) -> None:
        self.c = canvas
        self.truth = truth
        self.y = MARGIN  # top of the next block, top-left origin

    def _text(self, x: float, baseline: float, text: str, font: str, size: float, align: str = "left") -> None:
        self.c.setFont(font, size)
        y = PAGE_HEIGHT - baseline
        if align == "center":
            self.c.drawCentredString(x, y, text)
        elif align == "right":
            self.c.drawRightString(x, y, text)
        else:
            self.c.drawString(x, y, text)

    def _plain(self, text: str) -> str:
        plain, notes = parse_markup(text)
        self.truth.annotations.extend(n for n in notes if n.kind != "exemption")
        self.truth.exemptions.extend((n.id, n.text) for n in notes if n.kind == "exemption")
        return plain

    def _need(self, height: float) -> None:
        if self.y + height > BOTTOM_LIMIT:
            raise LayoutError(f"page {self.truth.page}: content overflows by {self.y + height - BOTTOM_LIMIT:.0f} pt")

    def _wrapped(self, text: str, font: str, size: float, x: float, width: float) -> None:
        lead = size * 1.3
        lines = simpleSplit(text, font, size, width)
        self._need(len(lines) * lead)
        for line in lines:
            self.y += lead
            self._text(x, self.y - size * 0.25, line, font, size)

    def draw(self, block: Block) -> None:
        match block:
            case Title(text, size, font):
                self._need(size * 2)
                self.y += size * 1.4
                self._text(PAGE_WIDTH / 2, self.y, self._plain(text), font, size, "center")
                self.y += size * 0.8
            case Heading(text, size, font):
                self._need(size * 2.2)
                self.y += size * 0.6
                self._wrapped(self._plain(text), font, size, MARGIN, TEXT_WIDTH)
                self.y += size * 0.4
            case Para(parts, font, size, indent, space_after):
                texts = []
                for part in parts:
                    if isinstance(part, Clause):
                        plain = self._plain(part.text)
                        self.truth.clauses.append(Clause(plain, part.labels, part.near_miss))
                        texts.append(plain)
                    else:
                        texts.append(self._plain(part))
                self._wrapped(" ".join(texts), font, size, MARGIN + indent, TEXT_WIDTH - indent)
                self.y += space_after
            case Lines(lines, font, size, align, space_after):
                lead = size * 1.3
                self._need(len(lines) * lead)
                x = {"left": MARGIN, "center": PAGE_WIDTH / 2, "right": PAGE_WIDTH - MARGIN}[align]
                for line in lines:
                    self.y += lead
                    self._text(x, self.y - size * 0.25, self._plain(line), font, size, align)
                self.y += space_after
            case Letterhead(name, lines):
                self._need(38 + 12 * len(lines))
                self.y += 16
                self._text(PAGE_WIDTH / 2, self.y, self._plain(name), "Times-Bold", 15, "center")
                for line in lines:
                    self.y += 12
                    self._text(PAGE_WIDTH / 2, self.y, self._plain(line), "Times-Roman", 10, "center")
                self.y += 8
                self.c.setLineWidth(1.2)
                self.c.line(MARGIN, PAGE_HEIGHT - self.y, PAGE_WIDTH - MARGIN, PAGE_HEIGHT - self.y)
                self.y += 14
            case Table(rows, widths, size):
                self._draw_table(rows, widths, size)
            case Redacted():
                self._draw_redacted(block)
            case Gap(height):
                self._need(height)
                self.y += height
            case _:
                raise TypeError(f"unknown block {block!r}")

    def _draw_table(self, rows: tuple[tuple[str, ...], ...], widths: tuple[float, ...], size: float) -> None:
        lead = size * 1.25
        self.c.setLineWidth(0.6)
        top = self.y
        for r, row in enumerate(rows):
            font = "Helvetica-Bold" if r == 0 else "Helvetica"
            cells = [simpleSplit(self._plain(cell), font, size, w - 6) for cell, w in zip(row, widths, strict=True)]
            height = max(len(c) for c in cells) * lead + 5
            self._need(height)
            x = MARGIN
            for lines, w in zip(cells, widths):
                for i, line in enumerate(lines):
                    self._text(x + 3, self.y + (i + 1) * lead, line, font, size)
                x += w
            self.y += height
            self.c.line(MARGIN, PAGE_HEIGHT - self.y, MARGIN + sum(widths), PAGE_HEIGHT - self.y)
        self.c.line(MARGIN, PAGE_HEIGHT - top, MARGIN + sum(widths), PAGE_HEIGHT - top)
        x = MARGIN
        for w in (0.0, *widths):
            x += w
            self.c.line(x, PAGE_HEIGHT - top, x, PAGE_HEIGHT - self.y)
        self.y += 10

    def _draw_redacted(self, block: Redacted) -> None:
        lead = block.size * 1.3
        height = block.lines * lead
        self._need(height + 4)
        x0 = MARGIN
        if block.label:
            label = self._plain(block.label)
            self._text(MARGIN, self.y + lead - block.size * 0.25, label, "Times-Roman", block.size)
            x0 = MARGIN + stringWidth(label, "Times-Roman", block.size) + 6
        x1 = x0 + block.width
        stamp_x = x1 + 12
        if stamp_x + stringWidth(block.stamp.text, "Helvetica-Bold", STAMP_SIZE) > PAGE_WIDTH - 18:
            raise LayoutError(f"page {self.truth.page}: exemption stamp does not fit beside the box")
        top, bottom = self.y + 2, self.y + height + 1
        if block.hidden:
            # A bad redaction: the original words stay in the text layer under the box.
            saved = self.y
            self._wrapped(block.hidden, "Times-Roman", block.size, x0 + 2, block.width - 4)
            self.y = saved
        self.c.setFillGray(0)
        self.c.rect(x0, PAGE_HEIGHT - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        self._text(stamp_x, self.y + lead - block.size * 0.25, block.stamp.text, "Helvetica-Bold", STAMP_SIZE)
        self.truth.exemptions.extend((code, printed) for printed, code in block.stamp.parts)
        self.truth.redactions.append(
            {
                "bbox": [round(x0, 2), round(top, 2), round(x1, 2), round(bottom, 2)],
                "stamp": block.stamp.text,
                "text_underneath": block.hidden is not None,
                **({"hidden_text": block.hidden} if block.hidden else {}),
            }
        )
        self.y += height + 6


def draw_page(canvas: Canvas, blocks: tuple[Block, ...], number: int, total: int, footer: Footer) -> PageTruth:
    """Draw one page (blocks plus header/footer) on the canvas's current page; return its truth."""
    truth = PageTruth(page=number)
    page = _Page(canvas, truth)
    canvas.setFillGray(0)
    if footer.header:
        page._text(PAGE_WIDTH / 2, 40, page._plain(footer.header), "Helvetica-Bold", 8.5, "center")
    for block in blocks:
        page.draw(block)
    if footer.page_label:
        truth.page_label = footer.page_label.format(n=number, total=total)
        page._text(PAGE_WIDTH / 2, PAGE_HEIGHT - 34, truth.page_label, "Helvetica", 9, "center")
    if footer.bates:
        truth.bates = page._plain(footer.bates.format(n=footer.bates_start + number - 1))
        page._text(PAGE_WIDTH - 40, PAGE_HEIGHT - 22, truth.bates, "Helvetica-Bold", 9, "right")
    return truth
