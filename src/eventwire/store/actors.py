"""Actor reads: the actor list and an actor's profile, from the summary tables.

A profile sums the actor's rows of the summaries kept at ingest (store/summaries.py): its
events by month and type, its codes and offices, its counterparts; only its newest events
are read from `events`. store/scans.py answers the same from the events themselves.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from eventwire.store.dialect import Reader
from eventwire.store.events import event_records
from eventwire.store.scans import newest
from eventwire.store.search import RS, SEP
from eventwire.store.shapes import (
    codes_in_order,
    counterparts_in_order,
    iso_day,
    office,
    offices_in_order,
)
from eventwire.store.summaries import NODAY
from eventwire.store.where import ESCAPE, actor_key_sql, like_pattern

PARTIES = "x.role IN ('actor', 'recipient')"
COUNTERPARTS = 30


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


def actor_profile(reader: Reader, key: str, recent: int = 25) -> dict[str, Any] | None:
    """Codes, offices, events over time, counterparts and latest events of one actor."""
    if SEP in key or RS in key:  # no stored key holds them
        return None
    p = reader.dialect.param
    months = reader.fetch(
        f"SELECT event_month, type, n FROM summary_actor_months WHERE actor_key = {p}", [key]
    )
    total = sum(int(n) for _m, _t, n in months)
    if not total:
        return None
    timeline = sorted((m, t, int(n)) for m, t, n in months if m.isoformat() != NODAY)
    return {
        "key": key,
        "n_events": total,
        **_parts(reader, key),
        "timeline": [{"period": iso_day(m), "type": t, "n": n} for m, t, n in timeline],
        "counterparts": _counterparts(reader, key),
        "events": event_records(reader, newest(reader, key, recent)),
    }


def _parts(reader: Reader, key: str) -> dict[str, list[dict[str, Any]]]:
    """The codes and sectors this actor was given, and each office it held (events, first
    and last date)."""
    rows = reader.fetch(
        "SELECT code, sector, office, n_rows, n_events, first_day, last_day"
        f" FROM summary_actor_parts WHERE actor_key = {reader.dialect.param}",
        [key],
    )
    codes: dict[tuple[Any, Any], int] = defaultdict(int)
    offices = []
    for code, sector, name, n_rows, n_events, first, last in rows:
        code, sector = code or None, sector or None
        codes[(code, sector)] += int(n_rows)
        if name:
            offices.append(office(name, code, sector, int(n_events), first, last))
    return {"codes": codes_in_order(codes), "offices": offices_in_order(offices)}


def _counterparts(reader: Reader, key: str) -> list[dict[str, Any]]:
    """Who this actor acted on (role 'recipient') and who acted on it (role 'actor'): the
    COUNTERPARTS with most events, and the code each is most often given."""
    d = reader.dialect
    top = reader.fetch(
        f"SELECT other, role, n FROM summary_counterparts WHERE actor_key = {d.param}"
        f" ORDER BY n DESC, {d.binary('other')}, {d.binary('role')} LIMIT {d.param}",
        [key, COUNTERPARTS],
    )
    events = {(other, role): int(n) for other, role, n in top}
    codes: dict[str, Counter[Any]] = defaultdict(Counter)
    for other, code, n in reader.fetch(
        f"SELECT other, code, n FROM summary_counterpart_codes WHERE actor_key = {d.param}"
        f" AND other = ANY({d.param})",
        [key, sorted({other for other, _role in events})],
    ):
        codes[other][code or None] += int(n)
    return counterparts_in_order(events, codes, COUNTERPARTS)
