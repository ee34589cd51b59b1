"""Fetch one article a feed listed and read it with ingest's HTML reader (ingest/build.py),
the feed's title, date and link as its metadata."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from eventwire.ingest.build import Meta, document_from_bytes
from eventwire.records import Article, Skipped
from eventwire.store.feeds import Item
from eventwire.watch.parse import canonical, canonical_link
from eventwire.watch.poll import Http

MAX_ATTEMPTS = 3  # a page that fails this many rounds is given up


@dataclass
class Page:
    """A fetched article page, or why there is none (`retry`: worth another round)."""

    item: Item
    body: bytes = b""
    url: str = ""
    canonical: str | None = None
    content_type: str = ""
    error: str | None = None
    retry: bool = False
    state: str = "fetched"  # fetched | blocked | failed


def fetch_page(item: Item, http: Http) -> Page:
    """GET the item's link (robots.txt and the host's pause first)."""
    got = http.get(item.link)
    if got is None:
        return Page(item, state="blocked", error="disallowed by robots.txt")
    http.count("pages")
    if got.status == 200 and got.error is None:
        found = canonical_link(got.body, got.url) or canonical(got.url)
        return Page(item, got.body, got.url, found, got.content_type)
    reason = got.error or f"HTTP {got.status}"
    transient = got.status in (0, 408, 429) or got.status >= 500
    if transient and item.attempts + 1 < MAX_ATTEMPTS and "too large" not in reason:
        return Page(item, error=reason, retry=True)
    return Page(item, state="failed", error=reason)


def article_id(link: str) -> str:
    """A stable id per article link."""
    return "web-" + hashlib.sha1(link.encode("utf-8")).hexdigest()[:12]


def page_article(page: Page, source: str | None, max_chars: int) -> Article | Skipped:
    """The page through ingest's reader; the feed's title and date win over the page's."""
    link = page.canonical or page.item.link
    meta = Meta(
        id=article_id(link),
        origin=page.url,
        raw_format="html",
        date=page.item.published,
        title=page.item.title,
        url=link,
        source=source,
    )
    is_html = True if "html" in page.content_type else None
    return document_from_bytes(page.body, is_html, meta, max_chars)
