"""Extraction benchmark (on demand): text-layer pages/s against ``pdftotext``, OCR time per page
against the raw ``tesseract`` CLI on the same pages, and peak memory of one big document. The
functions here are the only implementation: ``bench/run`` calls them on its generated corpus.

    OMP_THREAD_LIMIT=1 .venv/bin/python bench/extraction.py [--workers N] [--rounds R] [--ocr-rounds R]
        [--dpi D] [--real] [--bench-corpus] [--memory] [--before REV] [--no-text | --no-ocr]

Text layer (``bench_text_split``): ``pdftotext -layout FILE -`` once per file against
``extract_document(FILE, ocr=False)`` (text, page survey, vector redaction and FOIA passes), best of
``--rounds``, for all files and split by page kind: files where no page has dark filled shapes,
files with vector redaction boxes, and files that are mostly scans carrying their own OCR layer;
plus the vector redaction pass alone in ms per page it reads. ``--before REV`` also times the
extractors of git revision REV in the same rounds (in a fresh process). Default files: the
text-layer PDFs of the sample batch and of ../shared/corpus/court; ``--real``: the real corpus PDFs
with a text layer; ``--bench-corpus``: those of bench/run's corpus.

OCR (``bench_ocr``): every page is rendered once at ``ocr_dpi`` to a PGM file (not timed); raw tesseract reads
those files (``tesseract IMG stdout --psm 3``, N processes at a time, one document after another,
as ``extract_document`` goes) while ``extract_document`` does the whole job from the PDF (render,
image redaction boxes, OCR, orientation check) with N workers. Also timed: raw tesseract with every
page of every document in one pool (no idle core at a short document's end; in the flow, two
documents extracted side by side recover most of that), and the command-line way of OCR'ing a PDF
by hand, which has to rasterise it too: ``pdftoppm -r DPI -gray -f N -l N`` then ``tesseract`` for
each page, N pages at a time. Raw tesseract on pre-rendered pages leaves out the rendering that
``extract_document`` must do (~0.05-0.3 s of pdfium per scanned page). The runs alternate for ``--ocr-rounds``
rounds; reported: best wall time of each (the overhead ratio), and CPU seconds per page of each
(this process plus its tesseract children, ``getrusage``), which a loaded machine disturbs far
less than wall time. Two page sets: real
scans (sample-batch scans, corpus JBIG2 and scanned filings: ~1.5 s of tesseract per page), with
``--real`` the first pages of four image-only real releases (~2 s per page), and with
``--bench-corpus`` bench/run's sample of upright synthetic scans (~0.4 s per page), where the
fixed per-page work weighs four times as much.

Memory (``peak_memory``, ``--memory``): one generated PDF of 1,000 and of 2,000 pages (text pages
of the bench corpus repeated, 40 scanned pages) extracted in a fresh process; peak RSS is the
process's own high-water mark (``VmHWM``; not ``ru_maxrss``, which a process started from a big
parent inherits on Linux) plus the largest RSS of the process and its tesseract children
together, sampled every 20 ms.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pypdfium2 as pdfium

from foialens.environment import configure_environment

configure_environment()
ROOT = Path(__file__).resolve().parent.parent


from foialens.extractors.document import extract_document  # noqa: E402
from foialens.extractors.limits import ExtractLimits  # noqa: E402
from foialens.extractors.ocr import render_dpi, render_gray  # noqa: E402
from foialens.extractors.page_survey import survey_page  # noqa: E402
from foialens.extractors.pdf_open import open_pdf  # noqa: E402
from foialens.extractors.vector_redactions import page_redactions  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus"
CACHE = ROOT / ".cache"


# ---------------------------------------------------------------- page sets


def sample_batch_files(batch: Path) -> tuple[list[Path], list[Path]]:
    """(text-layer PDFs, PDFs of upright scanned pages only) of the sample batch and, when
    present, ../shared/corpus."""
    truth = json.loads((batch / "ground_truth.json").read_text())
    text = [batch / d["file"] for d in truth["documents"] if not d["scanned_pages"]]
    ocr = [
        batch / d["file"]
        for d in truth["documents"]
        if d["scanned_pages"] and len(d["scanned_pages"]) == d["pages"]
        and all(p.get("upright_rotation_cw", 0) == 0 for p in d["page_truth"])
    ]
    if CORPUS.is_dir():
        text += sorted((CORPUS / "court").glob("*.pdf"))
        text = [p for p in text if p.name != "ca4_17.pdf"]  # a scan: belongs to OCR
        ocr += [CORPUS / "robustness" / n for n in ("ingestfile-jbig2.pdf", "doctor-image-pdf.pdf")]
        ocr.append(CORPUS / "court" / "ca4_17.pdf")
    return text, ocr


REAL_SCANS = ("chicago_pd_hailstorm_foia_14-5298_redacted_scanned.pdf", "eugene_pd_flock_prr_log_redacted_scanned.pdf",
              "ice_287g_moa_henry_co_al_jem_2025_scanned.pdf", "okaloosa_so_flock_msa_scanned.pdf")


def real_scan_sample(out_dir: Path, pages: int = 3, corpus: Path = CORPUS) -> list[Path]:
    """The first ``pages`` pages of four image-only FOIA releases and contracts of
    ../shared/corpus/real (black-box redactions, stamps, 200-300 dpi), one PDF each."""
    out = []
    for name in REAL_SCANS:
        doc = pdfium.PdfDocument.new()
        _append_pages(doc, corpus / "real" / name, list(range(1, pages + 1)))
        path = out_dir / f"first{pages}-{name}"
        doc.save(path)
        doc.close()
        out.append(path)
    return out


def corpus_files(corpus: Path):
    """(ground truth documents, text-layer PDFs, [(scanned PDF, its upright scanned page numbers)])
    of a ``samples.corpus`` benchmark corpus."""
    truth = json.loads((corpus / "ground_truth.json").read_text())["documents"]
    text = [corpus / d["file"] for d in truth if not d["scanned_pages"]]
    upright_scans = [
        (corpus / d["file"], [p["page"] for p in d["page_truth"]
                              if p["scanned"] and p.get("upright_rotation_cw", 0) == 0])
        for d in truth if d["scanned_pages"]
    ]
    return truth, text, upright_scans


def _append_pages(doc: pdfium.PdfDocument, path: Path, numbers: list[int]) -> None:
    """Append pages (1-based ``numbers``) of the PDF at ``path`` to ``doc``."""
    if numbers:
        src = pdfium.PdfDocument(path)
        doc.import_pages(src, [n - 1 for n in numbers])
        src.close()


def ocr_sample_pdf(upright_scans, n: int, out: Path) -> Path:
    """A PDF of the first ``n`` upright scanned pages of the corpus."""
    sample = pdfium.PdfDocument.new()
    for path, pages in upright_scans:
        _append_pages(sample, path, pages[: n - len(sample)])
        if len(sample) >= n:
            break
    sample.save(out)
    sample.close()
    return out


def big_pdf(corpus: Path, truth, pages: int, scanned: int, out: Path) -> Path:
    """One ``pages``-page PDF: ``scanned`` scanned pages, the rest text pages of the corpus repeated."""
    doc = pdfium.PdfDocument.new()
    scans = [(corpus / d["file"], [p["page"] for p in d["page_truth"] if p["scanned"]]) for d in truth if d["scanned_pages"]]
    for path, numbers in scans:
        _append_pages(doc, path, numbers[: scanned - len(doc)])
    texts = [(corpus / d["file"], d["pages"]) for d in truth if not d["scanned_pages"]]
    while len(doc) < pages:
        for path, n in texts:
            take = min(n, pages - len(doc))
            if take <= 0:
                break
            _append_pages(doc, path, list(range(1, take + 1)))
    doc.save(out)
    doc.close()
    return out


def _pages(paths: list[Path]) -> int:
    total = 0
    for p in paths:
        pdf = pdfium.PdfDocument(p)
        total += len(pdf)
        pdf.close()
    return total


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


# ---------------------------------------------------------------- text layer


# A previous version of the extractors, timed in a fresh process with the same files (``--before``).
_BEFORE = r"""
import json, sys, time
from foialens.extractors.document import extract_document
paths = json.loads(sys.argv[1])
t = time.perf_counter()
for p in paths:
    assert not extract_document(p, ocr=False).failed, p
