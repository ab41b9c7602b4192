"""Who may write the data directory, and which process something belongs to.

:class:`WriterLock` is an advisory lock on ``<data_dir>/writer.lock`` (``flock``): ingests take
it *shared* (several may run side by side: results are content-addressed and the index takes
one writer at a time), ``reindex`` takes it *exclusive*, because a rebuild swaps in an index
built from the results it read at the start and would silently drop a document written in
between. The kernel releases the lock when its process dies, so a killed run never leaves the
directory locked. Each holder also writes ``<data_dir>/locks/<pid>-<n>.json`` (what, pid,
since) so that a refusal names who holds the lock.

:func:`process_identity` / :func:`identity_alive` tell a live process from a dead one whose pid
was reused (pid plus the process's start time), e.g. for web jobs owned by a server.
"""

from __future__ import annotations

import fcntl
import itertools
import json
import os
import socket
import time
from datetime import datetime, timezone
from pathlib import Path

from foialens.files import save_json

LOCK_FILE = "writer.lock"
HOLDERS_DIR = "locks"
_counter = itertools.count()


class DataDirBusy(RuntimeError):
    """The data directory is held by another writer; the message names it."""


def process_start(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot, from /proc), None when unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat[stat.rindex(")") + 2:].split()[19]  # field 22 of proc(5), counted after "(comm)"


def pid_alive(pid: int) -> bool:
    """True while the process runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc: the signal check is all there is
    return stat[stat.rindex(")") + 2:][:1] not in ("Z", "X")


def process_identity(pid: int | None = None) -> str:
    """``host:pid:start``: names one process, even after its pid is reused."""
    pid = pid or os.getpid()
    return f"{socket.gethostname()}:{pid}:{process_start(pid) or '?'}"


def identity_alive(identity: str | None) -> bool | None:
    """True/False for a process of this host; None when it cannot be told (another host, or
    no identity recorded)."""
    if not identity:
        return None
    try:
        host, pid_text, start = identity.rsplit(":", 2)
        pid = int(pid_text)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if not pid_alive(pid):
        return False
    return start == "?" or process_start(pid) in (None, start)


class WriterLock:
    """``with WriterLock(data_dir, "ingest of batch 'x'", exclusive=False).acquire(wait=600):``"""

    def __init__(self, root: Path, what: str, exclusive: bool):
        self.root = Path(root)
        self.what = what
        self.exclusive = exclusive
        self._fd: int | None = None
        self._holder: Path | None = None

    def acquire(self, wait: float = 0.0, on_wait=None) -> WriterLock:
        """Take the lock, waiting up to ``wait`` seconds; DataDirBusy (naming the holders) when it
        stays taken. ``on_wait(message)`` is called once if it has to wait."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.root / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        flags = (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        told = False
        while True:
            try:
                fcntl.flock(fd, flags)
                break
            except BlockingIOError:
                message = self.busy_message()
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise DataDirBusy(message) from None
                if on_wait is not None and not told:
                    on_wait(message)
                    told = True
                time.sleep(0.2)
        self._fd = fd
        self.holders()  # drops the records of holders that died without releasing
        try:
            self._holder = self.root / HOLDERS_DIR / f"{os.getpid()}-{next(_counter)}.json"
            save_json(self._holder, {"what": self.what, "pid": os.getpid(), "identity": process_identity(),
                                     "exclusive": self.exclusive,
                                     "since": datetime.now(timezone.utc).isoformat(timespec="seconds")})
        except OSError:
            self._holder = None  # naming the holder is a courtesy; the lock itself is held
        return self

    def release(self) -> None:
        if self._holder is not None:
            self._holder.unlink(missing_ok=True)
            self._holder = None
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None

    def busy_message(self) -> str:
        holders = self.holders()
        who = "; ".join(f"{h['what']} (pid {h['pid']}, since {h['since']})" for h in holders) or \
            "another process (it did not say which)"
        need = "to itself" if self.exclusive else "while it rebuilds the index"
        return (f"the data directory {self.root} is in use by {who}; "
                f"{self.what} needs it {need}: try again when that has finished")

    def holders(self) -> list[dict]:
        """Recorded holders that are still alive (records of dead processes are removed)."""
        out = []
        folder = self.root / HOLDERS_DIR
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                info = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue
            if path == self._holder:
                continue
            if identity_alive(info.get("identity")) is False:
                path.unlink(missing_ok=True)
                continue
            out.append(info)
        return out

    def __enter__(self) -> WriterLock:
        if self._fd is None:
            self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()
