"""Incremental event groups: each new mention joins its best-scoring group or starts one.

Deterministic for the same input order: candidates are scored in group-id order, the best
score wins and ties go to the smaller group id. A group's id is its first mention's id.
A group's date and place gates hold against each of its latest MAX_COMPARED members (no
chaining from Monday to Wednesday, or from one town to the next); its score is the best
score against them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from eventwire.link import LINK_THRESHOLD
from eventwire.link.copies import COPY_DAYS, CopyIndex, to_bytes
from eventwire.link.features import WINDOW, Mention, mention
from eventwire.link.score import dates_match, place_match, score, type_match, words_match

MAX_COMPARED = 64
COPY_WORDS = 0.5  # a copy's sentence sharing this much with the original's is that mention
MAX_WINDOW = WINDOW["month"]


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
    id: str
    members: list[Mention] = field(default_factory=list)
    first: dt.date | None = None
    last: dt.date | None = None

    def add(self, item: Mention) -> None:
        self.members.append(item)
        if item.day is not None:
            self.first = item.day if self.first is None else min(self.first, item.day)
            self.last = item.day if self.last is None else max(self.last, item.day)


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
        self._by_day: dict[dt.date, set[str]] = {}
        self._by_copy: dict[str, set[str]] = {}  # copy group -> event groups (undated mentions)
        self._seen: set[str] = set()
        self._loaded_days: set[dt.date] = set()
        self._copy_days: set[dt.date | None] = set()  # publication days whose copies are here

    # --- state from the store ----------------------------------------------------------------

    def _load_days(self, first: dt.date, last: dt.date) -> None:
        if self.backing is None:
            return
        days = [first + dt.timedelta(n) for n in range((last - first).days + 1)]
        todo = [d for d in days if d not in self._loaded_days]
        if not todo:
            return
        self._loaded_days.update(todo)
        for record, article, copy_group, group_id, published in self.backing.mentions_between(
            min(todo), max(todo)
        ):
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
            self._by_day.setdefault(item.day, set()).add(group_id)
        self._by_copy.setdefault(item.copy_group, set()).add(group_id)

    # --- linking -----------------------------------------------------------------------------

    def _candidates(self, item: Mention) -> list[Group]:
        found = set(self._by_copy.get(item.copy_group, ()))
        if item.day is not None:
            reach = min(item.window, MAX_WINDOW) + 1
            first, last = item.day - dt.timedelta(reach), item.day + dt.timedelta(reach)
            self._load_days(first, last)
            for n in range((last - first).days + 1):
                found |= self._by_day.get(first + dt.timedelta(n), set())
        return [self.groups[g] for g in sorted(found)]

    def _group_score(self, item: Mention, group: Group) -> float:
        recent = group.members[-MAX_COMPARED:]
        for other in recent:  # a copy of a mention already there is that mention
            if (
                other.copy_group == item.copy_group
                and other.article != item.article
                and type_match(item, other) == 1.0
                and words_match(item, other) >= COPY_WORDS
                and dates_match(item, other)
                and place_match(item, other) is not None
            ):
                return 1.0
        best = 0.0
        for other in recent:  # gates hold against every member: no chaining across days
            if not dates_match(item, other) or place_match(item, other) is None:
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
        self._load_copies(published)
        copy_group, minhash = self.copies.add(key, text, published)
        links = [self.link(mention(r, key, copy_group, published)) for r in records]
        return ArticleLinks(key, copy_group, to_bytes(minhash), published, links)
