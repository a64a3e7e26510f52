"""The FastAPI application: the JSON API, the pages, the static files, security headers and
errors that say what to fix."""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from rasid.api import api, pages
from rasid.api.views import BadRequest, StorePool
from rasid.store import StoreError

log = logging.getLogger("rasid.api")

# No inline script or style anywhere: pages load /static/app.js and /static/app.css only, so a
# script that slipped into an ingested page could not run even if it escaped the escaping.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}


def _wants_json(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api") or path.startswith("/static")


def _error(request: Request, status: int, message: str, detail: object = None) -> Response:
    if _wants_json(request):
        body: dict[str, object] = {"error": message, "status": status}
        if detail is not None:
            body["detail"] = detail
        return JSONResponse(body, status_code=status)
    return pages.error_page(request, status, message)


def _validation_message(error: RequestValidationError) -> tuple[str, list[dict[str, str]]]:
    problems = []
    for item in error.errors():
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("query", "path"))
        problems.append({"parameter": where, "problem": str(item.get("msg", ""))})
    text = "; ".join(f"{p['parameter']}: {p['problem']}" for p in problems) or "bad request"
    return text, problems


def create_app(store_url: str, ingest_token: str | None = None) -> FastAPI:
    """The app over the base at ``store_url`` (a SQLite path or a postgresql:// URL). With
    ``ingest_token`` set, ``POST /api/ingest`` accepts pages carrying that token; without it,
    ingest is off. Raises :class:`StoreError` at once when the base cannot be opened."""
    pool = StorePool(store_url)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        pool.close()

    app = FastAPI(
        title="rasid",
        summary="Arabic news intelligence: search, articles, entities, quotes, events, stories",
        version="0.1.0",
        openapi_url="/api/openapi.json",
        # The interactive docs pages load their JS from a CDN: off (no network, strict CSP).
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.pool = pool
    app.state.ingest_token = ingest_token or None

    @app.middleware("http")
    async def headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        # Server time, read by bench/ui.py and visible in the browser's network panel.
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, error: BadRequest) -> Response:
        return _error(request, error.status, error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        message, problems = _validation_message(error)
        return _error(request, 422, message, problems)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        message = error.detail if isinstance(error.detail, str) else "error"
        if error.status_code == 404 and message == "Not Found":
            message = f"no page at {request.url.path[:200]}"
        return _error(request, error.status_code, message)

    @app.exception_handler(StoreError)
    async def store_error(request: Request, error: StoreError) -> Response:
        return _error(request, 503, str(error))

    @app.exception_handler(Exception)
    async def crash(request: Request, error: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return _error(request, 500, f"internal error: {type(error).__name__}")

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount(
        "/static", StaticFiles(directory=str(files("rasid.api").joinpath("static"))), "static"
    )
    return app
