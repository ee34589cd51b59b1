"""Code the units of one partition: Arrow batches of units in, Arrow batches of lake rows out.

Plain Python and pyarrow, no Spark: the Spark job maps it over partitions (mapInArrow) and
tests call it directly. Articles go through `code_articles` in this process, the path
`eventwire extract` takes, with the pipeline loaded once per process (runner.default_loader).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from eventwire.lake.rows import coded_row, skipped_row
from eventwire.lake.schema import coded_schema
from eventwire.lake.units import Unit, read_unit
from eventwire.records import Article, Skipped
from eventwire.runner import CHUNK_SIZE, Coded, Loader, code_articles

ROWS_PER_BATCH = 64  # output rows per Arrow batch: articles carry their whole text
ITEMS_PER_UNIT = 1 << 20  # input order of an item: unit.seq * this + its index in the unit


@dataclass(frozen=True)
class Options:
    """What every partition needs to read and code its units the way `ingest` would."""

    default_date: dt.date | None = None
    max_chars: int = 200_000
    model: str | None = None
    loader: Loader | None = None  # a module-level function; None: runner.default_loader


def _safe_items(unit: Unit, options: Options) -> Iterator[Article | Skipped]:
    """A unit's items; a reader that breaks skips the rest of its unit, never the task."""
    try:
        yield from read_unit(unit, options.default_date, options.max_chars)
    except Exception as exc:  # noqa: BLE001 - one bad input never fails a task
        message = " ".join(str(exc).split())[:300]
        reason = f"read error: {type(exc).__name__}: {message}"
        yield Skipped(unit.article_id or Path(unit.path).stem, reason, unit.path)


def _rows(units: Iterable[Unit], options: Options) -> Iterator[dict[str, Any]]:
    """One row per input item, in input order; a pipeline skip keeps its article's date."""
    sent: deque[tuple[Article | Skipped, int]] = deque()

    def items() -> Iterator[Article | Skipped]:
        for unit in units:
            for index, item in enumerate(_safe_items(unit, options)):
                sent.append((item, unit.seq * ITEMS_PER_UNIT + index))
                yield item

    coded = code_articles(items(), 1, options.model, options.loader, CHUNK_SIZE)
    for result in coded:
        given, order = sent.popleft()
        if isinstance(result, Coded):
            row = coded_row(result)
        else:
            row = skipped_row(result, given.date if isinstance(given, Article) else None)
        row["order"] = order
        yield row


def units_of(batches: Iterable[Any]) -> Iterator[Unit]:
    """Units back from the Arrow batches Spark hands a partition."""
    for batch in batches:
        for row in batch.to_pylist():
            yield Unit(**row)


def code_partition(batches: Iterable[Any], options: Options) -> Iterator[Any]:
    """Arrow batches of units -> Arrow batches of coded rows (lake/schema.py coded_schema)."""
    import pyarrow as pa

    schema = coded_schema()
    rows = _rows(units_of(batches), options)
    while chunk := list(islice(rows, ROWS_PER_BATCH)):
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)
