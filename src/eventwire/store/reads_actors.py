"""Actor reads for the web API: the actor list and an actor's profile, in portable SQL.

A profile first collects the actor's rows (one scan of `actors`, no join), then asks about
those events only (`= ANY(list)`) and counts in Python: on a million events this is several
times faster than joining whole tables for every part of the profile.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from eventwire.store.query import QueryBase, iso_day, office_summary

PARTIES = "x.role IN ('actor', 'recipient')"


class ActorReads(QueryBase):
    """Mixin: who acts in the data, and what one actor did with whom."""

    def actor_list(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        """Actors (by key) with their usual code and sector, most events first."""
        from eventwire.store.base import ESCAPE, actor_key_sql, like_pattern

        key, p = actor_key_sql(), self.placeholder
        where, params = PARTIES, []
        if q:
            where += f" AND ({key} ILIKE {p} {ESCAPE} OR x.text ILIKE {p} {ESCAPE})"
            params = [like_pattern(q)] * 2
        sql = (
            f"SELECT {key} AS k, max(x.name), max(x.code), max(x.sector),"
            f" count(DISTINCT x.event_id) AS n FROM actors x WHERE {where}"
            f" GROUP BY {key} ORDER BY n DESC, k LIMIT {p} OFFSET {p}"
        )
        rows = self._fetch(sql, [*params, int(limit), max(0, int(offset))])
        keys = ("key", "name", "code", "sector", "n_events")
        return [dict(zip(keys, row, strict=True)) for row in rows if row[0]]

    def actor_profile(self, key: str, recent: int = 25) -> dict[str, Any] | None:
        """Codes, offices, events over time, counterparts and latest events of one actor.

        Three scans, each by plain comparisons or `= ANY(ids)` (no join of whole tables),
        and the counting in Python: the actor's rows, their events, the other parties.
        """
        if self.indexed:  # counted by the database from the search columns (issue 6)
            from eventwire.store.profile import profile

            return profile(self, key, recent)
        from eventwire.store.base import actor_key_match

        match, params = actor_key_match(key, "x", self.placeholder)
        mine = self._fetch(
            "SELECT x.event_id, x.role, x.office, x.code, x.sector FROM actors x"
            f" WHERE {match} AND {PARTIES}",
            params,
        )
        if not mine:
            return None
        roles: dict[str, set[str]] = defaultdict(set)
        for event_id, role, *_ in mine:
            roles[event_id].add(role)
        ids = list(roles)
        events = {
            i: (d, t)
            for i, d, t in self._fetch(
                f"SELECT e.id, e.date, e.type FROM events e WHERE e.id = ANY({self.placeholder})",
                [ids],
            )
        }
        return {
            "key": key,
            "n_events": len(ids),
            "codes": _codes(mine),
            "offices": _offices(mine, events),
            "timeline": _timeline(events),
            "counterparts": self._counterparts(key, ids, roles),
            "events": self.event_records(_newest(events, recent)),
        }

    def _counterparts(
        self, key: str, ids: list[str], roles: dict[str, set[str]], limit: int = 30
    ) -> list[dict[str, Any]]:
        """role 'recipient': this actor acted on them; 'actor': they acted on this actor."""
        from eventwire.store.base import actor_key_sql

        rows = self._fetch(
            f"SELECT y.event_id, y.role, {actor_key_sql('y')}, y.code FROM actors y"
            f" WHERE y.event_id = ANY({self.placeholder}) AND y.role IN ('actor', 'recipient')",
            [ids],
        )
        events: dict[tuple[str, str], set[str]] = defaultdict(set)
        codes: dict[str, Counter[str]] = defaultdict(Counter)
        for event_id, role, other, code in rows:
            if other and other != key and role not in roles[event_id]:
                events[(other, role)].add(event_id)
                codes[other][code] += 1
        ranked = sorted(events.items(), key=lambda item: (-len(item[1]), item[0]))[:limit]
        return [
            {"key": k, "code": codes[k].most_common(1)[0][0], "role": r, "n": len(found)}
            for (k, r), found in ranked
        ]

    def event_records(self, ids: list[str]) -> list[dict[str, Any]]:
        """Records by id, in the order of `ids` (unknown ids are left out)."""
        if not ids:
            return []
        sql = f"SELECT id, record FROM events WHERE id = ANY({self.placeholder})"
        found = {i: r for i, r in self._fetch(sql, [list(ids)])}
        return [self._record(found[i]) for i in ids if i in found]


def _codes(mine: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    counts = Counter((code, sector) for _e, _r, _o, code, sector in mine)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return [{"code": c, "sector": s, "n": n} for (c, s), n in ranked]


def _offices(mine: list[tuple[Any, ...]], events: dict[str, tuple[Any, str]]) -> list[dict]:
    """Each office seen with this actor: how many events, first and last date."""
    seen: dict[tuple[str, Any, Any], set[str]] = defaultdict(set)
    for event_id, _role, office, code, sector in mine:
        if office:
            seen[(office, code, sector)].add(event_id)
    return office_summary(seen, {i: e[0] for i, e in events.items()})


def _timeline(events: dict[str, tuple[Any, str]]) -> list[dict[str, Any]]:
    """Events per month and type (undated events are left out)."""
    counts = Counter((day.replace(day=1), etype) for day, etype in events.values() if day)
    return [
        {"period": iso_day(month), "type": etype, "n": n}
        for (month, etype), n in sorted(counts.items())
    ]


def _newest(events: dict[str, tuple[Any, str]], limit: int) -> list[str]:
    """Ids of the newest events (undated last, then by id for a stable order)."""
    dated = sorted(
        (i for i in events if events[i][0]), key=lambda i: (events[i][0], i), reverse=True
    )
    undated = sorted(i for i in events if not events[i][0])
    return (dated + undated)[:limit]
