"""Shared set-up for the web tests: one data directory per session, built by the real pipeline
(``flows.batch.run_batch``) on the sample batch, plus a few crafted documents (XSS text, a
redaction box) indexed through the same store and backend the pipeline uses."""

from __future__ import annotations

import socket
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

LOCAL = "http://127.0.0.1"  # a tokenless server answers only to loopback host names
XSS = '<script>alert("xss")</script><img src=x onerror=alert(1)> & "quotes"'
_BUILT: dict[str, object] = {}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_pdf(path: Path, pages: list[str], boxes: dict[int, list[tuple[float, float, float, float]]] | None = None) -> None:
    """A small text PDF; ``boxes`` are filled black rectangles per page, [x0, top, x1, bottom]."""
    from reportlab.lib.pagesizes import letter
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=letter)
    width, height = letter
    for n, text in enumerate(pages, start=1):
        y = height - 72
        for line in text.splitlines():
            c.setFont("Helvetica", 11)
            c.drawString(72, y, line)
            y -= 16
        for x0, top, x1, bottom in (boxes or {}).get(n, []):
            c.setFillColorRGB(0, 0, 0)
            c.rect(x0, height - bottom, x1 - x0, bottom - top, stroke=0, fill=1)
        c.showPage()
    c.save()


def crafted_results(folder: Path, batch: str = "crafted"):
    """DocumentResults for crafted PDFs (text as written, tags set by hand)."""
    from foialens.extractors.fingerprint import file_sha256
    from foialens.extractors.records import (
        BatesNumber,
        Exemption,
        ExtractedDocument,
        PageText,
        Redaction,
    )
    from foialens.models.records import AgencyEnd, Clause, DocumentTags, EntityTag, Evidence, Mention, Relation
    from foialens.store.results import DocumentResult

    folder.mkdir(parents=True, exist_ok=True)
    out = []

    # 1. page text that tries to inject markup
    xss_pages = [f"Memo about {XSS}\nVigilant plates", "second page of the memo"]
    p1 = folder / "xss-memo.pdf"
    make_pdf(p1, xss_pages)
    ex = ExtractedDocument(
        doc_id=file_sha256(p1), path=str(p1), size_bytes=p1.stat().st_size, page_count=2,
        title=f"Memo {XSS}",
        pages=[PageText(page=i, text=t, width=612, height=792) for i, t in enumerate(xss_pages, 1)],
    )
    out.append((p1, DocumentResult(pipeline_version="test", batch=batch, extracted=ex, tags=DocumentTags())))

    # 2. a FOIA page with an exemption stamp and a redaction box, and an ICE-access clause
    text = ("ICE ERO may query the LEARN license plate database operated by Vigilant Solutions.\n"
            "Name of officer: (b)(6), (b)(7)(C)")
    p2 = folder / "foia-production.pdf"
    box = (150.0, 120.0, 300.0, 136.0)
    make_pdf(p2, [text], boxes={1: [box]})
    start = text.index("(b)(7)(C)")
    page = PageText(
        page=1, text=text, width=612, height=792,
        redactions=[Redaction(page=1, bbox=box)], redacted_share=0.005,
        exemptions=[Exemption(code="b7c", page=1, text="(b)(7)(C)", start=start, end=start + 9)],
    )
    ex2 = ExtractedDocument(doc_id=file_sha256(p2), path=str(p2), size_bytes=p2.stat().st_size,
                            page_count=1, title="FOIA production 2019-ICLI-0042", pages=[page])
    v = text.index("Vigilant Solutions")
    sentence = text.splitlines()[0]
    tags = DocumentTags(
        vendors=[EntityTag(id="vigilant_solutions", name="Vigilant Solutions", kind="vendor",
                           mentions=[Mention(page=1, text="Vigilant Solutions", start=v, end=v + 18)])],
        agencies=[EntityTag(id="ice", name="U.S. Immigration and Customs Enforcement", kind="agency",
                            mentions=[Mention(page=1, text="ICE", start=0, end=3)])],
        data_types=[EntityTag(id="alpr", name="License plate reader data", kind="data_type",
                              mentions=[Mention(page=1, text="license plate", start=text.index("license plate"),
                                                end=text.index("license plate") + 13)])],
        clauses=[Clause(label="ice_access", score=0.91, page=1, text=sentence, start=0, end=len(sentence))],
        relations=[
            Relation(source=AgencyEnd(id="local-ca-riverton-police", name="Riverton Police Department (CA)",
                                      path=["local-ca-riverton-police"]),
                     recipient=AgencyEnd(id="hsi", name="HSI (Newark NJ)", path=["hsi", "ice", "dhs"]),
                     data_type="alpr", platform_vendor="vigilant_solutions", kind="detections", as_of="2019",
                     section="detections_shared_with",
                     evidence=Evidence(page=1, text="DHS - HSI (Newark NJ)", bbox=(72.0, 100.0, 200.0, 112.0))),
            Relation(source=AgencyEnd(id="local-ca-riverton-police", name="Riverton Police Department (CA)",
                                      path=["local-ca-riverton-police"]),
                     recipient=AgencyEnd(id="ice", name="U.S. Immigration and Customs Enforcement", path=["ice", "dhs"]),
                     kind="records", polarity="restrict", as_of="2019", section="clause:ice_restriction",
                     evidence=Evidence(page=1, text=f"Memo about {XSS}")),
        ],
    )
    out.append((p2, DocumentResult(pipeline_version="test", batch=batch, extracted=ex2, tags=tags)))

    # 3. a bad redaction: a black box drawn over text that stays in the text layer, Bates numbers
    lines = ["Informant file ICE-HSI-7731", "Confidential informant: Maria Q. Example, 14 Elm St",
             "Handler: (b)(7)(C)", "File opened March 2, 2021", "BATES DHS-ICE-000101"]
    p3 = folder / "bad-redaction.pdf"
    # make_pdf draws line 2 at y = 792 - 72 - 16 (baseline); the box covers it
    from reportlab.pdfbase.pdfmetrics import stringWidth

    x0 = 72 + stringWidth("Confidential informant: ", "Helvetica", 11)
    leak_box = (round(x0, 1), 82.0, round(x0 + stringWidth("Maria Q. Example, 14 Elm St", "Helvetica", 11) + 2, 1), 92.0)
    make_pdf(p3, ["\n".join(lines), "Second page\nBATES DHS-ICE-000102"], boxes={1: [leak_box]})
    text3 = "\n".join(lines)
    pages3 = [
        PageText(page=1, text=text3, width=612, height=792,
                 redactions=[Redaction(page=1, bbox=leak_box, text_underneath=True)], redacted_share=0.004,
                 bates=[BatesNumber(page=1, text="DHS-ICE-000101")]),
        PageText(page=2, text="Second page\nBATES DHS-ICE-000102", width=612, height=792,
                 bates=[BatesNumber(page=2, text="DHS-ICE-000102")]),
    ]
    ex3 = ExtractedDocument(doc_id=file_sha256(p3), path=str(p3), size_bytes=p3.stat().st_size, page_count=2,
                            title="Informant file ICE/HSI 2018", pages=pages3)
    out.append((p3, DocumentResult(pipeline_version="test", batch=batch, extracted=ex3, tags=DocumentTags())))
    return out


