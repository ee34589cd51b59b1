"""Story threads: event groups that follow one another among the same parties.

Groups are taken earliest first. A group continues a thread when (1) it shares a party
(a name, or a country code) with the thread so far, (2) its place is in the same
country as the thread's, or either is unknown, and (3) it starts at most GAP_DAYS after the
thread's latest group. Otherwise it starts a thread of its own. The thread's id is the id
of its first group. Nothing else is weighed, so every link can be explained in one line.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

GAP_DAYS = 14


@dataclass
class Thread:
    id: str
    parties: set[str] = field(default_factory=set)
    country: str | None = None
    last: dt.date | None = None


def _parties(group: dict[str, Any]) -> set[str]:
    names = set(group.get("actor") or []) | set(group.get("recipient") or [])
    record = group.get("record") or {}
    for party in (record.get("actor") or []) + (record.get("recipient") or []):
        if party.get("code"):
            names.add(str(party["code"]))
    return names


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _fits(thread: Thread, parties: set[str], country: str | None, day: dt.date | None) -> bool:
    if not parties & thread.parties:
        return False
    if country and thread.country and country != thread.country:
        return False
    if day is None or thread.last is None:
        return day is None and thread.last is None
    return 0 <= (day - thread.last).days <= GAP_DAYS


def assign_stories(groups: list[dict[str, Any]]) -> None:
    """Set `story_id` (and `story_size`) on groups sorted earliest first."""
    threads: list[Thread] = []
    for group in groups:
        parties = _parties(group)
        country = (group.get("event_loc") or {}).get("country_code")
        day = _day(group.get("date"))
        thread = next((t for t in reversed(threads) if _fits(t, parties, country, day)), None)
        if thread is None:
            thread = Thread(group["group_id"], country=country)
            threads.append(thread)
        thread.parties |= parties
        thread.country = thread.country or country
        thread.last = day or thread.last
        group["story_id"] = thread.id
    sizes: dict[str, int] = {}
    for group in groups:
        sizes[group["story_id"]] = sizes.get(group["story_id"], 0) + 1
    for group in groups:
        group["story_size"] = sizes[group["story_id"]]
