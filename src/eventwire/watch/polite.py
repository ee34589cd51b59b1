"""Being a good guest: robots.txt (cached per host), a pause between requests to one host,
and how long to stay away after a 429 or a 5xx (Retry-After when the server says)."""

from __future__ import annotations

import datetime as dt
import email.utils
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from eventwire.watch.fetch import ROBOTS_AGENT, Fetcher

ROBOTS_TTL = 3600.0  # seconds a host's robots.txt is trusted before it is read again
ROBOTS_RETRY = 60.0  # ... and how soon one that could not be read is tried again
MAX_BACKOFF = dt.timedelta(hours=6)
MAX_RETRY_AFTER = dt.timedelta(days=1)


def host_of(url: str) -> str:
    """scheme://host[:port], the unit robots.txt and the rate limit apply to."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


@dataclass
class HostLimiter:
    """At most one request per `interval` seconds to each host; callers wait for their slot."""

    interval: float = 1.0
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    _next: dict[str, float] = field(default_factory=dict)
    _delays: dict[str, float] = field(default_factory=dict)  # robots.txt Crawl-delay, per host
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def set_delay(self, host: str, seconds: float | None) -> None:
        """A host's Crawl-delay, when longer than ours."""
        if seconds is not None and seconds > self.interval:
            with self._lock:
                self._delays[host] = float(seconds)

    def wait(self, url: str) -> float:
        """Block until this request may go; returns the seconds waited."""
        host = host_of(url)
        with self._lock:
            now = self.clock()
            slot = max(now, self._next.get(host, now))
            self._next[host] = slot + self._delays.get(host, self.interval)
        pause = slot - now
        if pause > 0:
            self.sleep(pause)
        return pause


@dataclass
class Robots:
    """robots.txt of each host, fetched once per ROBOTS_TTL through the watcher's fetcher."""

    fetcher: Fetcher
    limiter: HostLimiter
    ttl: float = ROBOTS_TTL
    _cache: dict[str, tuple[float, RobotFileParser]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _hosts: dict[str, threading.Lock] = field(default_factory=dict)
    fetches: int = 0

    def allowed(self, url: str) -> bool:
        """May we fetch `url`? A missing robots.txt allows all; 401/403 or no answer, none."""
        return self.rules(url).can_fetch(ROBOTS_AGENT, url)

    def sitemaps(self, url: str) -> list[str]:
        """The Sitemap: lines of the host's robots.txt."""
        return list(self.rules(url).site_maps() or [])

    def rules(self, url: str) -> RobotFileParser:
        host = host_of(url)
        with self._lock:
            one_host = self._hosts.setdefault(host, threading.Lock())
        with one_host:  # polls of one host wait for a single read of its robots.txt
            hit = self._cache.get(host)
            if hit is not None and time.monotonic() < hit[0]:
                return hit[1]
            parser, ttl = self._read(host)
            self._cache[host] = (time.monotonic() + ttl, parser)
            return parser

    def _read(self, host: str) -> tuple[RobotFileParser, float]:
        parser = RobotFileParser(f"{host}/robots.txt")
        self.limiter.wait(host)
        self.fetches += 1
        got = self.fetcher.get(f"{host}/robots.txt")
        if got.status == 200 and got.error is None:
            parser.parse(got.body.decode("utf-8", errors="replace").splitlines())
            self.limiter.set_delay(host, _number(parser.crawl_delay(ROBOTS_AGENT)))
        elif got.status in (401, 403):
            parser.parse(["User-agent: *", "Disallow: /"])  # told to keep out
        elif got.status == 0 or got.status >= 500:
            parser.parse(["User-agent: *", "Disallow: /"])  # cannot tell: stay out a while
            return parser, min(self.ttl, ROBOTS_RETRY)
        else:
            parser.parse([])  # 404 and friends: no rules
        return parser, self.ttl


def _number(value: object) -> float | None:
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def retry_after(value: str | None, now: dt.datetime) -> dt.timedelta | None:
    """Retry-After as seconds or an HTTP date; None when absent or unreadable."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        wait = dt.timedelta(seconds=int(text))
    else:
        try:
            when = email.utils.parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is not None:
            when = when.astimezone(dt.UTC).replace(tzinfo=None)
        wait = when - now
    return max(dt.timedelta(0), min(wait, MAX_RETRY_AFTER))


def backoff(failures: int, base: dt.timedelta) -> dt.timedelta:
    """Doubling pauses after consecutive failures, from `base`, capped at MAX_BACKOFF."""
    return min(base * (2 ** max(0, failures - 1)), MAX_BACKOFF)
