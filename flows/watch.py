"""`foialens watch DIR`: start an ingest run for each new batch folder or PDF file in DIR.

Polling, not inotify: it works the same on network shares and in containers. Every ``poll``
seconds the watcher lists DIR's top level (sub-folders and ``*.pdf`` files; hidden names and
partial downloads such as ``*.part``, ``*.crdownload``, ``*.tmp`` are ignored) and takes a
signature of each entry: size and modification time of the file, or of every file inside the
folder. An entry is *settled* once its signature has stayed the same for ``settle`` seconds
(and a folder holds at least one PDF); then one run is triggered for it and the entry's
signature is written to ``<data_dir>/watch/<dir-hash>.json``. After a restart, entries whose
signature is unchanged are not triggered again; an entry that changes later (more files copied
into a folder) is triggered again once settled, and the idempotent flow processes only the new
documents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from foialens.files import write_atomic
from foialens.flows.launcher import FULL_NAME, IngestRequest, run_ingest, submit_run
from foialens.settings import Settings

log = logging.getLogger("foialens.watch")

IGNORED_SUFFIXES = (".part", ".crdownload", ".tmp", ".partial", ".download", "~")


@dataclass(frozen=True)
class Entry:
    path: Path
    kind: str  # "folder" | "file"
    signature: str

    @property
    def batch(self) -> str:
        """Batch name: the folder name, or the file name without .pdf."""
        return self.path.name if self.kind == "folder" else self.path.stem


Trigger = Callable[[Entry], str | None]  # returns a run id (or anything printable) or None


def _ignored(path: Path) -> bool:
    name = path.name
    return name.startswith(".") or name.lower().endswith(IGNORED_SUFFIXES)


def signature(path: Path) -> str | None:
    """Size and mtime of a PDF file, or of every file in a folder; None when the entry is not
    (yet) something to ingest (not a PDF, a folder without PDFs, vanished)."""
    try:
        if path.is_file():
            if path.suffix.lower() != ".pdf":
                return None
            st = path.stat()
            return f"{st.st_size}:{st.st_mtime_ns}"
        if path.is_dir():
            parts, pdfs = [], 0
            for f in sorted(path.rglob("*")):
                if f.is_file():
                    st = f.stat()
                    parts.append(f"{f.relative_to(path)}\0{st.st_size}\0{st.st_mtime_ns}")
                    pdfs += f.suffix.lower() == ".pdf" and not _ignored(f)
                    if _ignored(f):  # a download still in progress inside the folder
                        return None
            if not pdfs:
                return None
            return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    except OSError:
        return None
    return None


class WatchState:
    """What was already triggered, kept in the data directory (one file per watched folder)."""

    def __init__(self, path: Path):
        self.path = path
        self.triggered: dict[str, dict] = {}
        if path.is_file():
            try:
                self.triggered = json.loads(path.read_text(encoding="utf-8")).get("triggered", {})
            except (OSError, ValueError):
                log.warning("unreadable watch state %s: starting afresh", path)

    @classmethod
    def for_folder(cls, data_dir: Path, folder: Path) -> WatchState:
        key = hashlib.sha256(str(folder.resolve()).encode()).hexdigest()[:16]
        return cls(data_dir / "watch" / f"{key}.json")

    def seen(self, entry: Entry) -> bool:
        return self.triggered.get(entry.path.name, {}).get("signature") == entry.signature

    def record(self, entry: Entry, run: str | None) -> None:
        self.triggered[entry.path.name] = {
            "signature": entry.signature,
            "kind": entry.kind,
            "batch": entry.batch,
            "run": run,
            "at": datetime.now(timezone.utc).isoformat(),
        }
        write_atomic(self.path, json.dumps({"triggered": self.triggered}, indent=2, sort_keys=True))


class Watcher:
    def __init__(
        self,
        folder: Path,
        trigger: Trigger,
        state: WatchState,
        settle: float = 5.0,
        poll: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.folder = Path(folder)
        self.trigger = trigger
        self.state = state
        self.settle = settle
        self.poll = poll
        self.clock = clock
        self._candidates: dict[str, tuple[str, float]] = {}  # name -> (signature, first seen)
        self.errors: list[str] = []

    def scan(self) -> list[Entry]:
        entries = []
        for path in sorted(self.folder.iterdir()) if self.folder.is_dir() else []:
            if _ignored(path):
                continue
            sig = signature(path)
            if sig is not None:
                entries.append(Entry(path, "folder" if path.is_dir() else "file", sig))
        return entries

    def poll_once(self) -> list[Entry]:
        """One look at the folder; returns the entries triggered now."""
        now = self.clock()
        fired = []
        present = set()
        for entry in self.scan():
            name = entry.path.name
            present.add(name)
            if self.state.seen(entry):
                self._candidates.pop(name, None)
                continue
            sig, since = self._candidates.get(name, (None, now))
            if sig != entry.signature:
                self._candidates[name] = (entry.signature, now)  # new or still changing
                if self.settle > 0:
                    continue
            elif now - since < self.settle:
                continue
            try:
                run = self.trigger(entry)
            except Exception as exc:  # noqa: BLE001 - keep watching; retried on the next poll
                msg = f"{name}: could not start a run: {type(exc).__name__}: {exc}"
                log.error(msg)
                self.errors.append(msg)
                continue
            self.state.record(entry, run)
            self._candidates.pop(name, None)
            fired.append(entry)
        for name in set(self._candidates) - present:
            del self._candidates[name]
        return fired

    def run(self, stop: threading.Event | None = None, on_trigger: Callable[[Entry], None] | None = None) -> None:
        stop = stop or threading.Event()
        while not stop.is_set():
            for entry in self.poll_once():
                if on_trigger:
                    on_trigger(entry)
            stop.wait(self.poll)


def direct_trigger(settings: Settings, force: bool = False) -> Trigger:
    """Run the flow in this process (blocking) — no Prefect server needed."""

    def trigger(entry: Entry) -> str:
        request = IngestRequest.for_settings([str(entry.path)], settings, batch=entry.batch, force=force,
                                             queued_at=datetime.now(timezone.utc))
        summary = run_ingest(request)
        return f"direct:{summary['batch']}:{summary['documents']} documents, {len(summary['failed'])} failed"

    return trigger


def deployment_trigger(
    name: str | None = None, data_dir: str | None = None, backend: str | None = None, force: bool = False
) -> Trigger:
    """Create a run of the served deployment (returns at once; `foialens worker` runs it). The
    idempotency key (path + signature) stops the server from creating the same run twice.
    ``data_dir``/``backend``: given ones override the worker's own settings."""

    def trigger(entry: Entry) -> str:
        request = IngestRequest(paths=[str(entry.path.resolve())], batch=entry.batch, force=force,
                                data_dir=data_dir, backend=backend, queued_at=datetime.now(timezone.utc))
        run = submit_run(request, name=name or FULL_NAME,
                         idempotency_key=f"watch:{entry.path.resolve()}:{entry.signature}",
                         flow_run_name=f"watch-{entry.batch}")
        return str(run.id)

    return trigger
