"""Issue 18 over HTTP and in the browser: event groups, a group's reports and sources, stories.

`eventwire serve` runs in a subprocess over a store coded from the samples and part of the
linking dev set (tests/data/linking_dev.jsonl); Chromium is Debian's, driven by Playwright.
"""

from __future__ import annotations

import csv
import io
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
DEV = ROOT / "tests" / "data" / "linking_dev.jsonl"
CHROMIUM = Path("/usr/bin/chromium")
pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _get(base: str, path: str) -> bytes:
    request = urllib.request.Request(base + path, headers={"accept": "application/json"})
    with urllib.request.urlopen(request, timeout=30) as answer:
        body: bytes = answer.read()
        return body


def api(base: str, path: str) -> Any:
    return json.loads(_get(base, path))


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("web18")
    dev = folder / "dev.jsonl"
    lines = [line for line in DEV.read_text("utf-8").splitlines() if line[8:12] < "g011"]
    dev.write_text("\n".join(lines) + "\n", "utf-8")
    db = folder / "web.duckdb"
    inputs = [str(ROOT / "samples" / "corpus.jsonl"), str(dev)]
    assert cli_main(["ingest", *inputs, "--db", str(db), "--jobs", "1"]) == 0
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
    deadline = time.monotonic() + 60
    try:
        while True:
            if server.poll() is not None:
                raise RuntimeError(f"server exited early: {server.communicate()[0]}")
            try:
                _get(base, "/healthz")
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


def test_issue18_events_grouped_counts_groups_and_mentions(base_url: str) -> None:
    plain = api(base_url, "/events.json?type=ASSAULT&limit=5")
    assert "groups" not in plain and len(plain["events"]) == 5  # plain events unchanged
    grouped = api(base_url, "/events.json?type=ASSAULT&grouped=1&limit=500")
    assert grouped == api(base_url, "/groups.json?type=ASSAULT&limit=500")
    assert 0 < grouped["total"] < grouped["mentions"]
    assert grouped["total"] == len(grouped["groups"])
    assert grouped["mentions"] >= plain["total"]  # groups keep their mentions of other types
    big = max(grouped["groups"], key=lambda g: g["n_mentions"])
    assert big["n_sources"] >= 4 and len(big["mention_ids"]) == big["n_mentions"]


def test_issue18_a_group_lists_its_reports_and_sources(base_url: str) -> None:
    groups = api(base_url, "/groups.json?type=ASSAULT&limit=500")["groups"]
    big = max(groups, key=lambda g: g["n_mentions"])
    detail = api(base_url, f"/groups/{big['group_id']}.json")
    assert [m["id"] for m in detail["mentions"]] == big["mention_ids"]
    assert {m["source"] for m in detail["mentions"]} == set(detail["sources"])
    assert detail["n_articles"] == len({m["article_id"] for m in detail["mentions"]})
    for mention in detail["mentions"]:
        event = api(base_url, f"/events/{mention['id']}.json")["event"]
        assert event["article_id"] == mention["article_id"]
    with pytest.raises(urllib.error.HTTPError) as missing:
        _get(base_url, "/groups/nosuchgroup.json")
    assert missing.value.code == 404


def test_issue18_group_exports(base_url: str) -> None:
    import pyarrow.parquet as pq

    listed = api(base_url, "/groups.json?limit=500")
    rows = list(csv.DictReader(io.StringIO(_get(base_url, "/groups.csv").decode("utf-8"))))
    assert len(rows) == listed["total"]
    assert sum(int(r["n_mentions"]) for r in rows) == listed["mentions"]
    table = pq.read_table(io.BytesIO(_get(base_url, "/events.parquet?grouped=1")))
    assert table.num_rows == listed["total"]
    assert table.schema.field("n_mentions").type == "int64"
    lines = _get(base_url, "/groups.jsonl").decode("utf-8").splitlines()
    assert len(lines) == listed["total"]


def test_issue18_stories_thread_groups_among_the_same_parties(base_url: str) -> None:
    stories = api(base_url, "/stories.json")["stories"]
    assert stories
    for story in stories:
        days = [g["date"] for g in story["groups"] if g["date"]]
        assert days == sorted(days) and len(story["groups"]) >= 2
        assert story["story_id"] == story["groups"][0]["group_id"]


@pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("EVENTWIRE_REQUIRE_BROWSER"),
    reason="no /usr/bin/chromium: apt-get install -y chromium (.ci/run does)",
)
def test_issue18_ui_shows_a_group_with_its_reports(base_url: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"]
    errors: list[str] = []
    with sync_api.sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=str(CHROMIUM), args=args)
        page = browser.new_page()
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(f"{base_url}/events?type=ASSAULT")
        page.click("nav a[href='/groups']")
        page.wait_for_url("**/groups")
        total = api(base_url, "/groups.json")
        assert page.inner_text("#total") == f"{total['total']:,}"
        assert page.inner_text("#mentions") == f"{total['mentions']:,}"
        counts = [int(c) for c in page.locator("td.n-mentions").all_inner_texts()]
        row = page.locator("table.groups tbody tr").nth(counts.index(max(counts)))
        with page.expect_navigation():
            row.locator("a").first.click()
        assert "/groups/" in page.url
        reports = page.locator("tr.report")
        assert reports.count() == max(counts)
        sources = set(page.locator("tr.report td.source").all_inner_texts())
        assert len(sources) >= 4 and page.inner_text("#n-sources").startswith(str(len(sources)))
        page.goto(f"{base_url}/stories")
        assert page.locator(".story").count() == len(api(base_url, "/stories.json")["stories"])
        page.goto(f"{base_url}/timeline")
        with page.expect_navigation():
            page.click("a[href='/stories'] >> nth=-1")
        assert page.url.endswith("/stories")
        browser.close()
    assert not errors, errors
