"""The DuckDB store: idempotent ingest, filters, skipped inputs, batching."""

from __future__ import annotations

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
def store(tmp_path: Path) -> Iterator[Store]:
    with open_store(tmp_path / "test.duckdb") as s:
        for article, events in corpus():
            assert s.add_article(article, events, _spans(article))
        yield s


def _types(store: Store, **filters: object) -> list[str]:
    return [r["event"][0] for r in store.events(EventFilter(**filters))]  # type: ignore[arg-type]


def test_same_article_twice_adds_nothing(tmp_path: Path) -> None:
    db = tmp_path / "idem.duckdb"
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


def test_skipped_inputs_are_kept_with_their_reason(tmp_path: Path) -> None:
    db = tmp_path / "skip.duckdb"
    with open_store(db) as s:
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))
        s.add_skipped(Skipped("x.bin", "binary content (NUL bytes)", "x.bin"))
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))  # same again
    with open_store(db) as s:
        s.add_skipped(Skipped("blank", "empty input", "samples/bad/blank.txt"))  # next run
        assert s.skipped_reasons() == {"binary content (NUL bytes)": 1, "empty input": 1}
        assert s.counts()["skipped"] == 2


def test_batches_are_written_and_reopened_read_only(tmp_path: Path) -> None:
    db = tmp_path / "batch.duckdb"
    base_article, base_events = corpus()[0]
    with open_store(db, batch_size=2) as s:
        for i in range(5):
            article = Article(f"copy-{i}", f"{base_article.text} Copy {i}.")
            assert s.add_article(article, base_events, _spans(article))
    with open_store(db, read_only=True) as s:
        assert s.counts()["articles"] == 5 and s.counts()["actors"] == 10
        assert [r["article_id"] for r in s.events()] == [f"copy-{i}" for i in range(5)]


def test_open_store_urls(tmp_path: Path) -> None:
    with open_store(f"duckdb://{tmp_path / 'url.duckdb'}") as s:
        assert s.counts()["articles"] == 0
    assert (tmp_path / "url.duckdb").exists()
    with open_store(":memory:") as s:
        article, events = corpus()[1]
        assert s.add_article(article, events, _spans(article))
        assert s.events_by_type() == {"ASSAULT": 1}
    with pytest.raises(FileNotFoundError, match="eventwire ingest"):
        open_store(tmp_path / "missing.duckdb", read_only=True)
    with pytest.raises(NotImplementedError):
        open_store("postgresql://localhost/eventwire")
    not_a_db = tmp_path / "notes.duckdb"
    not_a_db.write_text("these are not the tables you are looking for", encoding="utf-8")
    with pytest.raises(StoreError, match="cannot open the database"):
        open_store(not_a_db)
