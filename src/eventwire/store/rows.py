"""One coded article as rows for every table, built once and shared by all back-ends."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from eventwire.output import article_records
from eventwire.records import Actor, Article, Event, Skipped
from eventwire.store import search

PARTY_ROLES = ("actor", "recipient")


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


def _party(role: str, actor: Actor) -> search.Party:
    return (role, actor.name, actor.code, actor.sector, actor.entity_text)


def _sentence(article: Article, spans: Sequence[tuple[int, int]], index: int | None) -> Any:
    if index is None or not 0 <= index < len(spans):
        return None
    start, end = spans[index]
    return article.text[start:end]


def _event_rows(
    article: Article, events: Sequence[Event], spans: Sequence[tuple[int, int]] = ()
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Event rows (with the full record as JSON and the search columns), one row per party."""
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
                **search.search_values(
                    [_party("actor", a) for a in event.actors]
                    + [_party("recipient", a) for a in event.recipients],
                    _sentence(article, spans, event.sentence_index),
                ),
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
            "encoding": article.encoding,
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
    rows.events, rows.actors = _event_rows(article, events, sentences)
    return rows


def skipped_row(skipped: Skipped, at: dt.datetime) -> dict[str, Any]:
    return {
        "article_id": skipped.article_id,
        "origin": skipped.origin,
        "reason": skipped.reason,
        "skipped_at": at,
    }
