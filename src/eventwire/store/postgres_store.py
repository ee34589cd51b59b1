"""The shared PostgreSQL store: one database for a team, safe with several ingesters at once.

Idempotence lives in the database, not in this process: articles.hash is UNIQUE and new
articles go in with ON CONFLICT DO NOTHING, so two ingesters racing over the same corpus leave
one copy. A batch is COPYed into a temporary table, moved into `articles` in hash order (two
writers lock rows in the same order, so they cannot deadlock) and only the articles that were
really inserted get their sentences, events and actors COPYed in the same transaction.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections.abc import Iterator, Sequence
from typing import Any
from urllib.parse import urlsplit

import psycopg

from eventwire.records import Article, Event, Skipped
from eventwire.store import kb_proposals as kb_sql
from eventwire.store import migrations, summaries
from eventwire.store.base import Store
from eventwire.store.dialect import POSTGRES
from eventwire.store.errors import StoreError
from eventwire.store.pg_pool import ReaderPool
from eventwire.store.record_order import in_record_order
from eventwire.store.rows import ArticleRows, article_rows, skipped_row

DDL = """
CREATE SEQUENCE IF NOT EXISTS articles_id_seq;
CREATE TABLE IF NOT EXISTS articles (
    id BIGINT PRIMARY KEY DEFAULT nextval('articles_id_seq'),
    article_id TEXT NOT NULL,
    hash TEXT NOT NULL UNIQUE,
    title TEXT,
    date DATE,
    url TEXT,
    source TEXT,
    origin TEXT,
    text TEXT NOT NULL,
    n_words INTEGER,
    ingested_at TIMESTAMP,
    encoding TEXT
);
CREATE TABLE IF NOT EXISTS sentences (
    article_hash TEXT NOT NULL,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    text TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    ord BIGINT GENERATED ALWAYS AS IDENTITY,
    id TEXT PRIMARY KEY,
    article_hash TEXT NOT NULL,
    article_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    type TEXT NOT NULL,
    modes TEXT[],
    date DATE,
    factuality TEXT,
    sentence_idx INTEGER,
    trigger TEXT,
    trigger_start INTEGER,
    trigger_end INTEGER,
    confidence DOUBLE PRECISION,
    decided_by TEXT,
    place TEXT,
    place_country TEXT,
    lat DOUBLE PRECISION,
    lon DOUBLE PRECISION,
    record JSONB NOT NULL,
    party_codes TEXT,
    party_sectors TEXT,
    actor_keys TEXT,
    recipient_keys TEXT,
    actor_names TEXT,
    recipient_names TEXT,
    sentence_words TEXT
);
CREATE TABLE IF NOT EXISTS actors (
    event_id TEXT NOT NULL,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    name TEXT,
    code TEXT,
    sector TEXT,
    office TEXT,
    text TEXT,
    resolution TEXT,
    identifier_id TEXT
);
CREATE TABLE IF NOT EXISTS skipped (
    article_id TEXT NOT NULL,
    origin TEXT,
    reason TEXT NOT NULL,
    skipped_at TIMESTAMP
);
CREATE UNIQUE INDEX IF NOT EXISTS skipped_once
    ON skipped (article_id, reason, coalesce(origin, ''), (origin IS NULL));
