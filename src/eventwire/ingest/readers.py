"""Read files, directories and stdin as a stream of Articles (and Skipped for bad input)."""

from __future__ import annotations

import datetime as dt
import io
import itertools
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, cast

from eventwire.ingest.build import Meta, document_from_bytes
from eventwire.ingest.checks import parse_date
from eventwire.ingest.jsonl import iter_jsonl, looks_like_jsonl
from eventwire.ingest.parquet import PARQUET_SUFFIXES, iter_parquet
from eventwire.records import Article, Skipped

TEXT_SUFFIXES = frozenset({".txt", ".text", ".md"})
HTML_SUFFIXES = frozenset({".html", ".htm"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
# a single document may be this many times max_chars in bytes before we refuse to read it
# (HTML carries markup, scripts and styles around the text)
RAW_BYTES_FACTOR = 50
STDIN = "stdin"
SNIFF_LINE_BYTES = 1 << 20  # longest first line read while sniffing


def read_inputs(
    paths: Sequence[str], date: dt.date | None = None, max_chars: int = 200_000
) -> Iterator[Article | Skipped]:
    """Stream Articles from files, directories and "-" (stdin); bad input yields Skipped."""
    default_date = parse_date(date)  # also takes a datetime or an ISO string
    for path in paths:
        if path == "-":
            yield from _read_stdin(default_date, max_chars)
        elif os.path.isdir(path):
            for file in walk(Path(path)):
                if isinstance(file, Skipped):
                    yield file
                else:
                    yield from read_file(file, default_date, max_chars)
        elif os.path.isfile(path):
            yield from read_file(Path(path), default_date, max_chars)
        else:
            yield Skipped(article_id=Path(path).stem or path, reason="no such file", origin=path)


def walk(root: Path) -> Iterator[Path | Skipped]:
    """Files under root in path order (entries sorted by name), skipping hidden ones."""
    try:
        entries = sorted(os.scandir(root), key=lambda entry: entry.name)
    except OSError as err:
        yield Skipped(root.name, f"cannot read directory ({err.strerror or err})", str(root))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            yield from walk(Path(entry.path))
        elif entry.is_file():
            yield Path(entry.path)


def read_file(
    path: Path, default_date: dt.date | None, max_chars: int
) -> Iterator[Article | Skipped]:
    """One file by its extension; unknown extensions are sniffed."""
    suffix = path.suffix.lower()
    origin = str(path)
    try:
        if suffix in PARQUET_SUFFIXES:
            yield from iter_parquet(path, default_date, max_chars)
            return
        if suffix in JSONL_SUFFIXES or (
            suffix not in TEXT_SUFFIXES | HTML_SUFFIXES and starts_like_jsonl(path)
        ):
            with path.open("rb") as handle:
                yield from iter_jsonl(handle, path.stem, origin, default_date, max_chars)
            return
        meta = Meta(id=path.stem, origin=origin, raw_format="text", default_date=default_date)
        is_html: bool | None = None
        if suffix in HTML_SUFFIXES:
            meta.raw_format, is_html = "html", True
        elif suffix in TEXT_SUFFIXES:
            is_html = False
        limit = max_chars * RAW_BYTES_FACTOR
        size = path.stat().st_size
        if size > limit:
            yield Skipped(path.stem, f"too large ({size} bytes > limit {limit})", origin)
            return
        yield document_from_bytes(path.read_bytes(), is_html, meta, max_chars)
    except OSError as err:
        yield Skipped(path.stem, f"cannot read ({err.strerror or err})", origin)


def _first_line(stream: BinaryIO) -> list[bytes]:
    """Lines up to and including the first non-blank one (each read with a size bound)."""
    head: list[bytes] = []
    while raw := stream.readline(SNIFF_LINE_BYTES):
        head.append(raw)
        if raw.strip():
            break
    return head


def _is_jsonl_start(head: list[bytes]) -> bool:
    return bool(head) and looks_like_jsonl(head[-1].decode("utf-8", errors="replace"))


def starts_like_jsonl(path: Path) -> bool:
    """Sniff a file of unknown type: JSONL when its first non-blank line is a JSON object."""
    with path.open("rb") as handle:
        return _is_jsonl_start(_first_line(handle))


def _stdin_bytes() -> BinaryIO:
    """Raw bytes of stdin, so the same decoding rules apply as for files."""
    buffer = getattr(sys.stdin, "buffer", None)
    if buffer is not None:
        return cast(BinaryIO, buffer)
    return io.BytesIO(sys.stdin.read().encode("utf-8"))


def _read_stdin(default_date: dt.date | None, max_chars: int) -> Iterator[Article | Skipped]:
    """Stdin: JSONL (streamed line by line) if it starts with a JSON object, else one document."""
    stream = _stdin_bytes()
    head = _first_line(stream)
    if _is_jsonl_start(head):
        lines = itertools.chain(head, iter(stream.readline, b""))
        yield from iter_jsonl(lines, STDIN, STDIN, default_date, max_chars)
        return
    limit = max_chars * RAW_BYTES_FACTOR
    data = b"".join(head) + stream.read(limit + 1)
    if len(data) > limit:
        yield Skipped(STDIN, f"too large (more than {limit} bytes)", STDIN)
        return
    meta = Meta(id=STDIN, origin=STDIN, raw_format="text", default_date=default_date)
    yield document_from_bytes(data, None, meta, max_chars)
