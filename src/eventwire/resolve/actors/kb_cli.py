"""`eventwire kb`: import actor files, and review, accept or reject what coding proposed.

Nothing heavy is imported at module load: `eventwire --help` stays instant.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

STATUS_CHOICES = ("pending", "accepted", "rejected", "all")


def register(sub: Any) -> None:
    """Add `eventwire kb` and its subcommands."""
    from eventwire.config import settings

    p = sub.add_parser("kb", help="the actor knowledge base: import files, review proposals")
    kb = p.add_subparsers(dest="kb_command", required=True, metavar="ACTION")
    kb_path = "user KB file (default: $EVENTWIRE_KB or the eventwire cache directory)"

    q = kb.add_parser("import", help="import PETRARCH actor dictionaries or Wikidata JSON")
    q.add_argument("file", metavar="FILE")
    q.add_argument("--format", choices=("petrarch", "wikidata"), help="default: by extension")
    q.add_argument("--kb", type=Path, help=kb_path)
    q.set_defaults(func=cmd_import)

    q = kb.add_parser("review", help="list proposed people and offices, grouped by name")
    q.add_argument("--db", default=settings().db, help="database (default: %(default)s)")
    q.add_argument("--status", choices=STATUS_CHOICES, default="pending")
    q.add_argument("--evidence", type=int, default=3, metavar="N", help="sentences per name")
    q.add_argument("--json", action="store_true", help="print the proposals as JSON")
    q.set_defaults(func=cmd_review)

    for action, text in (("accept", "add proposals to the user KB"), ("reject", "drop them")):
        q = kb.add_parser(action, help=text)
        q.add_argument("ids", nargs="+", type=int, metavar="ID")
        q.add_argument("--db", default=settings().db, help="database (default: %(default)s)")
        q.add_argument("--kb", type=Path, help=kb_path)
        q.set_defaults(func=cmd_accept if action == "accept" else cmd_reject)

    q = kb.add_parser("list", help="print the user KB layer (imported and learned entries)")
    q.add_argument("--kb", type=Path, help=kb_path)
    q.add_argument("--source", help="only entries from this source (file name or 'learned')")
    q.set_defaults(func=cmd_list)


def cmd_import(args: argparse.Namespace) -> int:
    from eventwire.resolve.actors.importers import import_file

    try:
        result = import_file(args.file, args.format, args.kb)
    except ValueError as exc:
        print(f"eventwire kb import: error: {exc}", file=sys.stderr)
        return 1
    print(result.summary())
    return 0


def _group(proposals: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Proposals by name, in the store's order."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in proposals:
        groups[item["name"]].append(item)
    return groups


def _render(groups: dict[str, list[dict[str, Any]]], evidence: int) -> list[str]:
    """Name, count, what is proposed, and a few sentences of evidence."""
    lines: list[str] = []
    for name, items in groups.items():
        kinds = sorted({str(i.get("kind")) for i in items})
        lines.append(f"{name} — {len(items)} proposal(s) [{', '.join(kinds)}]")
        offers: dict[tuple[str, str], list[int]] = defaultdict(list)
        for item in items:
            offers[(str(item.get("country")), str(item.get("office")))].append(int(item["id"]))
        for (country, office), ids in offers.items():
            lines.append(f"  {country} {office} ×{len(ids)}: ids {' '.join(map(str, ids))}")
        for item in items[:evidence]:
            where = f"{item.get('article_id')} {item.get('article_date') or 'no date'}"
            lines.append(f"    #{item['id']} {item['status']} {where}: {item.get('sentence')}")
    return lines


def cmd_review(args: argparse.Namespace) -> int:
    from eventwire.store import open_store

    status = None if args.status == "all" else args.status
    with open_store(args.db, read_only=True) as store:
        proposals = store.kb_proposals(status)
    if args.json:
        json.dump(proposals, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    if not proposals:
        print(f"no {args.status} proposals in {args.db}")
        return 0
    print("\n".join(_render(_group(proposals), args.evidence)))
    return 0


def _chosen(store: Any, ids: list[int]) -> list[dict[str, Any]] | None:
    """The proposals asked for, plus pending duplicates (same name, country and office)."""
    chosen = store.kb_proposals(None, ids)
    missing = sorted(set(ids) - {int(p["id"]) for p in chosen})
    if missing:
        print(f"eventwire kb: no proposal with id {' '.join(map(str, missing))}", file=sys.stderr)
        return None
    keys = {(p["name"], p["country"], p["office"]) for p in chosen}
    twins = [
        p
        for p in store.kb_proposals("pending")
        if (p["name"], p["country"], p["office"]) in keys and int(p["id"]) not in ids
    ]
    return list(chosen) + twins


def cmd_accept(args: argparse.Namespace) -> int:
    from eventwire.resolve.actors.learn import learned_record
    from eventwire.resolve.actors.userkb import add_learned
    from eventwire.store import open_store

    with open_store(args.db) as store:
        chosen = _chosen(store, args.ids)
        if chosen is None:
            return 1
        records = [learned_record(items) for items in _group(chosen).values()]
        path = add_learned(records, args.kb)
        store.set_kb_proposals_status([int(p["id"]) for p in chosen], "accepted")
    for record in records:
        offices = "; ".join(f"{o['code']} {o['title']}" for o in record["offices"])
        print(f"accepted {record['name']} ({offices}) into {path}")
    return 0


def cmd_reject(args: argparse.Namespace) -> int:
    from eventwire.store import open_store

    with open_store(args.db) as store:
        chosen = _chosen(store, args.ids)
        if chosen is None:
            return 1
        n = store.set_kb_proposals_status([int(p["id"]) for p in chosen], "rejected")
    print(f"rejected {n} proposal(s)")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from eventwire.resolve.actors.userkb import kb_path, read_records

    path = args.kb or kb_path()
    for record in read_records(path):
        if args.source and record.get("source") != args.source:
            continue
        offices = "; ".join(
            f"{o.get('code')} {o.get('sector')} {o.get('title') or '-'} "
            f"{o.get('start') or '…'}–{o.get('end') or '…'}"
            for o in record.get("offices", [])
        )
        where = record.get("country") or "-"
        qid = f" {record['qid']}" if record.get("qid") else ""
        line = f"{record['kind']:<7} {record['name']} [{where} {record.get('sector') or ''}]"
        print(f"{line.rstrip()}{qid} ({record.get('source')}) {offices}".rstrip())
    return 0
