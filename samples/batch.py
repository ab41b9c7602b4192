"""Write a set of sample documents to a folder with their ground truth, cached by a version stamp.

A folder is (re)generated only when its ``.generator-version`` stamp differs from the expected
one; a lock file serialises concurrent generators (parallel test sessions) on the same folder, and
every file is written atomically so readers never see half a PDF.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from importlib.metadata import version
from pathlib import Path

from foialens.files import write_atomic
from foialens.samples.render import Doc, render_document

STAMP_FILE = ".generator-version"
TRUTH_FILE = "ground_truth.json"
_LIBRARIES = ("reportlab", "pillow", "pypdfium2", "numpy")


def source_version() -> str:
    """Hash of the generator's own source files and of the libraries that shape the bytes."""
    digest = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    for name in _LIBRARIES:
        digest.update(f"{name}={version(name)}\0".encode())
    return digest.hexdigest()[:20]


def read_stamp(out_dir: Path) -> str | None:
    try:
        return (out_dir / STAMP_FILE).read_text().strip()
    except OSError:
        return None


@contextmanager
def _locked(out_dir: Path) -> Iterator[None]:
    with open(out_dir / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def write_batch(out_dir: Path, stamp: str, documents: Iterable[Doc], meta: dict[str, object], seed: int = 0) -> bool:
    """Render ``documents`` into ``out_dir`` unless its stamp already equals ``stamp``.

    Returns True when files were written. PDFs left over from an older version are removed.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    if read_stamp(out_dir) == stamp:
        return False
    with _locked(out_dir):
        if read_stamp(out_dir) == stamp:  # another process finished it while we waited
            return False
        (out_dir / STAMP_FILE).unlink(missing_ok=True)
        truths = []
        for doc in documents:
            pdf, truth = render_document(doc, seed)
            write_atomic(out_dir / doc.file, pdf)
            truths.append(truth)
        names = {t["file"] for t in truths}
        if len(names) != len(truths):
            raise ValueError("two sample documents share a file name")
        for old in out_dir.glob("*.pdf"):
            if old.name not in names:
                old.unlink()
        record = {"generator_version": stamp, **meta, "documents": truths}
        write_atomic(out_dir / TRUTH_FILE, json.dumps(record, indent=1).encode())
        write_atomic(out_dir / STAMP_FILE, stamp.encode())
    return True


def load_ground_truth(batch_dir: Path) -> dict[str, object]:
    """The ground-truth record written with a batch."""
    return json.loads((batch_dir / TRUTH_FILE).read_text())
