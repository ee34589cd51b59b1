"""Throughput under concurrency (issue 17): `serve` reads on a process per core (one writer
when writes are on), and kept answers (serve/cache.py) never outlive a write: ours at once,
another process's on PostgreSQL within a second. Speed itself is measured by
benchmarks/serve_bench.py, never asserted here."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import uvicorn

from eventwire.ingest import article_from_text
from eventwire.records import Article, Event
from eventwire.runner import code_chunk, default_loader
from eventwire.serve.app import create_app
from eventwire.serve.cli import workers
from eventwire.store import open_store

TOKEN = "thr0ughput"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
SAMPLES = Path(__file__).resolve().parents[1] / "samples"
STORY = "Israel launched an attack against Hamas in Gaza on Monday, officials said."


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _events(base: str) -> int:
    reply = httpx.get(f"{base}/stats.json", timeout=30)
    assert reply.status_code == 200
    return int(reply.json()["total"])


def _article(text: str) -> tuple[Article, list[Event], list[tuple[int, int]]]:
    """An article coded by the real model, ready for Store.add_article."""
    article = article_from_text(text, id=f"t-{len(text)}", date="2024-08-19")
    (result,) = code_chunk(default_loader(None), [article])
    assert not isinstance(result, str)
    return article, result[0], result[1]


def test_issue17_a_write_through_the_server_clears_kept_answers(tmp_path: Path) -> None:
    store = open_store(tmp_path / "rw.duckdb")
    store.add_article(*_article(STORY))
    store.flush()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(store, token=TOKEN), host="127.0.0.1", port=port)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        before = _events(base)
        assert before >= 1
        # behind the server's back (no process but the server may write this file): the
        # kept answer is what the server gives, which shows the fast path is taken
        store.add_article(*_article("Russia accused Ukraine of shelling Kherson on Friday."))
        store.flush()
        assert _events(base) == before
        posted = httpx.post(
            f"{base}/api/articles",
            json={"text": "Police fired tear gas at protesters in Nairobi on Tuesday."},
            headers=AUTH,
            timeout=120,
        )
        assert posted.status_code == 200 and posted.json()["stored"] == 1
        after = _events(base)
        assert after >= before + 2  # both new articles' events: every kept answer went
        assert httpx.get(f"{base}/events.json", timeout=30).json()["total"] == after
    finally:
        server.should_exit = True
        thread.join(10)
        store.close()


def test_issue17_postgres_answers_follow_another_process_writes(pg_schema_url: str) -> None:
    with open_store(pg_schema_url) as writer:
        writer.add_article(*_article(STORY))
    reader = open_store(pg_schema_url, read_only=True)
    port = _free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(reader), host="127.0.0.1", port=port))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    try:
        before = _events(base)
        assert _events(base) == before  # kept
        with open_store(pg_schema_url) as writer:  # another writer, as `ingest` elsewhere
            writer.add_article(*_article("Russia accused Ukraine of shelling Kherson."))
        deadline = time.monotonic() + 30  # the server looks at most once a second
        while _events(base) == before and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _events(base) > before
    finally:
        server.should_exit = True
        thread.join(10)
        reader.close()


def test_issue17_how_many_processes_serve() -> None:
    cores = os.cpu_count() or 1
    assert workers(None, writable=False, db="x.duckdb") == cores
    assert workers(3, writable=False, db="x.duckdb") == 3
    assert workers(None, writable=True, db="x.duckdb") == 1  # a single writer
    assert isinstance(workers(2, writable=True, db="x.duckdb"), str)
    assert workers(None, writable=False, db=":memory:") == 1


def _children(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(p) for p in found]


def test_issue17_serve_reads_on_a_process_per_core(tmp_path: Path) -> None:
    db = tmp_path / "samples.duckdb"
    ingest = [sys.executable, "-m", "eventwire", "ingest", str(SAMPLES / "text"), "--db", str(db)]
    subprocess.run(ingest, check=True, stdout=subprocess.DEVNULL)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}
    command = [sys.executable, "-m", "eventwire", "serve", "--db", str(db), "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", "2"], env=env, stderr=subprocess.PIPE, text=True
    )
    try:
        assert process.stderr is not None
        assert "read-only, 2 processes" in process.stderr.readline()
        deadline = time.monotonic() + 60
        answers: list[int] = []
        while time.monotonic() < deadline and len(answers) < 20:
            try:
                answers.append(httpx.get(f"http://127.0.0.1:{port}/events.json").status_code)
            except httpx.TransportError:
                time.sleep(0.2)
        assert answers == [200] * 20
        assert len(_children(process.pid)) >= 2  # both workers, each on its own connection
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(30)
    refused = subprocess.run(
        [*command, "--workers", "2"],
        env={**env, "EVENTWIRE_TOKEN": "x"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert refused.returncode == 2 and "single process" in refused.stderr
    missing = [*command[:4], "--db", str(tmp_path / "none.duckdb"), "--workers", "2"]
    failed = subprocess.run(missing, env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1 and "no database" in failed.stderr  # once, not per worker
