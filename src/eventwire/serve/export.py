"""Exports of a filtered view, streamed: JSONL and CSV line by line, Parquet in row groups."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import Any

from fastapi.responses import StreamingResponse

from eventwire.output import CSV_COLUMNS, flat_row

CHUNK = 2000  # records per write
MEDIA = {
    "jsonl": "application/x-ndjson",
    "csv": "text/csv; charset=utf-8",
    "parquet": "application/vnd.apache.parquet",
}
_INTS = {"quad_code", "sentence_start", "sentence_end"}
_FLOATS = {"event_scale", "lat", "lon", "confidence"}


def _chunks(records: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(records)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def jsonl_bytes(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    for chunk in _chunks(records):
        yield "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in chunk).encode("utf-8")


def csv_bytes(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(CSV_COLUMNS), extrasaction="ignore")
    writer.writeheader()
    for chunk in _chunks(records):
        writer.writerows(flat_row(r) for r in chunk)
        yield buffer.getvalue().encode("utf-8")
        buffer.seek(0)
        buffer.truncate()
    if buffer.getvalue():
        yield buffer.getvalue().encode("utf-8")


def parquet_schema() -> Any:
    """The flat CSV columns, typed, plus the whole record as JSON so nothing is lost."""
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name in _INTS:
            return pa.int32()
        return pa.float64() if name in _FLOATS else pa.string()

    return pa.schema([(name, kind(name)) for name in CSV_COLUMNS] + [("record", pa.string())])


def _parquet_value(name: str, value: Any) -> Any:
    if value is None or value == "":
        return None
    if name in _INTS:
        return int(value)
    if name in _FLOATS:
        return float(value)
    return str(value)


def parquet_bytes(records: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """Row groups go to a spooled temp file (Parquet's footer comes last), then stream out."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = parquet_schema()
    with tempfile.SpooledTemporaryFile(max_size=32 << 20) as sink:
        with pq.ParquetWriter(sink, schema, compression="zstd") as writer:
            for chunk in _chunks(records):
                rows = []
                for record in chunk:
                    flat = flat_row(record)
                    row = {name: _parquet_value(name, flat.get(name)) for name in CSV_COLUMNS}
                    row["record"] = json.dumps(record, ensure_ascii=False)
                    rows.append(row)
                writer.write_table(pa.Table.from_pylist(rows, schema=schema))
        sink.seek(0)
        while block := sink.read(1 << 20):
            yield block


def export_response(records: Iterable[dict[str, Any]], fmt: str) -> StreamingResponse:
    """A download of the records in `fmt` (jsonl, csv or parquet)."""
    writers = {"jsonl": jsonl_bytes, "csv": csv_bytes, "parquet": parquet_bytes}
    return StreamingResponse(
        writers[fmt](records),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="events.{fmt}"'},
    )
