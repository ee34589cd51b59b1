"""Whole answers to repeated reads, kept in memory until the data changes.

A read answer depends only on its URL, its Accept header and the store's data, so the bytes
of a 200 answer to a GET are kept (least recently used first out, by total size) and sent
again without routing, SQL or JSON. Every write through this server clears them (the
ViewCache's generation moves on); a store other processes may write (PostgreSQL) is asked at
most once a second whether it changed (Store.data_version). A read-only DuckDB file cannot
change while it is open, so it is never asked.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BYTES = 64 << 20  # per process
MAX_ANSWER = 2 << 20  # bigger answers (large exports) are streamed every time
CHECK_SECONDS = 1.0


@dataclass
class Answer:
    status: int
    headers: list[tuple[bytes, bytes]]
    body: bytes
    generation: int


class Answers:
    """The kept answers of one process, by key, under a byte budget."""

    def __init__(self, max_bytes: int = MAX_BYTES) -> None:
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple[Any, ...], Answer] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], generation: int) -> Answer | None:
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            if found.generation != generation:
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], answer: Answer) -> None:
        with self._lock:
            if key in self._items:
                self._drop(key)
            self._items[key] = answer
            self._size += len(answer.body)
            while self._size > self.max_bytes and self._items:
                self._drop(next(iter(self._items)))

    def _drop(self, key: tuple[Any, ...]) -> None:
        self._size -= len(self._items.pop(key).body)


class ResponseCache:
    """Pure ASGI middleware: a kept answer when there is one, else the app's, kept for next
    time. `generation()` names the data version; `changed()` says whether others wrote."""

    def __init__(
        self,
        app: ASGIApp,
        generation: Callable[[], int],
        changed: Callable[[], bool] | None = None,
        answers: Answers | None = None,
    ) -> None:
        self.app = app
        self.generation = generation
        self.changed = changed
        self.answers = answers or Answers()
        self._checked = 0.0

    def _look_outside(self) -> None:
        """At most once a second: has another process written to the store?"""
        now = time.monotonic()
        if self.changed is not None and now - self._checked >= CHECK_SECONDS:
            self._checked = now
            self.changed()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        self._look_outside()
        headers = dict(scope.get("headers") or [])
        key = (scope["path"], scope.get("query_string", b""), headers.get(b"accept", b""))
        generation = self.generation()
        kept = self.answers.get(key, generation)
        if kept is not None:
            await send(
                {"type": "http.response.start", "status": kept.status, "headers": kept.headers}
            )
            await send({"type": "http.response.body", "body": kept.body})
            return
        await self._answer_and_keep(scope, receive, send, key, generation)

    async def _answer_and_keep(
        self, scope: Scope, receive: Receive, send: Send, key: tuple[Any, ...], generation: int
    ) -> None:
        start: Message = {}
        parts: list[bytes] = []
        size = 0
        keep = True

        async def sending(message: Message) -> None:
            nonlocal size, keep, start
            if message["type"] == "http.response.start":
                start = message
                keep = message["status"] == 200
            elif message["type"] == "http.response.body" and keep:
                body = message.get("body", b"")
                size += len(body)
                if size > MAX_ANSWER:
                    keep, parts[:] = False, []
                else:
                    parts.append(body)
                if not message.get("more_body", False) and keep:
                    answer = Answer(200, list(start["headers"]), b"".join(parts), generation)
                    self.answers.put(key, answer)
            await send(message)

        await self.app(scope, receive, sending)
