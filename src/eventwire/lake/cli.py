"""`eventwire run --engine spark` and `eventwire load-lake` (Spark and DuckDB load lazily)."""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

ENGINES = ("spark",)


def register(sub: Any) -> None:
    """Add the subcommands; the argument types are the ones `ingest` uses."""
    from eventwire.cli import day, positive
    from eventwire.config import settings

    p = sub.add_parser("run", help="code articles on an engine (Spark) into a Parquet lake")
    p.add_argument("paths", nargs="+", metavar="PATH", help="files or directories (as ingest)")
    p.add_argument("--engine", choices=ENGINES, default="spark", help="default: %(default)s")
    p.add_argument("--out", required=True, metavar="DIR", help="the lake's directory")
    p.add_argument("--master", help="Spark master (default: local[N] with every core)")
    p.add_argument("--date", type=day, help="publication date for inputs that carry none")
    p.add_argument("--model", help=f"spaCy model (default: {settings().model})")
    p.add_argument(
        "--max-chars", type=positive, default=settings().max_chars, help="skip longer articles"
    )
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("load-lake", help="load a Parquet lake into DuckDB or PostgreSQL")
    p.add_argument("lake", metavar="DIR", help="a lake written by `eventwire run`")
    p.add_argument("--db", default=settings().db, help="DuckDB file or postgresql:// URL")
    p.set_defaults(func=cmd_load_lake)


def _summary(manifest: dict[str, Any]) -> str:
    counts = manifest["counts"]
    kinds = ", ".join(f"{k} {n}" for k, n in counts["skipped_by_reason"].items())
    return (
        f"{counts['coded'] + counts['skipped']} read, {counts['coded']} coded, "
        f"{counts['skipped']} skipped{f' ({kinds})' if kinds else ''}; {counts['events']} events"
    )


def cmd_run(args: argparse.Namespace) -> int:
    """Start Spark, code into the lake, say what was written and how long it took."""
    from eventwire.lake.partition import Options
    from eventwire.lake.spark_job import run_spark, spark_session

    started = time.monotonic()
    spark = spark_session(args.master)
    up = time.monotonic()
    try:
        options = Options(default_date=args.date, max_chars=args.max_chars, model=args.model)
        manifest = run_spark(spark, args.paths, args.out, options)
    finally:
        spark.stop()
    done = time.monotonic()
    print(_summary(manifest), file=sys.stderr)
    print(
        f"lake {args.out}: batch {manifest['batch']}; Spark start {up - started:.1f} s, "
        f"run {done - up:.1f} s",
        file=sys.stderr,
    )
    return 0


def cmd_load_lake(args: argparse.Namespace) -> int:
    from eventwire.lake.load import load_lake

    done = load_lake(args.lake, args.db)
    print(
        f"database {args.db}: {done.articles} articles and {done.events} events loaded, "
        f"{done.already} already stored, {done.skipped} skipped inputs",
        file=sys.stderr,
    )
    return 0
