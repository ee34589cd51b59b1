"""Reads that scan the events: the answers the summary tables must give (store/summaries.py),
and what a filter the summaries do not cover is answered by (store/aggregates.py)."""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from eventwire.store.dialect import Reader, Row
from eventwire.store.events import event_records
from eventwire.store.filters import EventFilter
from eventwire.store.search import element_code as _code
from eventwire.store.search import element_key as _key
from eventwire.store.search import keyed
from eventwire.store.shapes import iso_day, office_summary
from eventwire.store.shapes import usual as _usual
from eventwire.store.where import actor_key_match, where

PARTIES = "x.role IN ('actor', 'recipient')"


class ScanCounts:
    """The three queries of a stats page, over the events themselves."""

    def groups(self, reader: Reader, f: EventFilter) -> list[Row]:
        """(grouping(type), grouping(month), type, month, place country, n): one scan."""
        found, params = where(reader, f)
        return reader.fetch(
            "SELECT grouping(e.type), grouping(date_trunc('month', e.date)), e.type,"
            " date_trunc('month', e.date), e.place_country, count(*) AS n"
            f" FROM events e{found} GROUP BY GROUPING SETS"
            " ((e.type), (date_trunc('month', e.date)), (e.place_country))",
            params,
        )

    def series(self, reader: Reader, f: EventFilter, bucket: str) -> list[Row]:
        """(period, type, n) of dated events, in order."""
        dated, params = where(reader, f, "e.date IS NOT NULL")
        return reader.fetch(
            f"SELECT date_trunc('{bucket}', e.date) AS d, e.type, count(*) FROM events e{dated}"
            " GROUP BY d, e.type ORDER BY d, e.type",
            params,
        )

    def by_actor_country(self, reader: Reader, f: EventFilter) -> dict[str, int]:
        """Events per party country."""
        found, params = where(reader, f)
        sql = (
            "SELECT code, count(*) AS n FROM ("
            f"SELECT unnest(string_to_array(e.party_codes, chr(31))) AS code FROM events e{found}"
            ") u WHERE code <> '' GROUP BY code ORDER BY n DESC, code"
        )
        return {c: int(n) for c, n in reader.fetch(sql, params)}


def network_scan(reader: Reader, f: EventFilter, limit: int) -> list[Row]:
    """(source, target, source code, target code, events) of the strongest pairs."""
    return reader.fetch(*_pairs_sql(reader, f, limit))


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


def profile_scan(reader: Reader, key: str, recent: int = 25) -> dict[str, Any] | None:
    """Codes, offices, events over time, counterparts and latest events of one actor."""
    match, params = keyed(key, reader.dialect)
    month = "date_trunc('month', e.date)"
    rows = reader.fetch(
        f"SELECT grouping({month}), {month}, e.type, count(*) FROM events e WHERE {match}"
        f" GROUP BY GROUPING SETS (({month}, e.type), ())",
        params,
    )
    total = sum(int(n) for g, _m, _t, n in rows if g)
    if not total:
        return None
    timeline = sorted((m, t, int(n)) for g, m, t, n in rows if not g and m is not None)
    return {
        "key": key,
        "n_events": total,
        "codes": _codes(reader, key),
        "offices": _offices(reader, key),
        "timeline": [{"period": iso_day(m), "type": t, "n": n} for m, t, n in timeline],
        "counterparts": _counterparts(reader, key),
        "events": event_records(reader, newest(reader, key, recent)),
    }


def _own_rows(reader: Reader, key: str, columns: str, extra: str = "") -> list[Row]:
    match, params = actor_key_match(key, "x", reader.dialect.param)
    return reader.fetch(
        f"SELECT {columns} FROM actors x WHERE {match} AND {PARTIES}{extra}", params
    )


def _codes(reader: Reader, key: str) -> list[dict[str, Any]]:
    """The codes and sectors this actor was given, most often first."""
    rows = _own_rows(reader, key, "x.code, x.sector, count(*)", " GROUP BY x.code, x.sector")
    ranked = sorted(rows, key=lambda r: (-int(r[2]), str((r[0], r[1]))))
    return [{"code": c, "sector": s, "n": int(n)} for c, s, n in ranked]


def _offices(reader: Reader, key: str) -> list[dict[str, Any]]:
    """Each office seen with this actor: how many events, first and last date."""
    rows = _own_rows(reader, key, "x.event_id, x.office, x.code, x.sector", " AND x.office <> ''")
    if not rows:
        return []
    seen: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for event_id, office, code, sector in rows:
        seen[(office, code, sector)].add(event_id)
    ids = list({r[0] for r in rows})
    sql = f"SELECT id, date FROM events WHERE id = ANY({reader.dialect.param})"
    return office_summary(seen, dict(reader.fetch(sql, [ids])))


def _counterparts(reader: Reader, key: str, limit: int = 30) -> list[dict[str, Any]]:
    """role 'recipient': this actor acted on them; 'actor': they acted on this actor.

    An event where the actor is on both sides has no counterpart, as before.
    """
    p = reader.dialect.param
    mine, params = keyed(key, reader.dialect)
    if mine == "1 = 0":
        return []
    needle, rid = params[0], reader.dialect.tiebreak
    sides = " UNION ALL ".join(
        f"SELECT {rid} AS rid, '{other}' AS role, e.{other}_keys AS keys FROM events e"
        f" WHERE strpos(e.{me}_keys, {p}) > 0 AND strpos(coalesce(e.{other}_keys, ''), {p}) = 0"
        for me, other in (("actor", "recipient"), ("recipient", "actor"))
    )
    parties = (
        f"SELECT u.rid, u.role, {_key('u.v')} AS k, {_code('u.v')} AS c"
        f" FROM (SELECT q.rid, q.role, unnest(string_to_array(q.keys, chr(31))) AS v"
        f" FROM ({sides}) q) u WHERE u.v <> ''"
    )
    rows = reader.fetch(
        "SELECT grouping(z.role), z.role, z.k, z.c, count(DISTINCT z.rid), count(*)"
        f" FROM ({parties}) z WHERE z.k <> '' AND z.k <> {p}"
        " GROUP BY GROUPING SETS ((z.role, z.k), (z.k, z.c))",
        [needle] * 4 + [key],
    )
    events = {(k, role): int(n) for g, role, k, _c, n, _rows in rows if not g}
    codes: dict[str, Counter[Any]] = defaultdict(Counter)
    for g, _role, k, c, _n, n_rows in rows:
        if g:
            codes[k][c or None] += int(n_rows)
    ranked = sorted(events.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"key": k, "code": _usual(codes[k]), "role": r, "n": n} for (k, r), n in ranked]


def newest(reader: Reader, key: str, limit: int) -> list[str]:
    """Ids of the actor's newest events (undated last, then by id for a stable order)."""
    match, params = keyed(key, reader.dialect)
    p = reader.dialect.param
    ids = [
        i
        for (i,) in reader.fetch(
            f"SELECT e.id FROM events e WHERE {match} AND e.date IS NOT NULL"
            f" ORDER BY e.date DESC, e.id DESC LIMIT {p}",
            [*params, int(limit)],
        )
    ]
    if len(ids) < limit:
        ids += [
            i
            for (i,) in reader.fetch(
                f"SELECT e.id FROM events e WHERE {match} AND e.date IS NULL"
                f" ORDER BY e.id LIMIT {p}",
                [*params, int(limit) - len(ids)],
            )
        ]
    return ids