def add_results(data_dir: Path, items, batch: str = "crafted") -> None:
    """Store, keep originals, index, and write a batch summary (what the flow does per document)."""
    from foialens.flows.summary import SummaryBuilder
    from foialens.search.factory import open_backend
    from foialens.settings import Settings
    from foialens.store.datadir import DataDir

    settings = Settings(data_dir=data_dir)
    store = DataDir(settings.data_dir).prepare()
    backend = open_backend(settings.backend_config())
    summary = SummaryBuilder(batch, datetime.now(UTC), "sqlite")
    try:
        for path, result in items:
            store.keep_original(path, result.doc_id)
            store.save(result)
            summary.pages_indexed += backend.replace_documents(result.page_records()).indexed
            backend.replace_relations(result.doc_id, result.relation_records())
            summary.add(result)
    finally:
        backend.close()
    store.save_summary(summary.finish())


def build_data_dir(tmp_path_factory, sample_batch: Path) -> dict:
    """Session data directory: the real flow on the sample batch, plus crafted documents
    (hostile text, a FOIA page with known boxes) for the safety tests."""
    if "info" in _BUILT:
        return _BUILT["info"]  # type: ignore[return-value]
    from foialens.flows.batch import run_batch
    from foialens.flows.request import IngestRequest

    data_dir = tmp_path_factory.mktemp("web-data")
    info: dict = {"data_dir": data_dir, "sample_dir": sample_batch}
    # the pipeline without Prefect (flows.batch): the Prefect flow itself is tested in tests/flows
    summary = run_batch(IngestRequest(paths=[str(sample_batch)], batch="sample", data_dir=str(data_dir)))
    info["summary"] = summary.model_dump(mode="json")
    crafted = crafted_results(data_dir.parent / (data_dir.name + "-src"))
    add_results(data_dir, crafted)
    info["xss_doc"] = crafted[0][1].doc_id
    info["foia_doc"] = crafted[1][1].doc_id
    info["leak_doc"] = crafted[2][1].doc_id
    _BUILT["info"] = info
    return info


class Server:
    """A real uvicorn server on a free loopback port, in a thread."""

    def __init__(self, app, port: int | None = None):
        import uvicorn

        self.port = port or free_port()
        # as `foialens serve` runs it: proxy headers are the app's business (create_app(proxy_headers=...))
        self.config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning", lifespan="on",
                                     proxy_headers=False)
        self.server = uvicorn.Server(self.config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> Server:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(10)


def slow_runner(request) -> dict:
    """A stand-in ingest for the job machinery tests (``runner="tests.support.web:slow_runner"``;
    the worker process needs the repository on PYTHONPATH): takes FOIALENS_TEST_RUNNER_SECONDS."""
    import os

    time.sleep(float(os.environ.get("FOIALENS_TEST_RUNNER_SECONDS", "5")))
    return {"batch": request.batch, "documents": 0, "failed": []}
