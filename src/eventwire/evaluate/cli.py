"""`eventwire eval`: score gold files; `--update-pins` re-pins the quality gate."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any


def register(sub: Any) -> None:
    """Add the subcommand; imports stay lazy so `eventwire --help` remains instant."""
    p = sub.add_parser("eval", help="score the pipeline on gold files (gold-format.md)")
    p.add_argument(
        "gold", nargs="*", metavar="GOLD.jsonl", help="gold files (default: pinned sets)"
    )
    p.add_argument("--errors", type=int, default=0, metavar="N", help="list the first N misses")
    p.add_argument("--json", action="store_true", help="print the score sheets as JSON")
    p.add_argument("--jobs", type=int, default=1, help="worker processes")
    p.add_argument("--model", help="spaCy model")
    p.add_argument("--limit", type=int, help="score only the first N items of each file")
    p.add_argument(
        "--update-pins", action="store_true", help="write these scores as the quality-gate pins"
    )
    p.set_defaults(func=cmd_eval)


def _targets(args: argparse.Namespace) -> list[tuple[str, str, int | None]]:
    """(pin name, path, limit) per file; no files means every pinned set."""
    from eventwire.evaluate.gate import load_pins, resolve_set

    if args.gold:
        return [(_pin_name(path), path, args.limit) for path in args.gold]
    pins = load_pins()["sets"]
    return [(name, str(resolve_set(name)), pin.get("limit")) for name, pin in pins.items()]


def cmd_eval(args: argparse.Namespace) -> int:
    from eventwire.evaluate.gate import update_pins
    from eventwire.evaluate.report import render
    from eventwire.evaluate.run import evaluate_file

    sheets: dict[str, dict[str, Any]] = {}
    for name, path, limit in _targets(args):
        sheet = evaluate_file(
            path, jobs=args.jobs, model=args.model, errors=args.errors, limit=limit
        )
        sheets[name] = sheet
        if not args.json:
            print(render(sheet), end="\n\n")
    if args.json:
        json.dump(sheets, sys.stdout, indent=2)
        print()
    if args.update_pins:
        update_pins(sheets)
        print(f"pins updated for {len(sheets)} set(s)", file=sys.stderr)
    return 0


def _pin_name(path: str) -> str:
    """Pins name sets by their path relative to the repo (../shared/data/... for shared ones)."""
    import os
    from pathlib import Path

    from eventwire.evaluate.gate import REPO

    return os.path.relpath(Path(path).resolve(), REPO)
