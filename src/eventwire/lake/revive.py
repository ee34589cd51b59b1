"""Records and article rows of a lake back into the Events and Articles the store takes.

The inverse of output.event_to_plover: event_to_plover(event_from_record(r), article) == r,
so a lake loaded into a store holds the very records `ingest` would have stored.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from eventwire.records import Actor, Article, Event, EventDate, Place


def _actor(value: dict[str, Any] | None) -> Actor | None:
    return None if value is None else Actor(**value)


def event_from_record(record: dict[str, Any]) -> Event:
    """The Event a PLOVER record was made from (its id kept)."""
    info, when = record["text_info"], record["date_info"]
    loc = record.get("event_loc")
    return Event(
        event_type=record["event"][0],
        article_id=record["article_id"],
        sentence_index=info["sequence"],
        sentence_start=info["start"],
        sentence_end=info["end"],
        trigger=record["trigger"],
        trigger_start=info["trigger_start"],
        trigger_end=info["trigger_end"],
        mode=list(record["mode"]),
        context=list(record["context"]),
        actors=[Actor(**a) for a in record["actor"]],
        recipients=[Actor(**a) for a in record["recipient"]],
        factuality=record["factuality"],
        reported_by=_actor(record.get("reported_by")),
        location=Place(**loc) if loc is not None else None,
        when=EventDate(
            date=record["date"],
            enddate=record["enddate"],
            precision=when["precision"],
            text=when["text"],
            relative=when["relative"],
            source=when["source"],
        ),
        confidence=record["confidence"],
        decided_by=record["decided_by"],
        rule=record["rule"],
        id=record["id"],
    )


def article_from_row(row: dict[str, Any]) -> tuple[Article, list[tuple[int, int]]]:
    """An article row of the lake -> the Article and its sentence spans."""
    day = row.get("article_date")
    article = Article(
        id=row["article_id"],
        text=row["text"],
        title=row.get("title"),
        date=day if isinstance(day, dt.date) or day is None else dt.date.fromisoformat(str(day)),
        url=row.get("url"),
        source=row.get("source"),
        origin=row.get("origin"),
        raw_format=row.get("raw_format") or "text",
    )
    spans = [(int(s["start"]), int(s["end"])) for s in row.get("sentences") or []]
    return article, spans
