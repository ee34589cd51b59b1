"""What watching costs: `python benchmarks/watch_bench.py` (50 feeds x 20 items by default).

A local news site (tests/feedserver.py, 127.0.0.1 only) serves the feeds and one page per
item, each page a sample article with a line of its own so every one is new content. Round 1
codes everything (articles coded per minute, model loaded before the clock); round 2, by a
fresh watcher as after a restart, finds every feed unchanged: its wall time and CPU time, and
how many pages it fetched (goal: under 2 s, none); then a whole `eventwire watch --once`
process does the same (start-up included). Every feed is on one host, so the pause
between requests to a host is set to 0 (`--host-delay`); with the default 1 s a round of
50 feeds on one host takes at least 50 s by design.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from email.utils import formatdate
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from eventwire.records import Article  # noqa: E402
from eventwire.store import open_store  # noqa: E402
from eventwire.watch.round import Summary, Watcher  # noqa: E402
from eventwire.watch.service import Options, http_for, pipeline_coder  # noqa: E402
from feedserver import Route, Site, article_html, rss, sample_texts  # noqa: E402

GOAL_SECONDS = 2.0


def build_site(site: Site, feeds: int, items: int) -> list[str]:
    """`feeds` feeds of `items` distinct articles each; returns the feed URLs."""
    texts = sample_texts()
    site.set("/robots.txt", Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    urls = []
    for f in range(feeds):
        entries = []
        for i in range(items):
            slug, text = texts[(f * items + i) % len(texts)]
            path = f"/f{f}/{i}-{slug}.html"
            own = f"{text}\nThis report was filed by desk {f} as item {i}."
            site.set(path, Route(article_html(slug.replace("-", " "), own)))
            stamp = formatdate(1_733_000_000 + (f * items + i) * 60, usegmt=True)
            entries.append((f"Desk {f} item {i}", site.url(path), stamp))
        site.set(
            f"/f{f}/feed.xml",
            Route(rss(f"Desk {f}", entries), content_type="application/rss+xml", etag=f'"{f}"'),
        )
        urls.append(site.url(f"/f{f}/feed.xml"))
    return urls


def timed_round(db: str, urls: list[str], options: Options, code: Any) -> tuple[Summary, float]:
    """One round by a new watcher over the store; its summary and CPU seconds."""
    http = http_for(options)
    with open_store(db) as store:
        watcher = Watcher(store, http, code, concurrency=options.concurrency)
        watcher.add_sources(urls)
        cpu = time.process_time()
        summary = watcher.round()
        cpu = time.process_time() - cpu
    http.fetcher.close()
    return summary, cpu


def cli_round(db: str, urls: list[str], host_delay: float) -> float:
    """Wall seconds of a whole `eventwire watch --once` process when nothing changed."""
    command = [str(Path(sys.executable).with_name("eventwire")), "watch", *urls, "--db", db]
    started = time.monotonic()
    subprocess.run(
        [*command, "--once", "--host-delay", str(host_delay)], capture_output=True, check=True
    )
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--feeds", type=int, default=50)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--host-delay", type=float, default=0.0)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    options = Options(host_delay=args.host_delay, concurrency=args.concurrency)
    code = pipeline_coder(None)
    code(Article("warm-up", "The minister met the ambassador in Paris on Monday."))
    site = Site().start()
    try:
        urls = build_site(site, args.feeds, args.items)
        with tempfile.TemporaryDirectory() as tmp:
            db = str(Path(tmp) / "watch.duckdb")
            new, new_cpu = timed_round(db, urls, options, code)
            site.clear_log()
            same, same_cpu = timed_round(db, urls, options, code)
            requests = len(site.hits())
            cli = cli_round(db, urls, args.host_delay)
    finally:
        site.stop()
    figures = {
        "feeds": args.feeds,
        "items_per_feed": args.items,
        "all_new_round_s": round(new.seconds, 2),
        "all_new_cpu_s": round(new_cpu, 2),
        "articles_coded": new.coded,
        "articles_per_minute": round(60 * new.coded / new.seconds, 1) if new.seconds else 0,
        "no_change_round_s": round(same.seconds, 3),
        "no_change_cpu_s": round(same_cpu, 3),
        "no_change_unchanged_feeds": same.unchanged,
        "no_change_pages_fetched": same.pages,
        "no_change_requests": requests,
        "no_change_cli_process_s": round(cli, 2),
        "goal_met": same.seconds < GOAL_SECONDS and same.pages == 0,
    }
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key:>28}: {value}")
    return 0 if figures["goal_met"] else 1


if __name__ == "__main__":
    raise SystemExit(main())
