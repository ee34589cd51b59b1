"""`eventwire load-lake`: a Parquet lake into DuckDB or PostgreSQL through the store API.

DuckDB (in memory) reads the lake, so no Java is needed; the rows stream into the store
in input order, each article text once, and what the store already holds is left out.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from eventwire.lake import layout
from eventwire.lake.revive import article_from_row, event_from_record
from eventwire.records import Skipped

FETCH_ROWS = 256

ARTICLES_SQL = """
WITH a AS (
    SELECT * FROM read_parquet(?, hive_partitioning = true)
    QUALIFY row_number() OVER (PARTITION BY hash ORDER BY batch, "order") = 1
), ev AS (
    SELECT article_hash, batch, list(record ORDER BY seq) AS records
    FROM read_parquet(?, hive_partitioning = true) GROUP BY article_hash, batch
)
SELECT a.article_id, a.hash, a.article_date, a.title, a.url, a.source, a.origin,
       a.raw_format, a.text, a.sentences, ev.records
FROM a LEFT JOIN ev ON ev.article_hash = a.hash AND ev.batch = a.batch
ORDER BY a.batch, a."order"
"""
ARTICLES_ONLY_SQL = """
SELECT article_id, hash, article_date, title, url, source, origin, raw_format, text, sentences,
       NULL AS records
FROM read_parquet(?, hive_partitioning = true)
QUALIFY row_number() OVER (PARTITION BY hash ORDER BY batch, "order") = 1
ORDER BY batch, "order"
"""
SKIPPED_SQL = """
SELECT article_id, origin, reason FROM read_parquet(?, hive_partitioning = true)
ORDER BY batch, "order"
"""

KNOWN_SKIPS_SQL = "SELECT article_id, origin, reason FROM skipped"  # a second load adds none


@dataclass
class Loaded:
    """What a load did."""

    articles: int = 0
    already: int = 0
    events: int = 0
    skipped: int = 0


def _stream(con: Any, sql: str, params: list[Any]) -> Iterator[dict[str, Any]]:
    cursor = con.execute(sql, params)
    names = [d[0] for d in cursor.description]
    while rows := cursor.fetchmany(FETCH_ROWS):
        for row in rows:
            yield dict(zip(names, row, strict=True))


def _files(out: Path, table: str) -> list[str]:
    return [str(p) for p in layout.table_files(out, table)]


def _articles(con: Any, out: Path) -> Iterator[dict[str, Any]]:
    articles, events = _files(out, "articles"), _files(out, "events")
    if not articles:
        return iter(())
    if not events:
        return _stream(con, ARTICLES_ONLY_SQL, [articles])
    return _stream(con, ARTICLES_SQL, [articles, events])


def load_lake(out: str | Path, url: str) -> Loaded:
    """Every article (with its events and sentences) and skipped input of the lake."""
    import duckdb

    from eventwire.store import open_store

    out = Path(out)
    if not (out / layout.MANIFESTS).is_dir() and not _files(out, "articles"):
        raise FileNotFoundError(f"no eventwire lake at {out}")
    done = Loaded()
    con = duckdb.connect()
    try:
        with open_store(url) as store:
            for row in _articles(con, out):
                article, spans = article_from_row(row)
                events = [event_from_record(json.loads(r)) for r in row["records"] or []]
                if store.add_article(article, events, spans):
                    done.articles += 1
                    done.events += len(events)
                else:
                    done.already += 1
            skipped = _files(out, "skipped")
            known = {tuple(r) for r in store.fetch(KNOWN_SKIPS_SQL, [])}
            for row in _stream(con, SKIPPED_SQL, [skipped]) if skipped else iter(()):
                if (row["article_id"], row["origin"], row["reason"]) not in known:
                    store.add_skipped(Skipped(row["article_id"], row["reason"], row["origin"]))
                    done.skipped += 1
    finally:
        con.close()
    return done
