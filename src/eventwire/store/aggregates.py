"""Aggregate reads: event places, stats (by type, time, country) and the actor network.

Stats and the network are summed from the summary tables (store/summaries.py) when the
filters are ones they are kept by (SUMMARY_FILTERS), else counted over the events
(store/scans.py); both give the same answers (tests/test_summaries.py).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any, Protocol

from eventwire.store.dialect import Dialect, Reader, Row
from eventwire.store.filters import EventFilter, filters_or_all
from eventwire.store.scans import ScanCounts, network_scan
from eventwire.store.search import RS, SEP
from eventwire.store.shapes import as_date, iso_day, ranked
from eventwire.store.summaries import NODAY
from eventwire.store.where import where

# The filters each summary is kept by; any other filter counts over the events.
STATS_FILTERS = frozenset({"type", "date_from", "date_to", "country", "place_country"})
NETWORK_FILTERS = frozenset({"type", "date_from", "date_to"})
COARSE = frozenset({"type", "country"})  # answered by the month and all-time summaries
PAGING = frozenset({"limit", "offset", "sort"})
UNDATED = f"DATE '{NODAY}'"


class Counts(Protocol):
    """The three queries of a stats page (ScanCounts over events, SummaryCounts)."""

    def groups(self, reader: Reader, f: EventFilter) -> list[Row]: ...

    def series(self, reader: Reader, f: EventFilter, bucket: str) -> list[Row]: ...

    def by_actor_country(self, reader: Reader, f: EventFilter) -> dict[str, int]: ...


def summarised(f: EventFilter, kept_by: frozenset[str]) -> bool:
    """True when every filter set is one the summaries are kept by (and holds no separator)."""
    for field in dataclasses.fields(EventFilter):
        value = getattr(f, field.name)
        if field.name in PAGING or not value:
            continue
        if field.name not in kept_by or (isinstance(value, str) and (SEP in value or RS in value)):
            return False
    return True


def _summary_where(f: EventFilter, d: Dialect, *extra: str) -> tuple[str, list[Any]]:
    """` WHERE ...` over a summary table `s` for the filters it is kept by."""
    clauses, params = list(extra), []
    if f.type:
        clauses.append(f"s.type = {d.param}")
        params.append(f.type.strip().upper())
    if f.date_from or f.date_to:
        clauses.append(f"s.event_day <> {UNDATED}")
    if f.date_from:
        clauses.append(f"s.event_day >= CAST({d.param} AS DATE)")
        params.append(f.date_from.isoformat())
    if f.date_to:
        clauses.append(f"s.event_day <= CAST({d.param} AS DATE)")
        params.append(f.date_to.isoformat())
    if f.place_country:
        clauses.append(f"s.place = {d.param}")
        params.append(f.place_country.strip().upper())
    if f.country:
        clauses.append(f"s.code = {d.param}")
        params.append(f.country.strip().upper())
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class SummaryCounts:
    """The same three queries, summed from summary_days (or summary_party_days by country)."""

    def _table(self, f: EventFilter) -> str:
        return "summary_party_days" if f.country else "summary_days"

    def groups(self, reader: Reader, f: EventFilter) -> list[Row]:
        if summarised(f, COARSE):
            return self._coarse_groups(reader, f)
        found, params = _summary_where(f, reader.dialect)
        month = f"date_trunc('month', nullif(s.event_day, {UNDATED}))"
        return reader.fetch(
            f"SELECT grouping(s.type), grouping({month}), s.type, {month}, nullif(s.place, ''),"
            f" sum(s.n) FROM {self._table(f)} s{found} GROUP BY GROUPING SETS"
            f" ((s.type), ({month}), (nullif(s.place, '')))",
            params,
        )

    def _coarse_groups(self, reader: Reader, f: EventFilter) -> list[Row]:
        """The same groups from the month and place tables (a few thousand rows)."""
        found, params = _summary_where(f, reader.dialect)
        months, places = (
            ("summary_party_months", "summary_party_places")
            if f.country
            else ("summary_type_months", "summary_place_types")
        )
        month = f"nullif(s.event_month, {UNDATED})"
        rows = reader.fetch(
            f"SELECT grouping(s.type), grouping({month}), s.type, {month}, NULL, sum(s.n)"
            f" FROM {months} s{found} GROUP BY GROUPING SETS ((s.type), ({month}))",
            params,
        )
        return rows + reader.fetch(
            f"SELECT 1, 1, NULL, NULL, nullif(s.place, ''), sum(s.n) FROM {places} s{found}"
            " GROUP BY s.place",
            params,
        )

    def series(self, reader: Reader, f: EventFilter, bucket: str) -> list[Row]:
        if bucket in ("month", "year") and summarised(f, COARSE):
            table = "summary_party_months" if f.country else "summary_type_months"
            found, params = _summary_where(f, reader.dialect, f"s.event_month <> {UNDATED}")
            return reader.fetch(
                f"SELECT date_trunc('{bucket}', s.event_month) AS d, s.type, sum(s.n)"
                f" FROM {table} s{found} GROUP BY d, s.type ORDER BY d, s.type",
                params,
            )
        found, params = _summary_where(f, reader.dialect, f"s.event_day <> {UNDATED}")
        return reader.fetch(
            f"SELECT date_trunc('{bucket}', s.event_day) AS d, s.type, sum(s.n)"
            f" FROM {self._table(f)} s{found} GROUP BY d, s.type ORDER BY d, s.type",
            params,
        )

    def by_actor_country(self, reader: Reader, f: EventFilter) -> dict[str, int]:
        coarse = summarised(f, COARSE)
        parties = "summary_party_places" if coarse else "summary_party_days"
        pairs = "summary_pair_codes" if coarse else "summary_code_pairs"
        found, params = _summary_where(f, reader.dialect)
        own = reader.fetch(
            f"SELECT s.code, sum(s.n) FROM {parties} s{found} GROUP BY s.code", params
        )
        if not f.country:
            return _in_order(own)
        others = reader.fetch(
            f"SELECT s.other, sum(s.n) FROM {pairs} s{found} GROUP BY s.other", params
        )
        return _in_order([*own, *others])


def _in_order(rows: list[Row]) -> dict[str, int]:
    return {c: int(n) for c, n in sorted(((c, int(n)) for c, n in rows if n), key=ranked)}


# Timeline buckets by span of the data: never user text in SQL.
BUCKETS = ("day", "week", "month", "year")


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


def event_stats(
    reader: Reader, filters: EventFilter | None = None, bucket: str | None = None
) -> dict[str, Any]:
    """Counts by type, by time bucket and type, by location country and actor country."""
    f = filters_or_all(filters)
    counts: Counts = SummaryCounts() if summarised(f, STATS_FILTERS) else ScanCounts()
    return stats_from(counts, reader, f, bucket)


def stats_from(counts: Counts, reader: Reader, f: EventFilter, bucket: str | None) -> dict:
    """The stats page from one way of counting."""
    rows = counts.groups(reader, f)
    by_type = sorted(((t, n) for gt, _gm, t, _m, _c, n in rows if not gt), key=ranked)
    months = sorted((m, n) for gt, gm, _t, m, _c, n in rows if gt and not gm and m is not None)
    countries = sorted(
        ((c, n) for gt, gm, _t, _m, c, n in rows if gt and gm and c is not None), key=ranked
    )
    window = core_window([(as_date(m), int(n)) for m, n in months])
    bucket = bucket if bucket in BUCKETS else pick_bucket(*window)
    series = counts.series(reader, f, bucket)
    return {
        "total": sum(int(n) for _t, n in by_type),
        "dated": sum(int(n) for _m, n in months),
        "by_type": {t: int(n) for t, n in by_type},
        "bucket": bucket,
        "window": {"from": window[0], "to": window[1]},
        "by_period_type": [{"period": iso_day(d), "type": t, "n": int(n)} for d, t, n in series],
        "by_country": {c: int(n) for c, n in countries},
        "by_actor_country": counts.by_actor_country(reader, f),
    }


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


def actor_network(reader: Reader, filters: EventFilter | None = None, limit: int = 60) -> dict:
    """Who acts on whom: actor -> recipient pairs of the same events, weighted by events."""
    f = filters_or_all(filters)
    if not summarised(f, NETWORK_FILTERS):
        return graph(network_scan(reader, f, limit))
    if not (f.date_from or f.date_to):  # one row per pair and type ('' = every type)
        d = reader.dialect
        return graph(
            reader.fetch(
                "SELECT source, target, nullif(source_code, ''), nullif(target_code, ''), n"
                f" FROM summary_pair_totals WHERE type = {d.param}"
                f" ORDER BY n DESC, source, target LIMIT {d.param}",
                [f.type.strip().upper() if f.type else "", int(limit)],
            )
        )
    found, params = _summary_where(f, reader.dialect)
    return graph(
        reader.fetch(
            "SELECT s.source, s.target, nullif(max(s.source_code), ''),"
            " nullif(max(s.target_code), ''), sum(s.n) AS w"
            f" FROM summary_pairs s{found} GROUP BY s.source, s.target"
            f" ORDER BY w DESC, s.source, s.target LIMIT {reader.dialect.param}",
            [*params, int(limit)],
        )
    )


def graph(rows: list[Row]) -> dict[str, Any]:
    """Nodes (weighted by their edges) and edges of the network view."""
    nodes: dict[str, dict[str, Any]] = {}
    edges = []
    for s, t, sc, tc, w in rows:
        for name, code in ((s, sc), (t, tc)):
            node = nodes.setdefault(name, {"id": name, "code": code, "n": 0})
            node["n"] += int(w)
        edges.append({"source": s, "target": t, "weight": int(w)})
    return {"nodes": list(nodes.values()), "edges": edges}
