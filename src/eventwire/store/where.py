"""The one condition builder: SQL conditions over events `e` from a filter, parameters only.

Every read (searches, pages, aggregates, the text index's pages) narrows events here, so a
filter means the same thing in every view and on every back-end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from eventwire.store import search, textsearch
from eventwire.store.dialect import Dialect, Reader
from eventwire.store.filters import EventFilter

# A store's plan for a text search: text -> (SQL condition, parameters).
TextSQL = Callable[[str], tuple[str, list[Any]]]

ESCAPE = "ESCAPE '\\'"  # ILIKE patterns escape their wildcards with a backslash


def like_pattern(text: str) -> str:
    """A case-insensitive substring pattern for `ILIKE ? ESCAPE '\\'`: wildcards are literal."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def actor_key_sql(alias: str = "x") -> str:
    """An actor's identity: canonical name, else 'CODE SECTOR', else the surface text."""
    return (
        f"coalesce({alias}.name, nullif(concat_ws(' ', {alias}.code, {alias}.sector), ''),"
        f" {alias}.text)"
    )


def actor_key_match(key: str, alias: str = "x", param: str = "?") -> tuple[str, list[Any]]:
    """`actor_key_sql(alias) = key` as plain comparisons, which scan far faster than the
    expression (no string building per row) and can use zone maps."""
    code, _, sector = key.partition(" ")
    a = alias
    sql = (
        f"({a}.name = {param} OR ({a}.name IS NULL AND ("
        f"({a}.code = {param} AND {a}.sector = {param})"
        f" OR ({a}.code = {param} AND {a}.sector IS NULL)"
        f" OR ({a}.code IS NULL AND {a}.sector = {param})"
        f" OR ({a}.code IS NULL AND {a}.sector IS NULL AND {a}.text = {param}))))"
    )
    return sql, [key, code, sector or None, key, key, key]


def event_conditions(filters: EventFilter, dialect: Dialect) -> tuple[list[str], list[Any]]:
    """The conditions on the events' own columns (no party, no text)."""
    param = dialect.param
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
    if filters.mode:
        clauses.append(dialect.has_element("e.modes"))
        params.append(filters.mode.strip().lower())
    if filters.place:  # a substring test, not ILIKE ... ESCAPE: DuckDB runs that 10x slower
        clauses.append(dialect.holds("lower(e.place)"))
        params.append(filters.place.lower())
    if filters.place_country:
        clauses.append(f"e.place_country = {param}")
        params.append(filters.place_country.strip().upper())
    if filters.factuality:
        clauses.append(f"e.factuality = {param}")
        params.append(filters.factuality.strip().lower())
    if filters.article:
        clauses.append(f"(e.article_hash = {param} OR e.article_id = {param})")
        params += [filters.article, filters.article]
    return clauses, params


def conditions(
    filters: EventFilter, dialect: Dialect, text_sql: TextSQL | None = None
) -> tuple[list[str], list[Any]]:
    """Every condition of a filter over events `e`, parties and text through the search
    columns (store/search.py); `text_sql`: the store's plan for a text search, else a scan."""
    clauses, params = event_conditions(filters, dialect)

    def add(found: tuple[str, list[Any]]) -> None:
        clauses.append(found[0])
        params.extend(found[1])

    if filters.country:
        add(search.exact(["party_codes"], filters.country.strip().upper(), dialect))
    if filters.sector:
        add(search.exact(["party_sectors"], filters.sector.strip().upper(), dialect))
    if filters.actor_key:
        add(search.keyed(filters.actor_key, dialect))
    if filters.actor:
        add(search.contains(["actor_names", "recipient_names"], filters.actor, dialect))
    if filters.text:
        if text_sql is None:
            add(textsearch.scan_condition(filters.text, dialect))
        else:
            add(text_sql(filters.text))
    return clauses, params


def where(reader: Reader, filters: EventFilter, *extra: str) -> tuple[str, list[Any]]:
    """` WHERE ...` over events `e` for a store (its dialect and text plans), and parameters."""
    clauses, params = conditions(filters, reader.dialect, reader.text_sql)
    clauses += extra
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params
