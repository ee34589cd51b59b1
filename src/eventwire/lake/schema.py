"""Arrow schemas of the Parquet lake: typed PLOVER columns, one place for every writer.

`CODED` is one row per input item (a coded article with its events, or a skipped input);
the Spark job writes three tables from it (lake/spark_job.py): events, articles, skipped.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

UNDATED = "undated"  # partition value of rows without a (valid) date
TABLES = ("events", "articles", "skipped")


@lru_cache(maxsize=1)
def entity_type() -> Any:
    """A PLOVER entity (actor, recipient, reporter) as a struct."""
    import pyarrow as pa

    text = pa.string()
    return pa.struct(
        [
            ("code", text),
            ("sector", text),
            ("entity_text", text),
            ("identifier_id", text),
            ("identifier_text", text),
            ("office", text),
            ("name", text),
            ("resolution", text),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("mention_text", text),
            ("ethnicity", text),
        ]
    )


@lru_cache(maxsize=1)
def place_type() -> Any:
    """A PLOVER location (mordecai-style fields) as a struct."""
    import pyarrow as pa

    text = pa.string()
    return pa.struct(
        [
            ("extracted_place", text),
            ("resolved_place", text),
            ("geonameid", pa.int64()),
            ("lat", pa.float64()),
            ("lon", pa.float64()),
            ("province", text),
            ("country_code", text),
            ("feature_code", text),
            ("resolution", text),
            ("start", pa.int32()),
            ("end", pa.int32()),
            ("source", text),
        ]
    )


@lru_cache(maxsize=1)
def event_type() -> Any:
    """One event: the record's fields as columns, plus the record itself as JSON text."""
    import pyarrow as pa

    text, i32, words = pa.string(), pa.int32(), pa.list_(pa.string())
    return pa.struct(
        [
            ("id", text),
            ("article_id", text),
            ("article_hash", text),
            ("seq", i32),  # position among its article's events
            ("date", text),  # YYYY-MM-DD, or "undated": the partition
            ("event_date", pa.date32()),
            ("enddate", pa.date32()),
            ("event_type", text),
            ("mode", words),
            ("context", words),
            ("quad_code", i32),
            ("event_scale", pa.float64()),
            ("actor", pa.list_(entity_type())),
            ("recipient", pa.list_(entity_type())),
            ("event_loc", place_type()),
            ("reported_by", entity_type()),
            ("factuality", text),
            ("trigger", text),
            ("trigger_start", i32),
            ("trigger_end", i32),
            ("sentence_index", i32),
            ("sentence_start", i32),
            ("sentence_end", i32),
            ("sentence_text", text),
            ("confidence", pa.float64()),
            ("decided_by", text),
            ("rule", text),
            ("date_precision", text),
            ("date_text", text),
            ("date_relative", text),
            ("date_source", text),
            ("corpus", text),
            ("url", text),
            ("title", text),
            ("coder", text),
            ("record", text),  # the very JSON line `eventwire extract` prints
        ]
    )


@lru_cache(maxsize=1)
def coded_schema() -> Any:
    """One input item: article fields, its sentences and events, or why it was skipped."""
    import pyarrow as pa

    text, i32 = pa.string(), pa.int32()
    span = pa.struct([("start", i32), ("end", i32)])
    return pa.schema(
        [
            ("status", text),  # coded | skipped
            ("order", pa.int64()),  # input order: the first of two equal articles is kept
            ("date", text),  # article date YYYY-MM-DD or "undated": the partition
            ("article_id", text),
            ("origin", text),
            ("reason", text),
            ("reason_kind", text),
            ("hash", text),
            ("article_date", pa.date32()),
            ("title", text),
            ("url", text),
            ("source", text),
            ("raw_format", text),
            ("text", text),
            ("n_words", i32),
            ("sentences", pa.list_(span)),
            ("events", pa.list_(event_type())),
        ]
    )


ARTICLE_COLUMNS = (
    "order",
    "article_id",
    "hash",
    "article_date",
    "title",
    "url",
    "source",
    "origin",
    "raw_format",
    "text",
    "n_words",
    "sentences",
)
SKIPPED_COLUMNS = ("order", "article_id", "origin", "reason", "reason_kind")
