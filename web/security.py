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

from starlette.types import ASGIApp, Message, Receive, Scope, Send

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
            too_large = isinstance(exc, BodyTooLarge) or (
                isinstance(exc, BaseExceptionGroup) and exc.subgroup(BodyTooLarge) is not None
            )
            if not too_large or started:
                raise
            await _too_large(send, self.limit)


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
