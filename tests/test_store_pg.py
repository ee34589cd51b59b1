"""What only a shared PostgreSQL store has to get right: racing writers, threads, big exports.

The rest of the store's behaviour is tested on both back-ends in tests/test_store.py.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from eventwire.cli import main
from eventwire.records import Actor, Article, Event
from eventwire.store import StoreError, open_store
from eventwire.store.base import EventFilter, Store
from eventwire.store.postgres_store import PostgresStore
from test_store import _event, _proposal, _spans, corpus

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def _numbered(n: int) -> list[tuple[Article, list[Event]]]:
    """n distinct one-event articles."""
    out = []
    for i in range(n):
        text = f"Envoys of country {i} met with the mayor of town {i}."
        envoys = Actor(f"Envoys of country {i}", None, "FRA", "GOV")
        out.append(
            (Article(f"n{i}", text), [_event(text, "CONSULT", "met with", [envoys], [], None)])
        )
    return out


def _together(*jobs: Callable[[], Any]) -> list[Any]:
    """Run callables in threads released at the same instant; re-raise the first failure."""
    barrier = threading.Barrier(len(jobs))
    results: list[Any] = [None] * len(jobs)
    errors: list[BaseException] = []

    def run(i: int, job: Callable[[], Any]) -> None:
        barrier.wait()
        try:
            results[i] = job()
        except BaseException as exc:  # reported in the main thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i, j)) for i, j in enumerate(jobs)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    if errors:
        raise errors[0]
    return results


def test_racing_writers_keep_one_copy(pg_schema_url: str) -> None:
    """Two ingesters buffer the same articles (in opposite orders) and commit at once."""
    articles = _numbered(400)
    first, second = _together(
        lambda: open_store(pg_schema_url, batch_size=1000),  # both create the tables
        lambda: open_store(pg_schema_url, batch_size=1000),
    )
    try:
        for start in range(0, 400, 80):  # five races: opposite lock orders would deadlock
            batch = articles[start : start + 80]
            for store, ordered in ((first, batch), (second, batch[::-1])):
                for article, events in ordered:
                    assert store.add_article(article, events, _spans(article))  # not committed
                    store.add_kb_proposals([_proposal(f"Person {article.id}", article.id)])
            _together(first.flush, second.flush)
    finally:
        first.close()
        second.close()
    with open_store(pg_schema_url, read_only=True) as store:
        assert store.counts() == {
            "articles": 400,
            "sentences": 400,
            "events": 400,
            "actors": 400,
            "skipped": 0,
        }
        assert len({r["id"] for r in store.events()}) == 400
        assert len(store.kb_proposals()) == 400  # the loser's proposals went with its articles


def test_threads_read_in_parallel_while_one_writes(pg_schema_url: str) -> None:
    with open_store(pg_schema_url) as store:
        for article, events in corpus():
            store.add_article(article, events, _spans(article))
        store.flush()
        expected = list(store.events())

        def reads() -> bool:
            return all(
                list(store.events()) == expected
                and store.events_by_type(EventFilter(country="SDN")) == {"ASSAULT": 1}
                for _ in range(20)
            )

        assert all(_together(*[reads] * 6))
        assert isinstance(store, PostgresStore) and len(store._readers.opened) <= 6


def test_big_exports_stream_through_a_cursor(pg_schema_url: str) -> None:
    articles = _numbered(2600)
    with open_store(pg_schema_url, batch_size=1000) as store:
        for article, events in articles:
            store.add_article(article, events, _spans(article))
        stream = store.events()  # no limit: a server-side cursor, 1000 rows a fetch
        ids = []
        for i, record in enumerate(stream):
            ids.append(record["article_id"])
            if i == 1500:  # other reads go on while the cursor is open
                assert store.counts()["events"] == 2600
        assert ids == [a.id for a, _ in articles]
        assert [r["article_id"] for r in store.events(EventFilter(limit=3))] == ["n0", "n1", "n2"]


def test_open_errors_are_clear_and_hide_the_password(pg_schema_url: str) -> None:
    with pytest.raises(FileNotFoundError, match="eventwire ingest"):
        open_store(pg_schema_url, read_only=True)  # no tables yet
    with pytest.raises(StoreError, match="cannot open the database") as caught:
        open_store("postgresql://ew:s3cret@127.0.0.1:1/nowhere?connect_timeout=3")
    assert "s3cret" not in str(caught.value) and "ew:***@127.0.0.1:1" in str(caught.value)
    with pytest.raises(StoreError) as caught:
        open_store("postgresql://127.0.0.1:1/db?password=s3cret&connect_timeout=3")
    assert "s3cret" not in str(caught.value) and "?password=***&" in str(caught.value)
    with open_store(pg_schema_url) as store:
        assert store.url == pg_schema_url  # no password in it to hide


@pytest.mark.slow
def test_two_concurrent_cli_ingests_leave_one_copy(pg_schema_url: str) -> None:
    inputs = [str(SAMPLES / "text"), str(SAMPLES / "html"), str(SAMPLES / "corpus.jsonl")]
    command = [sys.executable, "-m", "eventwire", "ingest", *inputs, "--db", pg_schema_url]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    runs = [subprocess.Popen([*command, "--jobs", "1"], env=env, stdout=subprocess.PIPE, text=True)]
    runs.append(
        subprocess.Popen([*command, "--jobs", "1"], env=env, stdout=subprocess.PIPE, text=True)
    )
    outs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outs
    with open_store(pg_schema_url, read_only=True) as store:
        once = store.counts()
    assert once["articles"] == 26 and once["events"] > 0
    done = subprocess.run([*command, "--jobs", "1"], env=env, capture_output=True, text=True)
    assert "coded: 0" in done.stdout and "already stored: 26" in done.stdout
    with open_store(pg_schema_url, read_only=True) as store:
        assert store.counts() == once


def _rounded(value: Any) -> Any:
    """Averages of coordinates may differ in the last bits between engines."""
    if isinstance(value, float):
        return round(value, 6)
    if isinstance(value, dict):
        return {k: _rounded(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_rounded(v) for v in value]
    return value


def _web_reads(store: Store) -> dict[str, Any]:
    """Every read the web API makes, over one data set."""
    some = EventFilter(type="CONSULT", limit=5, sort="-date")
    first = store.event_page(EventFilter(limit=1))[0]
    actor = store.actor_list(limit=1)[0]["key"]
    return {
        "page": store.event_page(some),
        "page2": store.event_page(EventFilter(limit=7, offset=3, sort="confidence")),
        "stream": list(store.event_stream(EventFilter(country="USA"))),
        "count": store.count_events(EventFilter(mode="visit")),
        "record": store.event_record(first["id"]),
        "articles": store.article_list(limit=100),
        "n_articles": store.count_articles("a"),
        "article": store.article_detail(first["article_id"]),
        "actors": store.actor_list(limit=200),
        "actors_q": store.actor_list(q="pres"),
        "profile": store.actor_profile(actor),
        "places": store.place_list(),
        "stats": store.event_stats(),
        "stats_week": store.event_stats(EventFilter(date_from=date(2024, 1, 1)), bucket="week"),
        "network": store.actor_network(),
    }


@pytest.fixture(scope="module")
def filled(pg_module_url: str, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """The samples (with bad inputs) ingested by the CLI into each back-end, plus corpus()."""
    inputs = [str(SAMPLES / n) for n in ("text", "html", "corpus.jsonl", "bad")]
    urls = [str(tmp_path_factory.mktemp("filled") / "filled.duckdb"), pg_module_url]
    for db in urls:
        assert main(["ingest", *inputs, "--db", db, "--jobs", "1", "--date", "2024-10-01"]) == 0
        with open_store(db) as store:
            for article, events in corpus():
                store.add_article(article, events, _spans(article))
    return urls


def test_cli_output_is_identical_on_both_backends(
    filled: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    outputs: list[object] = []
    for db in filled:
        assert main(["events", "--db", db, "--format", "jsonl"]) == 0
        outputs.append(capsys.readouterr().out)
        assert main(["events", "--db", db, "--format", "csv", "--type", "CONSULT"]) == 0
        outputs.append(capsys.readouterr().out)
        with open_store(db, read_only=True) as store:
            outputs.append((store.counts(), store.skipped_reasons()))
    assert all(outputs[:3]) and outputs[:3] == outputs[3:]  # same records, bytes and order


def test_web_reads_agree_with_duckdb(filled: list[str]) -> None:
    results = []
    for db in filled:
        with open_store(db, read_only=True) as store:
            results.append(_web_reads(store))
    for result in results:
        result["article"].pop("ingested_at")  # the one thing that differs: when
    duck, pg = (_rounded(r) for r in results)
    for key in duck:
        assert pg[key] == duck[key], key
    assert duck["page"] and duck["stream"] and duck["profile"] and duck["network"]["edges"]


def test_a_team_member_without_create_rights_can_ingest(pg_schema_url: str) -> None:
    """Once the tables exist, writers need table rights only (PG 15: no CREATE on schemas)."""
    import psycopg

    if "//postgres@" not in pg_schema_url:
        pytest.skip("needs the test server's superuser to create a role")
    with open_store(pg_schema_url):
        pass  # the owner creates the tables
    role = f"analyst_{os.getpid()}"
    schema = pg_schema_url.rsplit("%3D", 1)[1]
    grants = [
        f"CREATE ROLE {role} LOGIN",
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
    ]
    with psycopg.connect(pg_schema_url, autocommit=True) as con:
        for sql in grants:
            con.execute(sql)
    try:
        with open_store(pg_schema_url.replace("//postgres@", f"//{role}@", 1)) as store:
            for article, events in corpus():
                assert store.add_article(article, events, _spans(article))
            assert store.counts()["articles"] == 3
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                store._con.execute("CREATE TABLE intruder (x int)")  # type: ignore[attr-defined]
    finally:
        with psycopg.connect(pg_schema_url, autocommit=True) as con:
            con.execute(f"DROP OWNED BY {role}")
            con.execute(f"DROP ROLE {role}")


def test_a_dropped_reader_connection_is_replaced(pg_schema_url: str) -> None:
    import psycopg

    with open_store(pg_schema_url) as store:
        article, events = corpus()[0]
        store.add_article(article, events, _spans(article))
        assert store.counts()["articles"] == 1
        assert isinstance(store, PostgresStore) and len(store._readers.opened) == 1
        with psycopg.connect(pg_schema_url, autocommit=True) as admin:  # e.g. a server restart
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = %s",
                [store._readers.opened[0].info.backend_pid],
            )
        with pytest.raises(StoreError):
            store.counts()  # the query that finds the connection gone fails ...
        assert store.counts()["articles"] == 1  # ... and the next one gets a new connection
