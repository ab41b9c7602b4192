"""Tagging benchmark: throughput (words/s) on the sample batch and on real documents.

    .venv/bin/python bench/tagging.py [--batch DIR] [--corpus ../shared/corpus/real] [--min-words 200000] [--ner] [--json]

Sample batch: the text layer of its non-scanned pages. Real documents: the labelled documents
of models/data/real found in --corpus, extracted once (cached in the cache directory, as
`foialens evaluate` does). Each set is tagged repeatedly until --min-words words are done, one
process, default pipeline (tokenizer + span rulers + document context + clause classifier).
Accuracy is `foialens evaluate`'s job (flows/evaluation.py); this script only times.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from foialens.flows.evaluation import corpus_files, extract_cached, sample_text_pages
from foialens.models.tagger import Tagger
from foialens.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
TARGET = 20_000


def throughput(tagger: Tagger, docs: list[list[tuple[int, str]]], min_words: int) -> dict:
    words_per_round = sum(len(t.split()) for pages in docs for _, t in pages)
    rounds = max(1, -(-min_words // words_per_round))
    tagger.tag_pages(docs[0])  # warm-up
    started, cpu_started = time.perf_counter(), time.process_time()
    words = 0
    for _ in range(rounds):
        for pages in docs:
            words += tagger.tag_pages(pages).words
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time too: on a machine shared with other jobs the wall-clock rate understates the tagger
    return {
        "words": words, "seconds": round(seconds, 3), "words_per_second": round(words / seconds),
        "cpu_seconds": round(cpu, 3), "words_per_cpu_second": round(words / cpu), "load": os.getloadavg()[0],
    }


def real_pages(corpus: Path, cache_dir: Path) -> list[list[tuple[int, str]]]:
    docs = []
    for _name, path in sorted(corpus_files(corpus).items()):
        extracted = extract_cached(path, cache_dir)
        docs.append([(p.page, p.text) for p in extracted.pages if p.text])
    return docs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=Path, default=ROOT / ".cache" / "sample-batch")
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "real")
    parser.add_argument("--min-words", type=int, default=200_000)
    parser.add_argument("--ner", action="store_true", help="also measure with the spaCy NER component")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from foialens.samples.generate import generate_sample_batch

    settings = Settings()
    sets = {"sample batch": [pages for pages, _ in sample_text_pages(generate_sample_batch(args.batch)).values()]}
    if args.corpus.is_dir():
        sets["real documents"] = real_pages(args.corpus, settings.cache_dir)
    report = {"cpu_count": os.cpu_count(), "target_words_per_second": TARGET, "runs": {}}
    for use_ner in (False, True) if args.ner else (False,):
        tagger = Tagger(use_ner=use_ner, cache_dir=settings.cache_dir)
        name = "ruler+ner+classifier" if use_ner else "ruler+classifier"
        report["runs"][name] = {label: throughput(tagger, docs, args.min_words) for label, docs in sets.items()}
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    for name, runs in report["runs"].items():
        for label, t in runs.items():
            print(f"{name}, {label}: {t['words_per_second']:,} words/s wall, {t['words_per_cpu_second']:,} words/CPU-s "
                  f"({t['words']:,} words in {t['seconds']} s, one process, load {t['load']:.1f}); "
                  f"ratio to the {TARGET:,} words/s target: {t['words_per_second'] / TARGET:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
