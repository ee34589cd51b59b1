"""Read-only PostgreSQL connections shared by threads: the web server reads in parallel."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg


class ReaderPool:
    """Grows to the number of threads reading at once; drops connections the server closed."""

    def __init__(self, dsn: str) -> None:
        self._dsn = dsn
        self._idle: queue.SimpleQueue[psycopg.Connection[Any]] = queue.SimpleQueue()
        self.opened: list[psycopg.Connection[Any]] = []
        self._lock = threading.Lock()

    def _take(self) -> psycopg.Connection[Any]:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        con = psycopg.connect(self._dsn, autocommit=True)
        con.execute("SET default_transaction_read_only = on")
        with self._lock:
            self.opened.append(con)
        return con

    def _give_back(self, con: psycopg.Connection[Any]) -> None:
        """Back to the pool, unless the server dropped it (restart, idle timeout)."""
        if not con.broken and not con.closed:
            self._idle.put(con)
            return
        with self._lock:
            self.opened.remove(con)
        con.close()

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A connection for one query or one cursor, for this thread alone."""
        con = self._take()
        try:
            yield con
        finally:
            self._give_back(con)

    def close(self) -> None:
        with self._lock:
            for con in self.opened:
                con.close()
            self.opened.clear()
