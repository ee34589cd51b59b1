"""`eventwire run --engine spark`: code the inputs on Spark and write the Parquet lake.

The driver plans units of work (lake/units.py); each partition codes its units with
lake/partition.py, the pipeline loaded once per Python worker (Spark reuses its workers).
Tables are written with dynamic partition overwrite, one file per date partition, rows
sorted, so a rerun of the same inputs replaces the same files with the same rows.
"""

from __future__ import annotations

import os
import sys
from collections import Counter
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from eventwire.lake import layout
from eventwire.lake.partition import Options, code_partition
from eventwire.lake.schema import ARTICLE_COLUMNS, SKIPPED_COLUMNS, coded_schema
from eventwire.lake.units import plan_units

TASKS_PER_CORE = 4  # more tasks than cores: a slow partition does not hold up the rest
SPARK_CONF = {
    "spark.sql.sources.partitionOverwriteMode": "dynamic",
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.driver.host": "127.0.0.1",
    "spark.driver.bindAddress": "127.0.0.1",
    "spark.sql.session.timeZone": "UTC",
    "spark.python.worker.reuse": "true",
    "spark.sql.parquet.compression.codec": "zstd",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "16",  # units per batch handed to Python
}
SORT_KEYS = {
    "events": ("id",),
    "articles": ("article_id", "hash", "origin"),
    "skipped": ("article_id", "origin", "reason"),
}


def default_master() -> str:
    """local[N] with every core."""
    return f"local[{os.cpu_count() or 1}]"


def spark_session(master: str | None = None) -> Any:
    """A session on 127.0.0.1 whose Python workers run this interpreter."""
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master(master or default_master()).appName("eventwire")
    for key, value in SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def _tasks(spark: Any) -> int:
    return int(spark.sparkContext.defaultParallelism) * TASKS_PER_CORE


def _units_frame(spark: Any, paths: Sequence[str]) -> tuple[Any, int]:
    """The planned units as a DataFrame, spread evenly over the tasks."""
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    units = plan_units(paths)
    text, number = StringType(), LongType()  # byte offsets of a JSONL file pass 2 GiB
    schema = StructType(
        [
            StructField("kind", text),
            StructField("path", text),
            StructField("start", number),
            StructField("stop", number),
            StructField("first_line", number),
            StructField("article_id", text),
            StructField("reason", text),
            StructField("seq", number),
        ]
    )
    slices = max(1, min(len(units), _tasks(spark)))
    rows = [tuple(unit.row()[f.name] for f in schema.fields) for unit in units]
    rdd = spark.sparkContext.parallelize(rows, slices)
    return spark.createDataFrame(rdd, schema), len(units)


def _coded(spark: Any, paths: Sequence[str], options: Options) -> tuple[Any, int]:
    """Every input item coded, once: persisted, since every table and count reads it."""
    from pyspark import StorageLevel
    from pyspark.sql.pandas.types import from_arrow_schema

    units, count = _units_frame(spark, paths)
    coded = units.mapInArrow(
        partial(code_partition, options=options), from_arrow_schema(coded_schema())
    )
    return coded.persist(StorageLevel.MEMORY_AND_DISK), count


def _first_copies(coded: Any, key: str) -> Any:
    """Skipped inputs, and each article text once (its first copy, as `ingest` keeps)."""
    from pyspark import StorageLevel
    from pyspark.sql import functions as F
    from pyspark.sql.window import Window

    first = Window.partitionBy("hash").orderBy("order")
    articles = coded.where(F.col("status") == "coded")
    kept = articles.withColumn("copy", F.row_number().over(first)).where("copy = 1").drop("copy")
    whole = kept.unionByName(coded.where(F.col("status") == "skipped"))
    return whole.withColumn("batch", F.lit(key)).persist(StorageLevel.MEMORY_AND_DISK)


def _tables(coded: Any) -> dict[str, Any]:
    from pyspark.sql import functions as F

    events = coded.select("batch", F.explode("events").alias("e")).select("batch", "e.*")
    return {
        "events": events,
        "articles": coded.where("status = 'coded'").select("date", "batch", *ARTICLE_COLUMNS),
        "skipped": coded.where("status = 'skipped'").select("date", "batch", *SKIPPED_COLUMNS),
    }


def _write(frame: Any, path: Path, sort: Sequence[str]) -> None:
    """One file per (date, batch), rows in a fixed order; only the partitions written change."""
    (
        frame.repartition("date", "batch")
        .sortWithinPartitions(*sort)
        .write.mode("overwrite")
        .partitionBy("date", "batch")
        .parquet(str(path))
    )


def _summary(coded: Any, events: Any, units: int) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """Counts for the manifest and the date partitions of each table, in two small jobs."""
    items = coded.groupBy("status", "date", "reason_kind").count().collect()
    typed = events.groupBy("date", "event_type").count().collect()
    by_status: Counter[str] = Counter()
    reasons: Counter[str] = Counter()
    for row in items:
        by_status[row["status"]] += row["count"]
        if row["status"] == "skipped":
            reasons[row["reason_kind"]] += row["count"]
    by_type = Counter({r["event_type"]: 0 for r in typed})
    for row in typed:
        by_type[row["event_type"]] += row["count"]
    counts = {
        "units": units,
        "coded": by_status["coded"],
        "skipped": by_status["skipped"],
        "skipped_by_reason": dict(reasons.most_common()),
        "events": sum(by_type.values()),
        "events_by_type": dict(by_type.most_common()),
    }
    partitions = {
        "events": sorted({r["date"] for r in typed}),
        "articles": sorted({r["date"] for r in items if r["status"] == "coded"}),
        "skipped": sorted({r["date"] for r in items if r["status"] == "skipped"}),
    }
    return counts, partitions


def run_spark(
    spark: Any, paths: Sequence[str], out: str | Path, options: Options | None = None
) -> dict[str, Any]:
    """Code `paths` into the lake at `out`; returns the manifest it wrote."""
    from eventwire.output import CODEBOOK, coder_name

    options = options or Options()
    spark.conf.set("spark.sql.shuffle.partitions", str(_tasks(spark)))
    out, key = Path(out), layout.batch_key(paths)
    layout.clear_leftovers(out)
    raw, units = _coded(spark, paths, options)
    coded = _first_copies(raw, key)
    try:
        tables = _tables(coded)
        counts, partitions = _summary(coded, tables["events"], units)
        for name, frame in tables.items():
            _write(frame, out / name, SORT_KEYS[name])
            layout.drop_stale(out, name, key, set(partitions[name]))
    finally:
        coded.unpersist()
        raw.unpersist()
    manifest = {
        "batch": key,
        "inputs": layout.input_summary(paths),
        "counts": counts,
        "partitions": partitions,
        "coder": coder_name(),
        "codebook": CODEBOOK,
        "model": options.model,
        "default_date": options.default_date.isoformat() if options.default_date else None,
        "max_chars": options.max_chars,
        "engine": f"spark {spark.version}",
    }
    layout.write_manifest(out, key, manifest)
    return manifest
