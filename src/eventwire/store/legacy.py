"""Event filters for a store written before the search columns (issue 6), opened read-only.

They join `actors` and `sentences` as every store did before store/search.py: slow on big
stores but right, until a writer opens the store and fills the new columns.
"""

from __future__ import annotations

from typing import Any

from eventwire.store.base import (
    ESCAPE,
    EventFilter,
    actor_key_match,
    event_conditions,
    like_pattern,
)

_PARTY = "x.role IN ('actor', 'recipient')"


def _party_exists(condition: str) -> str:
    return f"EXISTS (SELECT 1 FROM actors x WHERE x.event_id = e.id AND {_PARTY} AND {condition})"


def legacy_conditions(filters: EventFilter, param: str) -> tuple[list[str], list[Any]]:
    """Joins to actors and sentences: for stores without the search columns."""
    clauses, params = event_conditions(filters, param)
    if filters.country:
        clauses.append(_party_exists(f"x.code = {param}"))
        params.append(filters.country.strip().upper())
    if filters.sector:
        clauses.append(_party_exists(f"x.sector = {param}"))
        params.append(filters.sector.strip().upper())
    if filters.actor:
        clauses.append(
            _party_exists(f"(x.name ILIKE {param} {ESCAPE} OR x.text ILIKE {param} {ESCAPE})")
        )
        params += [like_pattern(filters.actor)] * 2
    if filters.actor_key:
        match, values = actor_key_match(filters.actor_key, "x", param)
        clauses.append(_party_exists(match))
        params += values
    if filters.text:
        clauses.append(
            "EXISTS (SELECT 1 FROM sentences s WHERE s.article_hash = e.article_hash"
            f" AND s.idx = e.sentence_idx AND strpos(lower(s.text), lower({param})) > 0)"
        )
        params.append(filters.text)
    return clauses, params
