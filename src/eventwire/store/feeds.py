"""What the feed watcher keeps between rounds: each feed's validators and health, each item seen.

Tables watch_feeds (one row per feed, site or sitemap being watched) and watch_items (one row
per article link ever seen, keyed by its canonical form) are created by store/migrations.py.
Every function takes the writing store (`run`) or any store (`fetch`, for the web UI), so the
watcher works on DuckDB and PostgreSQL alike.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from eventwire.store.dialect import Dialect, Row

DDL = """
CREATE TABLE IF NOT EXISTS watch_feeds (
    url VARCHAR PRIMARY KEY,
    source VARCHAR,
    kind VARCHAR NOT NULL,
    location VARCHAR,
    title VARCHAR,
    etag VARCHAR,
    last_modified VARCHAR,
    status VARCHAR NOT NULL,
    failures INTEGER NOT NULL DEFAULT 0,
    polls INTEGER NOT NULL DEFAULT 0,
    last_poll TIMESTAMP,
    next_poll TIMESTAMP,
    last_error VARCHAR,
    last_new INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS watch_items (
    link VARCHAR PRIMARY KEY,
    feed_url VARCHAR NOT NULL,
    title VARCHAR,
    published DATE,
    state VARCHAR NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    canonical VARCHAR,
    article_hash VARCHAR,
    error VARCHAR,
    seen_at TIMESTAMP,
    done_at TIMESTAMP
)
"""
TABLES = ("watch_feeds", "watch_items")
FEED_COLUMNS = (
    "url",
    "source",
    "kind",
    "location",
    "title",
    "etag",
    "last_modified",
    "status",
    "failures",
    "polls",
    "last_poll",
    "next_poll",
    "last_error",
    "last_new",
)
PENDING = "pending"
DEAD = "dead"
RESOLVED = "resolved"  # a site or OPML whose feeds are watched instead


class Writer(Protocol):
    """The writing side of a store (both back-ends have it; store/migrations.py uses it too)."""

    dialect: Dialect

    def run(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """Execute one statement on the writing connection."""


class Reader(Protocol):
    """Any open store: one SELECT with parameters."""

    def fetch(self, sql: str, params: list[Any]) -> list[Row]:
        """Rows of one SELECT."""


@dataclass
class Feed:
    """One watched URL and what the last polls left of it."""

    url: str
    source: str | None = None
    kind: str = "unknown"  # unknown | feed | sitemap | site | opml
    location: str | None = None
    title: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    status: str = "new"
    failures: int = 0
    polls: int = 0
    last_poll: dt.datetime | None = None
    next_poll: dt.datetime | None = None
    last_error: str | None = None
    last_new: int = 0

    @property
    def target(self) -> str:
        """Where to fetch it from: the URL its last redirect led to."""
        return self.location or self.url


@dataclass
class Item:
    """An article link a feed listed, with the feed's metadata for it."""

    link: str
    feed_url: str
    title: str | None = None
    published: dt.date | None = None
    attempts: int = 0


def ddl() -> str:
    return DDL


def add_feeds(db: Writer, feeds: Iterable[Feed]) -> None:
    """Register URLs to watch; one already known keeps its state."""
    p = db.dialect.param
    sql = (
        "INSERT INTO watch_feeds (url, source, kind, status, failures, polls, last_new)"
        f" VALUES ({p}, {p}, {p}, {p}, 0, 0, 0) ON CONFLICT (url) DO NOTHING"
    )
    for feed in feeds:
        db.run(sql, [feed.url, feed.source, feed.kind, feed.status])


def feeds(db: Writer) -> list[Feed]:
    """Every feed row, in URL order."""
    rows = db.run(f"SELECT {', '.join(FEED_COLUMNS)} FROM watch_feeds ORDER BY url")
    return [Feed(*row) for row in rows]


def save_feed(db: Writer, feed: Feed) -> None:
    """Write back what a poll changed."""
    p = db.dialect.param
    columns = FEED_COLUMNS[1:]
    sets = ", ".join(f"{c} = {p}" for c in columns)
    values = [getattr(feed, c) for c in columns]
    db.run(f"UPDATE watch_feeds SET {sets} WHERE url = {p}", [*values, feed.url])


def add_items(db: Writer, items: Sequence[Item], now: dt.datetime) -> list[Item]:
    """Queue the links never seen before (by any feed); returns those."""
    if not items:
        return []
    p = db.dialect.param
    links = list(dict.fromkeys(i.link for i in items))
    marks = ", ".join([p] * len(links))
    known = {r[0] for r in db.run(f"SELECT link FROM watch_items WHERE link IN ({marks})", links)}
    fresh: dict[str, Item] = {}
    for item in items:
        if item.link not in known and item.link not in fresh:
            fresh[item.link] = item
    sql = (
        "INSERT INTO watch_items (link, feed_url, title, published, state, attempts, seen_at)"
        f" VALUES ({p}, {p}, {p}, {p}, '{PENDING}', 0, {p}) ON CONFLICT (link) DO NOTHING"
    )
    for item in fresh.values():
        db.run(sql, [item.link, item.feed_url, item.title, item.published, now])
    return list(fresh.values())


def pending(db: Writer) -> list[Item]:
    """Links queued and not yet done, oldest first: a restart picks them up."""
    rows = db.run(
        "SELECT link, feed_url, title, published, attempts FROM watch_items"
        f" WHERE state = '{PENDING}' ORDER BY seen_at, link"
    )
    return [Item(*row) for row in rows]


def canonical_known(db: Writer, canonical: str) -> bool:
    """True when another link led to the page with this canonical URL already."""
    p = db.dialect.param
    rows = db.run(
        f"SELECT 1 FROM watch_items WHERE (canonical = {p} OR link = {p})"
        f" AND state <> '{PENDING}' LIMIT 1",
        [canonical, canonical],
    )
    return bool(rows)


def finish_item(
    db: Writer,
    link: str,
    state: str,
    now: dt.datetime,
    canonical: str | None = None,
    article_hash: str | None = None,
    error: str | None = None,
) -> None:
    """An item is done (coded, already stored, skipped, blocked or failed): never fetched again."""
    p = db.dialect.param
    db.run(
        f"UPDATE watch_items SET state = {p}, canonical = {p}, article_hash = {p}, error = {p},"
        f" done_at = {p}, attempts = attempts + 1 WHERE link = {p}",
        [state, canonical, article_hash, error, now, link],
    )


def retry_item(db: Writer, link: str, error: str) -> None:
    """A fetch that may work next round: the item stays pending, one attempt more."""
    p = db.dialect.param
    db.run(
        f"UPDATE watch_items SET attempts = attempts + 1, error = {p} WHERE link = {p}",
        [error, link],
    )


def feed_list(db: Reader) -> list[dict[str, Any]]:
    """Each feed with its item counts, for the Sources page ([] where nothing was watched)."""
    try:
        rows = db.fetch(
            f"SELECT {', '.join('f.' + c for c in FEED_COLUMNS)},"
            " count(i.link) FILTER (WHERE i.state = 'coded'),"
            f" count(i.link) FILTER (WHERE i.state = '{PENDING}'),"
            " count(i.link) FILTER (WHERE i.state IN ('failed', 'skipped', 'blocked'))"
            " FROM watch_feeds f LEFT JOIN watch_items i ON i.feed_url = f.url"
            f" GROUP BY {', '.join('f.' + c for c in FEED_COLUMNS)} ORDER BY f.url",
            [],
        )
    except Exception:  # noqa: BLE001 - a store no watcher ever wrote to has no such tables
        return []
    out = []
    for row in rows:
        record = dict(zip(FEED_COLUMNS, row[: len(FEED_COLUMNS)], strict=True))
        record["articles"], record["pending"], record["item_errors"] = (
            int(n) for n in row[len(FEED_COLUMNS) :]
        )
        out.append(record)
    return out
