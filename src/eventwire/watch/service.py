"""The watcher as a service: sources in, rounds until told to stop (SIGTERM finishes the
article in hand), one summary line per round on stderr."""

from __future__ import annotations

import datetime as dt
import os
import re
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

from eventwire.records import Article, Skipped
from eventwire.watch.fetch import MAX_BYTES, TIMEOUT, Fetcher
from eventwire.watch.parse import opml_file
from eventwire.watch.polite import HostLimiter, Robots
from eventwire.watch.poll import MAX_FAILURES, Http
from eventwire.watch.round import Summary, Watcher

_DURATION = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNITS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


def duration(text: str) -> float:
    """'15m', '30s', '1h', '90' (seconds) -> seconds."""
    match = _DURATION.fullmatch(text.strip().lower())
    if not match or float(match.group(1)) <= 0:
        raise ValueError(f"invalid duration {text!r}: use e.g. 30s, 15m, 1h")
    return float(match.group(1)) * _UNITS[match.group(2)]


@dataclass
class Options:
    """The knobs of `eventwire watch` (and `serve --watch`)."""

    every: float | None = None  # seconds between round starts; None = one round
    concurrency: int = 8
    host_delay: float = 1.0
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    max_failures: int = MAX_FAILURES
    model: str | None = None


def sources(entries: list[str]) -> list[tuple[str, str]]:
    """(url, source) pairs: URLs as given, local OPML files as the feeds they list."""
    out: list[tuple[str, str]] = []
    for entry in entries:
        if entry.startswith(("http://", "https://")):
            out.append((entry, entry))
        elif os.path.isfile(entry):
            out += [(url, entry) for url in opml_file(entry)]
        else:
            raise FileNotFoundError(f"{entry}: not an http(s) URL nor an OPML file")
    return out


def http_for(options: Options) -> Http:
    fetcher = Fetcher(timeout=options.timeout, max_bytes=options.max_bytes)
    limiter = HostLimiter(options.host_delay)
    retry = dt.timedelta(seconds=options.every or 900)
    robots = Robots(fetcher, limiter)
    return Http(fetcher, limiter, robots, max_failures=options.max_failures, retry_base=retry)


def pipeline_coder(model: str | None, lock: threading.Lock | None = None) -> Callable[..., Any]:
    """Code one article with the full pipeline, loaded on first use (one at a time): a round
    in which nothing changed never imports spaCy."""
    guard = lock or threading.Lock()

    def code(article: Article) -> Any:
        from eventwire.runner import Coded, code_chunk, default_loader

        with guard:
            (result,) = code_chunk(default_loader(model), [article])
        if isinstance(result, str):
            return Skipped(article.id, result, article.origin)
        return Coded(article, result[0], result[1], result[2])

    return code


def run(
    watcher: Watcher,
    every: float | None,
    rounds: int | None = None,
    on_round: Callable[[Summary], None] | None = None,
) -> list[Summary]:
    """Rounds until stopped (or `rounds` done); each summary goes to `watcher.say`."""
    done: list[Summary] = []
    while not watcher.stop.is_set():
        summary = watcher.round()
        watcher.say(f"watch: round {len(done) + 1}: {summary.line()}")
        for url in summary.dead:
            watcher.say(f"watch: dead feed (not polled again): {url}")
        done.append(summary)
        if on_round is not None:
            on_round(summary)
        if every is None or (rounds is not None and len(done) >= rounds):
            break
        watcher.stop.wait(max(0.0, every - summary.seconds))
    return done


@contextmanager
def stop_on_signals(stop: threading.Event, say: Callable[[str], None]) -> Iterator[None]:
    """SIGTERM and SIGINT set `stop`: the article in hand is finished, then the run ends."""

    def handler(signum: int, frame: FrameType | None) -> None:
        say(f"watch: {signal.Signals(signum).name}: finishing the article in hand")
        stop.set()

    before = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in before.items():
            signal.signal(sig, old)
