"""A LEARN-style "Agency Data Sharing Report" drawn as a scan: two columns of agency names, long
names wrapped onto a second line, a logo and title band at the top of each page and a footer with
the date and page number, with scanner skew, grain and JPEG artefacts (tests/support/pdfs.noisy).
The OCR path reads it for real; the gold rows are returned beside the PDF."""

from __future__ import annotations

import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.pagesizes import letter

from tests.support.pdfs import FONT, image_pdf, noisy

PLACES = [
    "Anaheim", "Alpharetta", "Bakersfield", "Beaumont", "Brentwood", "Burbank", "Carlsbad", "Chino",
    "Corona", "Costa Mesa", "Cypress", "Daphne", "Downey", "Edinburg", "El Cajon", "Escondido",
    "Fontana", "Fresno", "Fullerton", "Gardena", "Glendale", "Glendora", "Hemet", "Irvine", "La Habra",
    "La Mesa", "Lodi", "Madera", "Modesto", "Monrovia", "Norwalk", "Novato", "Orinda", "Pasadena",
    "Redlands", "Redondo Beach", "Rocklin", "Roseville", "Salinas", "San Rafael", "Sausalito",
    "Seal Beach", "Stockton", "Tracy", "Tustin", "Upland", "Vacaville", "Visalia", "Whittier", "Yuba City",
]
COUNTIES = ["Alameda", "Fresno", "Kern", "Marin", "Placer", "Riverside", "Sonoma", "Tulare", "Yolo", "Ventura"]
STATES = ["CA", "AZ", "NV", "TX", "GA", "IL"]
FEDERAL = ["DHS - HSI (Newark NJ)", "CBP - NTC", "San Diego Sector Border Patrol (CA)"]


def agency_names(n: int, seed: int = 0) -> list[str]:
    """``n`` distinct agency names of the shapes real reports print (some long enough to wrap)."""
    rng = random.Random(seed)
    names: list[str] = list(FEDERAL)
    while len(names) < n:
        shape = rng.random()
        if shape < 0.55:
            name = f"{rng.choice(PLACES)} Police Department"
        elif shape < 0.8:
            name = f"{rng.choice(COUNTIES)} County Sheriffs Office"
        else:
            name = f"{rng.choice(COUNTIES)} County Regional Auto Theft Task Force"
        if rng.random() < 0.3:
            name += f" ({rng.choice(STATES)})"
        if name not in names:
            names.append(name)
    return names[:n]


def _wrap(name: str, draw: ImageDraw.ImageDraw, font, width: float) -> list[str]:
    words, lines = name.split(), [""]
    for word in words:
        trial = f"{lines[-1]} {word}".strip()
        if lines[-1] and draw.textlength(trial, font=font) > width:
            lines.append(word)
        else:
            lines[-1] = trial
    return lines


def scanned_learn_report(path: Path, owner: str, names: list[str], per_page: int = 40, dpi: int = 200,
                         seed: int = 0) -> Path:
    """Write the report; ``names`` are the agencies the owner shares its detections with."""
    scale = dpi / 72.0
    size = (round(letter[0] * scale), round(letter[1] * scale))
    font = ImageFont.truetype(FONT, round(9 * scale))
    big = ImageFont.truetype(FONT, round(14 * scale))
    column_x, column_width, row_pitch = (70, 330), 190, 25
    pages = [names[i : i + per_page] for i in range(0, len(names), per_page)]
    images: list[Image.Image | None] = []
    for number, chunk in enumerate(pages, start=1):
        img = Image.new("L", size, 255)
        draw = ImageDraw.Draw(img)
        draw.text((40 * scale, 22 * scale), "LEA", font=big, fill=0)
        draw.text((262 * scale, 14 * scale), "Agency", font=big, fill=0)
        draw.text((228 * scale, 36 * scale), "Data Sharing Report", font=big, fill=0)
        top = 80
        if number == 1:
            draw.text((240 * scale, top * scale), "Detections Shared", font=big, fill=0)
            draw.text((74 * scale, (top + 28) * scale),
                      f"The {owner} Agency is Sharing its Detection data with the following Agencies:", font=font, fill=0)
            top += 60
        for k in range(0, len(chunk), 2):
            for x, name in zip(column_x, chunk[k : k + 2]):
                for j, line in enumerate(_wrap(name, draw, font, column_width * scale)):
                    draw.text((x * scale, (top + 12 * j) * scale), line, font=font, fill=0)
            top += row_pitch
        draw.text((40 * scale, 760 * scale), "Date Created: 03-02-20", font=font, fill=0)
        draw.text((262 * scale, 760 * scale), "LEARN Agency Data Sharing Report", font=font, fill=0)
        draw.text((520 * scale, 760 * scale), f"Page {number} of {len(pages)}", font=font, fill=0)
        images.append(noisy(img, seed=seed + number, skew=0.3))
    return image_pdf(path, images)
