"""Safety rules of the web layer: ids and paths, the access token, security headers, body limits.

- A ``doc_id`` is the sha256 of a file: exactly 64 lower-case hex characters. The data directory
  (``foialens.store.datadir``) refuses anything else before a path is built, and every served path
  is resolved and checked to lie inside it.
- A token is required whenever the server listens beyond loopback; it is accepted as
  ``Authorization: Bearer <token>``, ``X-Foialens-Token: <token>`` or the session cookie set by
  the login form (an HMAC of the token, HttpOnly, SameSite=Strict).
- Every response carries a strict Content-Security-Policy (no inline scripts or styles).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

COOKIE = "foialens_session"
TOKEN_HEADER = "x-foialens-token"

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
    """Refuse to serve beyond loopback without a token (ValueError with the reason)."""
    if not is_loopback(host) and not token:
        raise ValueError(
            f"refusing to listen on {host} without an access token: "
            "give --token or set FOIALENS_TOKEN (or bind to 127.0.0.1)"
        )
    if token is not None and len(token) < 12:
        raise ValueError("the access token must be at least 12 characters long")


def session_value(token: str) -> str:
    """Cookie value for a token: an HMAC, so the cookie is not the token itself."""
    return hmac.new(token.encode(), b"foialens-web-session-v1", hashlib.sha256).hexdigest()


def token_ok(token: str | None, headers, cookies) -> bool:
    """True when no token is configured or the request carries it (header or session cookie)."""
    if not token:
        return True
    auth = headers.get("authorization", "")
    if auth[:7].lower() == "bearer " and hmac.compare_digest(auth[7:].strip().encode(), token.encode()):
        return True
    given = headers.get(TOKEN_HEADER)
    if given and hmac.compare_digest(given.encode(), token.encode()):
        return True
    cookie = cookies.get(COOKIE)
    return bool(cookie) and hmac.compare_digest(cookie.encode(), session_value(token).encode())


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

    def __init__(self, app: ASGIApp, limit: int, paths: tuple[str, ...]):
        self.app = app
        self.limit = limit
        self.paths = paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] not in self.paths:
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await _too_large(send, self.limit)
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
            await _too_large(send, self.limit)


def body_too_large(exc: BaseException) -> bool:
    """True for the BodyLimit's cut-off (possibly wrapped in an ExceptionGroup on its way out)."""
    return isinstance(exc, BodyTooLarge) or (
        isinstance(exc, BaseExceptionGroup) and exc.subgroup(BodyTooLarge) is not None)


async def _too_large(send: Send, limit: int) -> None:
    body = (
        '{"error":"too_large","detail":"upload larger than the limit of %d MB"}' % (limit // 2**20)
    ).encode()
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