print(time.perf_counter() - t)
"""


def _before_seconds(paths: list[Path], before: Path) -> float:
    """Seconds the extractors at ``before`` (a folder holding a ``foialens`` package with its
    sub-packages, e.g. made from ``git archive``) take over ``paths``, timed inside a process
    started from outside the work tree so that ``before`` is what gets imported."""
    env = {**os.environ, "PYTHONPATH": str(before), "OMP_THREAD_LIMIT": "1"}
    out = subprocess.run([sys.executable, "-c", _BEFORE, json.dumps([str(p) for p in paths])], capture_output=True,
                         text=True, check=True, cwd=tempfile.gettempdir(), env=env)
    return float(out.stdout.split()[-1])


def checkout_before(rev: str, out: Path) -> Path:
    """A folder whose ``foialens`` package is the project at git revision ``rev`` (``git archive``
    of the work tree's repository, sub-packages linked in as pyproject.toml's package-dir maps
    them), for ``--before``."""
    src = out / "src"
    src.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev], capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(src)], input=archive, check=True)
    pkg = out / "pkg" / "foialens"
    pkg.mkdir(parents=True, exist_ok=True)
    for module in (src / "foialens").glob("*.py"):
        (pkg / module.name).write_bytes(module.read_bytes())
    for sub in ("cli", "extractors", "models", "search", "store", "flows", "web", "samples"):
        if (src / sub).is_dir():
            (pkg / sub).symlink_to(src / sub)
    return out / "pkg"


def bench_text(paths: list[Path], rounds: int, before: Path | None = None) -> dict[str, float]:
    """``pdftotext -layout`` against ``extract_document(ocr=False)`` (and a previous version of it
    with ``before``), alternating, best of ``rounds`` each."""
    pages = _pages(paths)
    best_ours = best_ref = best_before = float("inf")
    for _ in range(rounds):
        t = time.perf_counter()
        for p in paths:
            subprocess.run(["pdftotext", "-layout", str(p), "-"], check=True, stdout=subprocess.DEVNULL)
        best_ref = min(best_ref, time.perf_counter() - t)
        t = time.perf_counter()
        for p in paths:
            doc = extract_document(p, ocr=False)
            assert not doc.failed, doc.errors
        best_ours = min(best_ours, time.perf_counter() - t)
        if before is not None:
            best_before = min(best_before, _before_seconds(paths, before))
    out = {"files": len(paths), "pages": pages, "pdftotext_pps": pages / best_ref, "ours_pps": pages / best_ours,
           "ratio": best_ref / best_ours}
    if before is not None:
        out.update(before_pps=pages / best_before, before_ratio=best_ref / best_before)
    return out


def page_kinds(path: Path) -> tuple[list[int], int]:
    """(the pages the vector redaction pass reads: those whose survey sees dark filled shapes,
    the number of mostly-image pages: scans, whose text layer is their own OCR)."""
    opened = open_pdf(path)
    try:
        found, images = [], 0
        for i in range(opened.page_count):
            page = opened.pdf[i]
            survey = survey_page(page)
            if survey.dark_filled_paths:
                found.append(i + 1)
            images += survey.mostly_image
            page.close()
        return found, images
    finally:
        if opened.pdf is not None:
            opened.pdf.close()


def vector_pages(path: Path) -> list[int]:
    return page_kinds(path)[0]


def real_text_files(corpus: Path = CORPUS) -> list[Path]:
    """The real PDFs with a text layer: ../shared/corpus/real files where >= 70% of the pages
    carry >= 200 characters of text, plus court/ (but ca4_17.pdf, a scan) and redactions/."""
    files = []
    for path in sorted((corpus / "real").glob("*.pdf")):
        pdf = pdfium.PdfDocument(path)
        chars = []
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            chars.append(len(textpage.get_text_range().strip()))
            textpage.close()
            page.close()
        pdf.close()
        if chars and sum(c >= 200 for c in chars) >= 0.7 * len(chars):
            files.append(path)
    files += [p for p in sorted((corpus / "court").glob("*.pdf")) if p.name != "ca4_17.pdf"]
    return files + sorted((corpus / "redactions").glob("*.pdf"))


def redaction_pass_seconds(path: Path, numbers: list[int]) -> float:
    """Seconds of the vector redaction pass alone (``page_redactions``) on the given pages, with
    the page, text page and survey already there (as extract_document has them)."""
    pdf = pdfium.PdfDocument(path)
    spent = 0.0
    try:
        for n in numbers:
            page = pdf[n - 1]
            textpage = page.get_textpage()
            survey = survey_page(page)
            t = time.perf_counter()
            page_redactions(page, textpage, survey, n)
            spent += time.perf_counter() - t
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return spent


def bench_text_split(paths: list[Path], rounds: int, before: Path | None = None) -> dict:
    """bench_text over all files, over files without a page drawing dark filled shapes and over
    files with one, plus the redaction pass alone (best of ``rounds``) in ms per page it reads."""
    kinds = {p: page_kinds(p) for p in paths}
    by_file = {p: k[0] for p, k in kinds.items()}
    scans = [p for p in paths if kinds[p][1] * 2 >= _pages([p])]  # mostly scans with an OCR layer
    plain = [p for p in paths if not by_file[p] and p not in scans]
    redacted = [p for p in paths if by_file[p] and p not in scans]
    out = {"load_before": _load(), "all": bench_text(paths, rounds, before)}
    out["without_vector_shapes"] = bench_text(plain, rounds, before) if plain else None
    out["with_vector_shapes"] = bench_text(redacted, rounds, before) if redacted else None
    out["scans_with_text_layer"] = bench_text(scans, rounds, before) if scans else None
    n = sum(len(v) for v in by_file.values())
    if n:
        best = min(sum(redaction_pass_seconds(p, by_file[p]) for p in paths if by_file[p]) for _ in range(rounds))
        out["redaction_pass_pages"] = n
        out["redaction_pass_ms_per_page"] = 1000 * best / n
    out["load_after"] = _load()
    return out


def describe_text(tx: dict) -> list[str]:
    lines = []
    for key, label in (("all", "all files"), ("without_vector_shapes", "files without dark filled shapes"),
                       ("with_vector_shapes", "files with vector redaction boxes"),
                       ("scans_with_text_layer", "scans with their own OCR text layer")):
        r = tx.get(key)
        if r:
            line = (f"{label}: {r['files']} files, {r['pages']} pages; pdftotext -layout {r['pdftotext_pps']:.0f} "
                    f"pages/s, extract_document {r['ours_pps']:.0f} pages/s = {r['ratio']:.0%} of pdftotext "
                    "(target >= 50%)")
            if "before_pps" in r:
                line += f"; before {r['before_pps']:.0f} pages/s = {r['before_ratio']:.0%}"
            lines.append(line)
    if tx.get("redaction_pass_pages"):
        lines.append(f"vector redaction pass alone: {tx['redaction_pass_ms_per_page']:.2f} ms per page read "
                     f"({tx['redaction_pass_pages']} pages)")
    lines.append(f"load average before {tx['load_before']}, after {tx['load_after']}")
    return lines


# ---------------------------------------------------------------- OCR


def _cpu() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def bench_ocr(paths: list[Path], workers: int, limits: ExtractLimits, rounds: int) -> dict[str, float]:
    """Raw tesseract on pre-rendered pages against extract_document on the PDFs, alternating,
    ``rounds`` times each; wall time (best of the rounds, and median) and CPU time per page."""
    load_before = _load()
    with tempfile.TemporaryDirectory(prefix="foialens-bench-") as tmp:
        by_doc: list[list[str]] = []
        for p in paths:
            pdf = pdfium.PdfDocument(p)
            by_doc.append([])
            for i in range(len(pdf)):
                page = pdf[i]
                w, h = page.get_size()
                img = render_gray(page, render_dpi(w, h, limits.ocr_dpi, limits.max_page_pixels))
                out = Path(tmp) / f"{p.stem}-{i}.pgm"
                img.save(out, format="PPM")
                by_doc[-1].append(str(out))
                page.close()
            pdf.close()
        images = [img for doc_images in by_doc for img in doc_images]

        def raw(img: str) -> None:
            subprocess.run(["tesseract", img, "stdout", "--psm", "3", "-l", limits.ocr_language],
                           check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

        def run_raw() -> None:  # like extract_document: one document after another, N pages at a time
            for doc_images in by_doc:
                with ThreadPoolExecutor(workers) as pool:
                    list(pool.map(raw, doc_images))

        def run_raw_batch() -> None:  # every page of every document in one pool
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(raw, images))

        def by_hand(job: tuple[Path, int]) -> None:  # the command-line way: pdftoppm, then tesseract
            pdf, number = job
            out = Path(tmp) / f"hand-{pdf.stem}-{number}"
            subprocess.run(["pdftoppm", "-f", str(number), "-l", str(number), "-r", str(limits.ocr_dpi), "-gray",
                            "-singlefile", str(pdf), str(out)], check=True, stderr=subprocess.DEVNULL)
            raw(f"{out}.pgm")

        def run_by_hand() -> None:  # one document after another, N pages at a time, each rendered then read
            for pdf, doc_images in zip(paths, by_doc):
                with ThreadPoolExecutor(workers) as pool:
                    list(pool.map(by_hand, [(pdf, i + 1) for i in range(len(doc_images))]))

        def run_ours() -> list:
            return [extract_document(p, limits) for p in paths]

        walls: dict[str, list[float]] = {"raw": [], "ours": [], "raw_batch": [], "by_hand": []}
        cpus: dict[str, list[float]] = {"raw": [], "ours": [], "raw_batch": [], "by_hand": []}
        docs: list = []
        # Alternate, and reverse the order every round: a shared machine's load drifts.
        for r in range(rounds):
            order = (("raw", run_raw), ("ours", run_ours), ("raw_batch", run_raw_batch), ("by_hand", run_by_hand))
            for name, fn in order if r % 2 == 0 else order[::-1]:
                c, t = _cpu(), time.perf_counter()
                result = fn()
                walls[name].append(time.perf_counter() - t)
                cpus[name].append(_cpu() - c)
                if name == "ours":
                    docs = result
    n = len(images)
    ocr_pages = sum(len(d.pages_ocr) for d in docs)
    assert ocr_pages == n, (ocr_pages, n, [d.errors for d in docs])
    rotated = sum(1 for d in docs for pg in d.pages if pg.rotation)
    raw_s, ours_s = min(walls["raw"]) / n, min(walls["ours"]) / n
    raw_cpu, ours_cpu = min(cpus["raw"]) / n, min(cpus["ours"]) / n
    return {"pages": n, "documents": len(paths), "workers": workers, "dpi": limits.ocr_dpi, "rounds": rounds,
            "raw_s_per_page": raw_s, "ours_s_per_page": ours_s, "overhead": ours_s / raw_s - 1,
            "raw_batch_s_per_page": min(walls["raw_batch"]) / n,
            "raw_median_s_per_page": statistics.median(walls["raw"]) / n,
            "ours_median_s_per_page": statistics.median(walls["ours"]) / n,
            "raw_cpu_s_per_page": raw_cpu, "ours_cpu_s_per_page": ours_cpu, "cpu_overhead": ours_cpu / raw_cpu - 1,
            "by_hand_s_per_page": min(walls["by_hand"]) / n, "by_hand_cpu_s_per_page": min(cpus["by_hand"]) / n,
            "overhead_vs_by_hand": ours_s / (min(walls["by_hand"]) / n) - 1,
            "ours_core_use": ours_cpu * n / (min(walls["ours"]) * workers),
            "rotated_pages": rotated, "load_before": load_before, "load_after": _load()}


def describe_ocr(label: str, oc: dict) -> str:
    return (f"OCR, {label}: {oc['pages']} pages in {oc['documents']} PDF(s) at {oc['dpi']} dpi, {oc['workers']} "
            f"worker(s), best of {oc['rounds']}: raw tesseract {oc['raw_s_per_page']:.3f} s/page "
            f"(all documents' pages in one pool: {oc['raw_batch_s_per_page']:.3f}), extract_document "
            f"{oc['ours_s_per_page']:.3f} s/page = {oc['overhead']:+.1%} wall (target < +10%); CPU {oc['raw_cpu_s_per_page']:.3f} vs "
            f"{oc['ours_cpu_s_per_page']:.3f} s/page = {oc['cpu_overhead']:+.1%}; against the command-line way "
            f"(pdftoppm -gray then tesseract per page) {oc['by_hand_s_per_page']:.3f} s/page, "
            f"CPU {oc['by_hand_cpu_s_per_page']:.3f}: {oc['overhead_vs_by_hand']:+.1%} wall; cores busy "
            f"{oc['ours_core_use']:.0%}; turned upright: {oc['rotated_pages']}; load {oc['load_before']} -> {oc['load_after']}")


# ---------------------------------------------------------------- memory

PEAK_RSS = r"""
import json, os, sys, threading, time
from foialens.extractors.document import extract_document

