"""Spark local[2] against `eventwire extract --jobs 2` on the same articles.

    python benchmarks/spark_bench.py [--articles 2000] [--corpus FILE.jsonl] [--json]

Spark's JVM start-up is timed apart. The first Spark run includes its Python workers
loading the pipeline (as `extract` includes its workers loading it); the second run, on the
same session, shows the rate once every worker is warm. `extract` runs before and after the
Spark runs and the ratios are taken against the mean of its two rates, so a machine shared
with other work loads both sides alike. The lake's records are checked against extract's
output, line for line.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "data" / "ngec-synthetic-stories.jsonl"
FIELDS = ("id", "text", "title", "date", "url", "source")


def _corpus(source: Path, count: int, into: Path) -> Path:
    """The first `count` articles of a JSONL corpus, with article fields only."""
    target = into / "articles.jsonl"
    with source.open(encoding="utf-8") as read, target.open("w", encoding="utf-8") as write:
        for written, line in enumerate(read):
            if written >= count:
                break
            record = json.loads(line)
            write.write(json.dumps({k: record.get(k) for k in FIELDS}, ensure_ascii=False) + "\n")
    return target


def _extract(corpus: Path, jobs: int, output: Path) -> float:
    command = [sys.executable, "-m", "eventwire", "extract", str(corpus), "--jobs", str(jobs)]
    started = time.perf_counter()
    subprocess.run([*command, "-q", "-o", str(output)], check=True)
    return time.perf_counter() - started


def _lake_records(lake: Path) -> list[str]:
    import duckdb

    files = f"{lake}/events/date=*/batch=*/*.parquet"
    return sorted(
        r for (r,) in duckdb.sql(f"SELECT record FROM read_parquet('{files}')").fetchall()
    )


def _spark_runs(corpus: Path, master: str, into: Path) -> dict[str, Any]:
    from eventwire.lake.spark_job import run_spark, spark_session

    started = time.perf_counter()
    spark = spark_session(master)
    spark.range(1).count()  # the JVM and a first task are up
    figures: dict[str, Any] = {"jvm_start_s": time.perf_counter() - started}
    try:
        for name in ("cold", "warm"):
            begun = time.perf_counter()
            run_spark(spark, [str(corpus)], into / "lake")
            figures[f"{name}_s"] = time.perf_counter() - begun
    finally:
        spark.stop()
    return figures


def measure(corpus: Path, articles: int, jobs: int) -> dict[str, Any]:
    """Both engines on the same articles; rates in articles per second."""
    with tempfile.TemporaryDirectory(prefix="spark-bench-") as folder:
        tmp = Path(folder)
        sample = _corpus(corpus, articles, tmp)
        before = _extract(sample, jobs, tmp / "extract.jsonl")
        spark = _spark_runs(sample, f"local[{jobs}]", tmp)
        after = _extract(sample, jobs, tmp / "extract.jsonl")
        lines = sorted((tmp / "extract.jsonl").read_text(encoding="utf-8").splitlines())
        same = _lake_records(tmp / "lake") == lines
    rate = {"extract": (articles / before + articles / after) / 2}
    rate.update({name: articles / spark[f"{name}_s"] for name in ("cold", "warm")})
    return {
        "articles": articles,
        "jobs": jobs,
        "cpu_count": os.cpu_count(),
        "extract_before_s": before,
        "extract_after_s": after,
        **spark,
        "rate_extract": rate["extract"],
        "rate_spark_cold": rate["cold"],
        "rate_spark_warm": rate["warm"],
        "ratio_cold": rate["cold"] / rate["extract"],
        "ratio_warm": rate["warm"] / rate["extract"],
        "per_core_extract": rate["extract"] / jobs,
        "per_core_spark_warm": rate["warm"] / jobs,
        "records_identical": same,
        "events": len(lines),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = measure(args.corpus, args.articles, args.jobs)
    if args.json:
        print(json.dumps(figures, indent=2))
        return 0
    print(f"{figures['articles']} articles, {figures['jobs']} cores, {figures['events']} events")
    print(
        f"extract --jobs {args.jobs}: {figures['extract_before_s']:.1f} s before Spark, "
        f"{figures['extract_after_s']:.1f} s after"
    )
    print(f"Spark JVM start: {figures['jvm_start_s']:.1f} s (not counted below)")
    for name in ("cold", "warm"):
        print(
            f"Spark local[{args.jobs}] {name}: {figures[f'{name}_s']:.1f} s, "
            f"ratio to extract {figures[f'ratio_{name}']:.2f}"
        )
    print(f"records identical to extract: {figures['records_identical']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
