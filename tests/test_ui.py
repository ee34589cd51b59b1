"""End-to-end UI tests: `eventwire serve` in a subprocess, driven by headless Chromium.

Debian's /usr/bin/chromium is driven by Playwright for Python (its wheel bundles the driver;
no browser is ever downloaded). Screenshots go to test-artifacts/.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwire.cli import main as cli_main

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SAMPLE_INPUTS = [
    ROOT / "samples" / "corpus.jsonl",
    ROOT / "samples" / "text" / "blinken-cairo-visit.txt",
    ROOT / "samples" / "text" / "tbilisi-protests.txt",
]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists() and not os.environ.get("EVENTWIRE_REQUIRE_BROWSER"),
        reason="no /usr/bin/chromium: apt-get install -y chromium chromium-driver (.ci/run does)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_until_up(base: str, server: subprocess.Popen[str], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"server exited early: {server.communicate()[0]}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("server did not start in time")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`eventwire serve` over a freshly coded sample database, on a free port."""
    db = tmp_path_factory.mktemp("ui") / "ui.duckdb"
    assert cli_main(["ingest", *map(str, SAMPLE_INPUTS), "--db", str(db), "--jobs", "1"]) == 0
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    server = subprocess.Popen(
        [sys.executable, "-m", "eventwire", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, server)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    with sync_api.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


class Watched:
    """A page plus everything it complained about or fetched from elsewhere."""

    def __init__(self, page: Any, base: str) -> None:
        self.page = page
        self.errors: list[str] = []
        self.foreign: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: self.errors.append(f"console: {msg.text}") if msg.type == "error" else None,
        )
        page.on(
            "request",
            lambda req: (
                None
                if req.url.startswith((base, "data:", "about:"))
                else self.foreign.append(req.url)
            ),
        )

    def check(self) -> None:
        assert not self.errors, self.errors
        assert not self.foreign, f"the UI fetched from the network: {self.foreign}"


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Watched]:
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    watched = Watched(context.new_page(), base_url)
    yield watched
    context.close()
    watched.check()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.evaluate("window.scrollTo(0, 0)")  # the sticky header stays on top of the shot
    page.screenshot(path=str(ARTIFACTS / f"ui-{name}.png"), full_page=True)


def api(base: str, path: str) -> Any:
    request = urllib.request.Request(base + path, headers={"accept": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.load(answer)


def test_search_with_a_filter(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/events")
    p.select_option("select[name=type]", "CONSULT")
    p.fill("input[name=actor]", "blinken")
    with p.expect_navigation():
        p.click("form.filters button[type=submit]")
    assert "type=CONSULT" in p.url and "actor=blinken" in p.url
    assert "country=" not in p.url  # blank fields are not sent
    expected = api(base_url, "/events?type=CONSULT&actor=blinken")["total"]
    assert expected >= 1
    assert p.inner_text("#total") == str(expected)
    badges = p.locator("table.events tbody .badge").all_inner_texts()
    assert len(badges) == expected and set(badges) == {"CONSULT"}
    shot(p, "events-search")


def test_open_an_article_and_see_highlights(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/events?actor=blinken")
    with p.expect_navigation():
        p.locator("table.events tbody tr td:last-child a").first.click()
    assert "/articles/" in p.url
    detail = api(base_url, "/articles/blinken-cairo-visit")
    assert p.locator(".ev").count() == len(detail["events"])
    for kind in ("trigger", "actor", "recipient", "place", "date"):
        assert p.locator(f"mark.hl-{kind}").count() > 0, kind
    triggers = p.locator("mark.hl-trigger").all_inner_texts()
    assert detail["events"][0]["trigger"] in " ".join(triggers)
    card = p.locator(".ev").first
    card.hover()
    lit = p.locator("mark.lit")
    assert lit.count() > 0
    assert card.get_attribute("data-ev") in (lit.first.get_attribute("data-ev") or "")
    shot(p, "article")


def test_open_an_actor(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/articles/blinken-cairo-visit")
    with p.expect_navigation():
        p.locator(".ev .parties a", has_text="Antony Blinken").first.click()
    assert p.inner_text("#actor-name") == "Antony Blinken"
    assert "Secretary of State" in p.inner_text("main")
    assert p.locator("#network g.node").count() >= 2
    assert p.locator("#network path.edge").count() >= 1
    shot(p, "actor")


def test_map_renders_countries_and_places(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/map")
    p.wait_for_selector("#worldmap[data-ready='1']", timeout=10_000)
    assert p.locator("#worldmap path.country").count() > 150
    places = api(base_url, "/map")["places"]
    assert p.locator("#worldmap circle.dot").count() == len(places) > 0
    shaded = p.locator("#worldmap path.country[fill='#1d4e89']").count()
    assert shaded >= 1  # the country with most events gets the darkest shade
    shot(p, "map")


def test_network_renders(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/network")
    graph = api(base_url, "/network")
    assert p.locator("#network g.node").count() == len(graph["nodes"]) > 2
    assert p.locator("#network path.edge").count() == len(graph["edges"])
    box = p.locator("#network g.node circle").first.bounding_box()
    assert box is not None and box["width"] > 0
    shot(p, "network")


def test_timeline_renders_and_filters_by_type(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/timeline")
    bars = p.locator("#timeline rect.bar")
    before = bars.count()
    assert before > 0
    first_type = p.locator("#timeline .chart-legend span[data-type]").first
    hidden = first_type.get_attribute("data-type")
    first_type.click()
    assert p.locator(f"#timeline rect.bar[data-type='{hidden}']").count() == 0
    assert bars.count() < before
    shot(p, "timeline")


def test_code_an_article_on_the_spot(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/code")
    p.click("#code-example")
    p.wait_for_selector("#code-result .article-body", timeout=90_000)
    assert p.locator("#code-result .ev").count() >= 2
    assert p.locator("#code-result mark.hl-trigger").count() >= 2
    assert "event(s)" in p.inner_text("#code-status")
    shot(p, "code")


def test_overview_page(page: Watched, base_url: str) -> None:
    p = page.page
    p.goto(f"{base_url}/")
    assert p.locator(".chart rect.bar").count() > 0
    assert p.locator(".bars .row").count() == len(api(base_url, "/stats")["by_type"])
    shot(p, "overview")
