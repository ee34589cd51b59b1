"""One schema version per database, and the steps that bring an older one up to date.

Versions: 1, before the search columns (store/search.py); 2, with them; 3, with the summary
tables (store/summaries.py) and the `schema_version` row; 4, with the feed watcher's tables
(store/feeds.py); 5, with `articles.encoding` (the codec that decoded the article's bytes; NULL
for articles stored before it). A writer's open runs the missing steps in one transaction; a
read-only open of an older database is refused with the command that migrates it (`eventwire
migrate`), so no read path has to know an old layout. DuckDB's word index keeps its own layout
check (store/duckdb_text.py).
"""

from __future__ import annotations

from typing import Any, Protocol

from eventwire.store import feeds, search, summaries
from eventwire.store.dialect import Dialect, Row
from eventwire.store.errors import StoreError

VERSION = 5
SCHEMA = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"

# Filling the search columns of a store written before them: the same Python as ingest.
BACKFILL_EVENTS = (
    "SELECT e.id, s.text FROM events e LEFT JOIN sentences s"
    " ON s.article_hash = e.article_hash AND s.idx = e.sentence_idx"
)
BACKFILL_PARTIES = (
    "SELECT event_id, role, name, code, sector, text FROM actors"
    " WHERE role IN ('actor', 'recipient')"
)


class Database(Protocol):
    """What a migration needs of a back-end, inside the transaction its caller opened."""

    dialect: Dialect

    def run(self, sql: str, params: list[Any] | None = None) -> list[Row]:
        """Execute one statement on the writing connection; its rows (if any)."""

    def tables(self) -> dict[str, set[str]]:
        """Columns of each table of the store's schema."""

    def update_events(self, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
        """Set `columns` of the events named by each row's "id", in bulk."""


def version(db: Database) -> int:
    """The schema version of a database (a fresh one reads as the newest)."""
    tables = db.tables()
    if "schema_version" in tables:
        rows = db.run("SELECT max(version) FROM schema_version")
        return int(rows[0][0]) if rows and rows[0][0] is not None else 2
    if "events" not in tables:
        return VERSION
    return 2 if "sentence_words" in tables["events"] else 1


def refuse_older(db: Database, where: str) -> None:
    """A read-only open: an older database has to be migrated by a writer first."""
    found = version(db)
    if found < VERSION:
        raise StoreError(
            f"{where} has schema version {found} (this eventwire writes {VERSION}):"
            " run `eventwire migrate --db ...` once (it opens the database for writing)"
        )


def upgrade(db: Database) -> int:
    """Run every missing step (the caller holds a transaction); the version found."""
    found = version(db)
    if found < 2:
        _add_search_columns(db)
    if found < 3:
        _add_summaries(db)
    if found < 4:
        _add_watch_tables(db)
    if found < 5:
        _add_encoding(db)
    if found < VERSION:
        _stamp(db)
    return found


def _add_search_columns(db: Database) -> None:
    present = db.tables()["events"]
    for column in search.COLUMNS:
        if column not in present:
            db.run(f"ALTER TABLE events ADD COLUMN {column} VARCHAR")
    events = db.run(BACKFILL_EVENTS)
    by_event: dict[str, list[search.Party]] = {}
    for event_id, *party in db.run(BACKFILL_PARTIES):
        by_event.setdefault(event_id, []).append(tuple(party))  # type: ignore[arg-type]
    rows = [
        {"id": event_id, **search.search_values(by_event.get(event_id, []), text)}
        for event_id, text in events
    ]
    if rows:
        db.update_events(rows, search.COLUMNS)


def _add_summaries(db: Database) -> None:
    for table in summaries.TABLES:
        db.run(f"DROP TABLE IF EXISTS {table}")
    for statement in summaries.ddl().split(";"):
        if statement.strip():
            db.run(statement)
    for sql, params in summaries.refresh_sql(db.dialect, None):
        db.run(sql, params)


def _add_watch_tables(db: Database) -> None:
    for statement in feeds.ddl().split(";"):
        if statement.strip():
            db.run(statement)


def _add_encoding(db: Database) -> None:
    if "encoding" not in db.tables()["articles"]:
        db.run("ALTER TABLE articles ADD COLUMN encoding VARCHAR")


def _stamp(db: Database) -> None:
    db.run(SCHEMA)
    db.run("DELETE FROM schema_version")
    db.run(f"INSERT INTO schema_version VALUES ({VERSION})")
