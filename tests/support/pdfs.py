"""Small real PDFs for the extraction tests, built with reportlab and Pillow in tmp_path.

"Scans" are real images of text rendered with a TrueType font and embedded full-page, so OCR
runs for real on them. No tests live here; the builders are imported by the test_extract*,
test_ocr*, test_foia* and test_fuzz* modules.
"""

from __future__ import annotations

import io
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"

CONTRACT_LINES = [
    "This Agreement is entered into by the County Sheriff and Vigilant Solutions.",
    "The Contractor shall provide access to license plate reader data collected",
    "by participating agencies. Data shall be retained for no more than 90 days.",
    "The County shall not share records with Immigration and Customs Enforcement",
    "except where required by a judicial warrant or a federal court order.",
    "All queries of the database are logged and audited on a quarterly basis.",
    "Fingerprints, booking photographs and criminal history records are excluded.",
    "Names withheld under exemptions (b)(6) and (b)(7)(C) of the FOIA.",
]


def text_pdf(path: Path, pages: list[list[str]], title: str | None = None, size=letter) -> Path:
    """A PDF with a real text layer: one list of lines per page."""
    c = canvas.Canvas(str(path), pagesize=size)
    if title:
        c.setTitle(title)
    for lines in pages:
        c.setFont("Helvetica", 11)
        y = size[1] - 72
        for line in lines:
            c.drawString(72, y, line)
            y -= 16
        c.showPage()
    c.save()
    return path


def page_image(
    lines: list[str],
    dpi: int = 300,
    size=letter,
    boxes: list[tuple[float, float, float, float]] = (),
    font_pt: float = 11.0,
) -> Image.Image:
    """A clean grayscale "scan" of ``lines`` at ``dpi``; ``boxes`` (PDF points, top-left origin)
    are painted solid black, like burnt-in redactions."""
    scale = dpi / 72.0
    img = Image.new("L", (round(size[0] * scale), round(size[1] * scale)), 255)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, round(font_pt * scale))
    y = 72 * scale
    for line in lines:
        draw.text((72 * scale, y), line, font=font, fill=0)
        y += font_pt * 1.6 * scale
    for x0, top, x1, bottom in boxes:
        draw.rectangle([x0 * scale, top * scale, x1 * scale, bottom * scale], fill=0)
    return img


def image_pdf(
    path: Path,
    images: list[Image.Image | None],
    size=letter,
    hidden_text: dict[int, list[str]] | None = None,
    texts: dict[int, list[str]] | None = None,
) -> Path:
    """A PDF whose pages are full-page images (None: a text page from ``texts``).
    ``hidden_text``: an invisible text layer (render mode 3) per page index, as OCR'd scans
    carry; ``texts``: visible text drawn on the page (e.g. a Bates stamp on a scan)."""
    c = canvas.Canvas(str(path), pagesize=size)
    for i, img in enumerate(images):
        if img is not None:
            buf = io.BytesIO()
            img.save(buf, format="PNG")
            buf.seek(0)
            c.drawImage(ImageReader(buf), 0, 0, width=size[0], height=size[1])
        for lines, mode in (((hidden_text or {}).get(i), 3), ((texts or {}).get(i), 0)):
            if not lines:
                continue
            t = c.beginText(72, 40 if mode == 0 and img is not None else size[1] - 72)
            t.setTextRenderMode(mode)
            t.setFont("Helvetica", 11)
            for line in lines:
                t.textLine(line)
            c.drawText(t)
        c.showPage()
    c.save()
    return path


RELEASE_LINES = [
    "U.S. Department of Homeland Security, 500 12th Street SW, Washington, DC 20536",
    "Re: FOIA Request 2019-ICFO-12345 dated March 4, 2019 (received March 11, 2019).",
    "This letter is the final response to your request for records concerning the",
    "use of automated license plate reader (ALPR) data by ERO field offices between",
    "January 1, 2017 and December 31, 2018. A search of the Office of Acquisition",
    "Management and Homeland Security Investigations produced 1,284 pages; 312 pages",
    "are released in full, 804 in part, and 168 are withheld in full under 5 U.S.C.",
    "552(b)(6) and (b)(7)(C), which protect names, phone numbers and e-mail addresses.",
    "Contract HSCEMD-14-C-00002 with Vigilant Solutions, Inc. ($6,100,000 ceiling) and",
    "task order 70CMSD18FC0000123 for the National Vehicle Location Service (NVLS).",
    "Queries must cite a case number; results are retained for no more than 180 days",
    "and every search is logged for the quarterly audit by the Privacy Office (PRIV).",
    "You may appeal within 90 working days; see 6 C.F.R. 5.8 and www.dhs.gov/foia.",
    "Sincerely, Catrina M. Pavlik-Keenan, FOIA Officer; phone (866) 633-1182.",
]


