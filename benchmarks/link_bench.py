"""What event groups cost at ingest over a big store: `python benchmarks/link_bench.py`.

Builds a DuckDB store of N stored events (default 100,000) that are already linked, the
way `eventwire ingest` leaves a store: the linking dev set (tests/data/linking_dev.jsonl)
is coded once, then its articles are stored again and again with their dates moved by a
week each round (so the stored events spread over years and every round's days are
busy), each copy with its own last line. Then the same new articles (the samples and the
dev set, dated inside the stored span, many of them near-copies of stored ones) are ingested
into two copies of that store, once with event groups and once without (`--no-link`),
timed like `eventwire bench` times ingest (model loaded before the clock). Target: groups
add at most 10 % (ratio <= 1.10).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import tempfile
import time
from pathlib import Path

from eventwire.bench import isolated, load_articles, sample_files, samples_dir, write_jsonl
from eventwire.records import Article, Event, updated

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT / "tests" / "data" / "linking_dev.jsonl"
TARGET = 1.10


def _dev_articles() -> list[Article]:
    out = []
    for line in DEV.read_text("utf-8").splitlines():
        raw = json.loads(line)
        day = dt.date.fromisoformat(raw["date"])
        out.append(Article(raw["id"], raw["text"], raw["title"], day, None, raw["source"]))
    return out


def _moved(event: Event, days: int) -> Event:
    when = event.when
    if not when.date:
        return event
    moved = (dt.date.fromisoformat(when.date) + dt.timedelta(days)).isoformat()
    return updated(event, when=updated(when, date=moved), id="")


def build_store(path: Path, events: int, model: str | None) -> int:
    """A linked store of at least `events` events; returns how many it holds."""
    from eventwire.runner import Coded, code_articles
    from eventwire.store import open_store
    from eventwire.store.groups import GroupWriter

    coded = [c for c in code_articles(_dev_articles(), jobs=1, model=model) if isinstance(c, Coded)]
    stored, rounds = 0, 0
    with open_store(path, batch_size=2000) as store, GroupWriter(store) as links:
        while stored < events:
            rounds += 1
            shift = 7 * ((rounds + 1) // 2) * (1 if rounds % 2 else -1)  # +7, -7, +14, ...
            for item in coded:
                a = item.article
                day = a.date + dt.timedelta(shift) if a.date else None
                text = f"{a.text}\n\nFiled in round {rounds}."
                article = Article(f"{a.id}~{rounds}", text, a.title, day, None, a.source)
                moved = [_moved(e, shift) for e in item.events]
                if store.add_article(article, moved, item.sentences):
                    links.add(article, moved)
                    stored += len(moved)
    return stored


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=100_000, help="stored events")
    parser.add_argument("--model", help="spaCy model")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="eventwire-link-bench-") as tmp:
        base = Path(tmp) / "base.duckdb"
        started = time.perf_counter()
        stored = build_store(base, args.events, args.model)
        print(f"stored {stored:,} linked events in {time.perf_counter() - started:.0f} s")
        new = load_articles(sample_files(samples_dir())) + _dev_articles()
        corpus = Path(tmp) / "new.jsonl"
        write_jsonl(new, corpus)
        words = sum(len(a.text.split()) for a in new)
        seconds = {}
        for link in (False, True):
            db = Path(tmp) / f"run-{link}.duckdb"
            shutil.copy(base, db)
            run = isolated("pipeline", corpus, db, 1, args.model, words, link)
            seconds[link] = run["seconds"]
            cpu = run["cpu_seconds"]
            label = "with event groups" if link else "without         "
            print(f"ingest {len(new)} articles {label}: {run['seconds']:.1f} s ({cpu:.1f} s CPU)")
        ratio = seconds[True] / seconds[False]
        verdict = "ok" if ratio <= TARGET else "over target"
        print(f"ratio {ratio:.3f} ({verdict}, target <= {TARGET})")


if __name__ == "__main__":
    main()
