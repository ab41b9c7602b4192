"""Latency, cold start, scale-out and ingest memory (issue 15 items 1, 2, 5, 6); bench/run calls
these functions, each measuring a ratio within one run on this (shared, noisy) machine:

- ``cold_start``: median wall time of ``foialens --help`` and ``foialens search`` against
  ``python -c pass``, runs alternating.
- ``latency``: a one-page text PDF from "asked for" to searchable: `foialens ingest` the old way
  (a temporary Prefect server started by the process) against a warm cluster (a running
  `prefect server` and one `foialens worker`); a web upload the old way (one job-runner process
  per job, as web/jobs.py did) against a running `foialens serve` whose job runner is warm.
- ``scale_out``: the same ~1,000-page mixed batch with 1 and with 2 `foialens worker` processes
  writing one osmem-server (Elasticsearch API), `foialens ingest` as the coordinator.
- ``ingest_memory``: peak RSS (VmHWM) of a fresh process ingesting one generated PDF of 100,
  1,000 and 2,000 pages (extract, tag, save, index: the per-document step of a worker).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.support.cluster import Cluster, free_port, stop

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable


def _run(cmd: list[str], env: dict, timeout: float = 900) -> tuple[float, subprocess.CompletedProcess]:
    t = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
    return time.perf_counter() - t, done


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PYTHONPATH": str(ROOT), **{k: str(v) for k, v in extra.items()}}


# --- 2: cold start -----------------------------------------------------------------------------


def _timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of a command (CPU: user + system of the child, os.wait4)."""
    t = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{cmd}: exit {proc.returncode}: {proc.stderr.read()[-2000:]}")
    proc.stderr.close()
    return wall, usage.ru_utime + usage.ru_stime


