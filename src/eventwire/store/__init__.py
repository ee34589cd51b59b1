"""Where coded articles live: one Store interface, on DuckDB (one file) or PostgreSQL (a team)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from eventwire.store.errors import StoreError

if TYPE_CHECKING:
    from eventwire.store.base import Store

__all__ = ["open_store", "DEFAULT_DB", "StoreError"]

DEFAULT_DB = "eventwire.duckdb"


def open_store(
    url: str | Path | None = None, read_only: bool = False, batch_size: int = 200
) -> Store:
    """A store for a URL or path: 'x.duckdb', 'duckdb:///abs/x.duckdb', ':memory:',
    or a PostgreSQL URL ('postgresql://user@host/db', libpq query parameters allowed).
    """
    from eventwire.config import settings

    target = str(url) if url is not None else settings().db
    if target.startswith(("postgresql://", "postgres://")):
        from eventwire.store.postgres_store import PostgresStore

        return PostgresStore(target, batch_size=batch_size, read_only=read_only)
    if target.startswith("duckdb://"):
        target = target[len("duckdb://") :] or ":memory:"
    if read_only and target != ":memory:" and not Path(target).exists():
        raise FileNotFoundError(f"no database at {target}: run `eventwire ingest` first")
    from eventwire.store.duckdb_store import DuckDBStore

    return DuckDBStore(target, batch_size=batch_size, read_only=read_only)
