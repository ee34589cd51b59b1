"""`eventwire watch SOURCES --db URL [--once | --every 15m]`: a thin layer over watch/service.py."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from eventwire.config import settings


def _duration(text: str) -> float:
    from eventwire.watch.service import duration

    try:
        return duration(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def watch_options(p: argparse.ArgumentParser, every_flag: str = "--every") -> None:
    """The options `watch` and `serve --watch` share."""
    p.add_argument(
        every_flag,
        dest="every",
        type=_duration,
        help="poll this often, e.g. 15m (watch: one round without it; serve: 15m)",
    )
    p.add_argument("--concurrency", type=int, default=8, help="requests at once (default 8)")
    p.add_argument(
        "--host-delay",
        type=float,
        default=1.0,
        help="seconds between two requests to one host (default 1; robots.txt may ask more)",
    )
    p.add_argument("--timeout", type=float, default=20.0, help="seconds per request")
    p.add_argument("--max-bytes", type=int, default=10_000_000, help="largest body read")
    p.add_argument(
        "--max-failures", type=int, default=5, help="failures in a row that mark a feed dead"
    )


def register(sub: Any) -> None:
    p = sub.add_parser("watch", help="poll feeds and sites, code and store what is new")
    p.add_argument("sources", nargs="+", metavar="SOURCE", help="feed or site URLs, or OPML files")
    p.add_argument("--db", default=settings().db, help="DuckDB file or postgresql:// URL")
    p.add_argument("--once", action="store_true", help="one round, then exit (for cron)")
    p.add_argument("--model", help=f"spaCy model (default: {settings().model})")
    p.add_argument("--no-link", dest="link", action="store_false", help="no event groups")
    watch_options(p)
    p.set_defaults(func=cmd_watch)


def options_from(args: argparse.Namespace) -> Any:
    from eventwire.watch.service import Options

    return Options(
        every=None if getattr(args, "once", False) else args.every,
        concurrency=max(1, args.concurrency),
        host_delay=max(0.0, args.host_delay),
        timeout=args.timeout,
        max_bytes=args.max_bytes,
        max_failures=max(1, args.max_failures),
        model=getattr(args, "model", None),
    )


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def cmd_watch(args: argparse.Namespace) -> int:
    from eventwire.store import open_store
    from eventwire.storing import linking
    from eventwire.watch.round import Watcher
    from eventwire.watch.service import http_for, pipeline_coder, run, sources, stop_on_signals

    options = options_from(args)
    found = sources(args.sources)
    http = http_for(options)
    with open_store(args.db) as store, linking(store, args.link) as links:
        watcher = Watcher(
            store,
            http,
            pipeline_coder(options.model),
            links=links,
            concurrency=options.concurrency,
            max_chars=settings().max_chars,
            say=say,
        )
        for url, source in found:
            watcher.add_sources([url], source)
        with stop_on_signals(watcher.stop, say):
            summaries = run(watcher, options.every)
    http.fetcher.close()
    last = summaries[-1] if summaries else None
    if last is not None and last.polled and last.failed + len(last.dead) >= last.polled:
        return 1  # nothing answered: cron should say so
    return 0