def noisy(image: Image.Image, seed: int = 0, skew: float = 0.7, quality: int = 60) -> Image.Image:
    """A scanner's version of a clean page image: slight skew, grain and JPEG artefacts."""
    import numpy as np

    rng = np.random.default_rng(seed)
    turned = image.rotate(skew, resample=Image.Resampling.BILINEAR, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.int16) + rng.normal(0, 6, (turned.height, turned.width)).astype(np.int16)
    grainy = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
    buf = io.BytesIO()
    grainy.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def audit_log_lines(rows: int, seed: int = 0) -> list[str]:
    """Rows of a system audit log: timestamps, UUIDs, user ids, plates, counts and short words,
    the kind of table a FOIA release prints by the hundred pages (pdftotext reads it fine)."""
    import random
    import uuid

    rng = random.Random(seed)
    actions = ["query", "view", "add", "del", "ok", "hit", "no hit", "export", "login", "audit"]
    lines = []
    for i in range(rows):
        stamp = f"2024-{1 + i % 12:02d}-{1 + i % 28:02d} {i % 24:02d}:{i * 7 % 60:02d}:{i * 13 % 60:02d}"
        event = uuid.UUID(int=rng.getrandbits(128), version=4)
        plate = "".join(rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(7))
        lines.append(
            f"{stamp}  {event}  u{rng.randint(1000, 99999):05d}  {plate}  {rng.choice(['CA', 'OR', 'WA', 'AZ'])}"
            f"  {rng.randint(0, 500):4d}  {rng.choice(actions)}"
        )
    return lines


def audit_log_pdf(path: Path, pages: int, rows_per_page: int = 56, seed: int = 0) -> Path:
    """A text-layer PDF of a long audit log (``audit_log_lines``), with a header line per page."""
    lines = audit_log_lines(pages * rows_per_page, seed)
    c = canvas.Canvas(str(path), pagesize=letter)
    for n in range(pages):
        c.setFont("Courier", 7.5)
        y = letter[1] - 48
        c.drawString(36, y, f"ALPR query audit log   page {n + 1} of {pages}   case 2024-000{n % 97:03d}")
        for line in lines[n * rows_per_page : (n + 1) * rows_per_page]:
            y -= 12.5
            c.drawString(36, y, line)
        c.showPage()
    c.save()
    return path


def sharing_report_pdf(path: Path, owner: str, shared_with: list[str], date: str = "02-06-20",
                       received_from: list[str] = ()) -> Path:
    """A LEARN "Agency Data Sharing Report" laid out as Vigilant prints it: a title, section
    headings, the owner's sentence, then agency names in two columns (x 69 and 327), and the
    footer "Date Created: ... LEARN Agency Data Sharing Report Page n of N"."""
    c = canvas.Canvas(str(path), pagesize=letter)
    c.setTitle("LEARN Agency Data Sharing Report")

    def section(y: float, heading: str, sentence: str, names: list[str]) -> float:
        c.setFont("Helvetica-Bold", 13)
        c.drawString(230, y, heading)
        c.setFont("Helvetica", 9)
        y -= 26
        c.drawString(74, y, sentence)
        y -= 26
        for i in range(0, len(names), 2):
            c.drawString(69, y, names[i])
            if i + 1 < len(names):
                c.drawString(327, y, names[i + 1])
            y -= 15
        return y - 20

    c.setFont("Helvetica-Bold", 14)
    c.drawString(260, 740, "Agency")
    c.drawString(230, 722, "Data Sharing Report")
    y = section(690, "Detections Shared", f"The {owner} Agency is Sharing its Detection data with the following Agencies:",
                shared_with)
    if received_from:
        section(y, "Detections Received", f"The {owner} Agency is receiving shared Detection data from the following Agencies:",
                list(received_from))
    c.setFont("Helvetica", 8)
    c.drawString(60, 30, f"Date Created: {date}")
    c.drawString(250, 30, "LEARN Agency Data Sharing Report")
    c.drawString(480, 30, "Page 1 of 1")
    c.showPage()
    c.save()
    return path
