"""The store every back-end is: writes of its own, and reads from the read modules.

A back-end (store/duckdb_store.py, store/postgres_store.py) holds a connection and a dialect
(store/dialect.py) and supplies the abstract methods; each read below is one line that
names the module whose function holds its SQL, so "where is the SQL for X" is one lookup.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from types import TracebackType
from typing import Any

from eventwire.records import Article, Event, Skipped
from eventwire.store import actors, aggregates, articles, events, paging, textsearch
from eventwire.store.dialect import Dialect, Row, json_record
from eventwire.store.filters import SORTS, EventFilter

__all__ = ["Store", "EventFilter", "SORTS"]


class Store(ABC):
    """Articles, sentences, events, actors and skipped inputs, whatever the database."""

    url: str
    read_only: bool
    dialect: Dialect

    # --- what a back-end supplies ----------------------------------------------------------

    @abstractmethod
    def has_article(self, content_hash: str) -> bool:
        """True when an article with this content is stored (or waiting to be written)."""

    @abstractmethod
    def add_article(
        self, article: Article, events: Sequence[Event], sentences: Sequence[tuple[int, int]]
    ) -> bool:
        """Store a coded article; False (and nothing written) if its content is already stored."""

    @abstractmethod
    def add_skipped(self, skipped: Skipped) -> None:
        """Record an input that could not be coded, with its reason."""

    @abstractmethod
    def counts(self) -> dict[str, int]:
        """Rows per table: articles, sentences, events, actors, skipped."""

    @abstractmethod
    def skipped_reasons(self) -> dict[str, int]:
        """How many inputs were skipped for each reason."""

    @abstractmethod
    def flush(self) -> None:
        """Write whatever is buffered, in one transaction."""

    @abstractmethod
    def close(self) -> None:
        """Flush and release the database."""

    @abstractmethod
    def add_kb_proposals(self, proposals: Sequence[dict[str, Any]]) -> None:
        """Buffer proposals from resolve/actors/learn.py; written with the next flush."""

    @abstractmethod
    def kb_proposals(
        self, status: str | None = "pending", ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        """Stored proposals (id, name, ..., status) by status and/or id, ordered by name."""

    @abstractmethod
    def set_kb_proposals_status(self, ids: Sequence[int], status: str) -> int:
        """Mark proposals accepted/rejected/pending; returns how many now have that status."""

    @abstractmethod
    def run(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """Execute one statement on the writing connection (migrations, store/feeds.py)."""

    @abstractmethod
    def fetch(self, sql: str, params: list[Any]) -> list[Row]:
        """Run one SELECT with parameters; every row as a tuple (thread-safe)."""

    def data_version(self) -> tuple[Any, ...]:
        """Changes whenever anyone stores an article, a skip or a KB review (cache keys)."""
        sql = (
            "SELECT (SELECT coalesce(max(id), 0) FROM articles), (SELECT count(*) FROM skipped),"
            " (SELECT count(*) FROM kb_proposals WHERE status <> 'pending')"
        )
        return tuple(self.fetch(sql, [])[0])

    def stream(self, sql: str, params: list[Any]) -> Iterator[Row]:
        """Rows one by one; back-ends read big results through a cursor."""
        return iter(self.fetch(sql, params))

    def record(self, value: Any) -> dict[str, Any]:
        """The stored PLOVER record as the dict that was written."""
        return json_record(value)

    def text_sql(self, text: str) -> tuple[str, list[Any]]:
        """The SQL of a text search: one scan here; DuckDB plans with its word index."""
        return textsearch.scan_condition(text, self.dialect)

    def text_bound(self, text: str) -> int | None:
        """At most how many events a text search matches, when the store knows cheaply."""
        return None

    def text_page(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Any], int] | None:
        """A page's keys and exact total of a search by text alone, from an index (DuckDB)."""
        return None

    # --- reads (SQL in the module each names) ------------------------------------------------

    def events(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """PLOVER records matching the filters, in ingest order (what was written so far)."""
        self.flush()
        return events.events(self, filters)

    def events_by_type(self, filters: EventFilter | None = None) -> dict[str, int]:
        self.flush()
        return events.events_by_type(self, filters)

    def event_stream(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        return events.event_stream(self, filters)

    def event_record(self, event_id: str) -> dict[str, Any] | None:
        return events.event_record(self, event_id)

    def event_records(self, ids: list[str]) -> list[dict[str, Any]]:
        return events.event_records(self, ids)

    def count_events(self, filters: EventFilter | None = None) -> int:
        return events.count_events(self, filters)

    def event_page(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        return paging.event_page(self, filters)

    def search_page(
        self, filters: EventFilter | None = None, cap: int | None = None
    ) -> paging.SearchPage:
        return paging.search_page(self, filters, cap)

    def article_list(
        self, text: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        return articles.article_list(self, text, limit, offset)

    def count_articles(self, text: str | None = None) -> int:
        return articles.count_articles(self, text)

    def article_detail(self, key: str) -> dict[str, Any] | None:
        return articles.article_detail(self, key)

    def actor_list(
        self, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> list[dict[str, Any]]:
        return actors.actor_list(self, q, limit, offset)

    def actor_profile(self, key: str, recent: int = 25) -> dict[str, Any] | None:
        return actors.actor_profile(self, key, recent)

    def place_list(self, filters: EventFilter | None = None, limit: int = 500) -> list[dict]:
        return aggregates.place_list(self, filters, limit)

    def event_stats(
        self, filters: EventFilter | None = None, bucket: str | None = None
    ) -> dict[str, Any]:
        return aggregates.event_stats(self, filters, bucket)

    def actor_network(self, filters: EventFilter | None = None, limit: int = 60) -> dict:
        return aggregates.actor_network(self, filters, limit)

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
