"""The feed watcher against a real HTTP server on 127.0.0.1 (tests/feedserver.py) and a real
store and model: conditional GETs, robots.txt, redirects, trouble, discovery, restarts."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from email.utils import formatdate
from pathlib import Path
from typing import Any

import duckdb
import pytest

from eventwire.store import feeds as feed_state
from eventwire.store import migrations, open_store
from eventwire.watch.polite import HostLimiter, retry_after
from eventwire.watch.round import Watcher
from eventwire.watch.service import Options, http_for, pipeline_coder, sources
from feedserver import Route, Site, article_html, rss, sample_texts

RSS = "application/rss+xml"
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    server.set(
        "/robots.txt", Route(b"User-agent: *\nDisallow: /private/\n", content_type="text/plain")
    )
    yield server
    server.stop()


def pages(
    site: Site, count: int, start: int = 0, prefix: str = "/news"
) -> list[tuple[str, str, str]]:
    """Serve `count` sample articles; their feed items (title, link, date)."""
    items = []
    texts = sample_texts()
    for i in range(start, start + count):
        slug, text = texts[i % len(texts)]
        path = f"{prefix}/{i}-{slug}.html"
        site.set(path, Route(article_html(slug.replace("-", " "), text)))
        items.append(
            (f"Feed title {i}", site.url(path), formatdate(1_733_000_000 + i * 3600, usegmt=True))
        )
    return items


def feed(
    site: Site, path: str, items: list[tuple[str, str, str]], etag: str | None = '"1"', **kw: Any
) -> str:
    site.set(path, Route(rss(f"Courier {path}", items), content_type=RSS, etag=etag, **kw))
    return site.url(path)


@contextmanager
def watching(db: str, urls: list[str], **options: Any) -> Iterator[Watcher]:
    """A watcher over an open store, as `eventwire watch` builds it (no event groups)."""
    concurrency = options.pop("concurrency", 4)
    opts = Options(host_delay=0.0, timeout=options.pop("timeout", 5.0), **options)
    http = http_for(opts)
    http.retry_base = dt.timedelta(0)
    with open_store(db) as store:
        watcher = Watcher(store, http, pipeline_coder(None), concurrency=concurrency)
        watcher.add_sources(urls)
        yield watcher
    http.fetcher.close()


def items_by_state(db: str) -> dict[str, str]:
    with open_store(db, read_only=True) as store:
        return dict(store.fetch("SELECT link, state FROM watch_items", []))  # type: ignore[arg-type]


def feed_row(db: str, url: str) -> feed_state.Feed:
    with open_store(db) as store:
        return next(f for f in feed_state.feeds(store) if f.url == url)


# --- the main path ------------------------------------------------------------------------------


@pytest.mark.slow
def test_issue19_new_articles_are_coded_once_and_a_second_round_fetches_nothing(
    site: Site, store_url: str
) -> None:
    db = store_url
    url = feed(site, "/feed.xml", pages(site, 3))
    with watching(db, [url]) as watcher:
        first = watcher.round()
        assert (first.polled, first.changed, first.new, first.coded, first.pages) == (1, 1, 3, 3, 3)
        assert first.events > 0
        site.clear_log()
        second = watcher.round()
    assert (second.polled, second.unchanged, second.new, second.pages, second.coded) == (
        1,
        1,
        0,
        0,
        0,
    )
    hits = site.hits()
    assert [(h.path, h.status) for h in hits] == [("/feed.xml", 304)]
    assert hits[0].headers["if-none-match"] == '"1"'
    assert "eventwire" in hits[0].headers["user-agent"]
    with open_store(db, read_only=True) as store:
        stored = store.article_list(limit=10)
        assert store.count_events() == first.events
    assert {a["title"] for a in stored} == {"Feed title 0", "Feed title 1", "Feed title 2"}
    assert {a["source"] for a in stored} == {"Courier /feed.xml"}
    assert all(a["url"].startswith(site.base + "/news/") for a in stored)
    assert set(items_by_state(db).values()) == {"coded"}


@pytest.mark.slow
def test_issue19_a_feed_whose_items_change_gets_only_the_new_one_fetched(
    site: Site, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.duckdb")
    items = pages(site, 3)
    url = feed(site, "/feed.xml", items)
    with watching(db, [url]) as watcher:
        watcher.round()
        changed = pages(site, 1, start=3) + items[:2]  # one new item, the oldest dropped
        feed(site, "/feed.xml", changed, etag='"2"')
        site.clear_log()
        second = watcher.round()
    assert (second.changed, second.new, second.coded, second.pages) == (1, 1, 1, 1)
    assert [h.path for h in site.hits("/news")] == [changed[0][1].removeprefix(site.base)]


@pytest.mark.slow
def test_issue19_a_restart_resumes_the_queue_and_fetches_nothing_twice(
    site: Site, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.duckdb")
    url = feed(site, "/feed.xml", pages(site, 4))
    with watching(db, [url], concurrency=1) as watcher:
        watcher.on_write = watcher.stop.set  # stop once the first article is stored
        first = watcher.round()
    assert first.stopped and first.coded == 1
    assert sorted(items_by_state(db).values()).count("pending") == 3
    with watching(db, [url]) as watcher:  # a new process: validators and queue from the store
        second = watcher.round()
    assert (second.unchanged, second.coded) == (1, 3)
    fetched = [h.path for h in site.hits("/news") if h.status == 200]
    assert len(fetched) == len(set(fetched)) == 4
    assert set(items_by_state(db).values()) == {"coded"}
    with open_store(db, read_only=True) as store:
        assert store.counts()["articles"] == 4


# --- HTTP manners ---------------------------------------------------------------------------------


def test_issue19_last_modified_alone_gives_a_304(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    stamp = formatdate(1_733_000_000, usegmt=True)
    url = feed(site, "/feed.xml", [], etag=None, last_modified=stamp)
    with watching(db, [url]) as watcher:
        watcher.round()
        site.clear_log()
        second = watcher.round()
    assert second.unchanged == 1
    (hit,) = site.hits("/feed.xml")
    assert (hit.status, hit.headers["if-modified-since"]) == (304, stamp)


def test_issue19_a_redirected_feed_is_fetched_from_its_new_url(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    new = feed(site, "/moved.xml", [])
    site.set("/old.xml", Route(b"", status=301, headers={"Location": new}))
    old = site.url("/old.xml")
    with watching(db, [old]) as watcher:
        watcher.round()
        assert feed_row(db, old).location == new
        site.clear_log()
        watcher.round()
    assert [(h.path, h.status) for h in site.hits()] == [("/moved.xml", 304)]


def test_issue19_robots_txt_is_honoured_and_read_once(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    site.set("/private/secret.html", Route(article_html("secret", "Nothing to see.")))
    url = feed(
        site, "/feed.xml", [("Secret", site.url("/private/secret.html"), formatdate(usegmt=True))]
    )
    blocked = site.url("/private/feed.xml")
    with watching(db, [url, blocked]) as watcher:
        first = watcher.round()
        watcher.round()
    assert first.failed == 1 and feed_row(db, blocked).last_error == "disallowed by robots.txt"
    assert site.hits("/private/") == []
    assert items_by_state(db) == {site.url("/private/secret.html"): "blocked"}
    assert len(site.hits("/robots.txt")) == 1


def test_issue19_slow_oversized_and_broken_feeds_fail_and_the_rest_go_on(
    site: Site, tmp_path: Path
) -> None:
    db = str(tmp_path / "w.duckdb")
    good = feed(site, "/good.xml", [])
    site.set("/slow.xml", Route(rss("slow", []), content_type=RSS, delay=3.0))
    site.set("/big.xml", Route(b"<rss>" + b" " * 50_000 + b"</rss>", content_type=RSS))
    site.set(
        "/broken.xml",
        Route(b"\x00\x01 this is <<< not xml", content_type="application/octet-stream"),
    )
    urls = [good] + [site.url(p) for p in ("/slow.xml", "/big.xml", "/broken.xml")]
    with watching(db, urls, timeout=0.5, max_bytes=20_000) as watcher:
        summary = watcher.round()
    assert (summary.polled, summary.unchanged, summary.failed) == (4, 1, 3)
    errors = {f.url.rsplit("/", 1)[1]: f.last_error or "" for f in _feeds(db)}
    assert "timed out" in errors["slow.xml"]
    assert "too large" in errors["big.xml"]
    assert "not a feed" in errors["broken.xml"]
    assert errors["good.xml"] == ""


def _feeds(db: str) -> list[feed_state.Feed]:
    with open_store(db) as store:
        return feed_state.feeds(store)


def test_issue19_410_is_dead_at_once_and_5xx_after_n_failures(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    site.set("/gone.xml", Route(b"", status=410))
    site.set("/down.xml", Route(b"", status=503))
    gone, down = site.url("/gone.xml"), site.url("/down.xml")
    with watching(db, [gone, down], max_failures=2) as watcher:
        first = watcher.round()
        second = watcher.round()
        third = watcher.round()
    assert first.dead == [gone] and first.failed == 1
    assert second.dead == [down] and second.polled == 1
    assert third.polled == 0
    assert [h.path for h in site.hits("/gone.xml")] == ["/gone.xml"]
    assert len(site.hits("/down.xml")) == 2
    assert feed_row(db, down).status == "dead" and "2 failures in a row" in (
        feed_row(db, down).last_error or ""
    )


def test_issue19_429_with_retry_after_is_not_polled_until_then(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    site.set("/busy.xml", Route(b"", status=429, headers={"Retry-After": "3600"}))
    url = site.url("/busy.xml")
    with watching(db, [url]) as watcher:
        before = dt.datetime.now(dt.UTC).replace(tzinfo=None)
        watcher.round()
        again = watcher.round()
    row = feed_row(db, url)
    assert again.polled == 0 and len(site.hits("/busy.xml")) == 1
    assert row.status == "backoff" and row.failures == 0
    assert row.next_poll is not None and row.next_poll >= before + dt.timedelta(minutes=59)


# --- sources --------------------------------------------------------------------------------------


@pytest.mark.slow
def test_issue19_a_site_url_leads_to_its_feed_then_a_sitemap(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    url = feed(site, "/rss/all.xml", pages(site, 1))
    home = (
        '<html><head><link rel="alternate" type="application/rss+xml" href="/rss/all.xml">'
        "</head><body>Home</body></html>"
    )
    site.set("/", Route(home.encode()))
    other = Site().start()
    try:
        loc = pages(other, 1, start=5)[0][1]
        sitemap = f'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>{loc}</loc><lastmod>2024-11-30</lastmod></url></urlset>'
        other.set(
            "/robots.txt",
            Route(f"Sitemap: {other.url('/maps/news.xml')}\n".encode(), content_type="text/plain"),
        )
        other.set("/maps/news.xml", Route(sitemap.encode(), content_type="application/xml"))
        other.set("/", Route(b"<html><body><p>No feeds here.</p></body></html>"))
        with watching(db, [site.url("/"), other.url("/")]) as watcher:
            summary = watcher.round()
    finally:
        other.stop()
    assert summary.coded == 2
    kinds = {f.url: (f.kind, f.status) for f in _feeds(db)}
    assert kinds[site.url("/")] == ("site", "resolved")
    assert kinds[url] == ("feed", "changed")
    assert kinds[other.url("/maps/news.xml")][0] == "sitemap"
    with open_store(db, read_only=True) as store:
        dates = {a["date"] for a in store.article_list(limit=5)}
    assert dt.date(2024, 11, 30) in dates


def test_issue19_an_opml_file_lists_the_feeds_to_watch(tmp_path: Path) -> None:
    opml = tmp_path / "subs.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><body><outline text="news">'
        '<outline type="rss" text="A" xmlUrl="http://127.0.0.1:9/a.xml"/>'
        '<outline type="rss" text="B" xmlUrl="http://127.0.0.1:9/b.xml"/></outline></body></opml>',
        encoding="utf-8",
    )
    found = sources([str(opml), "http://127.0.0.1:9/c.xml"])
    assert found == [
        ("http://127.0.0.1:9/a.xml", str(opml)),
        ("http://127.0.0.1:9/b.xml", str(opml)),
        ("http://127.0.0.1:9/c.xml", "http://127.0.0.1:9/c.xml"),
    ]
    with pytest.raises(FileNotFoundError):
        sources([str(tmp_path / "missing.opml")])


@pytest.mark.slow
def test_issue19_one_article_under_two_links_is_coded_once(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    slug, text = sample_texts()[0]
    page = article_html(slug, text, canonical="https://news.example/story-1")
    site.set("/a/story.html", Route(page))
    site.set("/b/story.html", Route(page))  # the feed lists it with a tracking parameter
    same_text = article_html(slug, text)  # the same words under another canonical URL
    site.set("/c/story.html", Route(same_text))
    day = formatdate(usegmt=True)
    links = [
        site.url("/a/story.html"),
        site.url("/b/story.html?utm_source=rss"),
        site.url("/c/story.html"),
    ]
    url = feed(site, "/feed.xml", [(f"t{i}", link, day) for i, link in enumerate(links)])
    with watching(db, [url]) as watcher:
        summary = watcher.round()
    assert (summary.coded, summary.already) == (1, 2)
    assert sorted(items_by_state(db).values()) == ["already", "coded", "duplicate"]


# --- pieces ---------------------------------------------------------------------------------------


def test_issue19_the_host_limiter_spaces_requests_per_host() -> None:
    now, slept = [100.0], []

    def sleep(seconds: float) -> None:
        slept.append(seconds)

    limiter = HostLimiter(2.0, clock=lambda: now[0], sleep=sleep)
    waits = [
        limiter.wait("http://a.test/1"),
        limiter.wait("http://a.test/2"),
        limiter.wait("http://b.test/1"),
    ]
    limiter.set_delay("http://a.test", 5.0)  # robots.txt Crawl-delay
    waits.append(limiter.wait("http://a.test/3"))
    assert waits == [0.0, 2.0, 0.0, 4.0]
    assert slept == [2.0, 4.0]


def test_issue19_retry_after_takes_seconds_or_a_date() -> None:
    now = dt.datetime(2024, 1, 1, 12, 0, 0)
    assert retry_after("120", now) == dt.timedelta(seconds=120)
    assert retry_after("Mon, 01 Jan 2024 12:10:00 GMT", now) == dt.timedelta(minutes=10)
    assert retry_after("soon", now) is None and retry_after(None, now) is None


def test_issue19_a_store_of_version_3_is_refused_read_only_then_migrated(tmp_path: Path) -> None:
    db = str(tmp_path / "old.duckdb")
    open_store(db).close()
    with duckdb.connect(db) as con:
        for table in feed_state.TABLES:
            con.execute(f"DROP TABLE {table}")
        con.execute("UPDATE schema_version SET version = 3")
    with pytest.raises(Exception, match="schema version 3"):
        open_store(db, read_only=True)
    with open_store(db) as store:
        assert migrations.version(store) == migrations.VERSION  # type: ignore[arg-type]
        assert feed_state.feeds(store) == []


# --- the command ----------------------------------------------------------------------------------


def _eventwire(*args: str) -> list[str]:
    return [str(Path(sys.executable).with_name("eventwire")), *args]


@pytest.mark.slow
def test_issue19_watch_command_once_then_sigterm_in_a_loop(site: Site, tmp_path: Path) -> None:
    db = str(tmp_path / "w.duckdb")
    url = feed(site, "/feed.xml", pages(site, 2))
    env = {**os.environ, "EVENTWIRE_DB": db}
    once = subprocess.run(
        _eventwire("watch", url, "--db", db, "--once", "--host-delay", "0"),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert once.returncode == 0, once.stderr
    assert (
        "feeds polled 1: 1 changed, 0 unchanged, 0 failed; new articles 2, coded 2" in once.stderr
    )
    feed(site, "/feed.xml", pages(site, 2) + pages(site, 3, start=2), etag='"2"')
    loop = subprocess.Popen(
        _eventwire("watch", url, "--db", db, "--every", "1h", "--host-delay", "0"),
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    assert loop.stderr is not None
    lines = []
    for line in loop.stderr:
        lines.append(line)
        if line.startswith("watch: coded"):
            loop.send_signal(signal.SIGTERM)
            break
    _, rest = loop.communicate(timeout=120)
    lines.append(rest)
    out = "".join(lines)
    assert loop.returncode == 0, out
    assert "SIGTERM: finishing the article in hand" in out and "; stopped" in out
    assert list(items_by_state(db).values()).count("coded") >= 3
    again = subprocess.run(
        _eventwire("watch", url, "--db", db, "--once", "--host-delay", "0"),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert set(items_by_state(db).values()) == {"coded"}
    fetched = [h.path for h in site.hits("/news") if h.status == 200]
    assert len(fetched) == len(set(fetched)) == 5  # each page once, across three processes
    with open_store(db, read_only=True) as store:
        assert store.counts()["articles"] == 5


def test_issue19_links_are_spelt_one_way_and_only_web_links_are_taken() -> None:
    from eventwire.watch.parse import canonical, feed_links, parse_body

    assert (
        canonical("HTTP://News.Example:80/a?utm_source=x&id=3#top") == "http://news.example/a?id=3"
    )
    assert canonical("https://news.example") == "https://news.example/"
    page = (
        b'<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml">'
        b'<link rel="alternate" type="text/html" href="/fr/"></head><body></body></html>'
    )
    assert feed_links(page, "http://news.example/world/") == ["http://news.example/atom.xml"]
    body = rss("x", [("a", "mailto:desk@news.example", ""), ("b", "/story-2", "")])
    parsed = parse_body(body, "http://news.example/feed.xml")
    assert (parsed.kind, [e.link for e in parsed.entries]) == (
        "feed",
        ["http://news.example/story-2"],
    )
