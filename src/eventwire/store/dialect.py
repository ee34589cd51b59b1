"""What differs between the SQL of DuckDB and PostgreSQL, and what a read module needs from
a store: a connection to run SELECTs on (`Reader`) and its dialect."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import orjson

if TYPE_CHECKING:
    from eventwire.store.filters import EventFilter

Row = tuple[Any, ...]


@dataclass(frozen=True)
class Dialect:
    """Placeholders, the substring test, upserts and the keys event pages sort and fetch by."""

    name: str
    param: str  # the driver's placeholder
    tiebreak: str  # last ORDER BY key of event pages: the order rows came in
    page_key: str = "e.id"  # what a page query returns to look records up
    by_key: str = ""  # SQL of (page_key, record) by a list of keys; "" = by event id
    inline_records: bool = False  # a top-N may select the records themselves

    def binary(self, column: str) -> str:
        """`column` compared by code point, as Python sorts (PostgreSQL may use a locale)."""
        return column if self.name == "duckdb" else f'{column} COLLATE "C"'

    def holds(self, column: str) -> str:
        """SQL: `column` holds the parameter's text. DuckDB's `contains` scans 25-30% faster
        than the `strpos(...) > 0` that PostgreSQL needs."""
        if self.name == "duckdb":
            return f"contains({column}, ?)"
        return f"strpos({column}, {self.param}) > 0"

    def has_element(self, column: str) -> str:
        """SQL: the list `column` holds the parameter (DuckDB's fast form of `= ANY(list)`)."""
        if self.name == "duckdb":
            return f"list_contains({column}, ?)"
        return f"{self.param} = ANY({column})"

    def upsert(self, table: str, keys: tuple[str, ...], sums: tuple[str, ...]) -> str:
        """INSERT one row per execution, adding `sums` to a row with the same `keys`."""
        columns = (*keys, *sums)
        marks = ", ".join([self.param] * len(columns))
        added = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in sums)
        return (
            f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
            f" ON CONFLICT ({', '.join(keys)}) DO UPDATE SET {added}"
        )


DUCKDB = Dialect(
    "duckdb",
    "?",
    tiebreak="e.rowid",  # stable (rows are never deleted) and lets top-N skip row groups
    page_key="e.rowid",  # a top-N that returns e.id re-reads ids by row: 3-5x slower
    by_key="SELECT rowid, record FROM events WHERE rowid IN (SELECT unnest(?::BIGINT[]))",
    inline_records=True,  # a top-N reads `record` for its page rows only (late materialization)
)
POSTGRES = Dialect("postgres", "%s", tiebreak="e.ord")


class Reader(Protocol):
    """What read modules use of a store: SELECTs with parameters, and its text-search plans."""

    dialect: Dialect

    def fetch(self, sql: str, params: list[Any]) -> list[Row]:
        """Run one SELECT with parameters; every row as a tuple (thread-safe)."""

    def stream(self, sql: str, params: list[Any]) -> Iterator[Row]:
        """Rows one by one, for big exports."""

    def record(self, value: Any) -> dict[str, Any]:
        """A stored PLOVER record as the dict that was written."""

    def text_sql(self, text: str) -> tuple[str, list[Any]]:
        """The SQL condition of a text search on events `e`."""

    def text_bound(self, text: str) -> int | None:
        """At most how many events a text search matches, when the store knows cheaply."""

    def text_page(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Any], int] | None:
        """A page's keys and exact total of a search by text alone, when an index answers."""


def one(reader: Reader, sql: str, params: list[Any]) -> Any:
    """The first column of the first row (None without rows)."""
    rows = reader.fetch(sql, params)
    return rows[0][0] if rows else None


def json_record(value: Any) -> dict[str, Any]:
    """The stored PLOVER record: JSON text (DuckDB) or an already decoded dict."""
    if isinstance(value, str | bytes):
        record: dict[str, Any] = orjson.loads(value)
        return record
    return dict(value)
