"""Data-sharing network benchmarks (the targets of the data-sharing network work):

1. `foialens network --to ice` on an index of 1,000 documents answers in < 1 s: an embedded
   SQLite index is filled with 1,000 documents of sharing relations shaped like real LEARN reports
   (200 sharing agencies, each document listing 20-500 recipients, some of them HSI, ICE ERO, CBP
   or Border Patrol sectors), then the CLI is run as a user runs it (a new process each time;
   median of --rounds; wall and CPU time: on a shared machine the CPU time is the steadier one). The query alone (search_relations + flows_to in-process) is reported too.
2. A report with 500 recipients is read in seconds: a generated LEARN-style text-layer report with
   500 recipient rows is extracted and tagged (extract_document + tag_document, the pipeline's
   per-document step), wall time and relations found.

    .venv/bin/python bench/network.py [--documents 1000] [--recipients 500] [--rounds 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FEDERAL = [("hsi", ["hsi", "ice", "dhs"], "DHS - HSI (Newark NJ)"), ("ero", ["ero", "ice", "dhs"], "ICE ERO"),
           ("cbp", ["cbp", "dhs"], "CBP - NTC"), ("usbp", ["usbp", "cbp", "dhs"], "San Diego Sector Border Patrol")]


def _local(i: int) -> tuple[str, list[str], str]:
    agency = f"local-ca-town{i}-police-department"
    return agency, [agency], f"Town{i} Police Department"


def fill_index(data_dir: Path, documents: int, seed: int = 0) -> int:
    """An index of ``documents`` sharing reports; returns the number of relations written."""
    from foialens.search.config import BackendConfig
    from foialens.search.factory import open_backend
    from foialens.search.records import PageRecord, RelationRecord

    rng = random.Random(seed)
    data_dir.mkdir(parents=True, exist_ok=True)
    engine = open_backend(BackendConfig(kind="sqlite", sqlite_path=data_dir / "index.sqlite"))
    total = 0
    try:
        pages = []
        for d in range(documents):
            doc_id = f"report-{d:05d}"
            pages.append(PageRecord(doc_id=doc_id, page=1, title=f"LEARN report {d}",
                                    path=f"batch/{doc_id}.pdf", batch="bench", text="Agency Data Sharing Report"))
        engine.replace_documents(pages)
        for d in range(documents):
            doc_id = f"report-{d:05d}"
            owner_id, owner_path, owner_name = _local(d % 200)
            rows = []
            for n in range(rng.randint(20, 500)):
                them = FEDERAL[rng.randrange(len(FEDERAL))] if rng.random() < 0.02 else _local(rng.randrange(5000))
                rows.append(RelationRecord(
                    doc_id=doc_id, n=n, path=f"batch/{doc_id}.pdf", title=f"LEARN report {d}", batch="bench", year="2020",
                    page=1 + n // 60, source_id=owner_id, source_name=owner_name, source_path=owner_path,
                    recipient_id=them[0], recipient_name=them[2], recipient_path=them[1], data_type="alpr",
                    platform_vendor="vigilant_solutions", kind="detections", direction="sharing", polarity="grant",
                    as_of="2020-03-02", section="detections_shared_with", text=them[2]))
            total += engine.replace_relations(doc_id, rows)
    finally:
        engine.close()
    return total


def time_query(data_dir: Path, rounds: int) -> dict:
    from foialens.search import network as net
    from foialens.search.config import BackendConfig
    from foialens.search.factory import open_backend
    from foialens.search.records import RelationQuery

    env = {**os.environ, "FOIALENS_DATA_DIR": str(data_dir)}
    cli, cli_cpu, inproc = [], [], []
    for _ in range(rounds):
        started = time.perf_counter()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        done = subprocess.run([sys.executable, "-m", "foialens.cli.main", "network", "--to", "ice", "--json"],
                              env=env, capture_output=True, text=True, check=True)
        cli.append(time.perf_counter() - started)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cli_cpu.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
        lines = done.stdout.count("\n")
        started = time.perf_counter()
        engine = open_backend(BackendConfig(kind="sqlite", sqlite_path=data_dir / "index.sqlite", read_only=True))
        try:
            found = engine.search_relations(RelationQuery(filters={"recipient": ["ice"], "polarity": ["grant"]}, limit=100_000))
            sources = net.flows_to(found.relations)
        finally:
            engine.close()
        inproc.append(time.perf_counter() - started)
    return {"cli_wall_s_median": round(statistics.median(cli), 3), "cli_cpu_s_median": round(statistics.median(cli_cpu), 3), "query_s_median": round(statistics.median(inproc), 4),
            "relations_to_ice": lines, "sources_reaching_ice": len(sources)}


def time_report(recipients: int, out_dir: Path) -> dict:
    sys.path.insert(0, str(ROOT))
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    from foialens.extractors.document import extract_document
    from foialens.flows.pipeline import tag_document
    from foialens.models.tagger import Tagger

    path = out_dir / "learn_500.pdf"
    c = canvas.Canvas(str(path), pagesize=letter)
    names = [f"Town{i} Police Department" for i in range(recipients)]
    per_page = 56
    for p, start in enumerate(range(0, recipients, per_page), start=1):
        c.setFont("Helvetica", 14)
        c.drawString(262, 760, "Agency")
        c.drawString(228, 740, "Data Sharing Report")
        c.setFont("Helvetica", 9)
        y = 700
        if p == 1:
            c.drawString(240, 720, "Detections Shared")
            c.drawString(74, 705, "The Orange County Sheriffs Department Agency is Sharing its Detection data with the following Agencies:")
            y = 680
        chunk = names[start : start + per_page]
        for k in range(0, len(chunk), 2):
            for x, name in zip((70, 330), chunk[k : k + 2]):
                c.drawString(x, y, name)
            y -= 22
        c.drawString(40, 30, "Date Created: 03-02-20")
        c.drawString(520, 30, f"Page {p} of {(recipients + per_page - 1) // per_page}")
        c.showPage()
    c.save()
    tagger = Tagger()
    tagger.tag_pages([(1, "warm up")])
    started = time.perf_counter()
    extracted = extract_document(path)
    extract_s = time.perf_counter() - started
    tags = tag_document(extracted, tagger)
    total_s = time.perf_counter() - started
    found = [r for r in tags.relations if r.section == "detections_shared_with"]
    return {"recipients": recipients, "pages": extracted.page_count, "relations_found": len(found),
            "extract_s": round(extract_s, 2), "extract_and_tag_s": round(total_s, 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--documents", type=int, default=1000)
    ap.add_argument("--recipients", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="foialens-bench-network-") as tmp:
        data_dir = Path(tmp) / "data"
        started = time.perf_counter()
        relations = fill_index(data_dir, args.documents)
        result = {"documents": args.documents, "relations": relations, "fill_s": round(time.perf_counter() - started, 1)}
        result["network_to_ice"] = time_query(data_dir, args.rounds)
        result["report"] = time_report(args.recipients, Path(tmp))
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        q, r = result["network_to_ice"], result["report"]
        print(f"index: {result['documents']} documents, {result['relations']} relations (filled in {result['fill_s']} s)")
        print(f"foialens network --to ice: {q['cli_wall_s_median']} s wall, {q['cli_cpu_s_median']} s CPU "
              f"(new process, median of {args.rounds}); "
              f"query {q['query_s_median']} s; {q['relations_to_ice']} relations from {q['sources_reaching_ice']} sources")
        print(f"{r['recipients']}-recipient report ({r['pages']} pages): {r['relations_found']} relations, "
              f"extracted in {r['extract_s']} s, extracted and tagged in {r['extract_and_tag_s']} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
