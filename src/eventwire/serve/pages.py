"""The request context and page rendering that every view imports (the app only wires them)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from fastapi import HTTPException, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates

from eventwire.serve.negotiate import FORMATS, query_without, requested_format
from eventwire.store.base import Store

HERE = Path(str(resources.files("eventwire.serve")))


@dataclass
class Limits:
    """Size limits on what a request may send (bytes of body, characters of article text)."""

    code_chars: int = 100_000  # the open paste-and-code page
    ingest_bytes: int = 5_000_000  # one authenticated ingest request
    ingest_articles: int = 200  # articles per ingest request
    export_rows: int = 1_000_000


class ViewCache:
    """Aggregate views (stats, network, profiles) kept for a while: the data only changes
    when someone writes, and writes through this server clear it. 0 seconds = off."""

    def __init__(self, seconds: float = 60.0, size: int = 256) -> None:
        self.seconds = seconds
        self.size = size
        self._items: OrderedDict[str, tuple[float, Any]] = OrderedDict()
        self._lock = threading.Lock()
        self.generation = 0  # moves on at every clear: kept answers (serve/cache.py) follow

    def get(self, key: str, compute: Callable[[], Any]) -> Any:
        if self.seconds <= 0:
            return compute()
        now = time.monotonic()
        with self._lock:
            hit = self._items.get(key)
            if hit is not None and now - hit[0] < self.seconds:
                self._items.move_to_end(key)
                return hit[1]
        value = compute()
        with self._lock:
            self._items[key] = (now, value)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.generation += 1


@dataclass
class Context:
    """What every handler needs: the store, the write token, the locks, the view cache and
    the watcher, when this server runs one."""

    store: Store
    token: str | None = None
    limits: Limits = field(default_factory=Limits)
    write_lock: threading.Lock = field(default_factory=threading.Lock)
    code_lock: threading.Lock = field(default_factory=threading.Lock)
    model: str | None = None
    cache: ViewCache = field(default_factory=ViewCache)
    watch: Any = None  # the feed watcher running in this server (serve/watching.py), if any


def cached(request: Request, compute: Callable[[], Any]) -> Any:
    """The view's data for this path and query (format aside), from the cache when fresh."""
    query = sorted((k, v) for k, v in request.query_params.multi_items() if k != "format")
    return context(request).cache.get(f"{request.url.path}?{query}", compute)


def context(request: Request) -> Context:
    ctx: Context = request.app.state.ctx
    return ctx


async def request_context(request: Request) -> Context:
    """FastAPI dependency: the context, without a sync dependency's hop to a worker thread."""
    return context(request)


@dataclass
class Page:
    """What a handler returns: its data (the JSON), and the template that shows it."""

    data: Any
    template: str
    extra: dict[str, Any] = field(default_factory=dict)
    status: int = 200


def templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(HERE / "templates"))
    env = templates.env
    env.globals["query_without"] = query_without
    env.filters["fmt_int"] = lambda n: f"{int(n):,}" if n is not None else ""
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "default": str, "ensure_ascii": False}
    return templates


def _plain(value: Any) -> Any:
    """What json.dumps cannot write itself: dates (ISO) and dataclasses (their fields)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    return str(value)


def json_response(data: Any, status: int = 200) -> Response:
    """JSON by orjson (dates and dataclasses natively): several times json.dumps's speed."""
    body = orjson.dumps(data, default=_plain, option=orjson.OPT_NON_STR_KEYS)
    return Response(body, status_code=status, media_type="application/json")


def render(request: Request, page: Page) -> Response:
    """The same data as JSON, or as the page's HTML, as the client asked."""
    name = requested_format(request)
    if name == "json":
        return json_response(page.data, page.status)
    if name != "html":
        allowed = ", ".join(f for f in FORMATS if f in ("html", "json"))
        raise HTTPException(
            422,
            {"error": "invalid parameter", "param": "format", "message": f"use one of: {allowed}"},
        )
    templates: Jinja2Templates = request.app.state.templates
    values = {"data": page.data, "ctx": context(request), **page.extra}
    return templates.TemplateResponse(request, page.template, values, status_code=page.status)
