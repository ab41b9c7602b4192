"""Tagging benchmark: throughput (words/s) and vendor / data-type accuracy on the sample batch.

    .venv/bin/python bench/tagging.py [--batch DIR] [--min-words 200000] [--ner] [--json]

Text comes from the text layer (pypdfium2) of the sample batch's non-scanned pages; the pages are
repeated until --min-words words are tagged. Accuracy: per document, the vendor and data-type ids
found on those pages against ground_truth.json (micro and macro precision/recall).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pypdfium2 as pdfium  # noqa: E402

from models.tag_accuracy import score_documents  # noqa: E402
from models.tagger import Tagger  # noqa: E402


def text_layer_pages(batch: Path) -> dict[str, tuple[list[tuple[int, str]], list[dict]]]:
    """file -> (pages (number, text) of non-scanned pages, their page_truth)."""
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


def accuracy(tagger: Tagger, docs) -> dict:
    result = {}
    for facet in ("vendors", "data_types"):
        pairs = {}
        for name, (pages, truth) in docs.items():
            tags = tagger.tag_pages(pages)
            predicted = {i for p, _ in pages for i in tags.page_ids(p)[facet]}
            pairs[name] = (predicted, {i for pt in truth for i in pt[facet]})
        result[facet] = score_documents(pairs).model_dump()
    result["clauses"] = clause_accuracy(tagger, docs)
    return result


def clause_accuracy(tagger: Tagger, docs) -> dict:
    """Per label P/R/F1 of sentence labels against the ground truth's clauses (a predicted sentence
    matches a true one when it contains the first 60 characters of it, whitespace collapsed)."""
    from models.records import CLAUSE_LABELS

    counts = {label: [0, 0, 0] for label in CLAUSE_LABELS}  # tp, fp, fn
    for pages, truth in docs.values():
        tags = tagger.tag_pages(pages)
        for pt in truth:
            predicted = {}
            for c in tags.clauses:
                if c.page == pt["page"]:
                    predicted.setdefault(" ".join(c.text.split()), set()).add(c.label)
            matched: set[str] = set()
            for clause in pt["clauses"]:
                key = " ".join(clause["text"].split())[:60]
                got = set().union(*(v for k, v in predicted.items() if key in k)) if predicted else set()
                matched.update(k for k in predicted if key in k)
                for label in CLAUSE_LABELS:
                    t, g = label in clause["labels"], label in got
                    counts[label][0] += t and g
                    counts[label][1] += g and not t
                    counts[label][2] += t and not g
            for k, labels in predicted.items():  # predictions on sentences the truth does not list
                if k not in matched:
                    for label in labels:
                        counts[label][1] += 1
    out = {}
    for label, (tp, fp, fn) in counts.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[label] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "support": tp + fn}
    return out


def throughput(tagger: Tagger, docs, min_words: int) -> dict:
    all_pages = [pages for pages, _ in docs.values()]
    words_per_round = sum(len(t.split()) for pages in all_pages for _, t in pages)
    rounds = max(1, -(-min_words // words_per_round))
    tagger.tag_pages(all_pages[0])  # warm-up
    started, cpu_started = time.perf_counter(), time.process_time()
    words = 0
    for _ in range(rounds):
        for pages in all_pages:
            words += tagger.tag_pages(pages).words
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    # CPU time too: on a machine shared with other jobs the wall-clock rate understates the tagger
    return {
        "words": words, "seconds": round(seconds, 3), "words_per_second": round(words / seconds),
        "cpu_seconds": round(cpu, 3), "words_per_cpu_second": round(words / cpu),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--batch", type=Path, default=ROOT / ".cache" / "sample-batch")
    parser.add_argument("--min-words", type=int, default=200_000)
    parser.add_argument("--ner", action="store_true", help="also measure with the spaCy NER component")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    from samples.generate import generate_sample_batch

    docs = text_layer_pages(generate_sample_batch(args.batch))
    report = {"cpu_count": os.cpu_count(), "runs": {}}
    for use_ner in (False, True) if args.ner else (False,):
        tagger = Tagger(use_ner=use_ner)
        name = "ruler+ner+classifier" if use_ner else "ruler+classifier"
        report["runs"][name] = {"throughput": throughput(tagger, docs, args.min_words), "accuracy": accuracy(tagger, docs)}
    target = 20_000
    default = report["runs"]["ruler+classifier"]["throughput"]["words_per_second"]
    report["target_words_per_second"] = target
    report["ratio_to_target"] = round(default / target, 2)
    if args.json:
        print(json.dumps(report, indent=1))
    else:
        for name, run in report["runs"].items():
            t, a = run["throughput"], run["accuracy"]
            print(
                f"{name}: {t['words_per_second']:,} words/s wall, {t['words_per_cpu_second']:,} words/CPU-s "
                f"({t['words']:,} words in {t['seconds']} s, one process)"
            )
            for facet in ("vendors", "data_types"):
                s = a[facet]
                print(
                    f"  {facet}: P={s['precision']:.3f} R={s['recall']:.3f} (micro over {s['documents']} docs), "
                    f"macro P={s['macro_precision']:.3f} R={s['macro_recall']:.3f}; errors: {', '.join(s['errors']) or 'none'}"
                )
            print("  clauses (sample-batch sentences): " + ", ".join(
                f"{label} P={v['precision']:.2f} R={v['recall']:.2f} F1={v['f1']:.2f} (n={v['support']})"
                for label, v in a["clauses"].items()))
        print(f"ratio to the 20k words/s target: {report['ratio_to_target']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
