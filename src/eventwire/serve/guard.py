"""Hardening every response and request body: security headers on all pages (a strict CSP
that allows the UI's own scripts and styles only), and JSON bodies checked for nesting depth
and string validity before they reach a handler."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_DEPTH = 64
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
]


class SecurityHeaders:
    """Pure ASGI middleware: the headers above on every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _v in message.get("headers", [])}
                extra = [(k, v) for k, v in HEADERS if k not in names]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def nesting_depth(body: bytes) -> int:
    """Deepest bracket nesting of a JSON text, counted outside strings, in one pass."""
    depth = deepest = 0
    in_string = escaped = False
    for byte in body:
        if in_string:
            if escaped:
                escaped = False
            elif byte == 0x5C:  # backslash
                escaped = True
            elif byte == 0x22:
                in_string = False
        elif byte == 0x22:
            in_string = True
        elif byte in (0x5B, 0x7B):
            depth += 1
            deepest = max(deepest, depth)
        elif byte in (0x5D, 0x7D):
            depth -= 1
    return deepest


def parse_body(body: bytes) -> tuple[Any, tuple[int, str] | None]:
    """The JSON value, or (status, reason): 400 not JSON, 422 too deep or not valid text."""
    if nesting_depth(body) > MAX_DEPTH:
        return None, (422, f"body nested deeper than {MAX_DEPTH} levels")
    try:
        value = json.loads(body or b"null")
    except ValueError as exc:
        return None, (400, f"body is not JSON: {exc}")
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as exc:
        return None, (422, f"body holds a lone surrogate (\\u{ord(exc.object[exc.start]):04x})")
    return value, None
