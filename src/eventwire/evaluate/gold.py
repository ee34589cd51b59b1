"""Read gold files (../shared/design/gold-format.md) into typed items."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any


@dataclass
class GoldParty:
    text: str | None
    country: str | None
    sector: str | None


@dataclass
class GoldLocation:
    text: str | None
    country: str | None
    lat: float | None
    lon: float | None


@dataclass
class GoldEvent:
    event_type: str
    mode: str | None
    actors: list[GoldParty] = field(default_factory=list)
    recipients: list[GoldParty] = field(default_factory=list)
    location: GoldLocation | None = None
    date: str | None = None
    event_group: str | None = None  # events of one real-world event share it


@dataclass
class GoldItem:
    id: str
    text: str
    date: date | None
    events: list[GoldEvent]
    document_level: bool = False
    uses_yield: bool = False
    copy_group: str | None = None  # syndicated copies of one story share it
    source: str | None = None


def _party(raw: dict[str, Any]) -> GoldParty:
    return GoldParty(raw.get("text"), raw.get("country"), raw.get("sector"))


def _location(raw: dict[str, Any] | None) -> GoldLocation | None:
    if not raw:
        return None
    lat, lon = raw.get("lat"), raw.get("lon")
    return GoldLocation(
        raw.get("text"),
        raw.get("country"),
        float(lat) if lat is not None else None,
        float(lon) if lon is not None else None,
    )


def _event(raw: dict[str, Any]) -> GoldEvent:
    return GoldEvent(
        event_type=str(raw["event_type"]).upper(),
        mode=raw.get("mode"),
        actors=[_party(p) for p in raw.get("actor") or []],
        recipients=[_party(p) for p in raw.get("recipient") or []],
        location=_location(raw.get("location")),
        date=raw.get("date"),
        event_group=raw.get("event_group"),
    )


def _item(raw: dict[str, Any]) -> GoldItem:
    events = [_event(e) for e in raw.get("events") or []]
    day = raw.get("date")
    return GoldItem(
        id=str(raw["id"]),
        text=str(raw["text"]),
        date=date.fromisoformat(day) if day else None,
        events=events,
        document_level=raw.get("level") == "document",
        uses_yield=any(e.event_type == "YIELD" for e in events),
        copy_group=raw.get("copy_group"),
        source=raw.get("source"),
    )


def read_gold(path: str | Path, limit: int | None = None) -> Iterator[GoldItem]:
    """Stream a gold file; a malformed line is an error naming the line, not a silent skip."""
    with open(path, encoding="utf-8") as fh:
        for number, line in enumerate(fh, 1):
            if limit is not None and number > limit:
                return
            if not line.strip():
                continue
            try:
                yield _item(json.loads(line))
            except (KeyError, ValueError, TypeError) as exc:
                raise ValueError(f"{path}:{number}: not a gold record ({exc})") from exc


def gold_hash(path: str | Path) -> str:
    """The quality gate pins scores to this exact gold data."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()[:16]


def read_gold_set(path: str | Path, limit: int | None = None) -> list[GoldItem]:
    """A whole gold file: a set that labels YIELD anywhere counts CONCEDE/RETREAT as YIELD
    everywhere in it, as the reference scorer does (../shared/tools/score_strict.py)."""
    items = list(read_gold(path, limit=limit))
    if any(item.uses_yield for item in items):
        for item in items:
            item.uses_yield = True
    return items
