"""The FastAPI application: one store, read-only unless the operator sets a write token."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from eventwire.serve import groups, sources, views, write
from eventwire.serve.cache import ResponseCache
from eventwire.serve.guard import SecurityHeaders
from eventwire.serve.negotiate import FormatSuffix, requested_format
from eventwire.serve.pages import (
    HERE,
    Context,
    Limits,
    ViewCache,
    context,
    json_response,
    templates,
)
from eventwire.store.base import Store

__all__ = ["Limits", "create_app", "app_from_env", "worker_app"]

TOKEN_ENV = "EVENTWIRE_TOKEN"
WORKER_DB_ENV = "EVENTWIRE_SERVE_DB"  # set by `eventwire serve` for its worker processes
WORKER_TOKEN_ENV = "EVENTWIRE_SERVE_TOKEN_ENV"


def _error_body(status: int, detail: Any) -> dict[str, Any]:
    if isinstance(detail, dict):
        return {"status": status, **detail}
    return {"status": status, "error": str(detail)}


def _validation_body(exc: RequestValidationError) -> dict[str, Any]:
    problems = []
    for err in exc.errors():
        loc = [str(part) for part in err.get("loc", ()) if part not in ("query", "body", "path")]
        problems.append({"param": ".".join(loc) or "request", "message": err.get("msg", "")})
    first = problems[0] if problems else {"param": "request", "message": "invalid request"}
    return {"status": 422, "error": "invalid parameter", **first, "problems": problems}


def _error_response(request: Request, status: int, body: dict[str, Any]) -> Response:
    if requested_format(request) == "html" and request.method == "GET":
        templates: Jinja2Templates = request.app.state.templates
        values = {"data": body, "ctx": context(request)}
        return templates.TemplateResponse(request, "error.html", values, status_code=status)
    return json_response(body, status)


def _install_errors(app: FastAPI) -> None:
    """Every 4xx is JSON with a message (an HTML page for a browser's GET)."""

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = _error_response(
            request, exc.status_code, _error_body(exc.status_code, exc.detail)
        )
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        return _error_response(request, 422, _validation_body(exc))


def create_app(
    store: Store,
    token: str | None = None,
    limits: Limits | None = None,
    model: str | None = None,
    cache_seconds: float = 60.0,
) -> FastAPI:
    """The app over an open store; `token` (if any) unlocks the write endpoints."""
    app = FastAPI(
        title="eventwire",
        summary="PLOVER events coded from news: search, read, export.",
        version=_version(),
        docs_url=None,  # Swagger UI loads from a CDN; the offline /api page lists the routes
        redoc_url=None,
    )
    app.state.ctx = Context(
        store=store,
        token=token or None,
        limits=limits or Limits(),
        model=model,
        cache=ViewCache(cache_seconds),
    )
    app.state.templates = templates()
    app.add_middleware(FormatSuffix)
    ctx: Context = app.state.ctx
    if cache_seconds > 0:  # whole answers kept until the data changes (serve/cache.py)
        app.add_middleware(
            ResponseCache, generation=lambda: ctx.cache.generation, changed=_outside_writes(ctx)
        )
    app.add_middleware(SecurityHeaders)
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    _install_errors(app)
    app.include_router(groups.router)
    app.include_router(sources.router)
    app.include_router(views.router)
    app.include_router(write.router)
    return app


def _outside_writes(ctx: Context) -> Callable[[], bool] | None:
    """How a server learns of writes by other processes: a read-only DuckDB file has none (it
    is locked while open), a writable one only ours; a PostgreSQL store is asked."""
    store = ctx.store
    if store.dialect.name == "duckdb":
        return None
    seen = [store.data_version()]

    def changed() -> bool:
        try:
            now = store.data_version()
        except Exception:  # noqa: BLE001 - the database away: keep nothing, ask again later
            now = ()
        if now == seen[0]:
            return False
        seen[0] = now
        ctx.cache.clear()
        return True

    return changed


def app_from_env(
    db: str | None = None, token_env: str = TOKEN_ENV, writer: bool = False
) -> FastAPI:
    """Open the store named by --db (read-only unless a write token is set or this server is
    the store's writer, as `serve --watch` is) and build the app."""
    from eventwire.store import open_store

    token = os.environ.get(token_env) or None
    store = open_store(db, read_only=token is None and not writer)
    return create_app(store, token=token)


def worker_app() -> FastAPI:
    """One of `serve`'s worker processes: the store `serve` named, opened by this process."""
    return app_from_env(os.environ.get(WORKER_DB_ENV), os.environ.get(WORKER_TOKEN_ENV, TOKEN_ENV))


def _version() -> str:
    from eventwire.output import coder_name

    return coder_name().split(" ", 1)[1]
