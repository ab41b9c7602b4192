"""PDF uploads: only .pdf files that start with %PDF-, saved under <data_dir>/uploads/<batch>/,
total size bounded by the server's upload limit (enforced while the body streams in)."""

from __future__ import annotations

import shutil
from pathlib import Path

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.requests import Request

from foialens.flows.launcher import Job
from foialens.store.batches import batch_slug, default_batch_name, timestamp
from foialens.store.datadir import inside
from foialens.web.common import ApiError, get_ctx, safe_filename

MAX_FILES = 1000


async def receive(request: Request, source: str = "upload") -> Job:
    ctx = get_ctx(request)
    ctype = request.headers.get("content-type", "")
    if not ctype.startswith("multipart/form-data"):
        raise ApiError(400, "invalid_upload", "send the files as multipart/form-data (field 'files')")
    form = await request.form(max_files=MAX_FILES, max_fields=20)
    try:
        files = [f for f in form.getlist("files") if isinstance(f, UploadFile) and f.filename]
        if not files:
            raise ApiError(400, "invalid_upload", "choose at least one PDF file")
        for f in files:
            if not f.filename.lower().endswith(".pdf"):
                raise ApiError(400, "not_pdf", f"{f.filename}: only .pdf files are accepted")
            head = await f.read(5)
            await f.seek(0)
            if head != b"%PDF-":
                raise ApiError(400, "not_pdf", f"{f.filename}: not a PDF file (no %PDF- header)")
        raw_batch = form.get("batch")
        batch = default_batch_name([], raw_batch if isinstance(raw_batch, str) else None, prefix="upload")
        uploads = ctx.data.uploads_dir
        folder = inside(ctx.data_dir, uploads / batch_slug(batch))
        if folder.exists():  # a new folder per upload, never mixing files of two uploads
            folder = inside(ctx.data_dir, uploads / f"{batch_slug(batch)}-{timestamp()}")
        await run_in_threadpool(_save, files, folder)
    finally:
        await form.close()
    return ctx.submit([str(folder)], batch, source=source)


def _save(files: list[UploadFile], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    used: set[str] = set()
    for f in files:
        name = safe_filename(f.filename or "upload.pdf")
        if not name.lower().endswith(".pdf"):
            name += ".pdf"
        stem, n = name[:-4], 1
        while name.lower() in used:
            n += 1
            name = f"{stem}-{n}.pdf"
        used.add(name.lower())
        target = inside(folder, folder / name)
        f.file.seek(0)
        with open(target, "wb") as out:
            shutil.copyfileobj(f.file, out, 1 << 20)
