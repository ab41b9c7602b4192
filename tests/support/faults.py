"""Fault injection for the fault suite (tests/faults/): real servers, real sockets, real mounts.

- :class:`FaultProxy`: an HTTP proxy in front of a search server that forwards, *stalls*
  (accepts and never answers), *drops* (closes the connection without an answer) or answers
  *500/503*, per request, by a rule the test can change at any time.
- :class:`SilentServer`: a TCP server that accepts connections and never answers.
- :class:`RestartableOsmem`: an osmem-server on a fixed port that can be killed and replaced by
  a new, empty one on the same port (a cluster restarted without its data).
- :func:`mount_tmpfs` / :func:`mount_read_only`: a small tmpfs (disk full) and a read-only bind
  mount; they skip the test when mounting is not permitted (not root, no CAP_SYS_ADMIN).
- :func:`non_utf8_name`: a file name that is not valid UTF-8, as Python sees it (surrogateescape).
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

# rule(method, path, body) -> "forward" | "stall" | "drop" | "500" | "503" | "429" | "items_500"
# ("items_500": a _bulk request answered 200 with every item failed, as a shard failure does)
Rule = Callable[[str, str, bytes], str]


def forward(method: str, path: str, body: bytes) -> str:
    return "forward"


class FaultProxy:
    """A real HTTP proxy; ``rule`` decides per request what happens (see module docstring).
    ``log`` records (method, path, action) of every request it received."""

    def __init__(self, target: str, rule: Rule = forward):
        self.rule = rule
        self.log: list[tuple[str, str, str]] = []
        self.released = threading.Event()  # set on close: stalled requests end
        proxy = self
        self.target = target
        upstream = urlsplit(target)

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                action = proxy.rule(self.command, self.path, body)
                proxy.log.append((self.command, self.path, action))
                if action == "stall":
                    proxy.released.wait()
                    self.close_connection = True
                    return
                if action == "drop":
                    self.close_connection = True
                    try:
                        self.connection.shutdown(socket.SHUT_RDWR)
                    except OSError:
                        pass
                    return
                if action == "items_500":
                    items = []
                    for line in body.splitlines()[::2]:
                        op, meta = next(iter(json.loads(line).items()))
                        items.append({op: {"_index": meta.get("_index"), "_id": meta.get("_id"), "status": 500,
                                           "error": {"type": "injected_shard_failure",
                                                     "reason": "injected by the fault proxy"}}})
                    payload = json.dumps({"took": 1, "errors": True, "items": items}).encode()
                    self.send_response(200)
                    self.send_header("X-Elastic-Product", "Elasticsearch")
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                if action.isdigit():
                    status = int(action)
                    payload = (b'{"error":{"type":"injected","reason":"injected by the fault proxy"},"status":%d}'
                               % status)
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                    return
                conn = http.client.HTTPConnection(upstream.hostname, upstream.port, timeout=60)
                try:
                    headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                    conn.request(self.command, self.path, body=body or None, headers=headers)
                    resp = conn.getresponse()
                    data = resp.read()
                finally:
                    conn.close()
                self.send_response(resp.status)
                for k, v in resp.getheaders():
                    if k.lower() not in ("content-length", "transfer-encoding", "connection", "date", "server"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _handle

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.released.set()
        self.server.shutdown()
        self.server.server_close()


class SilentServer:
    """Accepts TCP connections and never answers (a hung node, a black-holing firewall)."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.accepted: list[socket.socket] = []
        self._stop = False
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.accepted.append(conn)  # kept open, never read, never answered

    def close(self) -> None:
        self._stop = True
        for conn in self.accepted:
            conn.close()
        self.sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RestartableOsmem:
    """An osmem-server on a fixed loopback port; :meth:`restart_empty` kills it and starts a new,
    empty one on the same port (what a cluster restarted without persistent data looks like)."""

    def __init__(self):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = self._start()

    def _start(self):
        from osmem_server import OsmemServer

        return OsmemServer.start(japanese=False, addr=f"127.0.0.1:{self.port}")

    def kill(self) -> None:
        self.server.process.kill()
        self.server.process.wait()

    def restart_empty(self) -> None:
        self.kill()
        self.server = self._start()

    def close(self) -> None:
        self.server.close()


def _mount(args: list[str]) -> None:
    done = subprocess.run(["mount", *args], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount here ({' '.join(args)}): {done.stderr.strip() or done.returncode}")


def _umount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@contextmanager
def mount_tmpfs(path: Path, size: str = "1m") -> Iterator[Path]:
    """A tmpfs of ``size`` at ``path`` (a small disk that fills up); skips when not permitted."""
    path.mkdir(parents=True, exist_ok=True)
    _mount(["-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)])
    try:
        yield path
    finally:
        _umount(path)


@contextmanager
def mount_read_only(source: Path, path: Path) -> Iterator[Path]:
    """``source`` seen read-only at ``path`` (a bind mount remounted ro: even root cannot write);
    skips when not permitted."""
    path.mkdir(parents=True, exist_ok=True)
    _mount(["--bind", str(source), str(path)])
    try:
        done = subprocess.run(["mount", "-o", "remount,bind,ro", str(path)], capture_output=True, text=True)
        if done.returncode != 0:
            pytest.skip(f"cannot remount read-only: {done.stderr.strip()}")
        yield path
    finally:
        _umount(path)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    st = os.statvfs(folder)
    free = st.f_bavail * st.f_frsize
    if free > leave:
        with open(folder / ".filler", "wb") as fh:
            fh.write(b"\0" * (free - leave))


def non_utf8_name(prefix: bytes = b"caf\xe9", suffix: str = ".pdf") -> str:
    """A file name whose bytes are not UTF-8 (Latin-1 e-acute), as os.listdir returns it."""
    return os.fsdecode(prefix + suffix.encode())
