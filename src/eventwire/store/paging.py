"""Event search pages with a capped total, portable SQL for DuckDB and PostgreSQL.

An exact total costs a second full scan of the filter columns for every request (20-40 ms on
a million events, 300 ms for a sentence substring), even when the page itself needs only the
newest rows. Like most search UIs, a search counts up to COUNT_CAP matches exactly and
reports "at least" beyond; without filters the exact count is cheap and always given.

One query (the probe) reads at most `need + 1` matches: when they are all there, it orders
them and counts them in the same pass, so a narrow search scans once; otherwise the matches
are many, and a top-N query over the whole set finds the page quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventwire.store.dialect import Reader, Row, one
from eventwire.store.events import count_events, event_records, event_sql
from eventwire.store.filters import EventFilter, filters_or_all, order_clause
from eventwire.store.where import where

COUNT_CAP = 10_000  # matches counted exactly; a search with more reports "at least"
DEFAULT_PAGE = 50


@dataclass
class SearchPage:
    """A page of records and how many events match: exactly, or at least `total`."""

    events: list[dict[str, Any]]
    total: int
    exact: bool


def search_page(
    reader: Reader, filters: EventFilter | None = None, cap: int | None = None
) -> SearchPage:
    """A page of records and how many events match (exactly up to `cap`, see above)."""
    cap = COUNT_CAP if cap is None else cap
    f = filters_or_all(filters)
    found, _params = where(reader, f)
    if not found:  # the whole table: its row count is cheap
        return SearchPage(_page_records(reader, f), count_events(reader, f), True)
    page = reader.text_page(f, _limit(f), _offset(f)) if f.text else None
    if page is not None:  # text, maybe dates and a type: paged from a word index
        return SearchPage(_records_by_key(reader, page[0]), page[1], True)
    need = max(cap, _offset(f) + _limit(f) + 1)
    bound = reader.text_bound(f.text) if f.text else None
    if bound is not None:  # few matches known from the word index: count them all
        need = max(need, bound)
    rows = _probe(reader, f, need)
    if not rows and not f.offset:
        return SearchPage([], 0, True)
    if rows and int(rows[0][1]) <= need:
        return SearchPage(_records_by_key(reader, [r[0] for r in rows]), int(rows[0][1]), True)
    if not rows:  # past the last match (or none): count them, capped
        counted = _capped_count(reader, f, need)
        return SearchPage([], min(counted, need), counted <= need)
    return SearchPage(_page_records(reader, f), need, False)


def event_page(reader: Reader, filters: EventFilter | None = None) -> list[dict[str, Any]]:
    """One page of records: `limit` (default 50), `offset` and `sort` of the filter."""
    return _page_records(reader, filters_or_all(filters))


def _records_by_key(reader: Reader, keys: list[Any]) -> list[dict[str, Any]]:
    """Records in the order of `keys` (values of the dialect's `page_key`)."""
    by_key = reader.dialect.by_key
    if not by_key:
        return event_records(reader, keys)
    found: dict[Any, Any] = dict(reader.fetch(by_key, [list(keys)])) if keys else {}
    return [reader.record(found[k]) for k in keys if k in found]


def _page_keys(reader: Reader, f: EventFilter) -> list[Any]:
    """The page's keys by a top-N over every match (no JSON read, no late columns)."""
    sql, params = event_sql(reader, f, reader.dialect.page_key)
    p = reader.dialect.param
    sql += f" LIMIT {p} OFFSET {p}"
    return [r[0] for r in reader.fetch(sql, [*params, _limit(f), _offset(f)])]


def _probe_order(f: EventFilter) -> str:
    """The sort of `f` over the probe's columns (subquery `s`)."""
    return order_clause(f, "s.tb").replace("a.id", "s.aid").replace("e.", "s.")


def _probe(reader: Reader, f: EventFilter, need: int) -> list[Row]:
    """The page of the first `need + 1` matches, each row with how many were read."""
    found, params = where(reader, f)
    d = reader.dialect
    ingest = f.sort == "ingest"
    join = " JOIN articles a ON a.hash = e.article_hash" if ingest else ""
    inner = (
        f"SELECT {d.page_key} AS pk, {d.tiebreak} AS tb, e.date, e.type,"
        f" e.confidence, e.seq{', a.id AS aid' if ingest else ''}"
        f" FROM events e{join}{found} LIMIT {d.param}"
    )
    sql = (
        f"SELECT s.pk, count(*) OVER () FROM ({inner}) s"
        f" ORDER BY {_probe_order(f)} LIMIT {d.param} OFFSET {d.param}"
    )
    return reader.fetch(sql, [*params, need + 1, _limit(f), _offset(f)])


def _page_records(reader: Reader, f: EventFilter) -> list[dict[str, Any]]:
    """The records of the page that a top-N over every match finds."""
    if not reader.dialect.inline_records:
        return _records_by_key(reader, _page_keys(reader, f))
    sql, params = event_sql(reader, f, "e.record")  # 1-2 ms cheaper than a second query
    p = reader.dialect.param
    rows = reader.fetch(f"{sql} LIMIT {p} OFFSET {p}", [*params, _limit(f), _offset(f)])
    return [reader.record(value) for (value,) in rows]


def _capped_count(reader: Reader, f: EventFilter, need: int) -> int:
    """How many events match, reading at most `need + 1` of them."""
    found, params = where(reader, f)
    p = reader.dialect.param
    sql = f"SELECT count(*) FROM (SELECT 1 FROM events e{found} LIMIT {p}) c"
    return int(one(reader, sql, [*params, need + 1]) or 0)


def _limit(f: EventFilter) -> int:
    return int(f.limit if f.limit is not None else DEFAULT_PAGE)


def _offset(f: EventFilter) -> int:
    return max(0, int(f.offset))
