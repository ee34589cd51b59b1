"""The Spark engine on local[2] (issue 20): records byte-identical to `extract`, skips as
`ingest` has them, reruns (even after a kill) that give the same files, a lake loaded into
DuckDB and PostgreSQL and served. One JVM for the session (tests/conftest.py `spark`)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import httpx
import pyarrow.parquet as pq
import pytest

from eventwire.cli import main
from eventwire.lake import layout
from eventwire.lake.load import load_lake
from eventwire.lake.spark_job import run_spark
from eventwire.store import open_store
from test_issue20_lake import SAMPLES, write_articles_parquet

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Text, HTML, the bad samples and a Parquet of articles (with two bad rows)."""
    folder = tmp_path_factory.mktemp("inputs")
    parquet = write_articles_parquet(folder / "articles.parquet")
    return [str(SAMPLES / name) for name in ("text", "html", "bad")] + [str(parquet)]


@pytest.fixture(scope="module")
def lake(spark: Any, inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("lake") / "lake"
    run_spark(spark, inputs, out)
    return out


def _parquet(path: Path, table: str) -> str:
    return f"read_parquet('{path}/{table}/date=*/batch=*/*.parquet', hive_partitioning = true)"


def _snapshot(out: Path) -> dict[str, Any]:
    """Every partition's one file as rows, and the manifests: what 'the same files' means."""
    tables: dict[str, Any] = {}
    for table in ("events", "articles", "skipped"):
        for directory in sorted((out / table).glob("date=*/batch=*")):
            files = sorted(directory.glob("*.parquet"))
            assert len(files) == 1, directory  # one file per partition
            tables[str(directory.relative_to(out))] = pq.read_table(files[0]).to_pylist()
    return {"tables": tables, "manifests": layout.manifests(out)}


def test_issue20_records_are_byte_identical_to_extract(lake: Path, inputs: list[str]) -> None:
    printed = lake.parent / "extract.jsonl"
    assert main(["extract", *inputs, "--jobs", "1", "-q", "-o", str(printed)]) == 0
    expected = sorted(printed.read_text(encoding="utf-8").splitlines())
    found = duckdb.sql(f"SELECT record FROM {_parquet(lake, 'events')} ORDER BY record")
    assert [r for (r,) in found.fetchall()] == expected and len(expected) > 100


def test_issue20_columns_are_typed_and_partitioned_by_event_date(lake: Path) -> None:
    con = duckdb.connect()
    described = con.sql(f"DESCRIBE SELECT * FROM {_parquet(lake, 'events')}").fetchall()
    types = {name: kind for name, kind, *_ in described}
    assert types["event_date"] == "DATE" and types["quad_code"] == "INTEGER"
    assert types["actor"].startswith("STRUCT(code VARCHAR") and types["actor"].endswith("[]")
    assert types["event_loc"].startswith("STRUCT(extracted_place VARCHAR")
    rows = con.sql(
        f"SELECT date, event_date, actor[1].code, record FROM {_parquet(lake, 'events')}"
    ).fetchall()
    for date, day, code, record in rows:
        parsed = json.loads(record)
        assert date == (day.isoformat() if day else "undated")
        assert parsed["date"] is None or date in (parsed["date"], "undated")
        assert code == (parsed["actor"][0]["code"] if parsed["actor"] else None)
    assert {r[0] for r in rows} >= {"undated", "2025-02-03"}
    manifest = layout.manifests(lake)[0]
    assert manifest["coder"].startswith("eventwire ") and manifest["counts"]["events"] == len(rows)
    assert [i["kind"] for i in manifest["inputs"]] == ["directory"] * 3 + ["file"]


def test_issue20_bad_input_gets_the_statuses_ingest_gives(
    lake: Path, inputs: list[str], tmp_path: Path
) -> None:
    db = tmp_path / "ingest.duckdb"
    assert main(["ingest", *inputs, "--jobs", "1", "--db", str(db), "--no-link"]) == 0
    with duckdb.connect(str(db), read_only=True) as con:
        expected = con.sql("SELECT article_id, origin, reason FROM skipped ORDER BY ALL").fetchall()
    found = duckdb.sql(
        f"SELECT article_id, origin, reason FROM {_parquet(lake, 'skipped')} ORDER BY ALL"
    ).fetchall()
    assert found == expected
    assert ("no-text", f"{inputs[-1]}:9", "empty text") in found  # a Parquet row


def test_issue20_a_rerun_replaces_its_own_files_and_leaves_other_inputs_alone(
    spark: Any, lake: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lake"
    other = [str(SAMPLES / "corpus.jsonl")]
    run_spark(spark, [str(SAMPLES / "text")], out)
    run_spark(spark, other, out)
    first = _snapshot(out)
    run_spark(spark, other, out)
    assert _snapshot(out) == first  # same rows, same partitions, no duplicates
    ids = duckdb.sql(f"SELECT id FROM {_parquet(out, 'events')}").fetchall()
    assert len(ids) == len(set(ids))
    assert len({m["batch"] for m in layout.manifests(out)}) == 2


def test_issue20_a_run_killed_half_way_then_rerun_gives_the_same_files(
    spark: Any, lake: Path, inputs: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "lake"
    command = [sys.executable, "-m", "eventwire", "run", *inputs, "--out", str(out)]
    env = {**os.environ, "SPARK_LOCAL_IP": "127.0.0.1"}
    run = subprocess.Popen([*command, "--master", "local[2]"], env=env, start_new_session=True)
    try:
        deadline = time.monotonic() + 600
        while not (out / "articles").exists() and run.poll() is None:  # events are written
            assert time.monotonic() < deadline
            time.sleep(0.02)
    finally:
        os.killpg(run.pid, signal.SIGKILL)
        run.wait(60)
    assert not (out / layout.MANIFESTS).exists()  # killed before the run was finished
    run_spark(spark, inputs, out)
    assert _snapshot(out) == _snapshot(lake)


def test_issue20_each_worker_loaded_the_pipeline_once(spark: Any, lake: Path) -> None:
    def loads(batches: Any) -> Any:
        import pyarrow as pa

        from eventwire.nlp.pipeline import cached_pipeline

        for _ in batches:
            pass
        row = {"pid": os.getpid(), "loads": cached_pipeline.cache_info().misses}
        yield pa.RecordBatch.from_pylist([row])

    found = spark.range(0, 8, 1, 8).mapInArrow(loads, "pid long, loads long").collect()
    per_worker = {r["pid"]: r["loads"] for r in found}
    assert max(per_worker.values()) == 1  # a worker that coded loaded the pipeline once


def test_issue20_load_lake_into_each_store_then_serve(
    lake: Path, inputs: list[str], store_url: str, tmp_path: Path
) -> None:
    db = tmp_path / "ingest.duckdb"
    assert main(["ingest", *inputs, "--jobs", "1", "--db", str(db), "--no-link"]) == 0
    assert main(["load-lake", str(lake), "--db", store_url]) == 0
    again = load_lake(lake, store_url)  # loading twice adds nothing
    assert (again.articles, again.events, again.skipped, again.already) == (0, 0, 0, 30)
    with open_store(db, read_only=True) as ingested, open_store(store_url) as loaded:
        want = sorted(json.dumps(r, sort_keys=True) for r in ingested.events())
        assert sorted(json.dumps(r, sort_keys=True) for r in loaded.events()) == want
        for table in ("articles", "events", "skipped"):
            assert loaded.counts()[table] == ingested.counts()[table]
    if store_url.endswith(".duckdb"):
        _serve_and_check(store_url, len(want))


def _serve_and_check(db: str, events: int) -> None:
    """`eventwire serve` over the loaded database answers with every event."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    command = [sys.executable, "-m", "eventwire", "serve", "--db", db, "--port", str(port)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/events.json?limit=5", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None
                time.sleep(0.2)
        assert answer.status_code == 200 and answer.json()["total"] == events
    finally:
        server.terminate()
        server.wait(30)
