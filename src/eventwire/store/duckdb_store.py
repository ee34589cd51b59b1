"""The embedded DuckDB store: one file, bulk inserts through Arrow in batched transactions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.config import settings
from eventwire.records import Article, Event, Skipped
from eventwire.store import kb_proposals as kb_sql
from eventwire.store import migrations, summaries
from eventwire.store.base import Store
from eventwire.store.dialect import DUCKDB
from eventwire.store.duckdb_text import TextIndex
from eventwire.store.errors import StoreError
from eventwire.store.filters import EventFilter
from eventwire.store.rows import ArticleRows, article_rows, skipped_row

DDL = """
CREATE SEQUENCE IF NOT EXISTS articles_id_seq;
CREATE TABLE IF NOT EXISTS articles (
    id BIGINT PRIMARY KEY DEFAULT nextval('articles_id_seq'),
    article_id VARCHAR NOT NULL,
    hash VARCHAR NOT NULL UNIQUE,
    title VARCHAR,
    date DATE,
    url VARCHAR,
    source VARCHAR,
    origin VARCHAR,
    text VARCHAR NOT NULL,
    n_words INTEGER,
    ingested_at TIMESTAMP,
    encoding VARCHAR
);
CREATE TABLE IF NOT EXISTS sentences (
    article_hash VARCHAR NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    id VARCHAR PRIMARY KEY,
    article_hash VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    seq INTEGER NOT NULL,
    type VARCHAR NOT NULL,
    modes VARCHAR[],
    date DATE,
    factuality VARCHAR,
    sentence_idx INTEGER,
    trigger VARCHAR,
    trigger_start INTEGER,
    trigger_end INTEGER,
    confidence DOUBLE,
    decided_by VARCHAR,
    place VARCHAR,
    place_country VARCHAR,
    lat DOUBLE,
    lon DOUBLE,
    record JSON NOT NULL,
    party_codes VARCHAR,
    party_sectors VARCHAR,
    actor_keys VARCHAR,
    recipient_keys VARCHAR,
    actor_names VARCHAR,
    recipient_names VARCHAR,
    sentence_words VARCHAR
);
CREATE TABLE IF NOT EXISTS actors (
    event_id VARCHAR NOT NULL,
    role VARCHAR NOT NULL,
    position INTEGER NOT NULL,
    name VARCHAR,
    code VARCHAR,
    sector VARCHAR,
    office VARCHAR,
    text VARCHAR,
    resolution VARCHAR,
    identifier_id VARCHAR
);
CREATE TABLE IF NOT EXISTS skipped (
    article_id VARCHAR NOT NULL,
    origin VARCHAR,
    reason VARCHAR NOT NULL,
    skipped_at TIMESTAMP
);
"""

_S, _I, _F, _D, _T = pa.string(), pa.int32(), pa.float64(), pa.date32(), pa.timestamp("us")

# Arrow schemas of the batches (column order = insert order; articles.id comes from a sequence).
SCHEMAS: dict[str, pa.Schema] = {
    "articles": pa.schema(
        [
            ("article_id", _S),
            ("hash", _S),
            ("title", _S),
            ("date", _D),
            ("url", _S),
            ("source", _S),
            ("origin", _S),
            ("text", _S),
            ("n_words", _I),
            ("ingested_at", _T),
            ("encoding", _S),
        ]
    ),
    "sentences": pa.schema(
        [("article_hash", _S), ("idx", _I), ("start_char", _I), ("end_char", _I), ("text", _S)]
    ),
    "events": pa.schema(
        [
            ("id", _S),
            ("article_hash", _S),
            ("article_id", _S),
            ("seq", _I),
            ("type", _S),
            ("modes", pa.list_(_S)),
            ("date", _D),
            ("factuality", _S),
            ("sentence_idx", _I),
            ("trigger", _S),
            ("trigger_start", _I),
            ("trigger_end", _I),
            ("confidence", _F),
            ("decided_by", _S),
            ("place", _S),
            ("place_country", _S),
            ("lat", _F),
            ("lon", _F),
            ("record", _S),
            ("party_codes", _S),
            ("party_sectors", _S),
            ("actor_keys", _S),
            ("recipient_keys", _S),
            ("actor_names", _S),
            ("recipient_names", _S),
            ("sentence_words", _S),
        ]
    ),
    "actors": pa.schema(
        [
            ("event_id", _S),
            ("role", _S),
            ("position", _I),
            ("name", _S),
            ("code", _S),
            ("sector", _S),
            ("office", _S),
            ("text", _S),
            ("resolution", _S),
            ("identifier_id", _S),
        ]
    ),
    "skipped": pa.schema([("article_id", _S), ("origin", _S), ("reason", _S), ("skipped_at", _T)]),
}

# Re-running over the same bad inputs must not pile up duplicate skip rows.
_SKIPPED_INSERT = """
INSERT INTO skipped SELECT b.* FROM batch_skipped b WHERE NOT EXISTS (
    SELECT 1 FROM skipped s WHERE s.article_id = b.article_id
    AND s.origin IS NOT DISTINCT FROM b.origin AND s.reason = b.reason)
