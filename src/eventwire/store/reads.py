"""Read queries for the web API (events, articles, places, stats, network), portable SQL.

See store/query.py for the one hook a back-end supplies and /work/notes/store-api-additions.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from eventwire.store.paging import PagedReads
from eventwire.store.query import Row
from eventwire.store.query import filters_or_all as _filters
from eventwire.store.query import iso_day as _day
from eventwire.store.search import element_code as _code
from eventwire.store.search import element_key as _key

if TYPE_CHECKING:
    from eventwire.store.base import EventFilter

# Timeline buckets by span of the data: never user text in SQL.
BUCKETS = ("day", "week", "month", "year")
_ARTICLE_COLUMNS = (
    "hash",
    "article_id",
    "title",
    "date",
    "url",
    "source",
    "origin",
    "text",
    "n_words",
    "ingested_at",
)


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


class StoreReads(PagedReads):
    """Mixin of concrete read methods; `Store` inherits it."""

    # --- events ------------------------------------------------------------------------------

    def event_stream(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """Every matching record in sort order (`limit` caps it): for exports."""
        f = _filters(filters)
        sql, params = self._event_sql(f)
        if f.limit is not None:
            sql += f" LIMIT {self.placeholder}"
            params.append(int(f.limit))
        for (value,) in self._stream(sql, params):
            yield self._record(value)

    def event_record(self, event_id: str) -> dict[str, Any] | None:
        rows = self._fetch(f"SELECT record FROM events WHERE id = {self.placeholder}", [event_id])
        return self._record(rows[0][0]) if rows else None

    # --- articles ----------------------------------------------------------------------------

    def _article_where(self, text: str | None) -> tuple[str, list[Any]]:
        if not text:
            return "", []
        from eventwire.store.base import ESCAPE, like_pattern

        p = self.placeholder
        where = f" WHERE (a.title ILIKE {p} {ESCAPE} OR a.article_id ILIKE {p} {ESCAPE})"
        return where, [like_pattern(text)] * 2

    def article_list(
        self, text: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Articles, newest ingest first, with how many events each gave."""
        where, params = self._article_where(text)
        p = self.placeholder
        sql = (
            "SELECT a.hash, a.article_id, a.title, a.date, a.url, a.source, a.n_words"
            f" FROM articles a{where} ORDER BY a.id DESC LIMIT {p} OFFSET {p}"
        )
        keys = ("hash", "article_id", "title", "date", "url", "source", "n_words")
        page = [
            dict(zip(keys, row, strict=True))
            for row in self._fetch(sql, [*params, int(limit), max(0, int(offset))])
        ]
        if page:
            counts: dict[str, int] = dict(
                self._fetch(
                    f"SELECT article_hash, count(*) FROM events WHERE article_hash = ANY({p})"
                    " GROUP BY article_hash",
                    [[a["hash"] for a in page]],
                )
            )
            for item in page:
                item["n_events"] = int(counts.get(item["hash"], 0))
        return page

    def count_articles(self, text: str | None = None) -> int:
        where, params = self._article_where(text)
        return int(self._one(f"SELECT count(*) FROM articles a{where}", params) or 0)

    def article_detail(self, key: str) -> dict[str, Any] | None:
        """An article (by content hash or id, latest ingest) with its sentences and records."""
        p = self.placeholder
        sql = (
            f"SELECT {', '.join(_ARTICLE_COLUMNS)} FROM articles"
            f" WHERE hash = {p} OR article_id = {p}"
            f" ORDER BY CASE WHEN hash = {p} THEN 0 ELSE 1 END, id DESC LIMIT 1"
        )
        rows = self._fetch(sql, [key, key, key])
        if not rows:
            return None
        article = dict(zip(_ARTICLE_COLUMNS, rows[0], strict=True))
        sentences = self._fetch(
            "SELECT idx, start_char, end_char, text FROM sentences"
            f" WHERE article_hash = {p} ORDER BY idx",
            [article["hash"]],
        )
        article["sentences"] = [
            {"idx": i, "start": s, "end": e, "text": t} for i, s, e, t in sentences
        ]
        events = self._fetch(
            f"SELECT record FROM events WHERE article_hash = {p} ORDER BY seq", [article["hash"]]
        )
        article["events"] = [self._record(r) for (r,) in events]
        return article

    # --- places, stats, network --------------------------------------------------------------

    def place_list(self, filters: EventFilter | None = None, limit: int = 500) -> list[dict]:
        """Event locations with coordinates and how many events happened there."""
        where, params = self._where(_filters(filters), "e.lat IS NOT NULL", "e.lon IS NOT NULL")
        sql = (
            "SELECT e.place, e.place_country, avg(e.lat), avg(e.lon), count(*) AS n"
            f" FROM events e{where} GROUP BY e.place, e.place_country"
            f" ORDER BY n DESC, e.place LIMIT {self.placeholder}"
        )
        keys = ("place", "country", "lat", "lon", "n")
        return [dict(zip(keys, row, strict=True)) for row in self._fetch(sql, [*params, limit])]

    def event_stats(
        self, filters: EventFilter | None = None, bucket: str | None = None
    ) -> dict[str, Any]:
        """Counts by type, by time bucket and type, by location country and actor country."""
        f = _filters(filters)
        rows, months, by_country = self._stats_groups(f)
        window = core_window([(_as_date(m), int(n)) for m, n in months])
        bucket = bucket if bucket in BUCKETS else pick_bucket(*window)
        dated, params = self._where(f, "e.date IS NOT NULL")
        series = self._fetch(
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
            "by_actor_country": self._by_actor_country(f),
        }

    def _stats_groups(self, f: EventFilter) -> tuple[list[Row], list[Row], dict[str, int]]:
        """Events by type, by month (dated) and by location country: one scan, three groups."""
        where, params = self._where(f)
        rows = self._fetch(
            "SELECT grouping(e.type), grouping(date_trunc('month', e.date)), e.type,"
            " date_trunc('month', e.date), e.place_country, count(*) AS n"
            f" FROM events e{where} GROUP BY GROUPING SETS"
            " ((e.type), (date_trunc('month', e.date)), (e.place_country))",
            params,
        )
        by_type = sorted(((t, n) for gt, _gm, t, _m, _c, n in rows if not gt), key=_ranked)
        months = sorted((m, n) for gt, gm, _t, m, _c, n in rows if gt and not gm and m is not None)
        countries = sorted(
            ((c, n) for gt, gm, _t, _m, c, n in rows if gt and gm and c is not None), key=_ranked
        )
        return by_type, months, {c: int(n) for c, n in countries}

    def _by_actor_country(self, f: EventFilter) -> dict[str, int]:
        """Events per party country; without event filters the actors table alone answers."""
        if not self.indexed:
            return self._by_actor_country_joined(f)
        where, params = self._where(f)
        sql = (
            "SELECT code, count(*) AS n FROM ("
            f"SELECT unnest(string_to_array(e.party_codes, chr(31))) AS code FROM events e{where}"
            ") u WHERE code <> '' GROUP BY code ORDER BY n DESC, code"
        )
        return {c: int(n) for c, n in self._fetch(sql, params)}

    def _by_actor_country_joined(self, f: EventFilter) -> dict[str, int]:
        """The same from the actors table, for a store without the search columns."""
        from eventwire.store.base import conditions

        parties = ("x.role IN ('actor', 'recipient')", "x.code IS NOT NULL")
        where, params = self._where(f, *parties)
        if conditions(f, self.placeholder, self.indexed)[0]:
            source, events = "events e JOIN actors x ON x.event_id = e.id", "e.id"
        else:
            source, events = "actors x", "x.event_id"
        sql = (
            f"SELECT x.code, count(DISTINCT {events}) AS n FROM {source}{where}"
            " GROUP BY x.code ORDER BY n DESC, x.code"
        )
        return {c: int(n) for c, n in self._fetch(sql, params)}

    def actor_network(self, filters: EventFilter | None = None, limit: int = 60) -> dict:
        """Who acts on whom: actor -> recipient pairs of the same events, weighted by events."""
        if self.indexed:
            return _graph(self._fetch(*self._pairs_sql(_filters(filters), limit)))
        from eventwire.store.base import actor_key_sql

        src, dst = actor_key_sql("x"), actor_key_sql("y")
        where, params = self._where(_filters(filters), f"{src} <> {dst}")
        sql = (
            f"SELECT {src} AS s, {dst} AS t, max(x.code), max(y.code),"
            " count(DISTINCT e.id) AS w FROM events e"
            " JOIN actors x ON x.event_id = e.id AND x.role = 'actor'"
            f" JOIN actors y ON y.event_id = e.id AND y.role = 'recipient'{where}"
            f" GROUP BY {src}, {dst} ORDER BY w DESC, s, t LIMIT {self.placeholder}"
        )
        return _graph(self._fetch(sql, [*params, int(limit)]))

    def _pairs_sql(self, f: EventFilter, limit: int) -> tuple[str, list[Any]]:
        """Actor -> recipient pairs from each event's key sets (store/search.py): no joins."""
        where, params = self._where(f)
        unnest = "unnest(string_to_array({}, chr(31)))"  # in SELECT lists: no lateral join
        actors = (
            f"SELECT {self.tiebreak} AS rid, {unnest.format('e.actor_keys')} AS av,"
            f" e.recipient_keys FROM events e{where}"
        )
        pairs = (
            f"SELECT rid, av, {unnest.format('recipient_keys')} AS rv FROM ({actors}) a"
            " WHERE av <> ''"
        )
        split = (
            f"SELECT rid, {_key('av')} AS s, {_code('av')} AS sc, {_key('rv')} AS t,"
            f" {_code('rv')} AS tc FROM ({pairs}) p WHERE rv <> ''"
        )
        sql = (
            "SELECT s, t, nullif(max(sc), ''), nullif(max(tc), ''), count(DISTINCT rid) AS w"
            f" FROM ({split}) k WHERE s <> t GROUP BY s, t ORDER BY w DESC, s, t"
            f" LIMIT {self.placeholder}"
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
