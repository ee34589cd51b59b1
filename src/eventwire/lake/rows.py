"""Coded articles and skipped inputs as lake rows, built from the records `extract` prints."""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from eventwire.lake.schema import UNDATED, entity_type, place_type
from eventwire.output import article_records
from eventwire.records import Skipped

if TYPE_CHECKING:
    from eventwire.runner import Coded


@lru_cache(maxsize=2)
def _fields(struct: Any) -> tuple[str, ...]:
    return tuple(struct.field(i).name for i in range(struct.num_fields))


def _day(value: Any) -> dt.date | None:
    """An ISO day; anything else (a partial or malformed date) is no day."""
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def partition(day: dt.date | None) -> str:
    """The date=... directory a row goes in."""
    return day.isoformat() if day else UNDATED


def reason_kind(reason: str) -> str:
    """Reasons grouped as the CLI summary groups them ('pipeline error: X' -> 'pipeline error')."""
    return reason.split(":", 1)[0].strip() or reason


def _entity(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {name: value.get(name) for name in _fields(entity_type())}


def _place(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {name: value.get(name) for name in _fields(place_type())}


def event_row(record: dict[str, Any], article_hash: str, seq: int) -> dict[str, Any]:
    """One PLOVER record as typed columns, keeping the record's JSON text beside them."""
    info, cite, when = record["text_info"], record["cite_info"], record["date_info"]
    day = _day(record.get("date"))
    return {
        "id": record["id"],
        "article_id": record["article_id"],
        "article_hash": article_hash,
        "seq": seq,
        "date": partition(day),
        "event_date": day,
        "enddate": _day(record.get("enddate")),
        "event_type": record["event"][0] if record["event"] else None,
        "mode": record["mode"],
        "context": record["context"],
        "quad_code": record["quad_code"],
        "event_scale": record["event_scale"],
        "actor": [_entity(a) for a in record["actor"]],
        "recipient": [_entity(a) for a in record["recipient"]],
        "event_loc": _place(record["event_loc"]),
        "reported_by": _entity(record["reported_by"]),
        "factuality": record["factuality"],
        "trigger": record["trigger"],
        "trigger_start": info["trigger_start"],
        "trigger_end": info["trigger_end"],
        "sentence_index": info["sequence"],
        "sentence_start": info["start"],
        "sentence_end": info["end"],
        "sentence_text": info["sentence_text"],
        "confidence": record["confidence"],
        "decided_by": record["decided_by"],
        "rule": record["rule"],
        "date_precision": when["precision"],
        "date_text": when["text"],
        "date_relative": when["relative"],
        "date_source": when["source"],
        "corpus": cite["corpus"],
        "url": cite["url"],
        "title": cite["title"],
        "coder": cite["coder"],
        "record": json.dumps(record, ensure_ascii=False),
    }


def _empty(status: str, date: str) -> dict[str, Any]:
    return {"status": status, "date": date, "sentences": [], "events": []}


def skipped_row(item: Skipped, day: dt.date | None = None) -> dict[str, Any]:
    """A skipped input, with the same id, origin and reason `ingest` stores."""
    row = _empty("skipped", partition(day))
    row.update(
        article_id=item.article_id,
        origin=item.origin,
        reason=item.reason,
        reason_kind=reason_kind(item.reason),
        article_date=day,
    )
    return row


def coded_row(item: Coded) -> dict[str, Any]:
    """A coded article: its fields, sentence spans and events."""
    article = item.article
    content_hash = article.content_hash
    row = _empty("coded", partition(article.date))
    row.update(
        article_id=article.id,
        origin=article.origin,
        hash=content_hash,
        article_date=article.date,
        title=article.title,
        url=article.url,
        source=article.source,
        raw_format=article.raw_format,
        text=article.text,
        n_words=len(article.text.split()),
        sentences=[{"start": s, "end": e} for s, e in item.sentences],
        events=[
            event_row(record, content_hash, seq)
            for seq, record in enumerate(article_records(article, item.events))
        ],
    )
    return row
