"""What a fetched body is and what it lists: a feed (feedparser), a sitemap, an OPML file,
or an HTML page whose <link rel="alternate"> elements name its feeds."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import feedparser
import lxml.html
from lxml import etree

from eventwire.ingest.checks import parse_date

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json")
TRACKING = re.compile(r"^(utm_\w+|fbclid|gclid|mc_cid|mc_eid)$", re.I)
SNIFF = 2048
MAX_UNZIPPED = 50_000_000
_XML = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=True)


@dataclass
class Entry:
    """One article a feed or sitemap lists."""

    link: str
    title: str | None = None
    date: dt.date | None = None


@dataclass
class Parsed:
    """What a body turned out to be; `error` when nothing usable was in it."""

    kind: str  # feed | sitemap | opml | site | unknown
    title: str | None = None
    entries: list[Entry] = field(default_factory=list)
    feeds: list[str] = field(default_factory=list)  # URLs to watch instead (site, OPML, index)
    error: str | None = None


def canonical(url: str) -> str:
    """One spelling per article URL: lower-case host, no fragment, no tracking parameters."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    if parts.port and not (
        (parts.scheme == "http" and parts.port == 80)
        or (parts.scheme == "https" and parts.port == 443)
    ):
        host = f"{host}:{parts.port}"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if not TRACKING.match(k)])
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", query, ""))


def parse_body(body: bytes, url: str, content_type: str = "") -> Parsed:
    """Tell a feed, a sitemap, an OPML file and a web page apart, and read what they list."""
    body = _gunzip(body)
    head = body[:SNIFF].lstrip().lower()
    if b"<opml" in head:
        return _opml(body, url)
    if b"<urlset" in head or b"<sitemapindex" in head:
        return _sitemap(body, url)
    if b"<rss" in head or b"<feed" in head or b"<rdf" in head:
        return _feed(body, url)
    if b"<html" in head or b"<!doctype html" in head or "html" in content_type:
        return Parsed("site", feeds=feed_links(body, url))
    return _feed(body, url)


def _gunzip(body: bytes) -> bytes:
    """A .xml.gz sitemap arrives gzipped without a Content-Encoding; bounded when unpacked."""
    if not body.startswith(b"\x1f\x8b"):
        return body
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as handle:
            return handle.read(MAX_UNZIPPED)
    except (OSError, EOFError):
        return body


def _feed(body: bytes, url: str) -> Parsed:
    parsed: Any = feedparser.parse(io.BytesIO(body), response_headers={"content-location": url})
    entries = [e for e in (_entry(item, url) for item in parsed.entries) if e is not None]
    if not parsed.get("version") and not entries:
        problem = parsed.get("bozo_exception")
        reason = f"not a feed ({type(problem).__name__}: {problem})" if problem else "not a feed"
        return Parsed("unknown", error=reason[:300])
    title = parsed.feed.get("title") or None
    return Parsed("feed", title=title.strip() if title else None, entries=entries)


def _entry(item: Any, base: str) -> Entry | None:
    link = item.get("link") or ""
    if not link:
        return None
    link = urljoin(base, link.strip())
    if not link.startswith(("http://", "https://")):
        return None  # mailto:, javascript:, a bare fragment: nothing to fetch
    title = item.get("title") or None
    # the plain dict lookups: feedparser's own maps a missing key to another, with a warning
    stamp = dict.get(item, "published_parsed") or dict.get(item, "updated_parsed")
    day = dt.date(*stamp[:3]) if isinstance(stamp, time.struct_time) else None
    return Entry(link, title.strip() if title else None, day)


def _xml(body: bytes) -> Any:
    try:
        return etree.fromstring(body, _XML)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _sitemap(body: bytes, url: str) -> Parsed:
    root = _xml(body)
    if root is None:
        return Parsed("unknown", error="broken sitemap XML")
    nested, entries = [], []
    for node in root:
        fields = {_local(child.tag): (child.text or "").strip() for child in node}
        if not fields.get("loc"):
            continue
        loc = urljoin(url, fields["loc"])
        if not loc.startswith(("http://", "https://")):
            continue
        if _local(node.tag) == "sitemap":
            nested.append(loc)
        else:
            entries.append(Entry(loc, None, parse_date(fields.get("lastmod", "")[:10] or None)))
    return Parsed("sitemap", entries=entries, feeds=nested)


def _opml(body: bytes, url: str) -> Parsed:
    root = _xml(body)
    if root is None:
        return Parsed("unknown", error="broken OPML")
    feeds = [
        urljoin(url, node.get("xmlUrl").strip())
        for node in root.iter("outline")
        if node.get("xmlUrl")
    ]
    return Parsed("opml", feeds=list(dict.fromkeys(feeds)))


def opml_file(path: str) -> list[str]:
    """Feed URLs of a local OPML file (what feed readers export)."""
    with open(path, "rb") as handle:
        return _opml(handle.read(), "").feeds


def _head(body: bytes) -> Any:
    try:
        return lxml.html.fromstring(body)
    except (etree.ParserError, ValueError):
        return None


def feed_links(body: bytes, url: str) -> list[str]:
    """Feeds a page announces with <link rel="alternate" type="application/rss+xml" ...>."""
    root = _head(body)
    if root is None:
        return []
    found = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().strip()
        if "alternate" in rel and kind in FEED_TYPES and link.get("href"):
            found.append(urljoin(url, link.get("href").strip()))
    return list(dict.fromkeys(found))


def canonical_link(body: bytes, url: str) -> str | None:
    """The page's own <link rel="canonical">, made absolute."""
    root = _head(body)
    if root is None:
        return None
    for link in root.iter("link"):
        if "canonical" in (link.get("rel") or "").lower().split() and link.get("href"):
            return canonical(urljoin(url, link.get("href").strip()))
    return None