"""


def _prefix(content_hash: str) -> int:
    return int(content_hash[:16], 16)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _hint(exc: Exception) -> str:
    """A DuckDB file has one writing process: say how to write beside a running server."""
    if "lock" not in str(exc).lower():
        return ""
    return (
        "\n(a DuckDB file has one writer: to watch feeds into the file a server has open, run"
        " `eventwire serve --watch SOURCES`; a server with a write token takes articles at"
        " POST /api/articles)"
    )


class DuckDBStore(Store):
    """Buffers coded articles and writes them every `batch_size` articles in one transaction."""

    dialect = DUCKDB

    def __init__(self, path: str | Path, batch_size: int = 200, read_only: bool = False) -> None:
        self.url = str(path)
        self.batch_size = batch_size
        self.read_only = read_only
        try:
            self._con = duckdb.connect(str(path), read_only=read_only)
            self._con.execute("SET enable_progress_bar = false")  # no bars in ingest's output
            if not read_only:
                limit = settings().duckdb_memory.replace("'", "")
                self._con.execute(f"SET memory_limit = '{limit}'")
                self._con.execute(DDL)
                self._con.execute(kb_sql.DDL)
            self._migrate()
            self.text = TextIndex(self._con, read_only, self.fetch)
            self.text.open()
        except duckdb.Error as exc:  # locked by another process, not a DuckDB file, ...
            raise StoreError(f"cannot open the database {path}: {exc}{_hint(exc)}") from exc
        self._pending: list[ArticleRows] = []
        self._pending_hashes: set[str] = set()
        self._skipped: dict[tuple[str, str | None, str], dict[str, Any]] = {}
        self._prefixes: set[int] | None = None
        self._proposals: list[tuple[Any, ...]] = []  # kb_proposals rows, written by flush

    def _migrate(self) -> None:
        """Bring an older file up to the current schema (a reader: refuse it)."""
        if self.read_only:
            try:
                migrations.refuse_older(self, self.url)
            except StoreError:
                self._con.close()
                raise
            return
        self._con.begin()
        try:
            migrations.upgrade(self)
            self._con.commit()
        except BaseException:
            self._con.rollback()
            raise

    # --- what store/migrations.py needs -----------------------------------------------------

    def run(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        return self._con.execute(sql, params or []).fetchall()

    def tables(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table, column in self._con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_catalog = current_database() AND table_schema = current_schema()"
        ).fetchall():
            found.setdefault(table, set()).add(column)
        return found

    def update_events(self, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
        batch = pa.Table.from_pylist(
            rows, schema=pa.schema([("id", _S)] + [(c, _S) for c in columns])
        )
        self._con.register("backfill", batch)
        try:
            sets = ", ".join(f"{c} = b.{c}" for c in columns)
            self._con.execute(f"UPDATE events SET {sets} FROM backfill b WHERE b.id = events.id")
        finally:
            self._con.unregister("backfill")

    # --- writing -----------------------------------------------------------------------------

    def _known(self) -> set[int]:
        """64-bit prefixes of every stored hash, loaded once: a DuckDB point query costs ~1 ms,
        a set lookup nothing. Safe because a DuckDB file has a single writing process."""
        if self._prefixes is None:
            rows = self._con.execute("SELECT hash FROM articles").fetchall()
            self._prefixes = {_prefix(h) for (h,) in rows}
        return self._prefixes

    def has_article(self, content_hash: str) -> bool:
        if content_hash in self._pending_hashes:
            return True
        if _prefix(content_hash) not in self._known():
            return False
        row = self._con.execute("SELECT 1 FROM articles WHERE hash = ? LIMIT 1", [content_hash])
        return row.fetchone() is not None

    def add_article(
        self, article: Article, events: Sequence[Event], sentences: Sequence[tuple[int, int]]
    ) -> bool:
        if self.has_article(article.content_hash):
            return False
        self._pending.append(article_rows(article, events, sentences, _now()))
        self._pending_hashes.add(article.content_hash)
        if len(self._pending) >= self.batch_size:
            self.flush()
        return True

    def add_skipped(self, skipped: Skipped) -> None:
        key = (skipped.article_id, skipped.origin, skipped.reason)
        self._skipped.setdefault(key, skipped_row(skipped, _now()))
        if len(self._skipped) >= self.batch_size:
            self.flush()

    def _insert(self, table: str, rows: list[dict[str, Any]], sql: str | None = None) -> None:
        """One Arrow batch into one table (DuckDB reads the Arrow buffers directly)."""
        if not rows:
            return
        batch = pa.Table.from_pylist(rows, schema=SCHEMAS[table])
        name = f"batch_{table}"
        self._con.register(name, batch)
        try:
            columns = ", ".join(SCHEMAS[table].names)
            self._con.execute(sql or f"INSERT INTO {table} ({columns}) SELECT * FROM {name}")
        finally:
            self._con.unregister(name)

    def flush(self) -> None:
        if not self._pending and not self._skipped and not self._proposals:
            return
        pending, skipped = self._pending, list(self._skipped.values())
        self._con.begin()
        try:
            self._insert("articles", [p.article for p in pending])
            self._insert("sentences", [s for p in pending for s in p.sentences])
            self._insert("events", [e for p in pending for e in p.events])
            self._insert("actors", [a for p in pending for a in p.actors])
            self._insert("skipped", skipped, _SKIPPED_INSERT)
            if self._proposals:
                self._con.executemany(kb_sql.insert_sql(), self._proposals)
            if pending:
                hashes = [p.article["hash"] for p in pending]
                for sql, params in summaries.refresh_sql(DUCKDB, hashes):
                    self._con.execute(sql, params)
            self._con.commit()
        except BaseException:
            self._con.rollback()
            raise
        if self.text.enabled:
            self.text.index_new_events()
        if self._prefixes is not None:
            self._prefixes.update(_prefix(h) for h in self._pending_hashes)
        self._pending, self._pending_hashes, self._skipped = [], set(), {}
        self._proposals = []

    # --- KB proposals (resolve/actors/learn.py; SQL in store/kb_proposals.py) -----------------

    def add_kb_proposals(self, proposals: Sequence[dict[str, Any]]) -> None:
        self._proposals += [kb_sql.row(p, _now()) for p in proposals]

    def kb_proposals(
        self, status: str | None = "pending", ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        if not self.read_only:
            self.flush()
        sql, params = kb_sql.select_sql(status, ids)
        try:
            return kb_sql.as_dicts(self.fetch(sql, params))
        except duckdb.CatalogException:  # a database written before the table existed
            return []

    def set_kb_proposals_status(self, ids: Sequence[int], status: str) -> int:
        self.flush()
        sql, params = kb_sql.update_sql(ids, status)
        self._con.execute(sql, params)
        return len(self.kb_proposals(status, ids))

    # --- reading -----------------------------------------------------------------------------

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """A cursor of its own per query: DuckDB cursors may run in parallel threads."""
        cursor = self._con.cursor()
        try:
            return cursor.execute(sql, params).fetchall()
        finally:
            cursor.close()

    def stream(self, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
        cursor = self._con.cursor()
        try:
            cursor.execute(sql, params)
            while rows := cursor.fetchmany(1000):
                yield from rows
        finally:
            cursor.close()

    def text_sql(self, text: str) -> tuple[str, list[Any]]:
        return self.text.sql(text)

    def text_bound(self, text: str) -> int | None:
        return self.text.bound(text)

    def text_page(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Any], int] | None:
        return self.text.page(f, limit, offset)

    def counts(self) -> dict[str, int]:
        self.flush()
        out: dict[str, int] = {}
        for table in ("articles", "sentences", "events", "actors", "skipped"):
            row = self._con.execute(f"SELECT count(*) FROM {table}").fetchone()
            out[table] = int(row[0]) if row else 0
        return out

    def skipped_reasons(self) -> dict[str, int]:
        self.flush()
        sql = "SELECT reason, count(*) FROM skipped GROUP BY reason ORDER BY 2 DESC, 1"
        return {r: int(n) for r, n in self._con.execute(sql).fetchall()}

    def close(self) -> None:
        try:
            if not self.read_only:
                self.flush()
        finally:
            self._con.close()