CREATE INDEX IF NOT EXISTS sentences_article ON sentences (article_hash, idx);
CREATE INDEX IF NOT EXISTS events_article ON events (article_hash, seq);
CREATE INDEX IF NOT EXISTS events_type ON events (type);
CREATE INDEX IF NOT EXISTS events_date ON events (date);
CREATE INDEX IF NOT EXISTS actors_event ON actors (event_id);
CREATE INDEX IF NOT EXISTS actors_code ON actors (code);
"""

# A batch lands here first; ids are drawn in ingest order, rows move on in hash order.
STAGE = """
CREATE TEMP TABLE IF NOT EXISTS stage_articles (
    id BIGINT NOT NULL DEFAULT nextval('articles_id_seq'),
    article_id TEXT, hash TEXT, title TEXT, date DATE, url TEXT, source TEXT, origin TEXT,
    text TEXT, n_words INTEGER, ingested_at TIMESTAMP, encoding TEXT
) ON COMMIT DELETE ROWS
"""


def _columns(ddl: str) -> dict[str, tuple[str, ...]]:
    """Columns we write, per table, in DDL order (not those the database fills itself)."""
    tables = re.findall(r"CREATE TABLE IF NOT EXISTS (\w+) \((.*?)\n\);", ddl, re.S)
    return {
        name: tuple(
            line.split()[0]
            for line in body.strip().splitlines()
            if " DEFAULT " not in line and " IDENTITY" not in line
        )
        for name, body in tables
    }


# Column order of each COPY (articles.id comes from the sequence, events.ord counts rows in).
COLUMNS = {k: v for k, v in _columns(DDL).items() if k != "skipped"}

TABLES = ("articles", "sentences", "events", "actors", "skipped", "kb_proposals")

_MOVE_ARTICLES = (
    "INSERT INTO articles (id, {cols}) SELECT id, {cols} FROM stage_articles ORDER BY hash"
    " ON CONFLICT (hash) DO NOTHING RETURNING hash"
).format(cols=", ".join(COLUMNS["articles"]))

_SKIPPED_INSERT = (
    "INSERT INTO skipped (article_id, origin, reason, skipped_at)"
    " VALUES (%(article_id)s, %(origin)s, %(reason)s, %(skipped_at)s) ON CONFLICT DO NOTHING"
)

SCHEMA_LOCK = 7_416_153_842_001  # pg_advisory_xact_lock key: one DDL run at a time
_cursor_names = itertools.count()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def redact(url: str) -> str:
    """The URL without its password (user info or ?password=), safe to print or show."""
    parts = urlsplit(url)
    if parts.password is not None:
        host = parts.netloc.rsplit("@", 1)[1]
        url = url.replace(parts.netloc, f"{parts.username or ''}:***@{host}", 1)
    return re.sub(r"([?&])password=[^&]*", r"\1password=***", url)


class PostgresStore(Store):
    """Buffers coded articles and writes them every `batch_size` articles in one transaction."""

    dialect = POSTGRES

    def __init__(self, url: str, batch_size: int = 200, read_only: bool = False) -> None:
        self.url = redact(url)
        self.batch_size = batch_size
        self.read_only = read_only
        try:
            self._con = psycopg.connect(url, autocommit=True)
        except psycopg.Error as exc:
            raise StoreError(f"cannot open the database {self.url}: {exc}") from exc
        try:
            self._prepare()
        except BaseException:
            self._con.close()
            raise
        self._pending: list[ArticleRows] = []
        self._pending_hashes: set[str] = set()
        self._skipped: dict[tuple[str, str | None, str], dict[str, Any]] = {}
        self._proposals: list[tuple[Any, ...]] = []  # kb_proposals rows, written by flush
        self._dropped: set[str] = set()  # ids of articles another writer stored first
        self._readers = ReaderPool(url)

    def _missing(self) -> list[str]:
        """Tables not there yet (a writer may lack CREATE rights once they all exist)."""
        rows = self._con.execute(
            "SELECT t FROM unnest(%s::text[]) t WHERE to_regclass(t) IS NULL", [list(TABLES)]
        )
        return [t for (t,) in rows.fetchall()]

    def _prepare(self) -> None:
        """Create the tables (writers) or check they exist (readers)."""
        try:
            if self.read_only:
                self._con.execute("SET default_transaction_read_only = on")
                if "articles" in self._missing():
                    raise FileNotFoundError(
                        f"no eventwire tables in {self.url}: run `eventwire ingest` first"
                    )
                migrations.refuse_older(self, self.url)
                return
            if self._missing():
                with self._con.transaction():
                    self._con.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
                    self._con.execute(DDL)
                    self._con.execute(kb_sql.DDL)
            if migrations.version(self) < migrations.VERSION:
                self._migrate()
            self._con.execute(STAGE)
        except psycopg.Error as exc:
            raise StoreError(f"cannot use the database {self.url}: {exc}") from exc

    def _migrate(self) -> None:
        """Bring an older database up to the current schema, once, in one transaction."""
        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
            migrations.upgrade(self)  # a writer that migrated meanwhile leaves nothing to do

    # --- what store/migrations.py needs -----------------------------------------------------

    def run(self, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        cur = self._con.execute(sql, params or None)
        return cur.fetchall() if cur.description is not None else []

    def tables(self) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for table, column in self._con.execute(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema()"
        ).fetchall():
            found.setdefault(table, set()).add(column)
        return found

    def update_events(self, rows: list[dict[str, Any]], columns: tuple[str, ...]) -> None:
        names = ("id", *columns)
        with self._con.cursor() as cur:
            cur.execute(
                f"CREATE TEMP TABLE backfill ({', '.join(c + ' TEXT' for c in names)})"
                " ON COMMIT DROP"
            )
            with cur.copy(f"COPY backfill ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row([row[c] for c in names])
            sets = ", ".join(f"{c} = b.{c}" for c in columns)
            cur.execute(f"UPDATE events SET {sets} FROM backfill b WHERE b.id = events.id")

    # --- writing -----------------------------------------------------------------------------

    def has_article(self, content_hash: str) -> bool:
        if content_hash in self._pending_hashes:
            return True
        row = self._con.execute("SELECT 1 FROM articles WHERE hash = %s", [content_hash])
        return row.fetchone() is not None

    def add_article(
        self, article: Article, events: Sequence[Event], sentences: Sequence[tuple[int, int]]
    ) -> bool:
        """Buffered: an article another ingester commits first is dropped at flush time."""
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

    def _copy(self, cur: psycopg.Cursor[Any], table: str, rows: list[dict[str, Any]]) -> None:
        """Rows into a table through COPY, the fastest way in."""
        if not rows:
            return
        columns = COLUMNS["articles" if table == "stage_articles" else table]
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cur.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])

    def _write(self, pending: list[ArticleRows], skipped: list[dict[str, Any]]) -> set[str]:
        """One transaction: new articles first, then the rows of those that were really new.

        Returns the ids of articles another writer had stored first (their rows are dropped).
        """
        dropped: set[str] = set()
        with self._con.transaction(), self._con.cursor() as cur:
            if pending:
                self._copy(cur, "stage_articles", [p.article for p in pending])
                cur.execute(_MOVE_ARTICLES)
                new = {h for (h,) in cur.fetchall()}
                fresh = [p for p in pending if p.article["hash"] in new]
                self._copy(cur, "sentences", [s for p in fresh for s in p.sentences])
                self._copy(cur, "events", [e for p in fresh for e in p.events])
                self._copy(cur, "actors", [a for p in fresh for a in p.actors])
                for sql, params in summaries.refresh_sql(POSTGRES, sorted(new)):
                    cur.execute(sql, params)
                kept = {p.article["article_id"] for p in fresh}
                dropped = {p.article["article_id"] for p in pending} - kept
            if skipped:
                cur.executemany(_SKIPPED_INSERT, skipped)
            proposals = self._proposals_of(self._dropped | dropped)
            if proposals:
                cur.executemany(kb_sql.insert_sql("%s"), proposals)
        return dropped

    def _proposals_of(self, dropped: set[str]) -> list[tuple[Any, ...]]:
        """Buffered proposals, less those of articles a racing ingester stored (and proposed)."""
        at = kb_sql.COLUMNS.index("article_id")
        return [row for row in self._proposals if row[at] not in dropped]

    def flush(self) -> None:
        if not self._pending and not self._skipped and not self._proposals:
            return
        try:
            dropped = self._write(self._pending, list(self._skipped.values()))
        except psycopg.Error as exc:
            raise StoreError(f"cannot write to the database {self.url}: {exc}") from exc
        self._pending, self._pending_hashes, self._skipped = [], set(), {}
        self._proposals, self._dropped = [], dropped

    # --- KB proposals (resolve/actors/learn.py; SQL in store/kb_proposals.py) -----------------

    def add_kb_proposals(self, proposals: Sequence[dict[str, Any]]) -> None:
        self._proposals += [kb_sql.row(p, _now()) for p in proposals]

    def kb_proposals(
        self, status: str | None = "pending", ids: Sequence[int] | None = None
    ) -> list[dict[str, Any]]:
        if not self.read_only:
            self.flush()
        sql, params = kb_sql.select_sql(status, ids, "%s")
        try:
            return kb_sql.as_dicts(self.fetch(sql, params))
        except psycopg.errors.UndefinedTable:  # a database written before the table existed
            return []

    def set_kb_proposals_status(self, ids: Sequence[int], status: str) -> int:
        self.flush()
        sql, params = kb_sql.update_sql(ids, status, "%s")
        try:
            self._con.execute(sql, params)
        except psycopg.Error as exc:
            raise StoreError(f"cannot write to the database {self.url}: {exc}") from exc
        return len(self.kb_proposals(status, ids))

    # --- reading -----------------------------------------------------------------------------

    def fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        """One SELECT on a pooled connection: threads read in parallel, never in a write."""
        try:
            with self._readers.connection() as con:
                return con.execute(sql, params).fetchall()
        except psycopg.OperationalError as exc:  # connection lost: the next query reconnects
            raise StoreError(f"lost the database {self.url}: {exc}") from exc

    def stream(self, sql: str, params: list[Any]) -> Iterator[tuple[Any, ...]]:
        """Rows through a server-side cursor: memory stays flat on big exports."""
        with (
            self._readers.connection() as con,
            con.transaction(),
            con.cursor(name=f"stream_{next(_cursor_names)}") as cur,
        ):
            cur.execute(sql, params)
            while rows := cur.fetchmany(1000):
                yield from rows

    def record(self, value: Any) -> dict[str, Any]:
        """JSONB comes back decoded, keys re-sorted: restore the written order."""
        if isinstance(value, str | bytes):
            value = json.loads(value)
        record: dict[str, Any] = in_record_order()(value)
        return record

    def counts(self) -> dict[str, int]:
        self.flush()
        sql = " UNION ALL ".join(f"SELECT '{t}', count(*) FROM {t}" for t in TABLES[:5])
        return {t: int(n) for t, n in self.fetch(sql, [])}

    def skipped_reasons(self) -> dict[str, int]:
        self.flush()
        sql = "SELECT reason, count(*) FROM skipped GROUP BY reason ORDER BY 2 DESC, 1"
        return {r: int(n) for r, n in self.fetch(sql, [])}

    def close(self) -> None:
        try:
            if not self.read_only:
                self.flush()
        finally:
            self._con.close()
            self._readers.close()
