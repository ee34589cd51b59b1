"""Event groups and copy groups kept beside the events (tables link_copies, link_events).

The store's own tables are untouched: this module reads and writes its two tables through
the store's connection, placeholder and filters, so it works on DuckDB and PostgreSQL alike.
Events stored before linking existed are linked the first time a writer opens the file.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from eventwire.link.linker import ArticleLinks, Linker
from eventwire.output import article_records
from eventwire.store.where import where as where_sql

if TYPE_CHECKING:
    from eventwire.records import Article, Event
    from eventwire.store.base import EventFilter, Store

DDL = """
CREATE TABLE IF NOT EXISTS link_copies (
    article_hash VARCHAR PRIMARY KEY,
    copy_group VARCHAR NOT NULL,
    ord BIGINT NOT NULL,
    day DATE,
    signature {blob}
);
CREATE TABLE IF NOT EXISTS link_events (
    event_id VARCHAR PRIMARY KEY,
    group_id VARCHAR NOT NULL,
    article_hash VARCHAR NOT NULL,
    copy_group VARCHAR NOT NULL,
    ord BIGINT NOT NULL,
    score DOUBLE PRECISION
);
"""
BATCH = 500  # articles' links per write


def _is_pg(store: Store) -> bool:
    return store.dialect.name != "duckdb"


def has_tables(store: Store) -> bool:
    """False for a file no linker has written to (every event is then its own group)."""
    rows = store.fetch(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'link_events'", []
    )
    return bool(rows and rows[0][0])


class GroupWriter:
    """Links each newly stored article and writes its copy group and event groups."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.p = store.dialect.param
        con = store._con  # type: ignore[attr-defined]
        # DuckDB: a cursor of our own, so no result of the store's is left open under us
        self._con = con if _is_pg(store) else con.cursor()
        self._create_tables()
        self.linker = Linker(backing=self)
        self._pending: list[ArticleLinks] = []
        row = store.fetch("SELECT coalesce(max(ord), 0) FROM link_copies", [])
        self._ord = int(row[0][0]) if row else 0
        row = store.fetch("SELECT coalesce(max(ord), 0) FROM link_events", [])
        self._event_ord = int(row[0][0]) if row else 0

    def _create_tables(self) -> None:
        """The two tables, once: PostgreSQL writers starting together take turns (a
        concurrent CREATE TABLE IF NOT EXISTS can still collide in the catalogue)."""
        statements = [
            s
            for s in DDL.format(blob="BYTEA" if _is_pg(self.store) else "BLOB").split(";")
            if s.strip()
        ]
        if not _is_pg(self.store):
            for statement in statements:
                self._con.execute(statement)
            return
        from eventwire.store.postgres_store import SCHEMA_LOCK

        with self._con.transaction():
            self._con.execute("SELECT pg_advisory_xact_lock(%s)", [SCHEMA_LOCK])
            for statement in statements:
                self._con.execute(statement)

    # --- Backing (link/linker.py) ------------------------------------------------------------

    def copy_signatures(
        self, first: dt.date | None, last: dt.date | None
    ) -> Iterable[tuple[str, str, dt.date | None, bytes]]:
        p = self.p
        sql = f"SELECT article_hash, copy_group, day, signature FROM link_copies WHERE ord <= {p}"
        if first is None or last is None:
            rows = self.store.fetch(f"{sql} AND day IS NULL ORDER BY ord", [self._ord])
        else:
            rows = self.store.fetch(
                f"{sql} AND day BETWEEN {p} AND {p} ORDER BY ord", [self._ord, first, last]
            )
        return [(h, g, d, bytes(s)) for h, g, d, s in rows]

    def mentions_between(
        self, first: dt.date, last: dt.date
    ) -> Iterable[tuple[dict[str, Any], str, str, str, dt.date | None]]:
        p = self.p
        sql = (
            "SELECT e.record, l.article_hash, l.copy_group, l.group_id, a.date"
            " FROM link_events l JOIN events e ON e.id = l.event_id"
            " JOIN articles a ON a.hash = l.article_hash"
            f" WHERE l.ord <= {p} AND (e.date BETWEEN {p} AND {p}"
            f" OR (e.date IS NULL AND a.date BETWEEN {p} AND {p})) ORDER BY l.ord"
        )
        rows = self.store.fetch(sql, [self._event_ord, first, last, first, last])
        return [(self.store.record(r), h, c, g, d) for r, h, c, g, d in rows]

    # --- writing -----------------------------------------------------------------------------

    def add(self, article: Article, events: Sequence[Event]) -> ArticleLinks:
        """Link one stored article; written with the next batch."""
        found = self.linker.add_article(
            article.content_hash, article.text, article_records(article, events), article.date
        )
        self._pending.append(found)
        if len(self._pending) >= BATCH:
            self.flush()
        return found

    def backfill(self) -> int:
        """Link stored articles no linker has seen, in ingest order; returns how many."""
        self.store.flush()
        sql = (
            "SELECT a.hash, a.text, a.date FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM link_copies c WHERE c.article_hash = a.hash) ORDER BY a.id"
        )
        count = 0
        for key, text, day in self.store.fetch(sql, []):
            records = self.store.fetch(
                f"SELECT record FROM events WHERE article_hash = {self.p} ORDER BY seq", [key]
            )
            found = self.linker.add_article(
                key, text, [self.store.record(r) for (r,) in records], day
            )
            self._pending.append(found)
            count += 1
            if len(self._pending) >= BATCH:
                self.flush()
        self.flush()
        return count

    def _rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        copies, links = [], []
        for found in self._pending:
            self._ord += 1
            copies.append((found.article, found.copy_group, self._ord, found.day, found.signature))
            for link in found.links:
                self._event_ord += 1
                row = (link.event_id, link.group_id, found.article, found.copy_group)
                links.append((*row, self._event_ord, link.score))
        return copies, links

    def flush(self) -> None:
        if not self._pending:
            return
        copies, links = self._rows()
        p = self.p
        copy_sql = (
            f"INSERT INTO link_copies VALUES ({p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
        )
        link_sql = (
            f"INSERT INTO link_events VALUES ({p}, {p}, {p}, {p}, {p}, {p}) ON CONFLICT DO NOTHING"
        )
        if _is_pg(self.store):
            with self._con.cursor() as cur:
                cur.executemany(copy_sql, copies)
                if links:
                    cur.executemany(link_sql, links)
        else:
            self._insert_arrow("link_copies", copies)
            self._insert_arrow("link_events", links)
        self._pending = []
        self.store.flush()  # the events it read back join these links: stored too
        self.linker.evict()  # all it drops is in the tables now

    def _insert_arrow(self, table: str, rows: list[tuple[Any, ...]]) -> None:
        """DuckDB reads an Arrow batch at once; executemany would cost a round trip a row."""
        import pyarrow as pa

        if not rows:
            return
        names = {
            "link_copies": ["article_hash", "copy_group", "ord", "day", "signature"],
            "link_events": ["event_id", "group_id", "article_hash", "copy_group", "ord", "score"],
        }[table]
        batch = pa.Table.from_pylist([dict(zip(names, r, strict=True)) for r in rows])
        self._con.register("link_batch", batch)
        try:
            self._con.execute(
                f"INSERT INTO {table} SELECT * FROM link_batch ON CONFLICT DO NOTHING"
            )
        finally:
            self._con.unregister("link_batch")

    def close(self) -> None:
        self.flush()
        if not _is_pg(self.store):
            self._con.close()

    def __enter__(self) -> GroupWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


