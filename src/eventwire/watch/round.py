"""One round of watching: poll every feed that is due, queue the links never seen, then fetch,
code and store the queued articles one at a time.

HTTP runs in worker threads (at most `concurrency` requests at once, each host paced by
watch/polite.py); the store is touched only from the caller's thread, inside `lock`. The
queue lives in the store (store/feeds.py): validators are saved with the links they revealed,
so a stop at any point loses nothing, and a link done once is never fetched again.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import Any

from eventwire.records import Article, Skipped
from eventwire.store import feeds as state
from eventwire.store.feeds import DEAD, RESOLVED, Feed, Item
from eventwire.storing import store_coded
from eventwire.watch.pages import Page, fetch_page, page_article
from eventwire.watch.poll import Http, Polled, poll

Coder = Callable[[Article], Any]  # an Article -> runner.Coded or Skipped
MAX_PASSES = 3  # a site leads to feeds, an index to sitemaps: polled in the same round


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class Summary:
    """What a round did, for its line on stderr and the Sources page."""

    polled: int = 0
    changed: int = 0
    unchanged: int = 0
    failed: int = 0
    dead: list[str] = field(default_factory=list)
    new: int = 0  # links queued this round
    coded: int = 0
    already: int = 0
    skipped: int = 0
    events: int = 0
    pages: int = 0
    seconds: float = 0.0
    stopped: bool = False

    def line(self) -> str:
        dead = f", {len(self.dead)} dead" if self.dead else ""
        return (
            f"feeds polled {self.polled}: {self.changed} changed, {self.unchanged} unchanged,"
            f" {self.failed} failed{dead}; new articles {self.new}, coded {self.coded},"
            f" already stored {self.already}, skipped {self.skipped}; {self.events} events;"
            f" {self.pages} pages fetched in {self.seconds:.2f} s"
            + ("; stopped" if self.stopped else "")
        )


@dataclass
class Watcher:
    """Keeps a store current with its feeds; `lock` guards the store when a server shares it."""

    store: Any
    http: Http
    code: Coder
    links: Any = None  # a store/groups.py GroupWriter, or None
    concurrency: int = 8
    max_chars: int = 200_000
    lock: Callable[[], AbstractContextManager[Any]] = nullcontext
    on_write: Callable[[], None] = lambda: None
    say: Callable[[str], None] = lambda message: None
    stop: threading.Event = field(default_factory=threading.Event)
    watched: set[str] = field(default_factory=set)  # the sources this watcher polls

    def add_sources(self, urls: list[str], source: str | None = None) -> None:
        """Register URLs to watch (a URL known already keeps its state, a dead one is said)."""
        with self.lock():
            state.add_feeds(self.store, [Feed(u, source=source or u) for u in urls])
            rows = state.feeds(self.store)
        self.watched.update(source or u for u in urls)
        for feed in rows:
            if feed.url in urls and feed.status == DEAD:
                self.say(f"watch: {feed.url} is dead ({feed.last_error}): not polled")

    def _mine(self, feed: Feed) -> bool:
        """Feeds of this watcher's sources (and those they led to); all when none was given."""
        return not self.watched or feed.source in self.watched or feed.url in self.watched

    def round(self) -> Summary:
        """Poll what is due, then code what is queued (this round's and any left over)."""
        started, summary = time.monotonic(), Summary()
        pages_before = self.http.pages
        with ThreadPoolExecutor(self.concurrency, thread_name_prefix="watch") as pool:
            self._poll_all(pool, summary)
            if not self.stop.is_set():
                self._articles(pool, summary)
        summary.pages = self.http.pages - pages_before
        summary.stopped = self.stop.is_set()
        summary.seconds = time.monotonic() - started
        return summary

    # --- feeds -------------------------------------------------------------------------------

    def _due(self, now: dt.datetime, done: set[str]) -> list[Feed]:
        with self.lock():
            rows = state.feeds(self.store)
        return [
            f
            for f in rows
            if f.url not in done
            and self._mine(f)
            and f.status not in (DEAD, RESOLVED)
            and (f.next_poll is None or f.next_poll <= now)
        ]

    def _poll_all(self, pool: ThreadPoolExecutor, summary: Summary) -> None:
        done: set[str] = set()
        for _ in range(MAX_PASSES):
            now = utcnow()
            due = self._due(now, done)
            if not due or self.stop.is_set():
                return
            done.update(f.url for f in due)
            futures = [pool.submit(poll, f, self.http, now) for f in due]
            for future in futures:
                self._record(future.result(), summary, now)

    def _record(self, polled: Polled, summary: Summary, now: dt.datetime) -> None:
        """Save the feed's state with the links it revealed, in one go."""
        feed = polled.feed
        items = [Item(e.link, feed.url, e.title, e.date) for e in polled.entries]
        with self.lock():
            fresh = state.add_items(self.store, items, now)
            feed.last_new = len(fresh)
            state.save_feed(self.store, feed)
            state.add_feeds(self.store, polled.found)
        summary.polled += 1
        summary.new += len(fresh)
        if polled.outcome == DEAD:
            summary.dead.append(feed.url)
            self.say(f"watch: {feed.url} is dead: {feed.last_error}")
        elif polled.outcome == "failed":
            summary.failed += 1
            self.say(f"watch: {feed.url}: {feed.last_error}")
        elif polled.outcome == "backoff":
            summary.failed += 1
            self.say(f"watch: {feed.url}: {feed.last_error}, next poll {feed.next_poll:%H:%M:%S}")
        elif fresh:
            summary.changed += 1
        else:
            summary.unchanged += 1

    # --- articles ----------------------------------------------------------------------------

    def _pages(self, pool: ThreadPoolExecutor, items: list[Item]) -> Iterator[Page]:
        """Pages in queue order, `concurrency` fetches ahead. On stop nothing more is asked
        for; pages already being fetched are still read and coded, so none is fetched twice."""
        waiting: deque[Future[Page]] = deque()
        queue = iter(items)
        while True:
            while len(waiting) < self.concurrency and not self.stop.is_set():
                item = next(queue, None)
                if item is None:
                    break
                waiting.append(pool.submit(fetch_page, item, self.http))
            if not waiting:
                return
            future = waiting.popleft()
            if self.stop.is_set() and future.cancel():
                continue
            yield future.result()

    def _articles(self, pool: ThreadPoolExecutor, summary: Summary) -> None:
        with self.lock():
            mine = {f.url: f.title for f in state.feeds(self.store) if self._mine(f)}
            items = [i for i in state.pending(self.store) if i.feed_url in mine]
        for page in self._pages(pool, items):
            self._one(page, mine.get(page.item.feed_url), summary)

    def _one(self, page: Page, source: str | None, summary: Summary) -> None:
        """Code and store one fetched page, then mark its link done (the article in hand)."""
        link, now = page.item.link, utcnow()
        if page.retry:
            with self.lock():
                state.retry_item(self.store, link, page.error or "")
            return
        if page.error is not None:
            summary.skipped += 1
            with self.lock():
                state.finish_item(self.store, link, page.state, now, error=page.error)
            self.say(f"watch: {link}: {page.error}")
            return
        other = page.canonical if page.canonical and page.canonical != link else None
        with self.lock():
            seen = other is not None and state.canonical_known(self.store, other)
        article = None if seen else page_article(page, source, self.max_chars)
        outcome, hash_ = self._store(article, summary)
        with self.lock():
            state.finish_item(self.store, link, outcome, now, page.canonical, hash_)
        if outcome == "coded":
            self.say(f"watch: coded {link}")
            self.on_write()

    def _store(self, article: Article | Skipped | None, summary: Summary) -> tuple[str, Any]:
        """Code and write one article; its outcome and content hash."""
        if article is None:
            summary.already += 1
            return "duplicate", None
        if isinstance(article, Skipped):
            with self.lock():
                store_coded(self.store, self.links, article)
                self.store.flush()
            summary.skipped += 1
            self.say(article.message())
            return "skipped", None
        with self.lock():
            known = self.store.has_article(article.content_hash)
        if known:
            summary.already += 1
            return "already", article.content_hash
        coded = self.code(article)
        with self.lock():
            outcome = store_coded(self.store, self.links, coded)
            self.store.flush()
            if self.links is not None:
                self.links.flush()
        if outcome == "coded":
            summary.coded += 1
            summary.events += len(coded.events)
        elif outcome == "skipped":
            summary.skipped += 1
            self.say(coded.message())
        else:
            summary.already += 1
        return outcome, article.content_hash
