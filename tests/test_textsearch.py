"""Free-text search (issue 6): one meaning on every back-end, with or without DuckDB's index.

Each query's expected events are computed in Python from the documented meaning (the query's
words in order; one word inside any word; several as whole words, the last maybe a prefix),
then asked of PostgreSQL (one scan), DuckDB's word index, DuckDB's scan, and an index that
has been through its tail merges and full rewrites.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.records import Actor, Article, Event, EventDate
from eventwire.store import duckdb_text, duckdb_vocab, open_store, textsearch
from eventwire.store.base import EventFilter, Store

SUBJECTS = ["The government", "Rebels", "The army of Sudan", "Police", "The U.S. envoy", "Kenya's"]
VERBS = ["said", "met with", "attacked", "called for", "accused", "signed"]
OBJECTS = [
    "the opposition",
    "peace-talks with the rebels",
    "a ceasefire in the north",
    "the ceasefire talks",
    "protesters near the border",
    "officials of the government",
    "the governor's office",
    "a new peace deal",
    "them at the summit",
    "theatre workers on strike",
]
QUERIES = [
    "fire",
    "ceasefire",
    "CEASEFIRE talks",
    "the government",
    "of the",
    "the",
    "peace talks",
    "peace talk",
    "peace-talks with the reb",
    "talks with the rebels",
    "the gov",
    "U.S. envoy",
    "u s",
    "kenya s",
    "said the",
    "with the rebels",
    "at the",
    "them at the summit",
    "near the border",
    "zzqx",
    "governor",
    "s",
    "'; DROP TABLE events; --",
    "--",
    "in town",
]


def _sentences(n: int) -> list[str]:
    rng = random.Random(6)
    return [
        f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} in town {i}."
        for i in range(n)
    ]


def _article(i: int, sentence: str) -> tuple[Article, list[Event]]:
    actor = Actor(sentence.split()[0], None, "SDN", "GOV")
    event = Event(
        event_type="CONSULT",
        article_id="",
        sentence_index=0,
        sentence_start=0,
        sentence_end=len(sentence),
        trigger=sentence.split()[1],
        trigger_start=sentence.index(" ") + 1,
        trigger_end=sentence.index(" ") + 1 + len(sentence.split()[1]),
        actors=[actor],
        recipients=[],
        when=EventDate(None, precision="unknown", source="none"),
    )
    return Article(f"t{i}", sentence), [event]


def expected(sentences: list[str], query: str) -> set[str]:
    """The article ids whose sentence matches `query`, by the documented meaning."""
    wanted = textsearch.words(query)
    out: set[str] = set()
    if not wanted:
        return out
    for i, sentence in enumerate(sentences):
        found = textsearch.words(sentence)
        if len(wanted) == 1:
            hit = any(wanted[0] in w for w in found)
        else:
            hit = any(
                found[j : j + len(wanted) - 1] == wanted[:-1]
                and found[j + len(wanted) - 1].startswith(wanted[-1])
                for j in range(len(found) - len(wanted) + 1)
            )
        if hit:
            out.add(f"t{i}")
    return out


def _fill(url: str, sentences: list[str]) -> None:
    with open_store(url) as store:
        for i, sentence in enumerate(sentences):
            article, events = _article(i, sentence)
            assert store.add_article(article, events, [(0, len(sentence))])


def _found(store: Store, query: str) -> set[str]:
    return {r["article_id"] for r in store.events(EventFilter(text=query))}


SENTENCES = _sentences(240)
DROP_INDEX = (
    "DROP VIEW text_postings_all; DROP TABLE text_postings; DROP TABLE text_postings_tail;"
    " DROP TABLE text_terms; DROP TABLE text_index_state"
)


@pytest.fixture(scope="module")
def filled(module_store_url: str) -> str:
    _fill(module_store_url, SENTENCES)
    return module_store_url


@pytest.mark.parametrize("query", QUERIES)
def test_text_search_has_one_meaning_on_every_backend(filled: str, query: str) -> None:
    """Issue 6: PostgreSQL's scan and DuckDB's index find the same events, the documented ones."""
    with open_store(filled, read_only=True) as store:
        assert _found(store, query) == expected(SENTENCES, query), query


def test_the_queries_exercise_every_plan() -> None:
    """The query list holds hits and misses, one-word and phrase queries (no vacuous test)."""
    sizes = [len(expected(SENTENCES, q)) for q in QUERIES]
    assert 0 in sizes and max(sizes) == len(SENTENCES) and len({s for s in sizes if s}) > 8
    assert expected(SENTENCES, "peace talks") == expected(SENTENCES, "peace-talks")
    assert not expected(SENTENCES, "ire talks")  # several words: whole words but the last


@pytest.fixture
def small_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Tiny tail and few runs, so a small ingest goes through every merge of the index."""
    monkeypatch.setattr(duckdb_text, "TAIL_ROWS", 300)
    monkeypatch.setattr(duckdb_text, "MAX_RUNS", 2)
    yield


