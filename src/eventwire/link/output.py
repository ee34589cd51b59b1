"""Grouped renderings: one row per event group, and the GDELT 2.0 Event and Mentions tables."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import IO, TYPE_CHECKING, Any

from eventwire.link.groups import GROUP_COLUMNS, flat_group

if TYPE_CHECKING:
    from eventwire.records import Article
    from eventwire.store.base import EventFilter, Store


def public(group: dict[str, Any]) -> dict[str, Any]:
    """A group as JSON: its summary, without the representative record it was built from."""
    return {k: v for k, v in group.items() if k != "record"}


def _table(groups: list[dict[str, Any]], out: IO[str]) -> int:
    head = f"{'DATE':<10}  {'EVENT':<9}  {'MENT':>4}  {'ART':>3}  {'SRC':>3}  PARTIES  @ WHERE"
    out.write(head + "\n" + "-" * len(head) + "\n")
    for g in groups:
        loc = g.get("event_loc") or {}
        where = loc.get("resolved_place") or loc.get("extracted_place") or ""
        parties = ", ".join(g["actor"]) + (
            " → " + ", ".join(g["recipient"]) if g["recipient"] else ""
        )
        out.write(
            f"{str(g['date'] or ''):<10}  {str(g['event'] or ''):<9}  {g['n_mentions']:>4}  "
            f"{g['n_articles']:>3}  {g['n_sources']:>3}  {parties}  @ {where}\n"
        )
    return len(groups)


def write_groups(groups: list[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """Group summaries as table, jsonl, json or csv; returns how many were written."""
    if fmt == "table":
        return _table(groups, out)
    if fmt == "jsonl":
        for g in groups:
            out.write(json.dumps(public(g), ensure_ascii=False, default=str) + "\n")
        return len(groups)
    if fmt == "json":
        json.dump([public(g) for g in groups], out, ensure_ascii=False, default=str, indent=1)
        out.write("\n")
        return len(groups)
    if fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=GROUP_COLUMNS)
        writer.writeheader()
        writer.writerows(flat_group(g) for g in groups)
        return len(groups)
    raise ValueError(f"format {fmt!r} has no grouped form; use table, jsonl, json or csv")


def write_grouped(
    store: Store, filters: EventFilter | None, fmt: str, out: IO[str], grouped: bool = True
) -> int:
    """`eventwire events --grouped` and the GDELT formats, which always count by group."""
    from eventwire.store.groups import grouped as read_groups
    from eventwire.store.groups import mention_rows

    if fmt in ("gdelt", "gdelt-mentions"):
        from eventwire.link.gdelt import write_events, write_mentions

        if fmt == "gdelt":
            return write_events(read_groups(store, filters), out)
        return write_mentions(read_groups(store, filters), mention_rows(store, filters), out)
    return write_groups(read_groups(store, filters), fmt, out)


def linked_rows(
    coded: Iterable[tuple[Article, list[dict[str, Any]]]],
) -> Iterator[dict[str, Any]]:
    """Mention rows (as store/groups.py reads them) for articles linked here, in memory:
    `extract` has no store, yet its GDELT tables count mentions by group too."""
    import datetime as dt

    from eventwire.link.linker import Linker

    linker = Linker()
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    for article, records in coded:
        found = linker.add_article(article.content_hash, article.text, records, article.date)
        for link, record in zip(found.links, records, strict=True):
            yield {
                "group_id": link.group_id,
                "copy_group": found.copy_group,
                "record": record,
                "source": article.source,
                "article_id": article.id,
                "published": article.date,
                "title": article.title,
                "url": article.url,
                "ingested_at": now,
                "doc_len": len(article.text),
            }


def write_linked(rows: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """GDELT tables (or grouped rows) from mention rows linked in memory."""
    from eventwire.link.gdelt import write_events, write_mentions
    from eventwire.link.groups import summarize

    mentions = sorted(rows, key=lambda r: str(r["group_id"]))  # stable: keeps input order
    groups = summarize(mentions)
    if fmt == "gdelt":
        return write_events(groups, out)
    if fmt == "gdelt-mentions":
        return write_mentions(groups, mentions, out)
    return write_groups(groups, fmt, out)


def write_gdelt_records(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """GDELT 2.0 tables from bare records: each record is a group of one mention."""
    rows = (
        {
            "group_id": r["id"],
            "copy_group": r.get("article_id"),
            "record": r,
            "source": (r.get("cite_info") or {}).get("corpus"),
            "article_id": r.get("article_id"),
            "url": (r.get("cite_info") or {}).get("url"),
        }
        for r in records
    )
    return write_linked(rows, fmt, out)
