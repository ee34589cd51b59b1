"""Incremental event groups: each new mention joins its best-scoring group or starts one.

Deterministic for the same input order: candidates are scored in group-id order, the best
score wins and ties go to the smaller group id. A group's id is its first mention's id.
A group's date and place gates hold against each of its latest MAX_COMPARED distinct
mentions (no chaining from Monday to Wednesday, or from one town to the next); its score is
the best score against them.

Memory stays flat over a long run: once its state is in the store (`evict`, called after
each write), groups whose latest mention is KEEP_DAYS before the newest publication day and
articles published COPY_KEEP_DAYS before it are dropped; an article reaching back to those
days reads them from the store again, as a resumed run does. Undated ones are all kept.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventwire.link import LINK_THRESHOLD
from eventwire.link.copies import COPY_DAYS, CopyIndex, to_bytes
from eventwire.link.features import WINDOW, Mention, mention
from eventwire.link.score import (
    dates_match,
    linkable_types,
    place_match,
    score,
    words_match,
)

MAX_COMPARED = 64
COPY_WORDS = 0.5  # a copy's sentence sharing this much with the original's is that mention
MAX_WINDOW = WINDOW["month"]
KEEP_DAYS = 2 * (MAX_WINDOW + 1)  # twice the widest reach: input a few weeks out of order
COPY_KEEP_DAYS = 4 * COPY_DAYS


class Backing(Protocol):
    """Where linked mentions are kept between runs (store/groups.py)."""

    def copy_signatures(
        self, first: dt.date | None, last: dt.date | None
    ) -> Iterable[tuple[str, str, dt.date | None, bytes]]:
        """(hash, copy group, published, signature) of stored articles published between
        first and last; undated ones when both are None."""
        ...

    def mentions_between(
        self, first: dt.date, last: dt.date
    ) -> Iterable[tuple[dict[str, Any], str, str, str, dt.date | None]]:
        """(record, article key, copy group, group id, published) of stored mentions."""
        ...


@dataclass
class Group:
    """A group's mentions as scoring sees them: distinct ones (wire copies repeat the same
    mention dozens of times, and one is as good as all), and per copy group."""

    id: str
    distinct: list[Mention] = field(default_factory=list)
    # (copy group, type) -> distinct mentions there, each with the articles that made it
    by_copy: dict[tuple[str, str], dict[tuple[Any, ...], tuple[Mention, set[str]]]] = field(
        default_factory=dict
    )
    _keys: set[tuple[Any, ...]] = field(default_factory=set)
    members: set[str] = field(default_factory=set)  # every mention id, distinct or not
    latest: dt.date | None = None  # its latest mention's day
    undated: bool = False  # has a mention without a day (never dropped)

    def add(self, item: Mention) -> None:
        self.members.add(item.id)
        if item.day is None:
            self.undated = True
        elif self.latest is None or item.day > self.latest:
            self.latest = item.day
        key = _key(item)
        copies = self.by_copy.setdefault((item.copy_group, item.type), {})
        copies.setdefault(key, (item, set()))[1].add(item.article)
        if key not in self._keys:
            self._keys.add(key)
            self.distinct.append(item)

    def copies_of(self, item: Mention) -> list[Mention]:
        """Mentions of this group in other articles of the item's copy group, same type."""
        found = self.by_copy.get((item.copy_group, item.type), {})
        return [m for m, articles in found.values() if articles - {item.article}]


def _in_reach(item: Mention, members: list[Mention]) -> list[Mention]:
    """The members a run can see from this item's day, whether they were linked in this run or
    read back from the store (_load_days reads only that reach): a resumed run links alike."""
    if item.day is None:
        return members
    reach = min(item.window, MAX_WINDOW) + 1
    return [m for m in members if m.day is None or abs((m.day - item.day).days) <= reach]


def _discard(index: dict[Any, set[str]], key: Any, group_id: str) -> None:
    found = index.get(key)
    if found is not None:
        found.discard(group_id)
        if not found:
            del index[key]


def _key(item: Mention) -> tuple[Any, ...]:
    """Everything the score reads: two mentions with one key score alike against anything."""
    return (
        item.type,
        item.day,
        item.precision,
        item.identities,
        item.roles,
        item.countries,
        item.geonameid,
        item.place_country,
        item.province,
        item.place_level,
        item.words,
    )


@dataclass
class Link:
    """One mention's place: its group and the score that put it there (1.0 founds a group)."""

    event_id: str
    group_id: str
    score: float


@dataclass
class ArticleLinks:
    article: str
    copy_group: str
    signature: bytes
    day: dt.date | None
    links: list[Link]