def cold_start(data_dir: Path, runs: int = 9) -> dict:
    """Medians of alternating runs, wall and CPU time (the CPU time of a process is what a loaded
    machine disturbs least); ``data_dir`` holds an index.sqlite to search."""
    env = _env(FOIALENS_DATA_DIR=data_dir)
    cmds = {
        "python -c pass": [PY, "-c", "pass"],
        "foialens --help": [PY, "-m", "foialens.cli.main", "--help"],
        'foialens search "license plate"': [PY, "-m", "foialens.cli.main", "search", "license plate"],
        'foialens search "license plate" --json': [PY, "-m", "foialens.cli.main", "search", "license plate", "--json"],
    }
    walls: dict[str, list[float]] = {k: [] for k in cmds}
    cpus: dict[str, list[float]] = {k: [] for k in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            wall, cpu = _timed(cmd, env)
            walls[name].append(wall)
            cpus[name].append(cpu)
    base, base_cpu = statistics.median(walls["python -c pass"]), statistics.median(cpus["python -c pass"])
    return {name: {"median_s": round(statistics.median(walls[name]), 3),
                   "ratio": round(statistics.median(walls[name]) / base, 1),
                   "cpu_s": round(statistics.median(cpus[name]), 3),
                   "cpu_ratio": round(statistics.median(cpus[name]) / base_cpu, 1)}
            for name in cmds} | {"runs": runs}


# --- 1: one page to searchable ---------------------------------------------------------------------


def one_page_pdfs(folder: Path, n: int) -> list[Path]:
    """n one-page text PDFs, each with a word of its own (so each is new and findable)."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        path = folder / f"memo-{i}.pdf"
        c = canvas.Canvas(str(path), pagesize=letter)
        c.setFont("Helvetica", 11)
        for j, line in enumerate([
            f"Memorandum {i}: license plate reader data sharing, reference quokka{i}x{os.getpid()}.",
            "The County shall not share automated license plate reader records with Immigration and",
            "Customs Enforcement (ICE) except pursuant to a judicial warrant. Vigilant Solutions LEARN.",
            "Records are retained for 30 days and audited quarterly by the County Auditor.",
        ]):
            c.drawString(72, 720 - 16 * j, line)
        c.showPage()
        c.save()
        out.append(path)
    return out


def _token(pdf: Path) -> str:
    return f"quokka{pdf.stem.split('-')[1]}x{os.getpid()}"


def _searchable(data_dir: Path, token: str) -> bool:
    from foialens.search.config import BackendConfig
    from foialens.search.factory import open_backend
    from foialens.search.records import SearchQuery

    engine = open_backend(BackendConfig(sqlite_path=data_dir / "index.sqlite", read_only=True))
    try:
        return engine.search(SearchQuery(text=token)).total > 0
    finally:
        engine.close()


def _cli_ingest(pdf: Path, env: dict, batch: str, data_dir: Path) -> dict:
    """`foialens ingest PDF`: when its page is first found by a search (polled from here) and when
    the command exits (after the summary, Prefect artifacts and the flow run's end)."""
    t = time.perf_counter()
    proc = subprocess.Popen([PY, "-m", "foialens.cli.main", "ingest", str(pdf), "--batch", batch, "--json"], env=env,
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    searchable = None
    while proc.poll() is None and searchable is None:
        try:
            if (data_dir / "index.sqlite").exists() and _searchable(data_dir, _token(pdf)):
                searchable = time.perf_counter() - t
        except Exception:  # noqa: BLE001 - the index is being created
            pass
        time.sleep(0.05)
    out, err = proc.communicate(timeout=900)
    wall = time.perf_counter() - t
    if proc.returncode != 0:
        raise RuntimeError(err[-3000:])
    s = json.loads(out)
    assert s["pages_indexed"] == 1 and _searchable(data_dir, _token(pdf)), s
    return {"searchable_s": round(searchable or wall, 2), "wall_s": round(wall, 2), "summary_s": s["seconds"],
            "processing_s": s.get("processing_seconds"), "workers": s.get("workers", 0)}


def latency(tmp: Path, repeats: int = 3) -> dict:
    pdfs = one_page_pdfs(tmp / "pdfs", 4 * repeats + 2)
    out: dict = {}
    # --- `foialens ingest`, old path: a temporary Prefect server per process
    data = tmp / "cli-old"
    env = _env(FOIALENS_DATA_DIR=data, FOIALENS_DISPATCH="local", PREFECT_HOME=tmp / "prefect-old")
    runs = [_cli_ingest(pdfs.pop(), env, f"old-{i}", data) for i in range(repeats)]
    out["cli_old"] = runs
    # --- `foialens ingest`, warm: a running Prefect server and one `foialens worker`
    data = tmp / "cli-warm"
    with Cluster(tmp / "cluster", {"FOIALENS_DATA_DIR": str(data)}) as cluster:
        cluster.start_server()
        cluster.start_worker()
        cluster.wait_workers(1)
        _cli_ingest(pdfs.pop(), cluster.env, "warm-up", data)  # the server's own first-use costs
        out["cli_warm"] = [_cli_ingest(pdfs.pop(), cluster.env, f"warm-{i}", data) for i in range(repeats)]
    # --- web, old path: one job-runner process per job (what web/jobs.py started before)
    from foialens.flows.launcher import Job, load_job, now, save_job
    from foialens.flows.request import IngestRequest

    data = tmp / "web-old"
    env = _env(FOIALENS_DATA_DIR=data, FOIALENS_DISPATCH="local", PREFECT_HOME=tmp / "prefect-web-old")
    runs = []
    for i in range(repeats):
        pdf = pdfs.pop()
        folder = tmp / f"web-old-in-{i}"
        folder.mkdir()
        (folder / pdf.name).write_bytes(pdf.read_bytes())
        t = time.perf_counter()
        job = Job(id=f"old-{i}", request=IngestRequest(paths=[str(folder)], batch=f"web-old-{i}", data_dir=str(data),
                                                       queued_at=now()))
        path = tmp / f"job-{i}.json"
        save_job(path, job)
        _, done = _run([PY, "-m", "foialens.flows.launcher", str(path)], env)
        job = load_job(path)
        assert job.state == "done" and _searchable(data, _token(pdf)), (job.error, done.stderr[-2000:])
        runs.append({"wall_s": round(time.perf_counter() - t, 2), "summary_s": job.summary["seconds"]})
    out["web_old"] = runs
    # --- web, warm: `foialens serve`, uploads through the API
    data = tmp / "web-warm"
    port = free_port()
    env = _env(FOIALENS_DATA_DIR=data, FOIALENS_DISPATCH="local", PREFECT_HOME=tmp / "prefect-web-warm")
    server = subprocess.Popen([PY, "-m", "foialens.cli.main", "serve", "--port", str(port)], env=env, cwd=ROOT,
                              stdout=subprocess.DEVNULL, stderr=open(tmp / "serve.log", "w"), start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("foialens serve did not start")
            time.sleep(0.3)
        _upload(url, pdfs.pop(), "warm-up", timeout=600)  # waits for the runner's warm-up
        out["web_warm"] = [_upload(url, pdfs.pop(), f"web-{i}") for i in range(repeats)]
    finally:
        stop(server)
    return out


def _upload(url: str, pdf: Path, batch: str, timeout: float = 120) -> dict:
    t = time.perf_counter()
    r = httpx.post(f"{url}/api/batches/upload", files={"files": (pdf.name, pdf.read_bytes(), "application/pdf")},
                   data={"batch": batch}, timeout=60)
    r.raise_for_status()
    job_id = r.json()["id"]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        hits = httpx.get(f"{url}/api/search", params={"q": _token(pdf)}, timeout=10).json()["total"]
        if hits:
            wall = time.perf_counter() - t
            job = httpx.get(f"{url}/api/jobs/{job_id}", timeout=10).json()
            while job["state"] in ("queued", "running"):
                time.sleep(0.05)
                job = httpx.get(f"{url}/api/jobs/{job_id}", timeout=10).json()
            return {"wall_s": round(wall, 2), "summary_s": (job.get("summary") or {}).get("seconds")}
        time.sleep(0.05)
    raise RuntimeError(f"upload {batch} not searchable after {timeout} s")


def median_of(runs: list[dict], key: str = "wall_s") -> float:
    return round(statistics.median(r[key] for r in runs), 2)


# --- 5: scale-out ------------------------------------------------------------------------------


def _dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else 0


def scale_out(tmp: Path, corpus: Path, workers: tuple[int, ...] = (1, 2)) -> dict:
    from osmem_server import OsmemServer

    es = OsmemServer.start(japanese=False, addr="127.0.0.1:0")
    out: dict = {"runs": []}
    try:
        with Cluster(tmp / "scale-cluster") as cluster:
            cluster.start_server()
            for n in workers:
                data = tmp / f"scale-{n}"
                env = {"FOIALENS_DATA_DIR": str(data), "FOIALENS_BACKEND": "elasticsearch", "FOIALENS_ES_URL": es.url,
                       "FOIALENS_ES_PLAIN_JSON": "true", "FOIALENS_ES_INDEX_PREFIX": f"scale{n}",
                       "FOIALENS_DISPATCH": "workers"}
                cluster.env.update(env)
                for _ in range(n):
                    cluster.start_worker(env=env)
                cluster.wait_workers(n)
                time.sleep(2)
                wall, done = _run([PY, "-m", "foialens.cli.main", "ingest", str(corpus), "--batch", f"scale-{n}",
                                   "--json"], cluster.env, 3600)
                cluster.stop_workers()
                if done.returncode not in (0, 1):
                    raise RuntimeError(done.stderr[-3000:])
                s = json.loads(done.stdout)
                text_bytes = sum(len(p["text"].encode()) for r in (data / "results").glob("*.json")
                                 for p in json.loads(r.read_text())["extracted"]["pages"])
                out["runs"].append({
                    "workers": n, "wall_s": round(wall, 1), "summary_s": s["seconds"],
                    "processing_s": s["processing_seconds"], "documents": s["documents"], "pages": s["pages"],
                    "pages_ocr": s["pages_ocr"], "pages_indexed": s["pages_indexed"], "failed": len(s["failed"]),
                    "workers_seen": s["workers"],
                    "pages_per_s": round(s["pages"] / s["processing_seconds"], 1),
                    "results_bytes": _dir_bytes(data / "results"), "originals_bytes": _dir_bytes(data / "files"),
                    "text_bytes": text_bytes,
                })
    finally:
        es.close()
    one, two = out["runs"][0], out["runs"][-1]
    out["ratio"] = round(one["processing_s"] / two["processing_s"], 2)
    return out


# --- 6: memory of the per-document step ------------------------------------------------------------

_MEMORY = r"""
import json, sys
from pathlib import Path
from foialens.flows.batch import run_batch
from foialens.flows.request import IngestRequest
s = run_batch(IngestRequest(paths=[sys.argv[1]], batch="mem", data_dir=sys.argv[2], extract_workers=1))
hwm = next(int(l.split()[1]) for l in Path("/proc/self/status").read_text().splitlines() if l.startswith("VmHWM"))
print(json.dumps({"pages": s.pages, "pages_ocr": s.pages_ocr, "pages_indexed": s.pages_indexed,
                  "failed": len(s.failed), "seconds": s.processing_seconds, "peak_rss_mib": round(hwm / 1024)}))
"""


def big_pdf(corpus: Path, pages: int, scanned: int, out: Path) -> Path:
    """A PDF of ``pages`` pages: the corpus's text pages repeated, with ``scanned`` scanned pages."""
    import pypdfium2 as pdfium

    truth = json.loads((corpus / "ground_truth.json").read_text())["documents"]
    text = [(corpus / d["file"], p) for d in truth for p in range(d["pages"]) if p + 1 not in d["scanned_pages"]]
    scans = [(corpus / d["file"], p - 1) for d in truth for p in d["scanned_pages"]]
    picks = [scans[i % len(scans)] for i in range(scanned)] + [text[i % len(text)] for i in range(pages - scanned)]
    step = max(1, pages // max(1, scanned))
    order = picks[scanned:]
    for i, scan in enumerate(picks[:scanned]):  # spread the scans through the document
        order.insert(min(len(order), i * step), scan)
    dest = pdfium.PdfDocument.new()
    cache: dict[Path, pdfium.PdfDocument] = {}
    for src, index in order:
        doc = cache.setdefault(src, pdfium.PdfDocument(str(src)))
        dest.import_pages(doc, [index])
    dest.save(str(out))
    return out


def ingest_memory(tmp: Path, corpus: Path, sizes: tuple[int, ...] = (100, 1000, 2000), scanned: int = 10) -> list[dict]:
    out = []
    tmp.mkdir(parents=True, exist_ok=True)
    for n in sizes:
        pdf = big_pdf(corpus, n, scanned, tmp / f"mem-{n}.pdf")
        env = _env(FOIALENS_DISPATCH="local", FOIALENS_MAX_SECONDS=3600)
        _, done = _run([PY, "-c", _MEMORY, str(pdf), str(tmp / f"mem-data-{n}")], env, 3600)
        if done.returncode != 0:
            raise RuntimeError(done.stderr[-3000:])
        out.append({**json.loads(done.stdout.strip().splitlines()[-1]), "file_mib": round(pdf.stat().st_size / 2**20, 1)})
    return out


if __name__ == "__main__":  # quick manual check of one part: python bench/scale.py latency|cold|memory
    sys.path[0] = str(ROOT)
    with tempfile.TemporaryDirectory() as d:
        part = sys.argv[1] if len(sys.argv) > 1 else "latency"
        if part == "latency":
            print(json.dumps(latency(Path(d), 1), indent=1))
