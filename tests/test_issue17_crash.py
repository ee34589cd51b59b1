"""Crash safety (issue 17): `eventwire ingest` killed with SIGKILL at random points, five
times, then run to the end, leaves the store a clean run leaves: the same articles,
sentences, events, parties, skips and event groups, nothing twice, and a file that opens
read-only at once (no repair step, no migration)."""

from __future__ import annotations

import json
import os
import random
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventwire.store import open_store

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
KILLS = 5
DAYS = 7
PROGRESS = re.compile(rb"(\d+) articles \[")  # tqdm: "150 articles [00:05, 27.3 articles/s]"
# small write batches: a run commits many times, so a kill can land between any two
ENV = {**os.environ, "EVENTWIRE_BATCH": "8"}
TABLES = {
    "articles": "SELECT article_id, hash, title, date, url, source, origin, text, encoding"
    " FROM articles",
    "sentences": "SELECT article_hash, idx, start_char, end_char FROM sentences",
    "events": "SELECT id, article_hash, seq, type, record FROM events",
    "actors": "SELECT event_id, role, position, name, code FROM actors",
    "skipped": "SELECT article_id, origin, reason FROM skipped",
    "link_copies": "SELECT article_hash, copy_group FROM link_copies",
    "link_events": "SELECT event_id, group_id, copy_group FROM link_events",
}
UNIQUE = {"articles": "hash", "events": "id", "link_events": "event_id"}


def _corpus(tmp_path: Path) -> list[str]:
    """About 140 distinct articles (the samples, told again on each of DAYS days), bad lines."""
    records = [json.loads(line) for line in (SAMPLES / "corpus.jsonl").open()]
    texts = [r["text"] for r in records if r.get("text")]
    texts += [p.read_text(encoding="utf-8") for p in sorted((SAMPLES / "text").glob("*.txt"))]
    lines = []
    for day in range(1, DAYS + 1):
        for n, text in enumerate(texts):
            text = f"Dispatch {day}-{n}. {text}"
            record = {"id": f"d{day}-{n}", "date": f"2024-03-{day:02d}", "text": text}
            lines.append(json.dumps(record))
        lines.append(f'{{"id": "broken-{day}", "text": ')  # a skip every day
    path = tmp_path / "corpus.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(path), str(SAMPLES / "html"), str(SAMPLES / "bad")]


def _ingest(inputs: list[str], db: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "eventwire", "ingest", *inputs, "--db", str(db)]
    return subprocess.Popen(
        [*command, "--progress"],
        env=ENV,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its worker processes die with it
    )


def _kill_after(process: subprocess.Popen[bytes], items: int) -> int:
    """SIGKILL the run (and its workers) once its progress bar has passed `items` inputs."""
    assert process.stderr is not None
    seen, tail = 0, b""
    while seen < items:
        chunk = os.read(process.stderr.fileno(), 4096)
        if not chunk:  # finished first
            break
        tail = (tail + chunk)[-256:]
        counts = PROGRESS.findall(tail)
        seen = int(counts[-1]) if counts else seen
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=60)
    process.stderr.close()
    return seen


def _run_to_end(inputs: list[str], db: Path) -> None:
    process = _ingest(inputs, db)
    _kill_after(process, 10**9)
    assert process.returncode == 0


def _snapshot(db: Path) -> dict[str, Any]:
    """Every table's rows as sorted lists, after checking nothing is stored twice."""
    with open_store(db, read_only=True) as store:
        for table, key in UNIQUE.items():
            (dupes,) = store.fetch(f"SELECT count(*) - count(DISTINCT {key}) FROM {table}", [])[0]
            assert dupes == 0, f"{dupes} duplicate {key} in {table}"
        return {table: sorted(map(repr, store.fetch(sql, []))) for table, sql in TABLES.items()}


@pytest.mark.slow
def test_issue17_ingest_killed_five_times_then_finished_equals_a_clean_run(
    tmp_path: Path,
) -> None:
    inputs = _corpus(tmp_path)
    clean_db = tmp_path / "clean.duckdb"
    _run_to_end(inputs, clean_db)
    expected = _snapshot(clean_db)
    n_items = len(expected["articles"]) + len(expected["skipped"])
    assert len(expected["articles"]) > 100 and len(expected["skipped"]) >= DAYS

    crashed_db = tmp_path / "crashed.duckdb"
    chance = random.Random(17)  # the same points every run: kills at 5-95 % of the input
    points = sorted(int(chance.uniform(0.05, 0.95) * n_items) for _ in range(KILLS))
    stored = []
    for point in points:
        _kill_after(_ingest(inputs, crashed_db), point)
        with open_store(crashed_db, read_only=True) as store:  # opens as it is, every time
            stored.append(store.counts()["articles"])
    assert 0 < stored[-1] < len(expected["articles"]), stored  # it did stop part-way
    _run_to_end(inputs, crashed_db)
    assert _snapshot(crashed_db) == expected
    print(f"killed at inputs {points} of {n_items}; articles stored then: {stored}")
