"""The store interface shared by DuckDB (now) and PostgreSQL (issue 6), and its row builders."""

from __future__ import annotations

import datetime as dt
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from eventwire.output import article_records
from eventwire.records import Actor, Article, Event, Skipped

PARTY_ROLES = ("actor", "recipient")


@dataclass
class EventFilter:
    """What `events` may be narrowed by; every field is optional and they combine with AND."""

    type: str | None = None  # PLOVER event type, e.g. CONSULT
    actor: str | None = None  # substring of a party's canonical name or surface text
    country: str | None = None  # ISO3 / IGO code of an actor or recipient
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    text: str | None = None  # substring of the event's sentence
    limit: int | None = None


@dataclass
class ArticleRows:
    """One article as rows for every table, built once and shared by all back-ends."""

    article: dict[str, Any]
    sentences: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    actors: list[dict[str, Any]] = field(default_factory=list)


def _day(value: str | None) -> dt.date | None:
    """Event dates arrive as ISO strings; a malformed one is stored as unknown."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _actor_row(event_id: str, role: str, position: int, actor: Actor) -> dict[str, Any]:
    return {
        "event_id": event_id,
        "role": role,
        "position": position,
        "name": actor.name,
        "code": actor.code,
        "sector": actor.sector,
        "office": actor.office,
        "text": actor.entity_text,
        "resolution": actor.resolution,
        "identifier_id": actor.identifier_id,
    }


def _event_rows(
    article: Article, events: Sequence[Event]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Event rows (with the full record as JSON) and one actor row per party."""
    import json

    event_rows: list[dict[str, Any]] = []
    actor_rows: list[dict[str, Any]] = []
    for seq, (event, record) in enumerate(
        zip(events, article_records(article, events), strict=True)
    ):
        loc = event.location
        event_rows.append(
            {
                "id": record["id"],
                "article_hash": article.content_hash,
                "article_id": article.id,
                "seq": seq,
                "type": event.event_type,
                "modes": list(event.mode),
                "date": _day(event.when.date),
                "factuality": event.factuality,
                "sentence_idx": event.sentence_index,
                "trigger": event.trigger,
                "trigger_start": event.trigger_start,
                "trigger_end": event.trigger_end,
                "confidence": float(event.confidence),
                "decided_by": event.decided_by,
                "place": (loc.resolved_place or loc.extracted_place) if loc else None,
                "place_country": loc.country_code if loc else None,
                "lat": loc.lat if loc else None,
                "lon": loc.lon if loc else None,
                "record": json.dumps(record, ensure_ascii=False),
            }
        )
        parties = [("actor", a) for a in event.actors] + [
            ("recipient", a) for a in event.recipients
        ]
        if event.reported_by is not None:
            parties.append(("reporter", event.reported_by))
        for position, (role, actor) in enumerate(parties):
            actor_rows.append(_actor_row(record["id"], role, position, actor))
    return event_rows, actor_rows


def article_rows(
    article: Article,
    events: Sequence[Event],
    sentences: Sequence[tuple[int, int]],
    ingested_at: dt.datetime,
) -> ArticleRows:
    """Everything one coded article contributes to the store."""
    content_hash = article.content_hash
    rows = ArticleRows(
        article={
            "article_id": article.id,
            "hash": content_hash,
            "title": article.title,
            "date": article.date,
            "url": article.url,
            "source": article.source,
            "origin": article.origin,
            "text": article.text,
            "n_words": len(article.text.split()),
            "ingested_at": ingested_at,
        }
    )
    rows.sentences = [
        {
            "article_hash": content_hash,
            "idx": i,
            "start_char": start,
            "end_char": end,
            "text": article.text[start:end],
        }
        for i, (start, end) in enumerate(sentences)
    ]
    rows.events, rows.actors = _event_rows(article, events)
    return rows


def skipped_row(skipped: Skipped, at: dt.datetime) -> dict[str, Any]:
    return {
        "article_id": skipped.article_id,
        "origin": skipped.origin,
        "reason": skipped.reason,
        "skipped_at": at,
    }


def where_clause(filters: EventFilter, param: str = "?") -> tuple[str, list[Any]]:
    """Portable SQL WHERE over events `e` (with actors and sentences): parameters only.

    `param` is the driver's placeholder ('?' for DuckDB, '%s' for psycopg).
    """
    clauses: list[str] = []
    params: list[Any] = []
    if filters.type:
        clauses.append(f"e.type = {param}")
        params.append(filters.type.strip().upper())
    if filters.date_from:
        clauses.append(f"e.date >= CAST({param} AS DATE)")
        params.append(filters.date_from.isoformat())
    if filters.date_to:
        clauses.append(f"e.date <= CAST({param} AS DATE)")
        params.append(filters.date_to.isoformat())
    if filters.country:
        clauses.append(
            "EXISTS (SELECT 1 FROM actors x WHERE x.event_id = e.id"
            f" AND x.role IN ('actor', 'recipient') AND x.code = {param})"
        )
        params.append(filters.country.strip().upper())
    if filters.actor:
        clauses.append(
            "EXISTS (SELECT 1 FROM actors x WHERE x.event_id = e.id"
            " AND x.role IN ('actor', 'recipient')"
            f" AND (strpos(lower(coalesce(x.name, '')), lower({param})) > 0"
            f" OR strpos(lower(coalesce(x.text, '')), lower({param})) > 0))"
        )
        params += [filters.actor, filters.actor]
    if filters.text:
        clauses.append(
            "EXISTS (SELECT 1 FROM sentences s WHERE s.article_hash = e.article_hash"
            f" AND s.idx = e.sentence_idx AND strpos(lower(s.text), lower({param})) > 0)"
        )
        params.append(filters.text)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


class Store(ABC):
    """Articles, sentences, events, actors and skipped inputs, whatever the database."""

    url: str

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
    def events(self, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
        """PLOVER records matching the filters, in ingest order."""

    @abstractmethod
    def events_by_type(self, filters: EventFilter | None = None) -> dict[str, int]:
        """How many events of each type match the filters."""

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

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
