"""Actor reads: the actor list and an actor's profile, counted by the database.

A profile is one aggregate per part over `events`, whose `actor_keys` / `recipient_keys` sets
(store/search.py) name every party with its code, plus one over `actors` for the actor's own
codes and offices: no join of whole tables.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from typing import Any

from eventwire.store.dialect import Reader, Row
from eventwire.store.events import event_records
from eventwire.store.search import element_code as _code
from eventwire.store.search import element_key as _key
from eventwire.store.search import keyed
from eventwire.store.where import ESCAPE, actor_key_match, actor_key_sql, like_pattern

PARTIES = "x.role IN ('actor', 'recipient')"


def iso_day(value: Any) -> str | None:
    """date_trunc gives a date (DuckDB on dates) or a timestamp (PostgreSQL): ISO day either way."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def actor_list(
    reader: Reader, q: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Actors (by key) with their usual code and sector, most events first."""
    key, p = actor_key_sql(), reader.dialect.param
    found, params = PARTIES, []
    if q:
        found += f" AND ({key} ILIKE {p} {ESCAPE} OR x.text ILIKE {p} {ESCAPE})"
        params = [like_pattern(q)] * 2
    sql = (
        f"SELECT {key} AS k, max(x.name), max(x.code), max(x.sector),"
        f" count(DISTINCT x.event_id) AS n FROM actors x WHERE {found}"
        f" GROUP BY {key} ORDER BY n DESC, k LIMIT {p} OFFSET {p}"
    )
    rows = reader.fetch(sql, [*params, int(limit), max(0, int(offset))])
    keys = ("key", "name", "code", "sector", "n_events")
    return [dict(zip(keys, row, strict=True)) for row in rows if row[0]]


def office_summary(
    seen: dict[tuple[Any, ...], set[str]], day_of: dict[str, Any]
) -> list[dict[str, Any]]:
    """Offices with event counts and first/last dates."""
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


def actor_profile(reader: Reader, key: str, recent: int = 25) -> dict[str, Any] | None:
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
        "events": event_records(reader, _newest(reader, match, params, recent)),
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


def _usual(codes: Counter[Any]) -> Any:
    """The most frequent code (ties: the smallest, so every back-end agrees)."""
    return min(codes.items(), key=lambda item: (-item[1], str(item[0])))[0]


def _newest(reader: Reader, match: str, params: list[Any], limit: int) -> list[str]:
    """Ids of the newest events (undated last, then by id for a stable order)."""
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
