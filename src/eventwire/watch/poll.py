"""Poll one watched URL over HTTP and decide what became of it; no database here.

A feed answers 304 (unchanged), a feed or sitemap (its entries), a page or OPML file (the
feeds to watch instead), or trouble: 410 is the end, 429 and 5xx mean come back later
(Retry-After when given), and too many failures in a row also mark the feed dead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass, field

from eventwire.store.feeds import DEAD, RESOLVED, Feed
from eventwire.watch.fetch import Fetched, Fetcher
from eventwire.watch.parse import Entry, Parsed, canonical, parse_body
from eventwire.watch.polite import HostLimiter, Robots, backoff, host_of, retry_after

MAX_FAILURES = 5
MAX_ENTRIES = 200  # entries taken from one poll (a big sitemap is read over several rounds)


@dataclass
class Http:
    """The fetcher with the rules every request goes through."""

    fetcher: Fetcher
    limiter: HostLimiter
    robots: Robots
    max_failures: int = MAX_FAILURES
    retry_base: dt.timedelta = dt.timedelta(minutes=15)
    pages: int = 0  # article pages fetched (what a no-change round must leave at 0)
    feeds: int = 0  # feed requests sent
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def count(self, what: str) -> None:
        """One more page or feed request (worker threads count concurrently)."""
        with self._lock:
            setattr(self, what, getattr(self, what) + 1)

    def get(self, url: str, headers: dict[str, str] | None = None) -> Fetched | None:
        """Fetch if robots.txt allows, after the host's pause; None when disallowed."""
        if not self.robots.allowed(url):
            return None
        self.limiter.wait(url)
        return self.fetcher.get(url, headers)


@dataclass
class Polled:
    """A poll's outcome: the feed's new state, its entries, and feeds it led to."""

    feed: Feed
    outcome: str  # changed | unchanged | failed | dead | resolved | backoff
    entries: list[Entry] = field(default_factory=list)
    found: list[Feed] = field(default_factory=list)


def poll(feed: Feed, http: Http, now: dt.datetime) -> Polled:
    """One conditional GET of the feed and what it means."""
    state = dataclasses.replace(feed, polls=feed.polls + 1, last_poll=now, next_poll=None)
    http.count("feeds")
    got = http.get(state.target, _validators(state))
    if got is None:
        return _failed(state, "disallowed by robots.txt", http)
    if got.redirected:
        state.location = got.url
    if got.status == 304:
        return _ok(state, "unchanged")
    if got.status == 200 and got.error is None:
        return _read(state, got, http, now)
    return _trouble(state, got, http, now)


def _validators(feed: Feed) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _ok(state: Feed, outcome: str) -> Polled:
    state.status, state.failures, state.last_error = outcome, 0, None
    return Polled(state, outcome)


def _read(state: Feed, got: Fetched, http: Http, now: dt.datetime) -> Polled:
    parsed = parse_body(got.body, got.url, got.content_type)
    if parsed.error is not None:
        return _failed(state, parsed.error, http)
    state.etag = got.headers.get("etag") or None
    state.last_modified = got.headers.get("last-modified") or None
    state.kind = parsed.kind if state.kind in ("unknown", "feed", "sitemap") else state.kind
    state.title = parsed.title or state.title
    found = [Feed(url, source=state.source or state.url) for url in parsed.feeds]
    if parsed.kind == "site":
        found = found or _sitemaps(state, http)
        if not found:
            return _failed(state, "no feed link on the page and no sitemap", http)
        state.kind = "site"
    if parsed.kind in ("site", "opml"):
        result = _ok(state, RESOLVED)
        result.found = found
        return result
    result = _ok(state, "changed")
    result.entries, result.found = _entries(parsed), found
    return result


def _entries(parsed: Parsed) -> list[Entry]:
    """Newest first, canonical links, at most MAX_ENTRIES."""
    entries = sorted(parsed.entries, key=lambda e: e.date or dt.date.min, reverse=True)
    return [dataclasses.replace(e, link=canonical(e.link)) for e in entries[:MAX_ENTRIES]]


def _sitemaps(state: Feed, http: Http) -> list[Feed]:
    """A site without feeds: the sitemaps its robots.txt names, else /sitemap.xml."""
    urls = http.robots.sitemaps(state.target) or [f"{host_of(state.target)}/sitemap.xml"]
    return [Feed(url, source=state.source or state.url, kind="sitemap") for url in urls]


def _trouble(state: Feed, got: Fetched, http: Http, now: dt.datetime) -> Polled:
    if got.status == 410:
        state.status, state.last_error = DEAD, "410 Gone"
        return Polled(state, DEAD)
    wait = retry_after(got.headers.get("retry-after"), now)
    if got.status == 429:
        state.status, state.last_error = "backoff", "429 Too Many Requests"
        state.next_poll = now + (wait or backoff(state.failures + 1, http.retry_base))
        return Polled(state, "backoff")
    reason = got.error or f"HTTP {got.status}"
    result = _failed(state, reason, http)
    if got.status >= 500 and result.outcome != DEAD:
        state.next_poll = now + (wait or backoff(state.failures, http.retry_base))
    return result


def _failed(state: Feed, reason: str, http: Http) -> Polled:
    state.failures += 1
    state.last_error = reason
    if state.failures >= http.max_failures:
        state.status = DEAD
        state.last_error = f"{reason} ({state.failures} failures in a row)"
        return Polled(state, DEAD)
    state.status = "failed"
    return Polled(state, "failed")
