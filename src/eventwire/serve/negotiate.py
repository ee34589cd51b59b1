"""One URL, several renderings: HTML for browsers, JSON for programs, files for exports.

Datasette-style: `/events.json`, `/events.csv`, `?format=json` or an Accept header without
text/html all pick the machine rendering of the same handler.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlencode

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

EXPORTS = ("jsonl", "csv", "parquet")
FORMATS = ("html", "json", *EXPORTS)
SUFFIXES = {f".{name}": name for name in ("json", *EXPORTS)}
# Paths whose names really end in .json and must not be rewritten.
_UNTOUCHED = ("/static/", "/openapi.json")
FORMAT_KEY = "eventwire.format"


def _split_suffix(path: str) -> tuple[str, str | None]:
    for suffix, name in SUFFIXES.items():
        if path.endswith(suffix) and len(path) > len(suffix) + 1:
            return path[: -len(suffix)], name
    return path, None


class FormatSuffix:
    """ASGI middleware: strip a `.json`/`.csv`/... suffix into the scope; drop empty params.

    Empty query parameters are what an HTML form sends for fields left blank: they mean
    "no filter", so they are removed before validation sees them.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            scope = dict(scope)
            path: str = scope["path"]
            if not path.startswith(_UNTOUCHED):
                stripped, name = _split_suffix(path)
                if name is not None:
                    scope["path"] = stripped
                    scope["raw_path"] = stripped.encode("utf-8")
                    scope[FORMAT_KEY] = name
            query = scope.get("query_string", b"").decode("latin-1")
            if query:
                pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if v != ""]
                scope["query_string"] = urlencode(pairs).encode("latin-1")
        await self.app(scope, receive, send)


def requested_format(request: Request) -> str:
    """html, json, jsonl, csv or parquet: suffix, then ?format=, then the Accept header."""
    name = request.scope.get(FORMAT_KEY) or request.query_params.get("format")
    if name:
        return str(name).lower()
    accept = request.headers.get("accept", "")
    return "html" if "text/html" in accept else "json"


def wants_html(request: Request) -> bool:
    return requested_format(request) == "html"


def query_without(request: Request, *names: str, **changes: Any) -> str:
    """This page's query string with some parameters dropped or changed (paging links)."""
    params = [(k, v) for k, v in request.query_params.multi_items() if k not in names]
    params = [(k, v) for k, v in params if k not in changes and k != "format"]
    params += [(k, str(v)) for k, v in changes.items() if v is not None and v != ""]
    return urlencode(params)
