"""Article reads: the article list (with event counts) and one article in full."""

from __future__ import annotations

from typing import Any

from eventwire.store.dialect import Reader, one
from eventwire.store.where import ESCAPE, like_pattern

COLUMNS = (
    "hash",
    "article_id",
    "title",
    "date",
    "url",
    "source",
    "origin",
    "text",
    "n_words",
    "ingested_at",
    "encoding",
)
LISTED = ("hash", "article_id", "title", "date", "url", "source", "n_words")


def _matching(reader: Reader, text: str | None) -> tuple[str, list[Any]]:
    """Articles whose title or id holds `text` (wildcards literal)."""
    if not text:
        return "", []
    p = reader.dialect.param
    sql = f" WHERE (a.title ILIKE {p} {ESCAPE} OR a.article_id ILIKE {p} {ESCAPE})"
    return sql, [like_pattern(text)] * 2


def article_list(
    reader: Reader, text: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    """Articles, newest ingest first, with how many events each gave."""
    found, params = _matching(reader, text)
    p = reader.dialect.param
    sql = (
        f"SELECT {', '.join(f'a.{c}' for c in LISTED)}"
        f" FROM articles a{found} ORDER BY a.id DESC LIMIT {p} OFFSET {p}"
    )
    page = [
        dict(zip(LISTED, row, strict=True))
        for row in reader.fetch(sql, [*params, int(limit), max(0, int(offset))])
    ]
    if page:
        counts: dict[str, int] = dict(
            reader.fetch(
                f"SELECT article_hash, count(*) FROM events WHERE article_hash = ANY({p})"
                " GROUP BY article_hash",
                [[a["hash"] for a in page]],
            )
        )
        for item in page:
            item["n_events"] = int(counts.get(item["hash"], 0))
    return page


def count_articles(reader: Reader, text: str | None = None) -> int:
    """How many articles the list of `text` holds."""
    found, params = _matching(reader, text)
    return int(one(reader, f"SELECT count(*) FROM articles a{found}", params) or 0)


def article_detail(reader: Reader, key: str) -> dict[str, Any] | None:
    """An article (by content hash or id, latest ingest) with its sentences and records."""
    p = reader.dialect.param
    sql = (
        f"SELECT {', '.join(COLUMNS)} FROM articles"
        f" WHERE hash = {p} OR article_id = {p}"
        f" ORDER BY CASE WHEN hash = {p} THEN 0 ELSE 1 END, id DESC LIMIT 1"
    )
    rows = reader.fetch(sql, [key, key, key])
    if not rows:
        return None
    article = dict(zip(COLUMNS, rows[0], strict=True))
    sentences = reader.fetch(
        f"SELECT idx, start_char, end_char, text FROM sentences WHERE article_hash = {p}"
        " ORDER BY idx",
        [article["hash"]],
    )
    article["sentences"] = [{"idx": i, "start": s, "end": e, "text": t} for i, s, e, t in sentences]
    events = reader.fetch(
        f"SELECT record FROM events WHERE article_hash = {p} ORDER BY seq", [article["hash"]]
    )
    article["events"] = [reader.record(r) for (r,) in events]
    return article
