"""Safety rules of the web layer: ids and paths, the access token, security headers, body limits.

- A ``doc_id`` is the sha256 of a file: exactly 64 lower-case hex characters. The data directory
  (``foialens.store.datadir``) refuses anything else before a path is built, and every served path
  is resolved and checked to lie inside it.
- A token is required whenever the server listens beyond loopback (12+ characters, no
  whitespace); it is accepted as ``Authorization: Bearer <token>``, ``X-Foialens-Token: <token>``
  or the session cookie set by the login form: a random session id kept by the server
  (:class:`SessionStore`: expires on the server after 12 h, revoked by logout, gone when the
  server restarts), HttpOnly, SameSite=Strict, Secure when the request came over https (behind
  a TLS proxy: with ``proxy_headers``). Wrong tokens are throttled per client and overall
  (:class:`AuthThrottle`).
- Without a token (loopback only) the server answers only to loopback host names
  (:func:`host_allowed`): a foreign page whose name was made to resolve to 127.0.0.1 (DNS
  rebinding) gets 421, so it cannot read results or start ingests.
- Every response carries a strict Content-Security-Policy (no inline scripts or styles).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import threading
import time
from collections import deque
from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

COOKIE = "foialens_session"
TOKEN_HEADER = "x-foialens-token"
SESSION_TTL = 12 * 3600.0  # seconds a login lasts (checked by the server)

CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
# The Swagger UI page (/docs) loads its assets from this server (fastapi-offline) but starts
# them with an inline script and inline styles.
DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; worker-src blob:; "
    "object-src 'none'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    "cross-origin-opener-policy": "same-origin",
    "cross-origin-resource-policy": "same-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=()",
}


def is_loopback(host: str) -> bool:
    host = (host or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def require_token_for(host: str, token: str | None) -> None:
    """Refuse to serve beyond loopback without a token, and refuse unusable tokens (ValueError
    with the reason)."""
    if token is not None and (not token.strip() or any(ch.isspace() for ch in token)):
        raise ValueError("the access token must not be blank or contain whitespace")
    if not is_loopback(host) and not token:
        raise ValueError(
            f"refusing to listen on {host} without an access token: "
            "give --token or set FOIALENS_TOKEN (or bind to 127.0.0.1)"
        )
    if token is not None and len(token) < 12:
        raise ValueError("the access token must be at least 12 characters long")


def host_allowed(host_header: str | None, extra: tuple[str, ...] = ()) -> bool:
    """A tokenless server's check of the Host header: loopback names (localhost, 127.x.x.x,
    [::1], any port) and the names in ``extra`` (the public_url's host)."""
    if not host_header:
        return True  # HTTP/1.0 clients; browsers always send Host
    try:
        name = urlsplit("//" + host_header).hostname or ""
    except ValueError:
        return False
    return is_loopback(name) or name in extra


def presented_token(headers) -> str | None:
    """The token a request presents in its headers ("" for a blank one), None when none."""
    auth = headers.get("authorization")
    if auth is not None and auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    if auth is not None and auth.strip().lower() == "bearer":
        return ""
    given = headers.get(TOKEN_HEADER)
    return given.strip() if given is not None else None


def token_matches(token: str | None, given: str | None) -> bool:
    """Constant-time comparison; a blank token never matches."""
    if not token or not given:
        return False
    return hmac.compare_digest(given.encode(), token.encode())


def client_key(request) -> str:
    """Whom to throttle: the client address (the proxy's X-Forwarded-For with proxy_headers)."""
    return request.client.host if request.client else "?"


def too_many_attempts(wait: int):
    from starlette.responses import JSONResponse

    return JSONResponse({"error": "too_many_attempts", "detail": f"too many wrong tokens; try again in {wait} s"},
                        status_code=429, headers={"retry-after": str(wait)})


class SessionStore:
    """Login sessions kept by the server: the cookie holds a random id, the server its expiry.
    Logout revokes it; expiry is checked here, not by the browser; a restart ends them all."""

    def __init__(self, ttl: float = 12 * 3600, limit: int = 10_000):
        self.ttl = ttl
        self.limit = limit
        self._expires: dict[str, float] = {}  # sha256 of the session id -> expiry (time.monotonic)
        self._lock = threading.Lock()

    @staticmethod
    def _key(session_id: str) -> str:
        return hashlib.sha256(session_id.encode()).hexdigest()

    def create(self) -> str:
        session_id = secrets.token_urlsafe(32)
        now = time.monotonic()
        with self._lock:
            for key in [k for k, t in self._expires.items() if t <= now]:
                del self._expires[key]
            while len(self._expires) >= self.limit:  # oldest first
                del self._expires[min(self._expires, key=self._expires.__getitem__)]
            self._expires[self._key(session_id)] = now + self.ttl
        return session_id

    def valid(self, session_id: str | None) -> bool:
        if not session_id:
            return False
        key = self._key(session_id)
        with self._lock:
            expires = self._expires.get(key)
            if expires is None:
                return False
            if expires <= time.monotonic():
                del self._expires[key]
                return False
            return True

    def revoke(self, session_id: str | None) -> None:
        if session_id:
            with self._lock:
                self._expires.pop(self._key(session_id), None)


class AuthThrottle:
    """Failed token attempts (login form or request headers): after ``per_client`` failures in
    ``window`` seconds a client is refused (429) until the oldest expires; after ``overall``
    failures from all clients together, everyone is (guessing from many addresses)."""

    def __init__(self, per_client: int = 5, overall: int = 50, window: float = 300.0):
        self.per_client, self.overall, self.window = per_client, overall, window
        self._by_client: dict[str, deque[float]] = {}
        self._all: deque[float] = deque()
        self._lock = threading.Lock()

    def _trim(self, q: deque[float], now: float) -> None:
        while q and q[0] <= now - self.window:
            q.popleft()

    def retry_after(self, client: str) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        now = time.monotonic()
        with self._lock:
            self._trim(self._all, now)
            q = self._by_client.get(client)
            if q is not None:
                self._trim(q, now)
            waits = []
            if q is not None and len(q) >= self.per_client:
                waits.append(q[len(q) - self.per_client] + self.window - now)
            if len(self._all) >= self.overall:
                waits.append(self._all[len(self._all) - self.overall] + self.window - now)
        return max(1, int(max(waits)) + 1) if waits else 0

    def failed(self, client: str) -> None:
        now = time.monotonic()
        with self._lock:
            self._by_client.setdefault(client, deque()).append(now)
            self._all.append(now)
            if len(self._by_client) > 10_000:  # forget quiet clients
                for key in [k for k, q in self._by_client.items() if not q or q[-1] <= now - self.window]:
                    del self._by_client[key]

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._by_client.pop(client, None)


class SecurityHeaders:
    """ASGI middleware, the outermost of the app: every response gets the security headers (the
    app's own pages, its error pages, 401/403/413 answers of the other middleware), and an
    exception that escapes everything else becomes a 500 with them too (JSON for API paths and
    JSON clients, a short HTML page otherwise) instead of the server's bare text page."""

    def __init__(self, app: ASGIApp, docs_path: str = "/docs"):
        self.app = app
        self.docs_path = docs_path

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope["path"] == self.docs_path else CSP
        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message["headers"] = list(message.get("headers") or [])
                headers = MutableHeaders(raw=message["headers"])
                headers["content-security-policy"] = csp
                for k, v in SECURITY_HEADERS.items():
                    headers.setdefault(k, v)
                if headers.get("content-type", "").startswith("text/html"):
                    headers.setdefault("cache-control", "no-store")
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception as exc:
            if started:
                raise
            log.exception("%s %s failed", scope.get("method"), scope["path"])
            await _internal_error(scope, send_with_headers, exc)


def wants_json(path: str, accept: str) -> bool:
    """API paths, exports and clients that ask for JSON (and not HTML) get JSON errors."""
    return path.startswith(("/api/", "/export.", "/openapi.json")) or (
        "application/json" in accept and "text/html" not in accept)


def internal_error_detail(exc: BaseException) -> str:
    return (f"the server could not complete this request ({type(exc).__name__}); "
            "the details are in the server's log")


async def _internal_error(scope: Scope, send: Send, exc: BaseException) -> None:
    accept = dict(scope.get("headers") or []).get(b"accept", b"").decode("latin-1")
    detail = internal_error_detail(exc)
    if wants_json(scope["path"], accept):
        body = json.dumps({"error": "internal_error", "detail": detail}).encode()
        ctype = b"application/json"
    else:
        body = ("<!doctype html><html lang=en><meta charset=utf-8><title>500 internal error</title>"
                f"<h1>500 internal error</h1><p>{detail}</p></html>").encode()
        ctype = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", ctype), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


class BodyTooLarge(Exception):
    pass


class BodyLimit:
    """ASGI middleware: requests to ``paths`` may carry at most ``limit`` bytes of body.
    A declared Content-Length over the limit is refused at once; a streamed body is counted
    and the request aborted with 413 as soon as it passes the limit."""

    def __init__(self, app: ASGIApp, limit: int, paths: tuple[str, ...] | None = None,
                 exclude: tuple[str, ...] = (), what: str = "request body"):
        self.app = app
        self.limit = limit
        self.paths = paths  # None: every path but ``exclude``
        self.exclude = exclude
        self.what = what

    def _applies(self, path: str) -> bool:
        return path in self.paths if self.paths is not None else path not in self.exclude

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._applies(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit, self.what)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except BaseException as exc:  # BaseHTTPMiddleware may wrap it in an ExceptionGroup
            if not body_too_large(exc) or started:
                raise
            await _too_large(send, self.limit, self.what)


def body_too_large(exc: BaseException) -> bool:
    """True for the BodyLimit's cut-off (possibly wrapped in an ExceptionGroup on its way out)."""
    return isinstance(exc, BodyTooLarge) or (
        isinstance(exc, BaseExceptionGroup) and exc.subgroup(BodyTooLarge) is not None)


def size_text(n: int) -> str:
    """A byte count for people: 64 KB, 200 MB, 1.5 MB (never "0 MB")."""
    if n >= 2**20:
        mb = n / 2**20
        return f"{mb:.0f} MB" if mb == int(mb) or mb >= 10 else f"{mb:.1f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


async def _too_large(send: Send, limit: int, what: str = "request body") -> None:
    body = json.dumps({"error": "too_large", "detail": f"{what} larger than the limit of {size_text(limit)}"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(body)).encode()),
                (b"connection", b"close"),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
