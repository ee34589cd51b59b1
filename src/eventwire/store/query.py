"""What every read query shares: the back-end hook (`_fetch`), filters and small helpers.

A back-end supplies `_fetch` (and its `placeholder`); the read mixins build parameterised SQL
that runs unchanged on DuckDB and PostgreSQL. Reads do not flush: the server reads from
threads while a guarded writer flushes under its own lock.
"""

from __future__ import annotations

import datetime as dt
import json
from abc import abstractmethod
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.store.base import EventFilter

Row = tuple[Any, ...]


def filters_or_all(filters: EventFilter | None) -> EventFilter:
    from eventwire.store.base import EventFilter

    return filters or EventFilter()


def iso_day(value: Any) -> str | None:
    """date_trunc gives a date (DuckDB on dates) or a timestamp (PostgreSQL): ISO day either way."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def office_summary(
    seen: dict[tuple[Any, ...], set[str]], day_of: dict[str, Any]
) -> list[dict[str, Any]]:
    """Offices with event counts and first/last dates: one shape for every profile path."""
    out = []
    for (office, code, sector), found in seen.items():
        dated = [day_of[i] for i in found if day_of.get(i) is not None]
        out.append(
            {
                "office": office,
                "code": code,
                "sector": sector,
                "n": len(found),
                "first": min(dated) if dated else None,
                "last": max(dated) if dated else None,
            }
        )
    return sorted(out, key=lambda o: (-o["n"], o["office"]))


class QueryBase:
    """The hook a back-end implements and the helpers built on it."""

    placeholder: str = "?"
    tiebreak: str = "e.id"  # last ORDER BY key of event pages (DuckDB: e.rowid)
    indexed: bool = True  # events has the search columns of store/search.py

    @abstractmethod
    def _fetch(self, sql: str, params: list[Any]) -> list[Row]:
        """Run one SELECT with parameters; every row as a tuple (thread-safe)."""

    def _stream(self, sql: str, params: list[Any]) -> Iterator[Row]:
        """Rows one by one; back-ends override this with a cursor for big exports."""
        return iter(self._fetch(sql, params))

    def _record(self, value: Any) -> dict[str, Any]:
        """The stored PLOVER record: JSON text (DuckDB) or an already decoded dict."""
        if isinstance(value, str | bytes):
            record: dict[str, Any] = json.loads(value)
            return record
        return dict(value)

    def _where(self, filters: EventFilter, *extra: str) -> tuple[str, list[Any]]:
        from eventwire.store.base import conditions

        clauses, params = conditions(filters, self.placeholder, self.indexed, self._text_sql)
        clauses += extra
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    def _text_bound(self, text: str) -> int | None:
        """At most how many events a text search matches, when the store knows cheaply."""
        return None

    def _text_page(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Any], int] | None:
        """A page's keys and exact total of a search by text alone, when an index answers it
        without reading the events; None here (DuckDB's word index: see duckdb_text.py)."""
        return None

    def _text_sql(self, text: str, param: str) -> tuple[str, list[Any]]:
        """The SQL of a text search: one scan here; DuckDB plans with its word index."""
        from eventwire.store.textsearch import scan_condition

        return scan_condition(text, param)

    def _one(self, sql: str, params: list[Any]) -> Any:
        rows = self._fetch(sql, params)
        return rows[0][0] if rows else None
