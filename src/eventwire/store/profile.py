"""An actor's profile from the search columns (issue 6): counted by the database, no joins.

The profile once fetched every row of the actor (100k+ for a busy one) and its events by
`id = ANY(ids)`, then counted in Python: 1 s on a million events. Here each part is one
aggregate over `events`, whose `actor_keys` / `recipient_keys` sets (store/search.py) name
every party with its code, plus one over `actors` for the actor's own codes and offices.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import TYPE_CHECKING, Any

from eventwire.store.query import Row, iso_day, office_summary
from eventwire.store.search import element_code as _code
from eventwire.store.search import element_key as _key
from eventwire.store.search import keyed

if TYPE_CHECKING:
    from eventwire.store.query import QueryBase
    from eventwire.store.reads_actors import ActorReads

PARTIES = "x.role IN ('actor', 'recipient')"


def profile(reads: ActorReads, key: str, recent: int) -> dict[str, Any] | None:
    """Codes, offices, events over time, counterparts and latest events of one actor."""
    match, params = keyed(key, reads.placeholder)
    month = "date_trunc('month', e.date)"
    rows = reads._fetch(
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
        "codes": _codes(reads, key),
        "offices": _offices(reads, key),
        "timeline": [{"period": iso_day(m), "type": t, "n": n} for m, t, n in timeline],
        "counterparts": _counterparts(reads, key),
        "events": reads.event_records(_newest(reads, match, params, recent)),
    }


def _own_rows(reads: QueryBase, key: str, columns: str, extra: str = "") -> list[Row]:
    from eventwire.store.base import actor_key_match

    match, params = actor_key_match(key, "x", reads.placeholder)
    return reads._fetch(
        f"SELECT {columns} FROM actors x WHERE {match} AND {PARTIES}{extra}", params
    )


def _codes(reads: QueryBase, key: str) -> list[dict[str, Any]]:
    """The codes and sectors this actor was given, most often first."""
    rows = _own_rows(reads, key, "x.code, x.sector, count(*)", " GROUP BY x.code, x.sector")
    ranked = sorted(rows, key=lambda r: (-int(r[2]), str((r[0], r[1]))))
    return [{"code": c, "sector": s, "n": int(n)} for c, s, n in ranked]


def _offices(reads: QueryBase, key: str) -> list[dict[str, Any]]:
    """Each office seen with this actor: how many events, first and last date."""
    rows = _own_rows(reads, key, "x.event_id, x.office, x.code, x.sector", " AND x.office <> ''")
    if not rows:
        return []
    seen: dict[tuple[Any, ...], set[str]] = defaultdict(set)
    for event_id, office, code, sector in rows:
        seen[(office, code, sector)].add(event_id)
    ids = list({r[0] for r in rows})
    sql = f"SELECT id, date FROM events WHERE id = ANY({reads.placeholder})"
    return office_summary(seen, dict(reads._fetch(sql, [ids])))


def _counterparts(reads: QueryBase, key: str, limit: int = 30) -> list[dict[str, Any]]:
    """role 'recipient': this actor acted on them; 'actor': they acted on this actor.

    An event where the actor is on both sides has no counterpart, as before.
    """
    p = reads.placeholder
    mine, params = keyed(key, p)
    if mine == "1 = 0":
        return []
    needle = params[0]
    sides = " UNION ALL ".join(
        f"SELECT {reads.tiebreak} AS rid, '{other}' AS role, e.{other}_keys AS keys FROM events e"
        f" WHERE strpos(e.{me}_keys, {p}) > 0 AND strpos(coalesce(e.{other}_keys, ''), {p}) = 0"
        for me, other in (("actor", "recipient"), ("recipient", "actor"))
    )
    parties = (
        f"SELECT u.rid, u.role, {_key('u.v')} AS k, {_code('u.v')} AS c"
        f" FROM (SELECT q.rid, q.role, unnest(string_to_array(q.keys, chr(31))) AS v"
        f" FROM ({sides}) q) u WHERE u.v <> ''"
    )
    rows = reads._fetch(
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


def _newest(reads: QueryBase, match: str, params: list[Any], limit: int) -> list[str]:
    """Ids of the newest events (undated last, then by id for a stable order)."""
    p = reads.placeholder
    ids = [
        i
        for (i,) in reads._fetch(
            f"SELECT e.id FROM events e WHERE {match} AND e.date IS NOT NULL"
            f" ORDER BY e.date DESC, e.id DESC LIMIT {p}",
            [*params, int(limit)],
        )
    ]
    if len(ids) < limit:
        ids += [
            i
            for (i,) in reads._fetch(
                f"SELECT e.id FROM events e WHERE {match} AND e.date IS NULL"
                f" ORDER BY e.id LIMIT {p}",
                [*params, int(limit) - len(ids)],
            )
        ]
    return ids