def rss_kib(pid):
    try:
        with open(f"/proc/{pid}/status") as fh:
            return next(int(l.split()[1]) for l in fh if l.startswith("VmRSS:"))
    except (OSError, StopIteration):
        return 0

def children(pid):
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out += [int(c) for c in fh.read().split()]
    except OSError:
        pass
    return out

peak_tree = 0
stop = threading.Event()
def sample():
    global peak_tree
    me = os.getpid()
    while not stop.wait(0.02):
        peak_tree = max(peak_tree, rss_kib(me) + sum(rss_kib(c) for c in children(me)))
threading.Thread(target=sample, daemon=True).start()
t = time.perf_counter()
d = extract_document(sys.argv[1], ocr=sys.argv[2] == "1")
s = time.perf_counter() - t
stop.set()
with open("/proc/self/status") as fh:
    hwm = next(int(l.split()[1]) for l in fh if l.startswith("VmHWM:"))
print(json.dumps({"pages": d.page_count, "ocr_pages": len(d.pages_ocr), "seconds": round(s, 1),
                  "failed": d.failed, "errors": [e.code for e in d.errors][:5],
                  "peak_rss_mib": round(hwm / 1024), "peak_tree_rss_mib": round(peak_tree / 1024)}))
"""


def peak_memory(path: Path, ocr: bool = True) -> dict:
    """Extract ``path`` in a fresh process; its peak RSS (VmHWM) and the peak RSS of it and its
    tesseract children together."""
    proc = subprocess.run([sys.executable, "-c", PEAK_RSS, str(path), "1" if ocr else "0"], capture_output=True,
                          text=True, cwd=ROOT)
    if proc.returncode:
        raise RuntimeError(proc.stderr[-3000:])
    return {**json.loads(proc.stdout), "file_mib": round(path.stat().st_size / 2**20, 1)}


def bench_memory(corpus: Path, truth, sizes=(1000, 2000), scanned: int = 40) -> list[dict]:
    out = []
    with tempfile.TemporaryDirectory(prefix="foialens-bench-mem-") as tmp:
        for n in sizes:
            big = big_pdf(corpus, truth, n, min(scanned, n // 10), Path(tmp) / f"big-{n}.pdf")
            out.append(peak_memory(big))
    return out


def describe_memory(runs: list[dict]) -> str:
    parts = [f"{r['pages']} pages ({r['ocr_pages']} OCR'd): peak RSS {r['peak_rss_mib']} MiB, with tesseract "
             f"children {r['peak_tree_rss_mib']} MiB, {r['seconds']} s" for r in runs]
    return "memory: " + "; ".join(parts)


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--ocr-rounds", type=int, default=3)
    ap.add_argument("--dpi", type=int, default=ExtractLimits().ocr_dpi)
    ap.add_argument("--bench-corpus", action="store_true", help="also bench/run's corpus (text files, OCR sample)")
    ap.add_argument("--ocr-sample", type=int, default=24)
    ap.add_argument("--memory", action="store_true", help="peak RSS of 1,000- and 2,000-page PDFs (needs the corpus)")
    ap.add_argument("--json", type=Path, help="also write the raw numbers here")
    ap.add_argument("--real", action="store_true", help="text layer of the real corpus PDFs (../shared/corpus)")
    ap.add_argument("--before", help="also time the extractors of a previous version, in the same run: a git "
                    "revision (e.g. e31109b), or a folder holding that version's foialens package")
    ap.add_argument("--no-ocr", action="store_true", help="skip the OCR measurements")
    ap.add_argument("--no-text", action="store_true", help="skip the text-layer measurements")
    args = ap.parse_args()
    from foialens.samples.generate import generate_sample_batch

    batch = generate_sample_batch(CACHE / "sample-batch")
    if args.before and not Path(args.before).is_dir():
        args.before = checkout_before(args.before, Path(tempfile.mkdtemp(prefix="foialens-before-")))
    elif args.before:
        args.before = Path(args.before)
    text, ocr = sample_batch_files(batch)
    limits = ExtractLimits(ocr_workers=args.workers, ocr_dpi=args.dpi)
    out: dict = {}
    if not args.no_text:
        print("text layer, sample batch + court corpus:")
        out["text"] = bench_text_split(text, args.rounds, args.before)
        print("  " + "\n  ".join(describe_text(out["text"])), flush=True)
    if args.real and not args.no_text and CORPUS.is_dir():
        print("text layer, real corpus (real/ with a text layer, court/, redactions/):")
        out["text_real"] = bench_text_split(real_text_files(), args.rounds, args.before)
        print("  " + "\n  ".join(describe_text(out["text_real"])), flush=True)
    if not args.no_ocr:
        out["ocr_real"] = bench_ocr(ocr, args.workers, limits, args.ocr_rounds)
        print(describe_ocr("real scans", out["ocr_real"]), flush=True)
    if args.real and not args.no_ocr and CORPUS.is_dir():
        with tempfile.TemporaryDirectory() as tmp:
            scans = real_scan_sample(Path(tmp))
            out["ocr_real_corpus"] = bench_ocr(scans, args.workers, limits, args.ocr_rounds)
        print(describe_ocr("real corpus scans", out["ocr_real_corpus"]), flush=True)
    if args.bench_corpus or args.memory:
        from foialens.samples.corpus import generate_bench_corpus

        corpus = generate_bench_corpus(CACHE / "bench-corpus")
        truth, corpus_text, upright = corpus_files(corpus)
        if args.bench_corpus and not args.no_text:
            print("text layer, bench corpus:")
            out["text_corpus"] = bench_text_split(corpus_text, args.rounds, args.before)
            print("  " + "\n  ".join(describe_text(out["text_corpus"])), flush=True)
            if not args.no_ocr:
                with tempfile.TemporaryDirectory() as tmp:
                    sample = ocr_sample_pdf(upright, args.ocr_sample, Path(tmp) / "ocr-sample.pdf")
                    out["ocr_corpus"] = bench_ocr([sample], args.workers, limits, args.ocr_rounds)
                print(describe_ocr("bench corpus sample", out["ocr_corpus"]), flush=True)
        if args.memory:
            out["memory"] = bench_memory(corpus, truth)
            print(describe_memory(out["memory"]), flush=True)
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
