"""Free-text search (issue 6): one meaning on every back-end, with or without DuckDB's index.

Each query's expected events are computed in Python from the documented meaning (the query's
words in order; one word inside any word; several as whole words, the last maybe a prefix),
then asked of PostgreSQL (one scan), DuckDB's word index, DuckDB's scan, and an index that
has been through its tail merges and full rewrites.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.records import Actor, Article, Event, EventDate
from eventwire.store import duckdb_text, open_store, textsearch
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
        runs = store._fetch("SELECT runs FROM text_index_state", [])[0][0]  # type: ignore[attr-defined]
        assert 1 <= runs <= 2
        for query in QUERIES:
            assert _found(store, query) == expected(SENTENCES, query), query


def test_index_and_scan_plans_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 6: every query planned through the index gives what the scan gives."""
    db = tmp_path / "plans.duckdb"
    _fill(str(db), SENTENCES)
    with open_store(db, read_only=True) as store:
        plans = {q: store._text_sql(q, "?")[0] for q in QUERIES}  # type: ignore[attr-defined]
        assert sum("text_postings_all" in sql for sql in plans.values()) >= 10
        indexed = {q: _found(store, q) for q in QUERIES}
        monkeypatch.setattr(duckdb_text, "DENSE_FACTOR", 0)  # every search scans
        store._plans.clear()  # type: ignore[attr-defined]  # plans made with the old factor
        assert all(
            "strpos" in store._text_sql(q, "?")[0] or plans[q] == textsearch.NOTHING
            for q in QUERIES
        )  # type: ignore[attr-defined]
        assert {q: _found(store, q) for q in QUERIES} == indexed


def test_older_file_gets_its_index_when_a_writer_opens_it(tmp_path: Path) -> None:
    """Issue 6: a DuckDB file written before the index is indexed once, by the next writer."""
    db = tmp_path / "old.duckdb"
    _fill(str(db), SENTENCES[:50])
    with open_store(db) as store:  # drop the index: the file as older code wrote it
        store._con.execute(DROP_INDEX)  # type: ignore[attr-defined]
    with open_store(db, read_only=True) as store:
        assert not store.text_index  # type: ignore[attr-defined]
        assert _found(store, "the government") == expected(SENTENCES[:50], "the government")
    with open_store(db) as store:
        assert store.text_index  # type: ignore[attr-defined]
        for query in QUERIES:
            assert _found(store, query) == expected(SENTENCES[:50], query), query


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
        bound = store._text_bound("in town")  # type: ignore[attr-defined]
        assert bound is not None and bound >= len(SENTENCES)
        page = store.search_page(EventFilter(text="in town", limit=5), cap=10)
        assert (page.total, page.exact, len(page.events)) == (len(SENTENCES), True, 5)
        page = store.search_page(EventFilter(type="CONSULT", limit=5), cap=10)
        assert (page.total, page.exact) == (10, False)  # no text: the cap still applies
