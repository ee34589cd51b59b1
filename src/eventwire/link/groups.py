"""GDELT-style group summaries: one row per real-world event, its mentions kept and counted."""

from __future__ import annotations

from collections.abc import Iterable
from itertools import groupby
from typing import Any

from eventwire.link.stories import assign_stories


def _label(party: dict[str, Any]) -> str:
    return str(party.get("name") or party.get("entity_text") or party.get("code") or "?")


def _first_with(records: list[dict[str, Any]], key: str) -> Any:
    return next((r[key] for r in records if r.get(key)), None)


def summary(group_id: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """One group: earliest date, a place, its parties and how many mentions, articles, sources."""
    records = [row["record"] for row in rows]
    dated = sorted((r for r in records if r.get("date")), key=lambda r: str(r["date"]))
    first = dated[0] if dated else records[0]
    types = [t for r in records for t in (r.get("event") or [])[:1]]
    kind = max(sorted(set(types)), key=types.count) if types else None
    actors: dict[str, None] = {}
    recipients: dict[str, None] = {}
    for record in records:
        actors.update((_label(p), None) for p in record.get("actor") or [])
        recipients.update((_label(p), None) for p in record.get("recipient") or [])
    sources = {str(row["source"] or row["article_id"]) for row in rows}
    articles = {str(row["article_id"]) for row in rows}
    return {
        "group_id": group_id,
        "event": kind,
        "date": first.get("date"),
        "enddate": str(dated[-1]["date"]) if dated else None,
        "event_loc": _first_with(records, "event_loc"),
        "actor": list(actors),
        "recipient": list(recipients),
        "n_mentions": len(rows),
        "n_articles": len(articles),
        "n_sources": len(sources),
        "n_reports": len({row["copy_group"] for row in rows}),  # independent of wire copies
        "mention_ids": [r["id"] for r in records],
        "article_ids": sorted(articles),
        "sources": sorted(sources),
        "record": first,
        "added": min((r["ingested_at"] for r in rows if r.get("ingested_at")), default=None),
        "url": next((r["url"] for r in rows if r.get("url")), None),
    }


def summarize(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Group summaries from mention rows sorted by group (store/groups.py), earliest first,
    each with its story thread (link/stories.py)."""
    out = [summary(g, list(members)) for g, members in groupby(rows, key=lambda r: r["group_id"])]
    out.sort(key=lambda s: (str(s["date"] or "9999"), s["group_id"]))
    assign_stories(out)
    return out


GROUP_COLUMNS = (
    "group_id",
    "story_id",
    "date",
    "enddate",
    "event",
    "actor",
    "recipient",
    "location",
    "location_country",
    "lat",
    "lon",
    "n_mentions",
    "n_articles",
    "n_sources",
    "n_reports",
    "sources",
    "mention_ids",
)


def flat_group(group: dict[str, Any]) -> dict[str, Any]:
    """One group as a flat CSV/Parquet row; lists are ';'-separated."""
    loc = group.get("event_loc") or {}
    return {
        "group_id": group["group_id"],
        "story_id": group.get("story_id"),
        "date": group.get("date"),
        "enddate": group.get("enddate"),
        "event": group.get("event"),
        "actor": "; ".join(group["actor"]),
        "recipient": "; ".join(group["recipient"]),
        "location": loc.get("resolved_place") or loc.get("extracted_place"),
        "location_country": loc.get("country_code"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "n_mentions": group["n_mentions"],
        "n_articles": group["n_articles"],
        "n_sources": group["n_sources"],
        "n_reports": group["n_reports"],
        "sources": "; ".join(group["sources"]),
        "mention_ids": ";".join(group["mention_ids"]),
    }
