"""Search benchmark: bulk indexing pages/s and query latency p50/p95, both backends, the same
generated records.

    .venv/bin/python bench/search.py                      # sqlite 100k pages, osmem 10k pages
    .venv/bin/python bench/search.py --pages 100000 --es-pages 0
    .venv/bin/python bench/search.py --es-url http://localhost:9200   # a real cluster

The osmem-server (in-memory OpenSearch-compatible test server) is started from the installed
wheel when no --es-url is given; it is a test double, so its numbers say little about a real
cluster. Records are generated deterministically (seeded): contract/FOIA-like vocabulary with a
Zipf word distribution, 20-page documents, tags on some pages.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from foialens.models.records import CLAUSE_LABELS
from foialens.search.config import BackendConfig, ElasticsearchConfig
from foialens.search.factory import open_backend
from foialens.search.records import PageRecord, SearchQuery

SENTENCES = [
    "Responsive records were released in part under the Freedom of Information Act.",
    "The vendor shall provide access to the database for the duration of the agreement.",
    "Information is withheld under exemption (b)(7)(C) to protect personal privacy.",
    "Data will be retained for three years and audited annually.",
    "The contractor shall not share data with any third party without written approval.",
    "License plate reader detections are stored in the vehicle location database.",
    "The agency may query the system for law enforcement purposes only.",
    "Immigration and Customs Enforcement requested access to the data sharing portal.",
    "Facial recognition searches require supervisor approval and a documented case number.",
    "The sheriff department operates surveillance cameras at intersections.",
    "Homeland Security Investigations will use the investigative case management system.",
    "Fingerprints and biometric identity records are submitted to the federal repository.",
    "Utility records, phone records and financial records are available through the subscription.",
    "Social media monitoring is prohibited at sensitive locations such as schools and hospitals.",
    "Enforcement and Removal Operations may request booking records from the county jail.",
    "A warrant or subpoena is required before location data is disclosed.",
    "The memorandum of understanding governs the exchange of criminal history information.",
    "Palantir personnel require background investigations before system access.",
    "Vigilant Solutions provides commercial license plate data through LEARN.",
    "Clearview AI face images were searched by detectives during the trial period.",
    "Purpose limitation: data may be used only for the investigation that justified collection.",
    "The appeal was denied and the production closed.",
]
# The query mix, by class (each text drawn with equal probability, then a random filter set).
# "selective": rare words (0.3-0.8% of pages) and a document looked up by its title number;
# "words"/"phrase"/"operators": domain terms on ~3-13% of pages; "broad": 16% and 39% of pages.
QUERY_CLASSES = {
    "words": ["surveillance", "license plate", "facial recognition", "immigration enforcement access",
              "audit records", "warrant subpoena", "sheriff cameras"],
    "phrase": ['"license plate reader"', '"third party" share', '"booking records"'],
    "operators": ["palantir OR clearview", "immigration -appeal", "biometric OR fingerprints", "retain*"],
    "broad": ["records -withheld", "exemption privacy"],
}
VENDORS = ["vigilant_solutions", "palantir", "clearview_ai", "lexisnexis", "thomson_reuters", "flock_safety",
           "motorola_solutions", "rekor", "babel_street", "venntel", "cellebrite", "shotspotter", "axon"]
DATA_TYPES = ["alpr", "vehicle_location", "fingerprints", "face_images", "dmv_records", "criminal_history",
              "immigration_status", "location_data", "phone_records", "social_media", "utility_records"]
AGENCIES = ["ice", "dhs", "cbp", "uscis", "fbi", "doj", "dea", "sheriff", "police", "fusion_center"]
CLAUSES = list(CLAUSE_LABELS)
EXEMPTIONS = ["b5", "b6", "b7a", "b7c", "b7e"]
FILTERS = [{}, {}, {"vendors": ["vigilant_solutions"]}, {"agencies": ["ice", "cbp"]}, {"year": ["2019"]}]
BROWSE = 3  # browse-by-tag entries in the mix (empty text, one of the non-empty FILTERS)


def query_mix(seed: int = 7) -> list[tuple[str, str]]:
    """(class, text) pairs; selective words come from the generated vocabulary (rare Zipf ranks)."""
    vocab = vocabulary(random.Random(seed))  # the same vocabulary generate(seed) uses
    selective = [vocab[len(vocab) // 2], vocab[-1], f"{vocab[len(vocab) * 3 // 4]} records", "contract 1234"]
    mix = [("selective", t) for t in selective]
    mix += [(cls, t) for cls, texts in QUERY_CLASSES.items() for t in texts]
    return mix + [("browse", "")] * BROWSE


def vocabulary(rng: random.Random, size: int = 8000) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return sorted({"".join(rng.choices(letters, k=rng.randint(2, 11))) for _ in range(size)})


def generate(n_pages: int, seed: int = 7, words_per_page: int = 220) -> Iterator[PageRecord]:
    """Pages of Zipf-distributed filler words plus 0-4 domain sentences (themselves Zipf-picked,
    so the most common sentence is on ~20% of pages and the rarest on ~1%)."""
    rng = random.Random(seed)
    vocab = vocabulary(rng)
    weights = [1.0 / (rank + 1) for rank in range(len(vocab))]
    s_weights = [1.0 / (rank + 1) for rank in range(len(SENTENCES))]
    for i in range(n_pages):
        doc, page = divmod(i, 20)
        words = rng.choices(vocab, weights=weights, k=words_per_page)
        for sentence in rng.choices(SENTENCES, weights=s_weights, k=rng.randint(0, 4)):
            at = rng.randrange(len(words) + 1)
            words[at:at] = [sentence]
        yield PageRecord(
            doc_id=f"{doc:064x}", page=page + 1, path=f"batch{doc % 50}/doc{doc}.pdf",
            title=f"Contract {doc} {vocab[doc % 40]}", batch=f"batch{doc % 50}", year=str(2010 + doc % 14),
            text=" ".join(words),
            vendors=rng.sample(VENDORS, rng.randint(0, 2)), data_types=rng.sample(DATA_TYPES, rng.randint(0, 2)),
            agencies=rng.sample(AGENCIES, rng.randint(0, 2)), clauses=rng.sample(CLAUSES, rng.randint(0, 1)),
            exemptions=rng.sample(EXEMPTIONS, 1) if rng.random() < 0.2 else [],
        )


def bench_backend(name: str, config: BackendConfig, n_pages: int, n_queries: int) -> dict:
    records = list(generate(n_pages))
    backend = open_backend(config)
    try:
        t = time.perf_counter()
        for i in range(0, len(records), 1000):  # ingest-like: documents arrive in batches
            backend.replace_documents(records[i : i + 1000])
        replace_s = time.perf_counter() - t
        t = time.perf_counter()
        backend.rebuild(iter(records))
        rebuild_s = time.perf_counter() - t
        assert backend.count() == n_pages
        rng = random.Random(3)
        mix = query_mix()
        load_before = os.getloadavg()[0]
        by_class: dict[str, list[float]] = {}
        latencies, totals = [], []
        for _ in range(n_queries):
            cls, text = rng.choice(mix)
            filters = rng.choice(FILTERS[2:] if cls == "browse" else FILTERS)
            q = SearchQuery(text=text, filters=filters, page=rng.choice([1, 1, 2, 5]))
            t = time.perf_counter()
            res = backend.search(q)
            ms = (time.perf_counter() - t) * 1000
            latencies.append(ms)
            by_class.setdefault(cls, []).append(ms)
            totals.append(res.total)
        load_after = os.getloadavg()[0]
    finally:
        backend.close()
    return {
        "backend": name, "pages": n_pages,
        "replace_documents_pages_per_s": round(n_pages / replace_s),
        "rebuild_pages_per_s": round(n_pages / rebuild_s),
        "queries": n_queries, **_quantiles("query", latencies), "median_hits": int(statistics.median(totals)),
        "classes": {cls: {"n": len(v), **_quantiles("", v)} for cls, v in sorted(by_class.items())},
        "load_avg_1m": [round(load_before, 2), round(load_after, 2)],
    }


def _quantiles(prefix: str, ms: list[float]) -> dict:
    q = statistics.quantiles(ms, n=100) if len(ms) > 1 else ms * 99
    pre = f"{prefix}_" if prefix else ""
    return {f"{pre}p50_ms": round(q[49], 2), f"{pre}p95_ms": round(q[94], 2), f"{pre}max_ms": round(max(ms), 2)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pages", type=int, default=100_000, help="pages for the SQLite backend")
    ap.add_argument("--es-pages", type=int, default=10_000, help="pages for Elasticsearch/osmem (0: skip)")
    ap.add_argument("--queries", type=int, default=600)
    ap.add_argument("--es-url", help="a real cluster instead of osmem")
    ap.add_argument("--es-api-key")
    args = ap.parse_args(argv)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        if args.pages:
            cfg = BackendConfig(kind="sqlite", sqlite_path=Path(tmp) / "bench.sqlite3")
            results.append(bench_backend("sqlite", cfg, args.pages, args.queries))
            print(json.dumps(results[-1]), flush=True)
    if args.es_pages:
        server = None
        url = args.es_url
        if url is None:
            from osmem_server import OsmemServer

            server = OsmemServer.start(japanese=False)
            url = server.url
        try:
            cfg = BackendConfig(kind="elasticsearch", es=ElasticsearchConfig(
                url=url, api_key=args.es_api_key, index_prefix="foialens-bench", plain_json=server is not None))
            name = "osmem" if server is not None else "elasticsearch"
            results.append(bench_backend(name, cfg, args.es_pages, args.queries))
            print(json.dumps(results[-1]), flush=True)
        finally:
            if server is not None:
                server.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
