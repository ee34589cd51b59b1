"""`serve --watch`: the watcher runs in the serving process (the store's one writer) and new
articles show in the UI and API without a restart; the Sources page tells each feed's health."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from feedserver import Route, Site, rss
from test_issue19_watch import RSS, pages

WAIT = 180.0  # seconds a round may take on a loaded machine (a deadline, not a measurement)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(url: str, accept: str = "application/json") -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return answer.status, answer.read().decode("utf-8")


def _until(check: Callable[[], Any], server: subprocess.Popen[str]) -> Any:
    """Poll `check` until it returns something true, or fail after WAIT seconds."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        assert server.poll() is None, "the server exited"
        try:
            found = check()
        except OSError:
            found = None
        if found:
            return found
        time.sleep(0.2)
    raise AssertionError("the watcher did not get there in time")


@pytest.fixture
def site() -> Iterator[Site]:
    server = Site().start()
    server.set("/robots.txt", Route(b"User-agent: *\nAllow: /\n", content_type="text/plain"))
    yield server
    server.stop()


def _sources(base: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(_get(f"{base}/sources.json")[1])
    return data


@pytest.mark.slow
def test_issue19_serve_watch_shows_new_articles_without_a_restart(
    site: Site, tmp_path: Path
) -> None:
    db, port = str(tmp_path / "s.duckdb"), _free_port()
    items = pages(site, 2)
    site.set("/feed.xml", Route(rss("Courier", items), content_type=RSS, etag='"1"'))
    site.set("/gone.xml", Route(b"", status=410))
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    args = ["serve", "--db", db, "--port", str(port), "--host-delay", "0", "--watch-every", "1s"]
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "eventwire",
            *args,
            "--watch",
            site.url("/feed.xml"),
            site.url("/gone.xml"),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:

        def coded(n: int) -> Callable[[], Any]:
            return lambda: any(f["articles"] == n for f in _sources(base)["feeds"])

        _until(coded(2), server)
        first = json.loads(_get(f"{base}/events.json")[1])["total"]
        assert first > 0
        site.set(
            "/feed.xml",
            Route(rss("Courier", pages(site, 1, start=2) + items), content_type=RSS, etag='"2"'),
        )
        _until(coded(3), server)
        assert json.loads(_get(f"{base}/events.json")[1])["total"] > first
        data = _sources(base)
        status = {f["url"]: f["status"] for f in data["feeds"]}
        assert status[site.url("/gone.xml")] == "dead" and data["dead"] == 1
        assert data["watching"]["rounds"] >= 2
        code, page = _get(f"{base}/sources", accept="text/html")
        assert code == 200 and "410 Gone" in page and "Courier" in page
        assert 'href="/sources" class="on"' in page
    finally:
        server.terminate()
        _, err = server.communicate(timeout=120)
    assert server.returncode == 0, err
    assert "round 1: feeds polled 2" in err


@pytest.mark.slow
def test_issue19_ingest_beside_a_watching_server_goes_through_it(
    site: Site, tmp_path: Path
) -> None:
    db, port = str(tmp_path / "s.duckdb"), _free_port()
    site.set("/feed.xml", Route(rss("Courier", pages(site, 1)), content_type=RSS, etag='"1"'))
    env = {**os.environ, "EVENTWIRE_TOKEN": "s3cret"}
    args = ["serve", "--db", db, "--port", str(port), "--host-delay", "0", "--watch-every", "1h"]
    server = subprocess.Popen(
        [sys.executable, "-m", "eventwire", *args, "--watch", site.url("/feed.xml")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    texts = str(Path(__file__).resolve().parents[1] / "samples" / "text")
    try:
        _until(lambda: any(f["articles"] == 1 for f in _sources(base)["feeds"]), server)
        ingest = [sys.executable, "-m", "eventwire", "ingest", texts]
        direct = subprocess.run(
            [*ingest, "--db", db], capture_output=True, text=True, env=env, check=False
        )
        assert direct.returncode == 1 and "serve --watch" in direct.stderr
        sent = subprocess.run(
            [*ingest, "--server", base], capture_output=True, text=True, env=env, check=False
        )
        assert sent.returncode == 0, sent.stderr
        assert "stored: 11, already: 1" in sent.stdout  # the feed's page is a sample text
        again = subprocess.run(
            [*ingest, "--server", base], capture_output=True, text=True, env=env, check=False
        )
        assert "stored: 0, already: 12" in again.stdout
        no_token = {k: v for k, v in env.items() if k != "EVENTWIRE_TOKEN"}
        refused = subprocess.run(
            [*ingest, "--server", base], capture_output=True, text=True, env=no_token, check=False
        )
        assert refused.returncode == 1 and "401" in refused.stderr
        assert json.loads(_get(f"{base}/articles.json")[1])["total"] == 12
    finally:
        server.terminate()
        _, err = server.communicate(timeout=120)
    assert server.returncode == 0, err
