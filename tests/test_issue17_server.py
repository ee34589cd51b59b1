"""A hardened server (issue 17), tried over real HTTP on 127.0.0.1: hostile bodies get the
API's JSON error shape, never a 500; every page carries the security headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventwire.serve.app import create_app
from eventwire.store import open_store
from live_server import serving

AUTH = {"Authorization": "Bearer t0ken", "Content-Type": "application/json"}


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    path: Path = tmp_path_factory.mktemp("srv") / "s.duckdb"
    store = open_store(path)
    with serving(create_app(store, token="t0ken")) as url:
        yield url
    store.close()


def test_issue17_a_body_nested_100000_deep_is_refused_not_a_500(base_url: str) -> None:
    body = "[" * 100_000 + "]" * 100_000
    r = httpx.post(f"{base_url}/api/articles", content=body, headers=AUTH, timeout=30)
    assert r.status_code == 422
    assert r.json()["error"] == "invalid request"
    assert "nested" in r.json()["message"]


def test_issue17_a_lone_surrogate_is_refused_not_a_500(base_url: str) -> None:
    body = '{"text": "Envoys met in Bern \\ud800 on Monday."}'
    r = httpx.post(f"{base_url}/api/articles", content=body, headers=AUTH, timeout=30)
    assert r.status_code == 422
    assert "surrogate" in r.json()["message"]


def test_issue17_an_oversized_body_is_413(base_url: str) -> None:
    body = b'{"text": "' + b"a" * 60_000_000 + b'"}'
    r = httpx.post(f"{base_url}/api/articles", content=body, headers=AUTH, timeout=60)
    assert r.status_code == 413


@pytest.mark.parametrize("path", ["/", "/events", "/events.json", "/stats", "/static/app.js"])
def test_issue17_every_response_carries_the_security_headers(base_url: str, path: str) -> None:
    r = httpx.get(f"{base_url}{path}", timeout=30)
    assert r.status_code == 200
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer"


def test_issue17_pages_hold_no_inline_script_or_style(base_url: str) -> None:
    """The CSP allows no inline code, so the pages must carry none (data blocks are JSON)."""
    for path in ("/", "/events", "/stats", "/actors", "/timeline", "/code"):
        html = httpx.get(f"{base_url}{path}", timeout=30).text
        assert 'style="' not in html, path
        assert "<script>" not in html and "onclick=" not in html, path