def test_index_after_merges_and_rewrites_finds_the_same(tmp_path: Path, small_runs: None) -> None:
    """Issue 6: tail merges and full rewrites of the index change no search result."""
    db = tmp_path / "merged.duckdb"
    with open_store(db, batch_size=7) as store:
        for i, sentence in enumerate(SENTENCES):
            article, events = _article(i, sentence)
            store.add_article(article, events, [(0, len(sentence))])
    with open_store(db, read_only=True) as store:
        runs = store.fetch("SELECT runs FROM text_index_state", [])[0][0]  # type: ignore[attr-defined]
        assert 1 <= runs <= 2
        for query in QUERIES:
            assert _found(store, query) == expected(SENTENCES, query), query


def test_a_writer_searches_what_it_just_wrote(tmp_path: Path, small_runs: None) -> None:
    """Issue 6: a writer's searches see every flush, across tail merges and rewrites (its
    plans and in-memory words follow the index)."""
    with open_store(tmp_path / "live.duckdb") as store:
        for i, sentence in enumerate(SENTENCES[:80]):
            article, events = _article(i, sentence)
            store.add_article(article, events, [(0, len(sentence))])
            store.flush()
            for query in ("peace talk", "fire", f"town {i}", "the gov"):
                assert _found(store, query) == expected(SENTENCES[: i + 1], query), (i, query)


def test_index_and_scan_plans_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 6: every query planned through the index gives what the scan gives."""
    db = tmp_path / "plans.duckdb"
    _fill(str(db), SENTENCES)
    with open_store(db, read_only=True) as store:
        plans = {q: store.text_sql(q)[0] for q in QUERIES}  # type: ignore[attr-defined]
        assert sum("text_postings_all" in sql for sql in plans.values()) >= 10
        indexed = {q: _found(store, q) for q in QUERIES}
        monkeypatch.setattr(duckdb_text, "DENSE_FACTOR", 0)  # every search scans
        store.text._plans.clear()  # type: ignore[attr-defined]  # plans made with the old factor
        assert all(
            "e.sentence_words" in store.text_sql(q)[0] or plans[q] == textsearch.NOTHING
            for q in QUERIES
        )  # type: ignore[attr-defined]
        assert {q: _found(store, q) for q in QUERIES} == indexed


def test_words_and_stored_form() -> None:
    """The stored form is what the scan reads; the postings are what the index reads."""
    stored = textsearch.sentence_words("Kenya's U.S.-backed talks, said the envoy.")
    assert stored == " kenya s u s backed talks said the envoy"
    assert ("said the", 6) in textsearch.postings(stored)
    assert ("the envoy", 7) in textsearch.postings(stored)
    assert textsearch.query_text("fire") == "fire"
    assert textsearch.query_text("Peace-Talks") == " peace talks"
    assert textsearch.query_text(" -- ") == ""


def test_indexed_text_search_counts_every_match(tmp_path: Path) -> None:
    """Issue 6: a search the index answers counts all its matches, past the usual cap."""
    db = tmp_path / "count.duckdb"
    _fill(str(db), SENTENCES)
    with open_store(db, read_only=True) as store:
        bound = store.text_bound("in town")  # type: ignore[attr-defined]
        assert bound is not None and bound >= len(SENTENCES)
        page = store.search_page(EventFilter(text="in town", limit=5), cap=10)
        assert (page.total, page.exact, len(page.events)) == (len(SENTENCES), True, 5)
        page = store.search_page(EventFilter(type="CONSULT", limit=5), cap=10)
        assert (page.total, page.exact) == (10, False)  # no text: the cap still applies


TYPES = ["CONSULT", "ASSAULT", "AGREE"]


def _dated(i: int, sentence: str) -> tuple[Article, list[Event], str | None, str]:
    """Article i with an event of a varied type and date (one in seven undated, many ties)."""
    rng = random.Random(i)
    day = None if i % 7 == 3 else f"2024-0{rng.randint(1, 3)}-1{rng.randint(0, 4)}"
    article, events = _article(i, sentence)
    kind = TYPES[i % 3]
    event = dataclasses.replace(events[0], event_type=kind, when=EventDate(day, precision="day"))
    return article, [event], day, kind


def _expected_page(rows: list[tuple[int, str | None, str]], f: EventFilter) -> list[str]:
    """Article ids of a page by the documented order: by date, undated last, then ingest."""
    keep = [
        (i, dt.date.fromisoformat(day) if day else None)
        for i, day, kind in rows
        if (not f.type or kind == f.type.upper())
        and (not f.date_from or (day is not None and day >= f.date_from.isoformat()))
        and (not f.date_to or (day is not None and day <= f.date_to.isoformat()))
    ]
    sign = -1 if f.sort == "-date" else 1
    keep.sort(key=lambda r: (r[1] is None, sign * r[1].toordinal() if r[1] else 0, r[0]))
    limit = 10**6 if f.limit is None else f.limit
    return [f"t{i}" for i, _ in keep][f.offset : f.offset + limit]


@pytest.mark.parametrize("postings", [True, False], ids=["postings", "events"])
@pytest.mark.parametrize("query", ["fire", "the government", "peace talk", "the", "zzqx", "s"])
def test_pages_from_the_postings_follow_the_documented_order(
    tmp_path: Path, query: str, postings: bool
) -> None:
    """Issue 6: a search by text, dates and type pages and counts from the word index
    exactly as from the events: same order (date, undated last, ingest), same totals."""
    db = tmp_path / "dated.duckdb"
    rows = []
    with open_store(db, batch_size=50) as store:
        for i, sentence in enumerate(SENTENCES):
            article, events, day, kind = _dated(i, sentence)
            store.add_article(article, events, [(0, len(sentence))])
            if f"t{i}" in expected(SENTENCES, query):
                rows.append((i, day, kind))
    shapes = [
        {"sort": "-date"},
        {"sort": "date", "offset": 3},
        {"sort": "-date", "type": "assault"},
        {"sort": "-date", "date_from": dt.date(2024, 2, 1), "date_to": dt.date(2024, 2, 12)},
        {"sort": "date", "type": "AGREE", "date_from": dt.date(2024, 3, 1)},
        {"sort": "-date", "offset": 500},
    ]
    with open_store(db, read_only=True) as store:
        if not postings:  # the same searches through the events
            store.text_page = lambda *_: None  # type: ignore[attr-defined]
        for shape in shapes:
            f = EventFilter(text=query, limit=50, **shape)  # type: ignore[arg-type]
            fast = store.text_page(f, f.limit, f.offset)  # type: ignore[attr-defined]
            assert (fast is not None) == postings, shape
            page = store.search_page(f)
            assert [e["article_id"] for e in page.events] == _expected_page(rows, f), shape
            whole = dataclasses.replace(f, offset=0, limit=None)
            assert (page.total, page.exact) == (len(_expected_page(rows, whole)), True), shape


UNCOVERED = """
DROP VIEW text_postings_all; DROP TABLE text_postings; DROP TABLE text_postings_tail;
CREATE TABLE text_postings (term VARCHAR NOT NULL, rid BIGINT NOT NULL, pos INTEGER NOT NULL);
CREATE TABLE text_postings_tail (term VARCHAR NOT NULL, rid BIGINT NOT NULL, pos INTEGER NOT NULL);
CREATE VIEW text_postings_all AS SELECT * FROM text_postings UNION ALL
    SELECT * FROM text_postings_tail;