# --- reading ---------------------------------------------------------------------------------


def mention_rows(store: Store, filters: EventFilter | None = None) -> Iterator[dict[str, Any]]:
    """Every mention of every group that has a mention matching the filters, by group.

    Rows: group_id, copy_group, record, source, article_id, article date, title, url, when it
    was ingested, the article's length. An event no linker has seen is its own group."""
    from eventwire.store.base import EventFilter

    f = filters or EventFilter()
    unlimited = EventFilter(**{**f.__dict__, "limit": None, "offset": 0, "sort": "ingest"})
    where, params = where_sql(store, unlimited)
    linked = has_tables(store)
    group = "coalesce(l.group_id, e.id)" if linked else "e.id"
    copy = "coalesce(l.copy_group, e.article_hash)" if linked else "e.article_hash"
    join = " LEFT JOIN link_events l ON l.event_id = e.id" if linked else ""
    sql = (
        f"WITH hit AS (SELECT DISTINCT {group} AS g FROM events e"
        f" JOIN articles a ON a.hash = e.article_hash{join}{where})"
        f" SELECT {group}, {copy}, e.record, a.source, a.article_id, a.date, a.title, a.url,"
        " a.ingested_at, length(a.text)"
        f" FROM events e JOIN articles a ON a.hash = e.article_hash{join}"
        f" JOIN hit ON hit.g = {group} ORDER BY {group}, a.id, e.seq"
    )
    for g, c, record, source, article_id, day, title, url, at, size in store.stream(sql, params):
        yield {
            "ingested_at": at,
            "doc_len": size,
            "group_id": g,
            "copy_group": c,
            "record": store.record(record),
            "source": source,
            "article_id": article_id,
            "published": day,
            "title": title,
            "url": url,
        }


def grouped(store: Store, filters: EventFilter | None = None) -> list[dict[str, Any]]:
    """One summary per event group (link/groups.py), earliest first, the filter's limit."""
    from eventwire.link.groups import summarize

    rows = list(mention_rows(store, filters))
    out = summarize(rows)
    if filters is not None and filters.offset:
        out = out[filters.offset :]
    if filters is not None and filters.limit is not None:
        out = out[: filters.limit]
    return out


def group_detail(store: Store, group_id: str) -> dict[str, Any] | None:
    """One group's summary and every mention with its article and source; None if unknown."""
    from eventwire.link.groups import summary

    p = store.dialect.param
    base = (
        "SELECT e.record, a.source, a.article_id, a.date, a.title, a.url, a.hash, {copy}"
        " FROM events e JOIN articles a ON a.hash = e.article_hash{join}"
        " WHERE {cond} ORDER BY a.id, e.seq"
    )
    if has_tables(store):
        sql = base.format(
            copy="coalesce(l.copy_group, e.article_hash)",
            join=" LEFT JOIN link_events l ON l.event_id = e.id",
            cond=f"coalesce(l.group_id, e.id) = {p}",
        )
    else:
        sql = base.format(copy="e.article_hash", join="", cond=f"e.id = {p}")
    rows = store.fetch(sql, [group_id])
    if not rows:
        return None
    mentions = [
        {
            "group_id": group_id,
            "copy_group": copy,
            "record": store.record(record),
            "source": source,
            "article_id": article_id,
            "published": day,
            "title": title,
            "url": url,
            "article_hash": key,
        }
        for record, source, article_id, day, title, url, key, copy in rows
    ]
    found = summary(group_id, mentions)
    found.pop("record")
    found["mentions"] = [
        {
            "id": m["record"]["id"],
            "date": m["record"].get("date"),
            "event": m["record"].get("event"),
            "sentence": (m["record"].get("text_info") or {}).get("sentence_text"),
            "source": m["source"],
            "article_id": m["article_id"],
            "article_hash": m["article_hash"],
            "title": m["title"],
            "url": m["url"],
            "published": m["published"],
            "copy_group": m["copy_group"],
        }
        for m in mentions
    ]
    return found
