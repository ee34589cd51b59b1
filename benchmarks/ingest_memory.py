"""Peak RSS and time of `eventwire ingest` as the corpus grows: memory should stay flat.

Builds a corpus of N articles from the NGEC synthetic stories (../shared/data), each copy made
distinct by a counter sentence and dated PER_DAY articles a day, then ingests the first
step, 2*step, ... articles of it into a fresh DuckDB file (a subprocess each), sampling the
RSS of the ingest process and of every process below it every 0.5 s (and their summed
PSS, which counts pages forked workers share with the ingest process once).

    python benchmarks/ingest_memory.py --articles 3000 --step 1000 --jobs 2
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
STORIES = ROOT.parent / "shared" / "data" / "ngec-synthetic-stories.jsonl"
START = dt.date(2024, 1, 1)
SAMPLE = 0.5  # seconds between RSS samples


def stories(path: Path) -> list[dict[str, Any]]:
    """Title and text of every story (the labels are not needed to ingest)."""
    with path.open(encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    return [{"title": r.get("title"), "text": r["text"]} for r in rows]


def write_corpus(path: Path, count: int, per_day: int, source: list[dict[str, Any]]) -> None:
    """`count` distinct, dated articles: story n % len, a counter sentence, day n // per_day."""
    with path.open("w", encoding="utf-8") as f:
        for n in range(count):
            story = source[n % len(source)]
            day = START + dt.timedelta(days=n // per_day)
            text = f"{story['text']}\n\nThis is report number {n} of the bench corpus."
            row = {"id": f"bench-{n}", "title": story["title"], "text": text, "date": str(day)}
            f.write(json.dumps(row) + "\n")


def _children() -> dict[int, list[int]]:
    """Parent pid -> child pids, from /proc (Linux)."""
    out: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        out.setdefault(parent, []).append(int(entry))
    return out


def _rss_of(pid: int) -> tuple[int, int]:
    """(RSS, PSS) in bytes, (0, 0) once the process is gone. Forked workers share pages with
    their parent: RSS counts them in each, PSS splits them, so summed PSS is what the
    machine really holds."""
    found = {"Rss:": 0, "Pss:": 0}
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            parts = line.split()
            if parts and parts[0] in found:
                found[parts[0]] = int(parts[1]) * 1024
    except OSError:
        pass
    return found["Rss:"], found["Pss:"]


def _rss(pid: int) -> tuple[int, int, int]:
    """(RSS of the process, summed RSS of its descendants, summed PSS of all) in bytes."""
    tree = _children()
    todo, below, (main, pss) = list(tree.get(pid, [])), 0, _rss_of(pid)
    while todo:
        child = todo.pop()
        rss, child_pss = _rss_of(child)
        below, pss = below + rss, pss + child_pss
        todo.extend(tree.get(child, []))
    return main, below, pss


def run_ingest(corpus: Path, db: Path, jobs: int, extra_env: dict[str, str]) -> dict[str, Any]:
    """One ingest as a subprocess; peak RSS (MB) of main, workers, both at once; seconds."""
    command = [sys.executable, "-m", "eventwire", "ingest", str(corpus), "--db", str(db)]
    command += ["--jobs", str(jobs)]
    env = {**os.environ, **extra_env}
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak_main = peak_workers = peak_total = peak_pss = 0
    while proc.poll() is None:
        main, workers, pss = _rss(proc.pid)
        peak_main, peak_workers = max(peak_main, main), max(peak_workers, workers)
        peak_total, peak_pss = max(peak_total, main + workers), max(peak_pss, pss)
        time.sleep(SAMPLE)
    elapsed = time.perf_counter() - started
    stderr = proc.stderr.read().decode("utf-8", "replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"ingest failed ({proc.returncode}): {stderr[-2000:]}")
    mb = 1024 * 1024
    return {
        "peak_main_mb": round(peak_main / mb, 1),
        "peak_workers_mb": round(peak_workers / mb, 1),
        "peak_total_mb": round(peak_total / mb, 1),
        "peak_pss_mb": round(peak_pss / mb, 1),
        "seconds": round(elapsed, 1),
        "summary": next(
            (x for x in reversed(stderr.splitlines()) if x.startswith("database ")), ""
        ),
    }


def measure(args: argparse.Namespace) -> list[dict[str, Any]]:
    """One ingest per size, each into a new database."""
    source = stories(Path(args.stories))
    sizes = [int(x) for x in args.sizes.split(",")] if args.sizes else []
    sizes = sizes or list(range(args.step, args.articles + 1, args.step))
    out = []
    with tempfile.TemporaryDirectory(prefix="ingest-memory-") as tmp:
        for size in sizes:
            corpus = Path(tmp) / f"corpus-{size}.jsonl"
            write_corpus(corpus, size, args.per_day, source)
            db = Path(tmp) / f"bench-{size}.duckdb"
            found = run_ingest(corpus, db, args.jobs, {})
            found = {"articles": size, **found}
            out.append(found)
            print(json.dumps(found), file=sys.stderr, flush=True)
            corpus.unlink()
            db.unlink()
    return out


def table(rows: list[dict[str, Any]]) -> str:
    """The figures, one line per size, with seconds per 1k articles."""
    head = (
        f"{'articles':>9} {'main MB':>8} {'workers MB':>11} {'total MB':>9} {'PSS MB':>8}"
        f" {'s':>7} {'s/1k':>6}"
    )
    lines = [head]
    for r in rows:
        per_k = r["seconds"] / r["articles"] * 1000
        lines.append(
            f"{r['articles']:>9} {r['peak_main_mb']:>8} {r['peak_workers_mb']:>11}"
            f" {r['peak_total_mb']:>9} {r['peak_pss_mb']:>8} {r['seconds']:>7} {per_k:>6.2f}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=3000, help="largest corpus")
    parser.add_argument("--step", type=int, default=1000, help="corpus sizes step")
    parser.add_argument("--sizes", help="corpus sizes instead of the steps, e.g. 1000,3000,6000")
    parser.add_argument("--jobs", type=int, default=2)
    # 20 a day: a few thousand articles already span more than the linker keeps (64 days)
    parser.add_argument("--per-day", type=int, default=20, help="articles published a day")
    parser.add_argument("--stories", default=str(STORIES))
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    rows = measure(args)
    print(json.dumps(rows, indent=2))
    print(table(rows))
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
