"""flows.document.ingest_document: one document through the pipeline without Prefect, with real
PDFs, a real SQLite index and a real data directory; faults are injected through the context."""

from __future__ import annotations

import shutil

import pytest

from foialens.extractors.limits import ExtractLimits
from foialens.flows.document import BatchContext, extract_in_process, ingest_document
from foialens.flows.pipeline import pipeline_version
from foialens.search.config import BackendConfig
from foialens.search.factory import open_backend
from foialens.store.datadir import DataDir

CONTRACT = "harrow-county-vigilant-alpr-contract.pdf"


@pytest.fixture
def ctx(tmp_path, tagger):
    backend = open_backend(BackendConfig(sqlite_path=tmp_path / "data" / "index.sqlite"))
    context = BatchContext(
        batch="b", version=pipeline_version(tagger), data=DataDir(tmp_path / "data").prepare(), backend=backend,
        tagger=tagger, limits=ExtractLimits(max_seconds=120, ocr_workers=1), retry_delays=(0.0, 0.0),
    )
    yield context
    backend.close()


def test_processed_saved_and_indexed_then_reused(ctx, sample_batch, tmp_path):
    path = sample_batch / CONTRACT
    first = ingest_document(path, ctx)
    assert first.status == "processed" and not first.failures
    doc_id = first.result.doc_id
    assert ctx.data.load(doc_id).extracted.page_count == first.result.extracted.page_count
    assert ctx.data.original(doc_id).read_bytes() == path.read_bytes()
    assert first.pages_indexed == len(first.result.extracted.pages) == len(ctx.backend.document_pages(doc_id))
    # the same content again in this batch is a duplicate; in a later batch its result is reused
    assert ingest_document(path, ctx).status == "duplicate"
    ctx._seen.clear()
    again = ingest_document(path, ctx)
    assert again.status == "reused" and again.pages_indexed == 0  # already in the index


def test_extraction_error_is_retried_then_recorded(ctx, sample_batch):
    calls = []

    def flaky(path, limits, ocr):
        calls.append(path.name)
        raise OSError("simulated transient read error")

    ctx.extract = flaky
    outcome = ingest_document(sample_batch / CONTRACT, ctx)
    assert calls == [CONTRACT] * 3  # first try + 2 retries
    assert outcome.status == "failed" and outcome.result is None
    [failure] = outcome.failures
    assert failure.code == "extract_error" and "simulated transient read error" in failure.message
    assert ctx.data.count_results() == 0


def test_transient_error_recovers_on_retry(ctx, sample_batch):
    calls = []

    def once_flaky(path, limits, ocr):
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("worker process died")
        return extract_in_process(path, limits, ocr)

    ctx.extract = once_flaky
    outcome = ingest_document(sample_batch / CONTRACT, ctx)
    assert outcome.status == "processed" and not outcome.failures and len(calls) == 2


def test_backend_down_keeps_the_result_and_says_how_to_catch_up(ctx, sample_batch, tmp_path):
    ctx.backend.close()  # every call now raises: the backend is gone
    outcome = ingest_document(sample_batch / CONTRACT, ctx)
    assert outcome.status == "processed" and outcome.result is not None
    assert [f.code for f in outcome.failures] == ["index_error"]
    assert ctx.data.load(outcome.result.doc_id) is not None  # saved before indexing
    other = tmp_path / "other.pdf"
    shutil.copy(sample_batch / "oregon-dmv-fusion-center-mou.pdf", other)
    later = ingest_document(other, ctx)  # no second attempt against a backend known to be down
    assert [f.code for f in later.failures] == ["not_indexed"] and "reindex" in later.failures[0].message


def test_a_corrupt_pdf_is_a_failed_result_not_an_exception(ctx, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4\n garbage garbage")
    outcome = ingest_document(bad, ctx)
    assert outcome.status == "processed" and outcome.result.failed
    assert outcome.result.extracted.errors[0].code == "corrupt"
    assert outcome.pages_indexed == 0
