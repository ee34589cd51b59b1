"""Grouped renderings: one row per event group, and the GDELT 2.0 Event and Mentions tables."""

from __future__ import annotations

import csv
import json
from typing import IO, TYPE_CHECKING, Any

from eventwire.link.groups import GROUP_COLUMNS, flat_group

if TYPE_CHECKING:
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
