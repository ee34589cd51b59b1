"""The `kb_proposals` table: every SQL statement about it, portable to DuckDB and PostgreSQL.

Proposals come from resolve/actors/learn.py (one dict per proposal, keys = COLUMNS without
id/status/created_at); `eventwire kb review/accept/reject` read and update them. A back-end
runs DDL when it opens for writing, buffers rows and inserts them with INSERT_SQL in the
same transaction as the articles they came from. `param` is the driver's placeholder.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

STATUSES = ("pending", "accepted", "rejected")
COLUMNS = (
    "name",
    "country",
    "office",
    "role",
    "sector",
    "kind",
    "pattern",
    "mention",
    "article_id",
    "article_date",
    "sentence",
    "created_at",
)
READ_COLUMNS = ("id", *COLUMNS[:-1], "status")

DDL = """
CREATE SEQUENCE IF NOT EXISTS kb_proposals_id_seq;
CREATE TABLE IF NOT EXISTS kb_proposals (
    id BIGINT PRIMARY KEY DEFAULT nextval('kb_proposals_id_seq'),
    name VARCHAR NOT NULL,
    country VARCHAR,
    office VARCHAR,
    role VARCHAR,
    sector VARCHAR,
    kind VARCHAR,
    pattern VARCHAR,
    mention VARCHAR,
    article_id VARCHAR,
    article_date DATE,
    sentence VARCHAR,
    status VARCHAR NOT NULL DEFAULT 'pending',
    created_at TIMESTAMP
);
"""


def insert_sql(param: str = "?") -> str:
    """One row per execution (executemany)."""
    marks = ", ".join([param] * len(COLUMNS))
    return f"INSERT INTO kb_proposals ({', '.join(COLUMNS)}) VALUES ({marks})"


def row(proposal: dict[str, Any], at: dt.datetime) -> tuple[Any, ...]:
    """A proposal dict as an insert row (dates parsed, unknown keys ignored)."""
    values = dict(proposal, created_at=at)
    day = values.get("article_date")
    if isinstance(day, str):
        values["article_date"] = dt.date.fromisoformat(day) if day else None
    return tuple(values.get(column) for column in COLUMNS)


def select_sql(
    status: str | None, ids: Sequence[int] | None, param: str = "?"
) -> tuple[str, list[Any]]:
    """Proposals by status and/or id, grouped for review (name, then id)."""
    clauses: list[str] = []
    params: list[Any] = []
    if status:
        clauses.append(f"status = {param}")
        params.append(status)
    if ids:
        clauses.append(f"id IN ({', '.join([param] * len(ids))})")
        params += [int(i) for i in ids]
    where = " WHERE " + " AND ".join(clauses) if clauses else ""
    sql = f"SELECT {', '.join(READ_COLUMNS)} FROM kb_proposals{where} ORDER BY lower(name), id"
    return sql, params


def update_sql(ids: Sequence[int], status: str, param: str = "?") -> tuple[str, list[Any]]:
    """Set the status of the given proposals."""
    if status not in STATUSES:
        raise ValueError(f"unknown status {status!r}: use one of {', '.join(STATUSES)}")
    marks = ", ".join([param] * len(ids))
    sql = f"UPDATE kb_proposals SET status = {param} WHERE id IN ({marks})"
    return sql, [status, *[int(i) for i in ids]]


def as_dicts(rows: Sequence[Sequence[Any]]) -> list[dict[str, Any]]:
    """Rows of select_sql as dicts, dates as ISO strings."""
    out = []
    for values in rows:
        item = dict(zip(READ_COLUMNS, values, strict=True))
        if isinstance(item.get("article_date"), dt.date):
            item["article_date"] = item["article_date"].isoformat()
        out.append(item)
    return out
