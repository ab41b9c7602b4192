"""A larger, reproducible mixed corpus for benchmarks, built from the sample document templates.

Each document takes pages from one or more sample documents rendered with a seeded ``Setting``
(other counties, cities, people, dates and amounts), so the corpus has the vocabulary and layout
of the sample batch without repeating it verbatim. Documents are 1-40 pages; whole documents (and
at most one partly scanned document) are scanned until ``scanned_share`` of the pages are images.

    python -m samples.corpus OUT_DIR --pages 1000 --scanned-share 0.1 --seed 7
"""

from __future__ import annotations

import argparse
import random
from dataclasses import replace
from pathlib import Path

from foialens.samples.batch import load_ground_truth, source_version, write_batch
from foialens.samples.generate import DOCUMENT_BUILDERS
from foialens.samples.render import Doc
from foialens.samples.scan import Scan
from foialens.samples.setting import random_setting

MAX_DOC_PAGES = 40


def bench_documents(pages: int, scanned_share: float, seed: int) -> list[Doc]:
    """The documents of a benchmark corpus with exactly ``pages`` pages."""
    if pages < 1 or not 0.0 <= scanned_share <= 1.0:
        raise ValueError("pages must be >= 1 and scanned_share within 0..1")
    rng = random.Random(seed)
    docs: list[Doc] = []
    remaining = pages
    while remaining:
        size = min(rng.randint(1, MAX_DOC_PAGES), remaining)
        parts: list[Doc] = []
        while sum(len(p.pages) for p in parts) < size:
            parts.append(rng.choice(DOCUMENT_BUILDERS)(random_setting(rng, seq=len(docs) + len(parts) + 2)))
        first = parts[0]
        body = tuple(page for part in parts for page in part.pages)[:size]
        docs.append(Doc(f"bench-{len(docs) + 1:05d}-{first.kind}.pdf", first.kind, first.title, body, first.footer))
        remaining -= size
    return _scan_some(docs, round(pages * scanned_share), rng)


def _scan_some(docs: list[Doc], budget: int, rng: random.Random) -> list[Doc]:
    order = list(range(len(docs)))
    rng.shuffle(order)
    for i in order:
        if budget <= 0:
            break
        count = min(len(docs[i].pages), budget)
        chosen = range(1, len(docs[i].pages) + 1) if count == len(docs[i].pages) else sorted(
            rng.sample(range(1, len(docs[i].pages) + 1), count))
        scans = {n: Scan(skew=round(rng.uniform(-1.4, 1.4), 2), rotate=rng.choice((0,) * 15 + (180, 90)))
                 for n in chosen}
        docs[i] = replace(docs[i], scans=scans)
        budget -= count
    return docs


def generate_bench_corpus(out_dir: Path, pages: int = 1000, scanned_share: float = 0.1, seed: int = 7) -> Path:
    """Write the benchmark corpus into ``out_dir`` (skipped when already current) and return it."""
    out_dir = Path(out_dir)
    params = {"pages": pages, "scanned_share": scanned_share, "seed": seed}
    stamp = f"bench-corpus {pages} {scanned_share} {seed} {source_version()}"
    write_batch(out_dir, stamp, bench_documents(pages, scanned_share, seed), {"batch": "bench", **params}, seed)
    return out_dir


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m samples.corpus", description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--scanned-share", type=float, default=0.1)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    out = generate_bench_corpus(args.out_dir, args.pages, args.scanned_share, args.seed)
    docs = load_ground_truth(out)["documents"]
    scanned = sum(len(d["scanned_pages"]) for d in docs)
    print(f"{out}: {len(docs)} PDFs, {sum(d['pages'] for d in docs)} pages ({scanned} scanned)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
