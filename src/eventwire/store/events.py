"""Event reads: records by filter (CLI and exports), by id, and how many match."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from eventwire.store.dialect import Reader, one
from eventwire.store.filters import EventFilter, filters_or_all, order_clause
from eventwire.store.where import where

STREAM_OVER = 5000  # larger (or unlimited) results are read row by row (a cursor)


def event_sql(
    reader: Reader, filters: EventFilter, column: str = "e.record"
) -> tuple[str, list[Any]]:
    """SELECT `column` of the matching events in the filter's sort (the store's tie-breaker)."""
    order = order_clause(filters, reader.dialect.tiebreak)
    found, params = where(reader, filters)
    join = " JOIN articles a ON a.hash = e.article_hash" if "a." in order else ""
    return f"SELECT {column} FROM events e{join}{found} ORDER BY {order}", params


def events(reader: Reader, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """PLOVER records matching the filters, in ingest order (`limit`, `offset` apply)."""
    f = filters_or_all(filters)
    found, params = where(reader, f)
    p = reader.dialect.param
    sql = (
        "SELECT e.record FROM events e JOIN articles a ON a.hash = e.article_hash"
        f"{found} ORDER BY {order_clause(f)}"
    )
    if f.limit is not None:
        sql += f" LIMIT {p}"
        params.append(int(f.limit))
    if f.offset:
        sql += f" OFFSET {p}"
        params.append(int(f.offset))
    small = f.limit is not None and f.limit <= STREAM_OVER
    rows = reader.fetch(sql, params) if small else reader.stream(sql, params)
    for (value,) in rows:
        yield reader.record(value)


def event_stream(reader: Reader, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Every matching record in sort order (`limit` caps it): for exports."""
    f = filters_or_all(filters)
    sql, params = event_sql(reader, f)
    if f.limit is not None:
        sql += f" LIMIT {reader.dialect.param}"
        params.append(int(f.limit))
    for (value,) in reader.stream(sql, params):
        yield reader.record(value)


def events_by_type(reader: Reader, filters: EventFilter | None = None) -> dict[str, int]:
    """How many events of each type match the filters, most first."""
    found, params = where(reader, filters_or_all(filters))
    sql = f"SELECT e.type, count(*) FROM events e{found} GROUP BY e.type ORDER BY 2 DESC, 1"
    return {t: int(n) for t, n in reader.fetch(sql, params)}


def count_events(reader: Reader, filters: EventFilter | None = None) -> int:
    """How many events match the filters, exactly."""
    found, params = where(reader, filters_or_all(filters))
    return int(one(reader, f"SELECT count(*) FROM events e{found}", params) or 0)


def event_record(reader: Reader, event_id: str) -> dict[str, Any] | None:
    """One record by its id."""
    rows = reader.fetch(f"SELECT record FROM events WHERE id = {reader.dialect.param}", [event_id])
    return reader.record(rows[0][0]) if rows else None


def event_records(reader: Reader, ids: list[str]) -> list[dict[str, Any]]:
    """Records by id, in the order of `ids` (unknown ids are left out)."""
    if not ids:
        return []
    sql = f"SELECT id, record FROM events WHERE id = ANY({reader.dialect.param})"
    found = {i: r for i, r in reader.fetch(sql, [list(ids)])}
    return [reader.record(found[i]) for i in ids if i in found]