"""


@pytest.mark.parametrize("older", [DROP_INDEX, UNCOVERED], ids=["no index", "first layout"])
def test_older_file_is_scanned_then_indexed_by_the_next_writer(tmp_path: Path, older: str) -> None:
    """Issue 6: a DuckDB file written before the index, or with its first layout (postings
    without date and type), is searched by the scan until a writer (re)builds its index."""
    db = tmp_path / "old.duckdb"
    _fill(str(db), SENTENCES[:60])
    with open_store(db) as store:  # the file as older code wrote it
        store._con.execute(older)  # type: ignore[attr-defined]
    with open_store(db, read_only=True) as store:
        assert not store.text.enabled  # type: ignore[attr-defined]
        assert _found(store, "the gov") == expected(SENTENCES[:60], "the gov")
    with open_store(db) as store:
        assert store.text.enabled  # type: ignore[attr-defined]
        assert store.fetch("SELECT count(*) FROM text_postings_all WHERE type = 'CONSULT'", [])
        for query in QUERIES:
            assert _found(store, query) == expected(SENTENCES[:60], query), query


def test_vocabulary_matches_what_the_unit_conditions_mean() -> None:
    """Issue 6: the in-memory words answer each unit as its SQL condition does (brute force)."""
    rng = random.Random(3)
    letters = "aeinrst"
    words = {"".join(rng.choice(letters) for _ in range(rng.randint(1, 6))) for _ in range(400)}
    pairs = {f"{rng.choice(['the', 'of'])} {w}" for w in list(words)[:150]}
    rows = [(t, rng.randint(1, 9)) for t in sorted(words | pairs)]
    df = dict(rows)
    vocab = duckdb_vocab.Vocabulary(reversed(rows))  # any order in
    probes = ["a", "te", "rst", "zz", "the t", "of a", "the", "nine"]
    for text in probes + list(words)[:40]:
        for kind in ("inside", "prefix", "exact"):
            unit = textsearch.Unit(text, 0, kind)
            shape = [t for t in df if (" " in t) == (" " in text)]
            want = {
                "inside": [t for t in shape if text in t],
                "prefix": [t for t in shape if t.startswith(text)],
                "exact": [t for t in shape if t == text],
            }[kind]
            if kind == "inside" and " " in text:
                continue  # an inside unit is a one-word query
            got = vocab.match(unit, limit=1000)
            assert sorted(got) == sorted((t, df[t]) for t in want), (text, kind)
            assert len(vocab.match(unit, limit=2)) == min(len(want), 3), (text, kind)