class Linker:
    """Copy groups and event groups over every article it is given, in order."""

    def __init__(self, threshold: float = LINK_THRESHOLD, backing: Backing | None = None) -> None:
        self.threshold = threshold
        self.backing = backing
        self.copies = CopyIndex()
        self.groups: dict[str, Group] = {}
        self._by_day: dict[tuple[dt.date, str], set[str]] = {}  # (day, type) -> groups
        self._by_copy: dict[str, set[str]] = {}  # copy group -> event groups (undated mentions)
        self._seen: set[str] = set()
        self._loaded_days: set[dt.date] = set()
        self._copy_days: set[dt.date | None] = set()  # publication days whose copies are here
        self._newest: dt.date | None = None  # latest publication day seen

    # --- state from the store ----------------------------------------------------------------

    def _load_days(self, first: dt.date, last: dt.date) -> None:
        if self.backing is None:
            return
        days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        todo = [d for d in days if d not in self._loaded_days]
        if not todo:
            return
        self._loaded_days.update(todo)
        stored = self.backing.mentions_between(min(todo), max(todo))
        for record, article, copy_group, group_id, published in stored:
            if str(record["id"]) not in self._seen:
                self._place(mention(record, article, copy_group, published), group_id)

    def _load_copies(self, day: dt.date | None) -> None:
        """Stored articles that may be copies of one published on `day` (link/copies.py)."""
        if self.backing is None:
            return
        if day is None:
            if None not in self._copy_days:
                self._copy_days.add(None)
                self.copies.load(self.backing.copy_signatures(None, None))
            return
        span = [day + dt.timedelta(n) for n in range(-COPY_DAYS, COPY_DAYS + 1)]
        todo = [d for d in span if d not in self._copy_days]
        if todo:
            self._copy_days.update(todo)
            self.copies.load(self.backing.copy_signatures(min(todo), max(todo)))

    def _place(self, item: Mention, group_id: str) -> None:
        if item.id in self._seen:
            return
        self._seen.add(item.id)
        group = self.groups.setdefault(group_id, Group(group_id))
        group.add(item)
        if item.day is not None:
            self._by_day.setdefault((item.day, item.type), set()).add(group_id)
        self._by_copy.setdefault(item.copy_group, set()).add(group_id)

    # --- bounded state ---------------------------------------------------------------------

    def evict(self) -> None:
        """Drop what no article near the newest one reaches; the backing holds all of it."""
        if self.backing is None or self._newest is None:
            return
        horizon = self._newest - dt.timedelta(KEEP_DAYS)
        old = [g for g in self.groups.values() if not g.undated and g.latest and g.latest < horizon]
        for group in old:
            self._drop(group)
        self._loaded_days = {d for d in self._loaded_days if d >= horizon}
        cutoff = self._newest - dt.timedelta(COPY_KEEP_DAYS)
        self.copies.drop_before(cutoff)
        self._copy_days = {d for d in self._copy_days if d is None or d >= cutoff}

    def _drop(self, group: Group) -> None:
        del self.groups[group.id]
        self._seen -= group.members
        for copies in group.by_copy.values():
            for item, _ in copies.values():
                _discard(self._by_day, (item.day, item.type), group.id)
                _discard(self._by_copy, item.copy_group, group.id)

    # --- linking -----------------------------------------------------------------------------

    def _candidates(self, item: Mention) -> list[Group]:
        found = set(self._by_copy.get(item.copy_group, ()))
        if item.day is not None:
            reach = min(item.window, MAX_WINDOW) + 1
            first, last = item.day - dt.timedelta(reach), item.day + dt.timedelta(reach)
            self._load_days(first, last)
            kinds = linkable_types(item.type)
            for n in range((last - first).days + 1):
                day = first + dt.timedelta(n)
                for kind in kinds:
                    found |= self._by_day.get((day, kind), set())
        return [self.groups[g] for g in sorted(found)]

    def _group_score(self, item: Mention, group: Group) -> float:
        for other in group.copies_of(item)[-MAX_COMPARED:]:
            # a copy of a mention already there is that mention
            if (
                words_match(item, other) >= COPY_WORDS
                and dates_match(item, other)
                and place_match(item, other) is not None
            ):
                return 1.0
        best = 0.0
        for other in _in_reach(item, group.distinct)[-MAX_COMPARED:]:  # gates hold against every
            if (
                not dates_match(item, other) or place_match(item, other) is None
            ):  # member: no chains
                return 0.0
            best = max(best, score(item, other))
        return best

    def link(self, item: Mention) -> Link:
        best: tuple[float, str] | None = None
        for group in self._candidates(item):
            value = self._group_score(item, group)
            if value >= self.threshold and (best is None or value > best[0]):
                best = (value, group.id)
        group_id, value = (best[1], best[0]) if best else (item.id, 1.0)
        self._place(item, group_id)
        return Link(item.id, group_id, round(value, 4))

    def add_article(
        self,
        key: str,
        text: str,
        records: Sequence[dict[str, Any]],
        published: dt.date | None = None,
    ) -> ArticleLinks:
        """Copy group and event group of every record of one article (records in text order)."""
        if published is not None and (self._newest is None or published > self._newest):
            self._newest = published
        self._load_copies(published)
        copy_group, minhash = self.copies.add(key, text, published)
        links = [self.link(mention(r, key, copy_group, published)) for r in records]
        return ArticleLinks(key, copy_group, to_bytes(minhash), published, links)
