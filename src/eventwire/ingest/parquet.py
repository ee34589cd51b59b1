"""Read a Parquet file of articles: one row per article, each row checked as a JSONL line is.

Columns read: id, text or html, date, title, url, source (others are ignored). A row's origin
is "path:N" with N counting rows from 1, like a JSONL line number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.ingest.build import Meta
from eventwire.ingest.jsonl import record_item
from eventwire.records import Article, Skipped

PARQUET_SUFFIXES = frozenset({".parquet"})
COLUMNS = ("id", "text", "html", "date", "title", "url", "source")
BATCH_ROWS = 1024


def row_count(path: Path) -> int:
    """Rows in the file, from its footer alone."""
    import pyarrow.parquet as pq

    return int(pq.ParquetFile(path).metadata.num_rows)


def _row_groups(file: Any, start: int, stop: int) -> tuple[list[int], int]:
    """Row groups overlapping rows [start, stop), and the number of the first row they hold."""
    groups: list[int] = []
    first, offset = -1, 0
    for index in range(file.metadata.num_row_groups):
        size = file.metadata.row_group(index).num_rows
        if offset < stop and offset + size > start:
            groups.append(index)
            first = offset if first < 0 else first
        offset += size
    return groups, max(first, 0)


def _rows(path: Path, start: int, stop: int | None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(row number from 0, record) for rows [start, stop) of the file."""
    import pyarrow.parquet as pq

    file = pq.ParquetFile(path)
    stop = file.metadata.num_rows if stop is None else stop
    columns = [name for name in COLUMNS if name in file.schema_arrow.names]
    groups, number = _row_groups(file, start, stop)
    if not groups:
        return
    for batch in file.iter_batches(batch_size=BATCH_ROWS, row_groups=groups, columns=columns):
        for record in batch.to_pylist():
            if start <= number < stop:
                yield number, record
            number += 1


def iter_parquet(
    path: Path,
    default_date: dt.date | None,
    max_chars: int,
    start: int = 0,
    stop: int | None = None,
) -> Iterator[Article | Skipped]:
    """An Article or Skipped for each row in [start, stop); an unreadable file is one Skipped."""
    import pyarrow as pa

    origin = str(path)
    try:
        for number, record in _rows(path, start, stop):
            line = number + 1
            meta = Meta(id=f"{path.stem}:{line}", origin=f"{origin}:{line}", raw_format="parquet")
            meta.default_date = default_date
            yield record_item(record, None, meta, max_chars)
    except (pa.ArrowException, OSError) as err:
        message = " ".join(str(err).split())[:300]
        yield Skipped(path.stem, f"cannot read Parquet ({message})", origin)
