"""The `eventwire` command: a thin argparse layer over ingest, runner, output and store.

Nothing heavy (spaCy, DuckDB, pandas) is imported at module load, so `--help` is instant.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import os
import re
import sys
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

from eventwire.config import settings
from eventwire.store import StoreError

if TYPE_CHECKING:
    from eventwire.records import Article, Skipped
    from eventwire.runner import Coded

RECORD_FORMATS = ("jsonl", "json", "csv", "table", "cameo", "gdelt", "gdelt-mentions")
GROUP_FORMATS = ("gdelt", "gdelt-mentions")  # GDELT 2.0 tables count mentions by group
# Subcommands living beside their feature; each module has register(sub) and imports lazily.
EXTRA_COMMANDS = (
    "eventwire.evaluate.cli",
    "eventwire.serve.cli",
    "eventwire.resolve.actors.kb_cli",
    "eventwire.extraction.explain_cli",
    "eventwire.watch.cli",
    "eventwire.lake.cli",
)
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


# --- argument types --------------------------------------------------------------------------


def day(value: str) -> dt.date:
    """--date/--from/--to: a real calendar day written YYYY-MM-DD."""
    text = value.strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"invalid date {value!r}: use YYYY-MM-DD") from None


def positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number >= 1, got {value!r}")
    return number


def job_list(value: str) -> list[int]:
    """--jobs for bench: '1,2'."""
    return [positive(part) for part in value.split(",") if part.strip()]


# --- shared run machinery --------------------------------------------------------------------


@dataclass
class Tally:
    """What a run did, for the closing summary."""

    read: int = 0
    coded: int = 0
    already: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)

    def lines(self) -> list[str]:
        out = [
            f"articles read: {self.read}",
            f"coded: {self.coded}",
            f"already stored: {self.already}",
            f"skipped: {sum(self.skipped.values())}",
        ]
        out += [f"  {n} × {reason}" for reason, n in self.skipped.most_common()]
        out.append(f"events: {sum(self.events.values())}")
        out += [f"  {etype:<10} {n}" for etype, n in self.events.most_common()]
        return out


class Progress:
    """A tqdm bar on stderr, only for a terminal or with --progress; skip lines go above it."""

    def __init__(self, enabled: bool) -> None:
        self.bar: Any = None
        if enabled or sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(unit=" articles", file=sys.stderr, dynamic_ncols=True)

    def step(self) -> None:
        if self.bar is not None:
            self.bar.update(1)

    def say(self, message: str) -> None:
        if self.bar is not None:
            self.bar.write(message, file=sys.stderr)
        else:
            print(message, file=sys.stderr)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _skip(item: Skipped, tally: Tally, progress: Progress) -> None:
    """One clear line per skipped input; the run goes on."""
    tally.skipped[_reason_kind(item.reason)] += 1
    progress.say(item.message())


def _reason_kind(reason: str) -> str:
    """Group reasons for the summary ('pipeline error: ValueError: x' -> 'pipeline error')."""
    return reason.split(":", 1)[0].strip() or reason


def _inputs(args: argparse.Namespace) -> Iterator[Article | Skipped]:
    from eventwire.ingest import read_inputs

    return iter(read_inputs(args.paths, date=args.date, max_chars=args.max_chars))


def _code(
    items: Iterable[Article | Skipped], args: argparse.Namespace
) -> Iterator[Coded | Skipped]:
    from eventwire.runner import code_articles

    return code_articles(items, jobs=args.jobs, model=args.model)


def _open_output(path: str | None) -> IO[str]:
    if path in (None, "-"):
        return sys.stdout
    return open(path, "w", encoding="utf-8", newline="")  # noqa: SIM115 - closed by the caller


# --- commands --------------------------------------------------------------------------------


def cmd_extract(args: argparse.Namespace) -> int:
    """Records to stdout or -o FILE; no database."""
    from eventwire.output import article_records, write_records
    from eventwire.records import Skipped

    tally = Tally()
    progress = Progress(args.progress)

    def records() -> Iterator[dict[str, Any]]:
        for item in _code(_inputs(args), args):
            tally.read += 1
            progress.step()
            if isinstance(item, Skipped):
                _skip(item, tally, progress)
                continue
            tally.coded += 1
            tally.events.update(e.event_type for e in item.events)
            yield from article_records(item.article, item.events)

    def coded_articles() -> Iterator[tuple[Article, list[dict[str, Any]]]]:
        for item in _code(_inputs(args), args):
            tally.read += 1
            progress.step()
            if isinstance(item, Skipped):
                _skip(item, tally, progress)
                continue
            tally.coded += 1
            tally.events.update(e.event_type for e in item.events)
            yield item.article, article_records(item.article, item.events)

    out = _open_output(args.output)
    try:
        if args.format in GROUP_FORMATS:  # mentions of one event across articles: one row
            from eventwire.link.output import linked_rows, write_linked

            write_linked(linked_rows(coded_articles()), args.format, out)
        else:
            write_records(records(), args.format, out)
    finally:
        progress.close()
        if out is not sys.stdout:
            out.close()
    if not args.quiet:
        events = ", ".join(f"{t} {n}" for t, n in tally.events.most_common()) or "none"
        print(
            f"{tally.read} read, {tally.coded} coded, {sum(tally.skipped.values())} skipped; "
            f"{sum(tally.events.values())} events ({events})",
            file=sys.stderr,
        )
    return 0


def cmd_ingest(args: argparse.Namespace) -> int:
    """Code and store; articles already stored (same content) are not coded again."""
    from eventwire.records import Skipped
    from eventwire.store import open_store
    from eventwire.storing import linking, store_coded

    if args.server:  # a running server is the file's writer: it codes and stores
        from eventwire.serve.client import ingest_remote

        return ingest_remote(_inputs(args), args.server, os.environ.get(args.token_env))
    tally = Tally()
    progress = Progress(args.progress)
    batch = settings().batch_size
    with open_store(args.db, batch_size=batch) as store, linking(store, args.link) as links:

        def todo() -> Iterator[Article | Skipped]:
            for item in _inputs(args):
                if not isinstance(item, Skipped) and store.has_article(item.content_hash):
                    tally.read += 1
                    tally.already += 1
                    progress.step()
                    continue
                yield item

        try:
            for item in _code(todo(), args):
                tally.read += 1
                progress.step()
                outcome = store_coded(store, links, item)
                if isinstance(item, Skipped):
                    _skip(item, tally, progress)
                elif outcome == "coded":
                    tally.coded += 1
                    tally.events.update(e.event_type for e in item.events)
                else:
                    tally.already += 1
        finally:
            progress.close()
        totals = store.counts()
    print("\n".join(tally.lines()))
    print(
        f"database {args.db}: {totals['articles']} articles, {totals['events']} events, "
        f"{totals['skipped']} skipped inputs"
    )
    return 0


def cmd_events(args: argparse.Namespace) -> int:
    """Query the store: filters combine with AND."""
    from eventwire.output import write_records
    from eventwire.store import open_store
    from eventwire.store.base import EventFilter

    filters = EventFilter(
        type=args.type,
        actor=args.actor,
        country=args.country,
        date_from=args.date_from,
        date_to=args.date_to,
        text=args.text,
        limit=args.limit,
    )
    out = _open_output(args.output)
    try:
        with open_store(args.db, read_only=True) as store:
            if args.grouped or args.format in GROUP_FORMATS:
                from eventwire.link.output import write_grouped

                write_grouped(store, filters, args.format, out, grouped=args.grouped)
            else:
                write_records(store.events(filters), args.format, out)
    finally:
        if out is not sys.stdout:
            out.close()
    return 0


def cmd_migrate(args: argparse.Namespace) -> int:
    """Bring a database written by older eventwire up to the current layout."""
    from eventwire.store import open_store

    with open_store(args.db) as store:  # opening for writing migrates
        totals, url = store.counts(), store.url
    print(f"{url}: up to date, {totals['events']} events", file=sys.stderr)
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    """Whole pipeline vs bare spaCy nlp.pipe on the same texts and process counts."""
    from eventwire.bench import main as bench_main

    return bench_main(args)


# --- parser ----------------------------------------------------------------------------------


def _coding_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths", nargs="+", metavar="PATH", help="files, directories, or - for stdin"
    )
    parser.add_argument(
        "--date", type=day, help="publication date YYYY-MM-DD for inputs that carry none"
    )
    parser.add_argument(
        "--jobs",
        type=positive,
        default=os.cpu_count() or 1,
        help="worker processes (default: all cores)",
    )
    parser.add_argument("--model", help=f"spaCy model (default: {settings().model})")
    parser.add_argument(
        "--max-chars", type=positive, default=settings().max_chars, help="skip longer articles"
    )
    parser.add_argument("--progress", action="store_true", help="progress bar even when not a TTY")


def _db_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--db", default=settings().db, help="DuckDB file (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="eventwire",
        description="News in, PLOVER event records out: who did what to whom, when, where.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("extract", help="code articles and print records (no database)")
    _coding_options(p)
    p.add_argument("-o", "--output", help="write records here instead of stdout")
    p.add_argument("--format", choices=RECORD_FORMATS, default="jsonl")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary line on stderr")
    p.set_defaults(func=cmd_extract)

    p = sub.add_parser("ingest", help="code articles and store them in the database")
    _coding_options(p)
    _db_option(p)
    p.add_argument(
        "--no-link",
        dest="link",
        action="store_false",
        help="do not group copies and events across articles",
    )
    p.add_argument("--server", metavar="URL", help="send the articles to a running server")
    p.add_argument("--token-env", default="EVENTWIRE_TOKEN", help="its write token's variable")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("events", help="query stored events")
    _db_option(p)
    p.add_argument("--type", help="PLOVER event type, e.g. CONSULT")
    p.add_argument("--actor", help="text in an actor's or recipient's name")
    p.add_argument("--country", help="ISO3 (or IGO/UNO/EUR/...) code of an actor or recipient")
    p.add_argument("--from", dest="date_from", type=day, help="events on or after YYYY-MM-DD")
    p.add_argument("--to", dest="date_to", type=day, help="events on or before YYYY-MM-DD")
    p.add_argument("--text", help="text in the event's sentence")
    p.add_argument("--limit", type=positive, help="at most this many events")
    p.add_argument(
        "--format",
        choices=("table", "jsonl", "json", "csv", "cameo", "gdelt", "gdelt-mentions"),
        default="table",
    )
    p.add_argument(
        "--grouped", action="store_true", help="one row per event group (all its mentions)"
    )
    p.add_argument("-o", "--output", help="write here instead of stdout")
    p.set_defaults(func=cmd_events)

    p = sub.add_parser("migrate", help="bring a database written by older eventwire up to date")
    _db_option(p)
    p.set_defaults(func=cmd_migrate)

    p = sub.add_parser("bench", help="throughput of the whole pipeline vs bare spaCy")
    p.add_argument(
        "--articles", type=positive, default=2000, help="articles to code (default: %(default)s)"
    )
    p.add_argument("--jobs", type=job_list, default=[1, 2], help="process counts, e.g. 1,2")
    p.add_argument("--corpus", help="file or directory to read (default: samples/ repeated)")
    p.add_argument("--model", help=f"spaCy model (default: {settings().model})")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.add_argument(
        "--no-link", dest="link", action="store_false", help="time ingest without event groups"
    )
    p.set_defaults(func=cmd_bench)
    for module in EXTRA_COMMANDS:
        importlib.import_module(module).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the console script and of `python -m eventwire`."""
    args = build_parser().parse_args(argv)
    try:
        code: int = args.func(args)
    except BrokenPipeError:  # `eventwire events | head`
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print("eventwire: interrupted", file=sys.stderr)
        return 130
    except (FileNotFoundError, StoreError) as exc:
        print(f"eventwire {args.command}: error: {exc}", file=sys.stderr)
        return 1
    return code
