"""Aggregate reads: event places, stats (by type, time, country) and the actor network."""

from __future__ import annotations

import datetime as dt
from typing import Any

from eventwire.store.actors import iso_day as _day
from eventwire.store.dialect import Reader, Row
from eventwire.store.filters import EventFilter, filters_or_all
from eventwire.store.search import element_code as _code
from eventwire.store.search import element_key as _key
from eventwire.store.where import where

# Timeline buckets by span of the data: never user text in SQL.
BUCKETS = ("day", "week", "month", "year")


def _ranked(item: tuple[Any, Any]) -> tuple[int, str]:
    """Most events first, then by name (as ORDER BY n DESC, key)."""
    return -int(item[1]), str(item[0])


def _as_date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def core_window(months: list[tuple[dt.date | None, int]]) -> tuple[dt.date | None, dt.date | None]:
    """First and last month holding the central 95% of dated events: a stray 1951 is left out."""
    counts = [(m, n) for m, n in months if m is not None]
    total = sum(n for _m, n in counts)
    if not total:
        return None, None
    low, high, seen = None, None, 0
    for month, n in counts:
        seen += n
        if low is None and seen > total * 0.025:
            low = month
        if high is None and seen >= total * 0.975:
            high = month
    assert low is not None and high is not None
    last = (high.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
    return low, last


def pick_bucket(first: dt.date | None, last: dt.date | None) -> str:
    """A timeline bucket that gives a readable number of bars for the span of the data."""
    if first is None or last is None:
        return "day"
    days = (last - first).days
    if days > 3 * 366:
        return "year" if days > 40 * 366 else "month"
    return "week" if days > 120 else "day"


def place_list(reader: Reader, filters: EventFilter | None = None, limit: int = 500) -> list[dict]:
    """Event locations with coordinates and how many events happened there."""
    found, params = where(reader, filters_or_all(filters), "e.lat IS NOT NULL", "e.lon IS NOT NULL")
    sql = (
        "SELECT e.place, e.place_country, avg(e.lat), avg(e.lon), count(*) AS n"
        f" FROM events e{found} GROUP BY e.place, e.place_country"
        f" ORDER BY n DESC, e.place LIMIT {reader.dialect.param}"
    )
    keys = ("place", "country", "lat", "lon", "n")
    return [dict(zip(keys, row, strict=True)) for row in reader.fetch(sql, [*params, limit])]


def event_stats(
    reader: Reader, filters: EventFilter | None = None, bucket: str | None = None
) -> dict[str, Any]:
    """Counts by type, by time bucket and type, by location country and actor country."""
    f = filters_or_all(filters)
    rows, months, by_country = _stats_groups(reader, f)
    window = core_window([(_as_date(m), int(n)) for m, n in months])
    bucket = bucket if bucket in BUCKETS else pick_bucket(*window)
    dated, params = where(reader, f, "e.date IS NOT NULL")
    series = reader.fetch(
        f"SELECT date_trunc('{bucket}', e.date) AS d, e.type, count(*) FROM events e{dated}"
        " GROUP BY d, e.type ORDER BY d, e.type",
        params,
    )
    return {
        "total": sum(int(n) for _t, n in rows),
        "dated": sum(int(n) for _m, n in months),
        "by_type": {t: int(n) for t, n in rows},
        "bucket": bucket,
        "window": {"from": window[0], "to": window[1]},
        "by_period_type": [{"period": _day(d), "type": t, "n": int(n)} for d, t, n in series],
        "by_country": by_country,
        "by_actor_country": _by_actor_country(reader, f),
    }


def _stats_groups(reader: Reader, f: EventFilter) -> tuple[list[Row], list[Row], dict[str, int]]:
    """Events by type, by month (dated) and by location country: one scan, three groups."""
    found, params = where(reader, f)
    rows = reader.fetch(
        "SELECT grouping(e.type), grouping(date_trunc('month', e.date)), e.type,"
        " date_trunc('month', e.date), e.place_country, count(*) AS n"
        f" FROM events e{found} GROUP BY GROUPING SETS"
        " ((e.type), (date_trunc('month', e.date)), (e.place_country))",
        params,
    )
    by_type = sorted(((t, n) for gt, _gm, t, _m, _c, n in rows if not gt), key=_ranked)
    months = sorted((m, n) for gt, gm, _t, m, _c, n in rows if gt and not gm and m is not None)
    countries = sorted(
        ((c, n) for gt, gm, _t, _m, c, n in rows if gt and gm and c is not None), key=_ranked
    )
    return by_type, months, {c: int(n) for c, n in countries}


def _by_actor_country(reader: Reader, f: EventFilter) -> dict[str, int]:
    """Events per party country; without event filters the actors table alone answers."""
    found, params = where(reader, f)
    sql = (
        "SELECT code, count(*) AS n FROM ("
        f"SELECT unnest(string_to_array(e.party_codes, chr(31))) AS code FROM events e{found}"
        ") u WHERE code <> '' GROUP BY code ORDER BY n DESC, code"
    )
    return {c: int(n) for c, n in reader.fetch(sql, params)}


def actor_network(reader: Reader, filters: EventFilter | None = None, limit: int = 60) -> dict:
    """Who acts on whom: actor -> recipient pairs of the same events, weighted by events."""
    return _graph(reader.fetch(*_pairs_sql(reader, filters_or_all(filters), limit)))


def _pairs_sql(reader: Reader, f: EventFilter, limit: int) -> tuple[str, list[Any]]:
    """Actor -> recipient pairs from each event's key sets (store/search.py): no joins."""
    found, params = where(reader, f)
    unnest = "unnest(string_to_array({}, chr(31)))"  # in SELECT lists: no lateral join
    actors = (
        f"SELECT {reader.dialect.tiebreak} AS rid, {unnest.format('e.actor_keys')} AS av,"
        f" e.recipient_keys FROM events e{found}"
    )
    pairs = (
        f"SELECT rid, av, {unnest.format('recipient_keys')} AS rv FROM ({actors}) a WHERE av <> ''"
    )
    split = (
        f"SELECT rid, {_key('av')} AS s, {_code('av')} AS sc, {_key('rv')} AS t,"
        f" {_code('rv')} AS tc FROM ({pairs}) p WHERE rv <> ''"
    )
    sql = (
        "SELECT s, t, nullif(max(sc), ''), nullif(max(tc), ''), count(DISTINCT rid) AS w"
        f" FROM ({split}) k WHERE s <> t GROUP BY s, t ORDER BY w DESC, s, t"
        f" LIMIT {reader.dialect.param}"
    )
    return sql, [*params, int(limit)]


def _graph(rows: list[Row]) -> dict[str, Any]:
    """Nodes (weighted by their edges) and edges of the network view."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for s, t, sc, tc, w in rows:
        for name, code in ((s, sc), (t, tc)):
            node = nodes.setdefault(name, {"id": name, "code": code, "n": 0})
            node["n"] += int(w)
        edges.append({"source": s, "target": t, "weight": int(w)})
    return {"nodes": list(nodes.values()), "edges": edges}
