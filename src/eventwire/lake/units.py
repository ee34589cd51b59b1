"""Split the inputs `ingest` takes into small units of work, and read one unit as ingest would.

The driver only lists files and cuts JSONL files (by line) and Parquet files (by row) into
slices; reading, cleaning and checking happen where the unit is coded, with the functions
`ingest` uses (ingest/readers.py), so statuses and ids are the same.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

from eventwire.ingest.jsonl import iter_jsonl
from eventwire.ingest.parquet import PARQUET_SUFFIXES, iter_parquet, row_count
from eventwire.ingest.readers import (
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    TEXT_SUFFIXES,
    read_file,
    starts_like_jsonl,
    walk,
)
from eventwire.records import Article, Skipped

UNIT_ITEMS = 64  # JSONL lines or Parquet rows per unit
READ_BLOCK = 1 << 20


@dataclass(frozen=True)
class Unit:
    """A file, a slice of a JSONL file (bytes) or Parquet file (rows), or a skip found early."""

    kind: str  # file | jsonl | parquet | skip
    path: str
    start: int = 0
    stop: int = 0
    first_line: int = 1
    article_id: str = ""
    reason: str = ""
    seq: int = 0  # position among all units: input order

    def row(self) -> dict[str, Any]:
        return asdict(self)


def _jsonl_units(path: Path, size: int) -> Iterator[Unit]:
    """Byte ranges of `size` lines each (a line is cut only at its newline)."""
    start, offset, line, lines = 0, 0, 1, 0
    with path.open("rb") as handle:
        while block := handle.read(READ_BLOCK):
            at = 0
            while (found := block.find(b"\n", at)) >= 0:
                at, lines = found + 1, lines + 1
                if lines == size:
                    yield Unit("jsonl", str(path), start, offset + at, line)
                    start, line, lines = offset + at, line + size, 0
            offset += len(block)
    if offset > start:
        yield Unit("jsonl", str(path), start, offset, line)


def _file_units(path: Path, size: int) -> Iterator[Unit]:
    suffix = path.suffix.lower()
    try:
        if suffix in PARQUET_SUFFIXES:
            rows = row_count(path)
            for start in range(0, rows, size):
                yield Unit("parquet", str(path), start, min(start + size, rows))
            return
        if suffix in JSONL_SUFFIXES or (
            suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and starts_like_jsonl(path)
        ):
            yield from _jsonl_units(path, size)
            return
    except Exception:  # noqa: BLE001 - the unit reader says why, as ingest does
        pass
    yield Unit("file", str(path))


def plan_units(paths: Sequence[str], size: int = UNIT_ITEMS) -> list[Unit]:
    """Every unit of the inputs, in the order `ingest` reads them."""
    units: list[Unit] = []
    for path in paths:
        if path == "-":
            units.append(Unit("skip", path, article_id="stdin", reason="stdin is not read here"))
        elif os.path.isdir(path):
            for found in walk(Path(path)):
                if isinstance(found, Skipped):
                    units.append(Unit("skip", found.origin or "", 0, 0, 1, *_why(found)))
                else:
                    units.extend(_file_units(found, size))
        elif os.path.isfile(path):
            units.extend(_file_units(Path(path), size))
        else:
            name = Path(path).stem or path
            units.append(Unit("skip", path, article_id=name, reason="no such file"))
    return [replace(unit, seq=seq) for seq, unit in enumerate(units)]


def _why(skipped: Skipped) -> tuple[str, str]:
    return skipped.article_id, skipped.reason


def _jsonl_lines(path: Path, start: int, stop: int) -> Iterator[bytes]:
    with path.open("rb") as handle:
        handle.seek(start)
        position = start
        while position < stop and (raw := handle.readline()):
            position += len(raw)
            yield raw


def read_unit(
    unit: Unit, default_date: dt.date | None, max_chars: int
) -> Iterator[Article | Skipped]:
    """The Articles and Skipped of one unit, exactly as `ingest` reads them."""
    path = Path(unit.path)
    if unit.kind == "skip":
        yield Skipped(unit.article_id, unit.reason, unit.path)
    elif unit.kind == "parquet":
        yield from iter_parquet(path, default_date, max_chars, unit.start, unit.stop)
    elif unit.kind == "jsonl":
        try:
            lines = _jsonl_lines(path, unit.start, unit.stop)
            first = unit.first_line
            yield from iter_jsonl(lines, path.stem, unit.path, default_date, max_chars, first)
        except OSError as err:
            yield Skipped(path.stem, f"cannot read ({err.strerror or err})", unit.path)
    else:
        yield from read_file(path, default_date, max_chars)
