"""A news site on 127.0.0.1 for the watcher's tests, benchmark and README demo.

Routes are set from Python (feeds, pages, robots.txt, redirects, slow, oversized and broken
responses); ETag and Last-Modified are answered with 304 as a real server does, and every
request is logged so a test can say what was fetched. Run it to watch a demo feed:

    .venv/bin/python tests/feedserver.py --port 8765
"""

from __future__ import annotations

import argparse
import html
import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"


@dataclass
class Route:
    """What one path answers."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    etag: str | None = None
    last_modified: str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (a slow server)


@dataclass
class Hit:
    path: str
    headers: dict[str, str]
    status: int


class Site:
    """The routes and the request log, shared by the server's threads."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.log: list[Hit] = []
        self.lock = threading.Lock()
        self.server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def set(self, path: str, route: Route) -> None:
        with self.lock:
            self.routes[path] = route

    def hits(self, prefix: str = "") -> list[Hit]:
        with self.lock:
            return [h for h in self.log if h.path.startswith(prefix)]

    def clear_log(self) -> None:
        with self.lock:
            self.log.clear()

    def start(self, port: int = 0) -> Site:
        self.server = ThreadingHTTPServer(("127.0.0.1", port), _handler(self))
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def _handler(site: Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server name
            with site.lock:
                route = site.routes.get(self.path.split("#", 1)[0])
            status = self._answer(route)
            with site.lock:
                headers = {k.lower(): v for k, v in self.headers.items()}
                site.log.append(Hit(self.path, headers, status))

        def _answer(self, route: Route | None) -> int:
            if route is None:
                self._send(404, b"not found", "text/plain", {})
                return 404
            if route.delay:
                time.sleep(route.delay)
            if route.status == 200 and self._fresh(route):
                self._send(304, b"", None, self._validators(route))
                return 304
            headers = {**self._validators(route), **route.headers}
            self._send(route.status, route.body, route.content_type, headers)
            return route.status

        def _fresh(self, route: Route) -> bool:
            tag, since = self.headers.get("If-None-Match"), self.headers.get("If-Modified-Since")
            if route.etag and tag:
                return tag == route.etag
            return bool(route.last_modified and since and since == route.last_modified)

        def _validators(self, route: Route) -> dict[str, str]:
            out = {}
            if route.etag:
                out["ETag"] = route.etag
            if route.last_modified:
                out["Last-Modified"] = route.last_modified
            return out

        def _send(self, status: int, body: bytes, ctype: str | None, headers: dict) -> None:
            try:
                self.send_response(status)
                if ctype:
                    self.send_header("Content-Type", ctype)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if status != 304:
                    self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (a timeout or a size cap): what the test wants

        def log_message(self, format: str, *args: object) -> None:
            pass

    return Handler


# --- content -------------------------------------------------------------------------------


def article_html(title: str, text: str, canonical: str | None = None) -> bytes:
    """A news page around a text: headline, paragraphs, page furniture."""
    link = f'<link rel="canonical" href="{html.escape(canonical)}">' if canonical else ""
    paras = "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n") if p.strip())
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"{link}</head><body><nav><a href='/'>Home</a></nav><article><h1>{html.escape(title)}"
        f"</h1>{paras}</article><footer>Harbour Street Courier</footer></body></html>"
    ).encode()


def rss(title: str, items: list[tuple[str, str, str]]) -> bytes:
    """An RSS 2.0 feed of (title, link, RFC 822 date) items."""
    entries = "".join(
        f"<item><title>{html.escape(t)}</title><link>{html.escape(link)}</link>"
        f"<guid>{html.escape(link)}</guid><pubDate>{d}</pubDate></item>"
        for t, link, d in items
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>{html.escape(title)}</title><link>http://127.0.0.1/</link>"
        f"<description>test feed</description>{entries}</channel></rss>"
    ).encode()


def sample_texts() -> list[tuple[str, str]]:
    """(slug, text) of the bundled sample articles."""
    return [(p.stem, p.read_text(encoding="utf-8")) for p in sorted(SAMPLES.glob("text/*.txt"))]


def demo(site: Site) -> str:
    """A feed of the sample articles with their pages; returns the feed's URL."""
    stamp = formatdate(usegmt=True)
    items = []
    for i, (slug, text) in enumerate(sample_texts()):
        path = f"/news/{slug}.html"
        title = slug.replace("-", " ").capitalize()
        site.set(path, Route(article_html(title, text)))
        items.append((title, site.url(path), formatdate(time.time() - 3600 * i, usegmt=True)))
    site.set("/robots.txt", Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    feed = rss("Harbour Street Courier", items)
    route = Route(feed, content_type="application/rss+xml", etag='"demo-1"', last_modified=stamp)
    site.set("/feed.xml", route)
    return site.url("/feed.xml")


def main() -> None:
    parser = argparse.ArgumentParser(description="a local news site with one demo feed")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    site = Site().start(args.port)
    print(f"feed: {demo(site)}  (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        site.stop()


if __name__ == "__main__":
    main()
