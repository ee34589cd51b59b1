"""The store on every back-end (DuckDB, PostgreSQL): idempotent ingest, filters, skips, batches.

`store_url` (tests/conftest.py) runs each test once per back-end on an empty store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from eventwire.output import article_records, validate_record
from eventwire.records import Actor, Article, Event, EventDate, Skipped
from eventwire.store import StoreError, open_store
from eventwire.store.base import EventFilter, Store


def _event(
    text: str,
    etype: str,
    trigger: str,
    actors: list[Actor],
    recipients: list[Actor],
    day: str | None,
) -> Event:
    start = text.index(trigger)
    return Event(
        event_type=etype,
        article_id="",
        sentence_index=0,
        sentence_start=0,
        sentence_end=len(text),
        trigger=trigger,
        trigger_start=start,
        trigger_end=start + len(trigger),
        actors=actors,
        recipients=recipients,
        when=EventDate(
            day, precision="day" if day else "unknown", source="article" if day else "none"
        ),
    )


def corpus() -> list[tuple[Article, list[Event]]]:
    """Three small articles with events of three types, countries and dates."""
    t1 = "Chilean President Marta Rios met with Argentine envoys in Santiago."
    t2 = "Rebels shelled the town of Kerem, the army of Sudan said."
    t3 = "Students in Lima protested against the fuel tax."
    chile = Actor("Chilean President Marta Rios", "Marta Rios", "CHL", "GOV", "President")
    envoys = Actor("Argentine envoys", None, "ARG", "GOV")
    rebels = Actor("Rebels", None, "SDN", "REB", resolution="role")
    students = Actor("Students", None, "PER", "EDU", resolution="role")
    return [
        (
            Article("a1", t1, date=date(2024, 5, 1)),
            [_event(t1, "CONSULT", "met with", [chile], [envoys], "2024-05-01")],
        ),
        (
            Article("a2", t2, date=date(2024, 6, 10)),
            [_event(t2, "ASSAULT", "shelled", [rebels], [], "2024-06-09")],
        ),
        (Article("a3", t3), [_event(t3, "PROTEST", "protested", [students], [], None)]),
    ]


def _spans(article: Article) -> list[tuple[int, int]]:
    return [(0, len(article.text))]


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    with open_store(store_url) as s:
        for article, events in corpus():
            assert s.add_article(article, events, _spans(article))
        yield s


def _types(store: Store, **filters: object) -> list[str]:
    return [r["event"][0] for r in store.events(EventFilter(**filters))]  # type: ignore[arg-type]


def test_same_article_twice_adds_nothing(store_url: str) -> None:
    db = store_url
    with open_store(db) as s:
        for article, events in corpus():
            assert s.add_article(article, events, _spans(article)) is True
        article, events = corpus()[0]
        assert s.add_article(article, events, _spans(article)) is False  # still in the buffer
        first = s.counts()
        assert first["articles"] == 3 and first["events"] == 3 and first["sentences"] == 3
        assert s.add_article(article, events, _spans(article)) is False  # now in the table
        assert s.counts() == first
    with open_store(db) as s:  # a later run over the same inputs
        renamed = Article("other-name", article.text)  # same content, another file name
        assert s.has_article(renamed.content_hash)
        assert s.add_article(renamed, events, _spans(renamed)) is False
        assert s.counts() == first


def test_records_round_trip_and_validate(store: Store) -> None:
    stored = list(store.events())
    expected = [rec for article, events in corpus() for rec in article_records(article, events)]
    assert stored == expected  # ingest order, full records
    assert [json.dumps(r) for r in stored] == [json.dumps(r) for r in expected]  # key order too
    for record in stored:
        validate_record(record)


def test_filters(store: Store) -> None:
    assert _types(store) == ["CONSULT", "ASSAULT", "PROTEST"]
    assert _types(store, type="assault") == ["ASSAULT"]
    assert _types(store, actor="marta") == ["CONSULT"]  # canonical name, any case
    assert _types(store, actor="Argentine") == ["CONSULT"]  # recipient surface text
    assert _types(store, actor="nobody") == []
    assert _types(store, country="arg") == ["CONSULT"]  # recipient country counts
    assert _types(store, country="SDN") == ["ASSAULT"]
    assert _types(store, date_from=date(2024, 6, 1)) == ["ASSAULT"]
    assert _types(store, date_to=date(2024, 5, 31)) == ["CONSULT"]
    assert _types(store, date_from=date(2024, 5, 1), date_to=date(2024, 6, 9)) == [
        "CONSULT",
        "ASSAULT",
    ]
    assert _types(store, text="fuel tax") == ["PROTEST"]
    assert _types(store, text="FUEL TAX", type="CONSULT") == []
    assert _types(store, limit=2) == ["CONSULT", "ASSAULT"]
    assert store.events_by_type() == {"ASSAULT": 1, "CONSULT": 1, "PROTEST": 1}
    assert store.events_by_type(EventFilter(country="CHL")) == {"CONSULT": 1}


def test_filters_are_parameters_not_sql(store: Store) -> None:
    assert _types(store, text="'; DROP TABLE events; --") == []
    assert _types(store, actor="%") == []  # LIKE wildcards are plain characters
    assert store.counts()["events"] == 3


def test_skipped_inputs_are_kept_with_their_reason(store_url: str) -> None:
    db = store_url
    with open_store(db) as s:
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))
        s.add_skipped(Skipped("x.bin", "binary content (NUL bytes)", "x.bin"))
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))  # same again
    with open_store(db) as s:
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))  # next run
        assert s.skipped_reasons() == {"binary content (NUL bytes)": 1, "empty input": 1}
        assert s.counts()["skipped"] == 2


def test_batches_are_written_and_reopened_read_only(store_url: str) -> None:
    db = store_url
    base_article, base_events = corpus()[0]
    with open_store(db, batch_size=2) as s:
        for i in range(5):
            article = Article(f"copy-{i}", f"{base_article.text} Copy {i}.")
            assert s.add_article(article, base_events, _spans(article))
    with open_store(db, read_only=True) as s:
        assert s.counts()["articles"] == 5 and s.counts()["actors"] == 10
        assert [r["article_id"] for r in s.events()] == [f"copy-{i}" for i in range(5)]


def test_open_store_duckdb_urls(tmp_path: Path) -> None:
    with open_store(f"duckdb://{tmp_path / 'url.duckdb'}") as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "url.duckdb").exists()
    with open_store(":memory:") as s:
        article, events = corpus()[1]
        assert s.add_article(article, events, _spans(article))
        assert s.events_by_type() == {"ASSAULT": 1}
    with pytest.raises(FileNotFoundError, match="eventwire ingest"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("these are not the tables you are looking for", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store(not_a_db)


def test_cli_ingest_twice_adds_nothing(store_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    """`eventwire ingest … --db URL` run again over the same inputs codes and stores nothing."""
    from eventwire.cli import main

    samples = Path(__file__).resolve().parents[1] / "samples"
    inputs = [str(samples / "text"), str(samples / "bad"), "--db", store_url, "--jobs", "1"]
    assert main(["ingest", *inputs]) == 0
    first = capsys.readouterr().out
    with open_store(store_url, read_only=True) as s:
        stored = s.counts()
    assert stored["articles"] > 0 and stored["events"] > 0 and stored["skipped"] > 0
    assert f"coded: {stored['articles']}" in first
    assert main(["ingest", *inputs]) == 0
    second = capsys.readouterr().out
    assert "coded: 0" in second and f"already stored: {stored['articles']}" in second
    with open_store(store_url, read_only=True) as s:
        assert s.counts() == stored


def _proposal(name: str, article_id: str) -> dict[str, object]:
    return {
        "name": name,
        "country": "CHL",
        "office": "President",
        "role": "head_of_state",
        "sector": "GOV",
        "kind": "new",
        "pattern": "title",
        "mention": name,
        "article_id": article_id,
        "article_date": "2024-05-01",
        "sentence": f"President {name} spoke.",
    }


def test_kb_proposals_are_stored_reviewed_and_kept(store_url: str) -> None:
    with open_store(store_url) as s:
        for article, events in corpus()[:2]:
            assert s.add_article(article, events, _spans(article))
        s.add_kb_proposals([_proposal("Marta Rios", "a1"), _proposal("Ana Soto", "a2")])
        pending = s.kb_proposals()
        assert [p["name"] for p in pending] == ["Ana Soto", "Marta Rios"]  # by name
        assert pending[0]["article_date"] == "2024-05-01" and pending[0]["status"] == "pending"
        rios = int(pending[1]["id"])
        assert s.set_kb_proposals_status([rios], "accepted") == 1
        with pytest.raises(ValueError, match="unknown status"):
            s.set_kb_proposals_status([rios], "maybe")
    with open_store(store_url, read_only=True) as s:
        assert [p["name"] for p in s.kb_proposals()] == ["Ana Soto"]
        assert [p["status"] for p in s.kb_proposals("accepted", [rios])] == ["accepted"]
        assert len(s.kb_proposals(None)) == 2
