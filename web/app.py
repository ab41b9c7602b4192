"""The FastAPI application: ``create_app(settings, token=...)``.

HTML pages (search, documents, pages, batches) and a JSON API under /api share one context
(settings, result store, search backend, ingest jobs). See web/security.py for the safety model.
"""

from __future__ import annotations

import logging
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from foialens.search.backend import BackendUnavailable, SearchError
from foialens.settings import Settings
from foialens.store.datadir import UnsafePath
from foialens.web.common import ApiError, WebContext
from foialens.web.labels import ENTITY_PATHS, FIELD_TITLES, exemption_label
from foialens.web.security import (
    COOKIE,
    SESSION_TTL,
    AuthThrottle,
    BodyLimit,
    SecurityHeaders,
    SessionStore,
    body_too_large,
    client_key,
    host_allowed,
    internal_error_detail,
    presented_token,
    require_token_for,
    token_matches,
    too_many_attempts,
    wants_json,
)

HERE = Path(__file__).resolve().parent
log = logging.getLogger(__name__)
UPLOAD_PATHS = ("/batches/upload", "/api/batches/upload")
FORM_LIMIT = 64 * 1024  # every other request body (login, forms, API JSON, notes)
OPEN_PATHS = ("/login", "/healthz", "/static/")


def create_app(
    settings: Settings | None = None,
    *,
    token: str | None = None,
    host: str = "127.0.0.1",
    max_upload_mb: int | None = None,
    runner: str | None = None,
    export_limit: int | None = None,
    start_jobs: bool = True,
    port: int = 8000,
    session_ttl: float = SESSION_TTL,
    proxy_headers: bool = False,
    forwarded_allow_ips: str = "127.0.0.1",
) -> FastAPI:
    """Build the app. ``token`` and ``max_upload_mb`` default to the settings' (FOIALENS_TOKEN,
    FOIALENS_MAX_UPLOAD_MB); a token is required unless ``host`` is a loopback address (ValueError
    otherwise; so is a blank token). ``host``/``port`` are where ``serve`` listens: citation URLs
    are built from them unless FOIALENS_PUBLIC_URL says otherwise. ``proxy_headers``: trust
    X-Forwarded-Proto/-For from ``forwarded_allow_ips`` (behind a TLS-terminating proxy; the
    session cookie is then Secure). ``runner`` ("module:function") replaces the ingest flow in
    web jobs (tests)."""
    settings = settings or Settings()
    token = token if token is not None else settings.token
    require_token_for(host, token)
    ctx = WebContext(settings, token, (max_upload_mb or settings.max_upload_mb) * 2**20, runner)
    ctx.base_url = settings.public_url or _listen_url(host, port)
    ctx.sessions = SessionStore(session_ttl)
    ctx.throttle = AuthThrottle()
    public_host = urlsplit(settings.public_url).hostname if settings.public_url else None
    allowed_hosts = (public_host,) if public_host else ()
    if export_limit is not None:
        ctx.export_limit = export_limit

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        if start_jobs:
            ctx.jobs.start()
        try:
            yield
        finally:
            if start_jobs:
                ctx.jobs.stop()
            ctx.close()

    app = FastAPIOffline(  # Swagger UI at /docs from packaged assets: works with no internet
        title="foialens",
        version="0.1.0",
        description="Search FOIA releases and contracts: pages, tags (vendors, data types, agencies, "
        "clauses, exemptions), documents and batches. Send the token as `Authorization: Bearer ...` "
        "when the server requires one.",
        lifespan=lifespan,
        redoc_url=None,
    )
    app.state.ctx = ctx
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(HERE / "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(label=ctx.label, field_titles=FIELD_TITLES, exemption_label=exemption_label,
                       entity_paths=ENTITY_PATHS)
    app.state.templates = Jinja2Templates(env=env)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    from foialens.web import api, views, workbench

    app.include_router(api.router)
    app.include_router(workbench.api)
    app.include_router(workbench.router)  # before views: /export.citations is not /export.{fmt}
    app.include_router(views.router)
    app.openapi = lambda: _openapi(app)

    # --- errors ---------------------------------------------------------------------------------

    def error_response(request: Request, status: int, code: str, detail: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": code, "detail": detail}, status_code=status)
        return app.state.templates.TemplateResponse(
            request, "error.html", {"status": status, "code": code, "detail": detail, "auth": bool(ctx.token)},
            status_code=status,
        )

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return error_response(request, exc.status, exc.code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {}
        where = ".".join(str(p) for p in first.get("loc", ()) if p not in ("query", "body", "path"))
        detail = f"{where}: {first.get('msg', 'invalid request')}" if where else first.get("msg", "invalid request")
        return error_response(request, 400, "invalid_request", detail)

    @app.exception_handler(BackendUnavailable)
    async def _unavailable(request: Request, exc: BackendUnavailable) -> Response:
        return error_response(request, 503, "backend_unavailable", str(exc))

    @app.exception_handler(SearchError)
    async def _search_error(request: Request, exc: SearchError) -> Response:
        return error_response(request, 400, "search_error", str(exc))

    @app.exception_handler(UnsafePath)
    async def _unsafe(request: Request, exc: UnsafePath) -> Response:
        return error_response(request, 404, "not_found", "no such file")

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        code = {404: "not_found", 405: "method_not_allowed"}.get(exc.status_code, "http_error")
        return error_response(request, exc.status_code, code, str(exc.detail))

    # --- middleware (last added runs first) ---------------------------------------------------

    def unauthorized(request: Request) -> Response:
        if _wants_json(request) or request.method != "GET":
            return JSONResponse(
                {"error": "unauthorized", "detail": "this server requires a token "
                 "(Authorization: Bearer <token>, or log in at /login)"},
                status_code=401, headers={"www-authenticate": "Bearer"},
            )
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse("/login?next=" + quote(target, safe=""), status_code=303)

    def authorize(request: Request) -> Response | None:
        """None when the request may go on, else the answer (401, a redirect to /login, 429)."""
        given = presented_token(request.headers)
        if given is not None:  # a token in the headers: checked (and throttled) even with a cookie
            client = client_key(request)
            wait = ctx.throttle.retry_after(client)
            if wait:
                return too_many_attempts(wait)
            if token_matches(ctx.token, given):
                ctx.throttle.succeeded(client)
                return None
            ctx.throttle.failed(client)
            return unauthorized(request)
        if ctx.sessions.valid(request.cookies.get(COOKIE)):
            return None
        return unauthorized(request)

    @app.middleware("http")
    async def guard(request: Request, call_next) -> Response:
        path = request.url.path
        resp: Response | None = None
        if not ctx.token and not host_allowed(request.headers.get("host"), allowed_hosts):
            # a tokenless server is for this machine only: a foreign name pointing here is DNS rebinding
            resp = JSONResponse({"error": "misdirected_request", "detail": "this server answers only to "
                                 "loopback host names (localhost, 127.0.0.1); serve with a token to use other "
                                 "names"}, status_code=421)
        elif ctx.token and not path.startswith(OPEN_PATHS):
            resp = authorize(request)
        if resp is None and request.method not in ("GET", "HEAD", "OPTIONS") and _cross_site(request):
            resp = JSONResponse({"error": "forbidden", "detail": "cross-site request refused"}, status_code=403)
        if resp is None:
            try:
                resp = await call_next(request)
            except Exception as exc:  # a bug or a damaged file: an error page, not a bare 500
                if body_too_large(exc):
                    raise  # BodyLimit answers 413
                log.exception("%s %s failed", request.method, path)
                resp = error_response(request, 500, "internal_error", internal_error_detail(exc))
        return resp

    app.add_middleware(BodyLimit, limit=FORM_LIMIT, exclude=UPLOAD_PATHS)  # forms, API JSON, notes
    app.add_middleware(BodyLimit, limit=ctx.max_upload_bytes, paths=UPLOAD_PATHS, what="upload")
    if proxy_headers:  # scheme and client address from a trusted proxy, before anything looks at them
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=forwarded_allow_ips)
    app.add_middleware(SecurityHeaders)  # outermost: every response, whoever made it
    return app


def _openapi(app: FastAPI) -> dict:
    """The generated schema with what the server really does: invalid parameters are 400s with
    an error body (never 422), the bearer token is a security scheme (Swagger's Authorize
    button; servers on loopback need none), uploads are multipart with a file array."""
    if app.openapi_schema:
        return app.openapi_schema
    from fastapi.openapi.utils import get_openapi

    from foialens.web.schemas import UPLOAD_FORM

    schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
    components = schema.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas["UploadForm"] = UPLOAD_FORM
    components["securitySchemes"] = {"bearerAuth": {
        "type": "http", "scheme": "bearer",
        "description": "the server's token (foialens serve --token / FOIALENS_TOKEN); not needed on loopback"}}
    schema["security"] = [{"bearerAuth": []}, {}]
    error = {"description": "Bad request", "content": {"application/json": {
        "schema": {"$ref": "#/components/schemas/ErrorBody"}}}}
    for operations in schema.get("paths", {}).values():
        for op in operations.values():
            responses = op.setdefault("responses", {})
            if responses.pop("422", None) is not None:
                responses.setdefault("400", error)
    app.openapi_schema = schema
    return schema


def _listen_url(host: str, port: int) -> str:
    """Base URL of the address `serve` listens on (a wildcard address: this machine's name)."""
    if host in ("0.0.0.0", "::", ""):
        import socket

        host = socket.getfqdn()
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{port}/"


def _wants_json(request: Request) -> bool:
    return wants_json(request.url.path, request.headers.get("accept", ""))


def _cross_site(request: Request) -> bool:
    """A state-changing request sent by another site's page (the session cookie is SameSite=Strict
    too; this also covers the no-token localhost case)."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:  # browsers send it on every request
        return site not in ("same-origin", "none")
    origin = request.headers.get("origin")
    if origin and origin != "null":
        from urllib.parse import urlsplit

        return urlsplit(origin).netloc != request.headers.get("host", "")
    return origin == "null"
