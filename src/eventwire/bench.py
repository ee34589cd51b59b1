"""Throughput of the whole pipeline (read -> code -> store) against bare spaCy nlp.pipe.

Both sides get the same texts, the same batch size and the same number of processes; on both
sides the model is loaded (and warmed up on one short text) before the clock starts, so the
figures compare steady-state coding speed. Wall-clock figures suffer on a busy machine, so
each side also reports the CPU seconds it used (its own and its worker processes') and the
load average around it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing as mp
import os
import resource
import sys
import tempfile
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from eventwire.records import Article

TARGET_RATIO = 0.85
SAMPLE_SUFFIXES = (".txt", ".html", ".htm", ".jsonl")
BIG = 10_000_000  # max_chars for the bench: nothing is skipped for length


@dataclass
class Run:
    """One measured side of one process count."""

    jobs: int
    articles: int
    words: int
    seconds: float
    cpu_seconds: float = 0.0  # user + system time of the process and its finished workers

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    @property
    def words_per_cpu_s(self) -> float:
        return self.words / self.cpu_seconds if self.cpu_seconds else 0.0

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["seconds"] = round(self.seconds, 3)
        out["cpu_seconds"] = round(self.cpu_seconds, 3)
        out["articles_per_s"] = round(self.articles_per_s, 2)
        out["words_per_s"] = round(self.words_per_s, 1)
        out["words_per_cpu_s"] = round(self.words_per_cpu_s, 1)
        return out


class Clock:
    """Wall and CPU time of a block; CPU counts this process and the children it waited for."""

    def __enter__(self) -> Clock:
        self.seconds = self.cpu_seconds = 0.0
        self._wall, self._cpu = time.perf_counter(), _cpu_now()
        return self

    def __exit__(self, *exc: object) -> None:
        self.seconds = time.perf_counter() - self._wall
        self.cpu_seconds = _cpu_now() - self._cpu


def _cpu_now() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def samples_dir() -> Path:
    """The bundled samples/: beside the source tree, else in the working directory."""
    beside = Path(__file__).resolve().parents[2] / "samples"
    return beside if beside.is_dir() else Path.cwd() / "samples"


def sample_files(root: Path) -> list[Path]:
    """Text, HTML and JSONL samples found at run time (samples/bad is left out)."""
    files = [
        p
        for p in sorted(root.rglob("*"))
        if p.suffix.lower() in SAMPLE_SUFFIXES and "bad" not in p.relative_to(root).parts
    ]
    return files


def load_articles(paths: Sequence[Path]) -> list[Article]:
    """Every readable article of the given files (skips are not benchmark material)."""
    from eventwire.ingest import read_inputs

    return [
        a for a in read_inputs([str(p) for p in paths], max_chars=BIG) if isinstance(a, Article)
    ]


def repeat_to(articles: list[Article], n: int) -> list[Article]:
    """n articles cycling through the corpus; copies get a distinct last line so that the
    store keeps each of them (the same content would be 'already stored')."""
    if not articles:
        raise ValueError("no articles to benchmark")
    out: list[Article] = []
    for i in range(n):
        base = articles[i % len(articles)]
        copy = i // len(articles)
        if copy == 0:
            out.append(base)
            continue
        text = f"{base.text}\n\nCopy {copy}."
        out.append(Article(f"{base.id}#{copy}", text, base.title, base.date, base.url, base.source))
    return out


def write_jsonl(articles: Iterable[Article], path: Path) -> None:
    """The corpus as one JSONL file, so the timed run includes reading and parsing it."""
    with path.open("w", encoding="utf-8") as out:
        for a in articles:
            record = {
                "id": a.id,
                "text": a.text,
                "title": a.title,
                "date": a.date.isoformat() if a.date else None,
                "url": a.url,
                "source": a.source,
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def run_pipeline(
    corpus: Path, db: Path, jobs: int, model: str | None, words: int, link: bool = True
) -> Run:
    """read_inputs -> code_articles -> DuckDB (-> copy and event groups), timed end to end."""
    import eventwire.store.duckdb_store  # noqa: F401  (imported before the clock, like the model)
    from eventwire.ingest import read_inputs
    from eventwire.runner import Coded, code_articles, default_loader
    from eventwire.store import open_store
    from eventwire.store.groups import GroupWriter

    default_loader(model)  # loaded and warmed up before the clock (forked workers inherit it)
    warm_store(db.with_name(f"warm-{db.name}"), model)
    coded = 0
    with Clock() as clock, open_store(db) as store:
        links = GroupWriter(store) if link else None
        for item in code_articles(
            read_inputs([str(corpus)], max_chars=BIG), jobs=jobs, model=model
        ):
            if isinstance(item, Coded):
                if store.add_article(item.article, item.events, item.sentences) and links:
                    links.add(item.article, item.events)
                coded += 1
        if links is not None:
            links.close()
    return Run(jobs, coded, words, clock.seconds, clock.cpu_seconds)


def warm_store(db: Path, model: str | None) -> None:
    """Store one coded article in a scratch database before the clock: the first write
    imports the rest of pyarrow/pandas and reads the PLOVER codebook (~0.5 s, once per
    process), a start-up cost like the model load, not throughput."""
    from eventwire.nlp.pipeline import WARM_UP_TEXT
    from eventwire.runner import Coded, code_articles
    from eventwire.store import open_store
    from eventwire.store.groups import GroupWriter

    article = Article("warm-up", WARM_UP_TEXT, date=dt.date(2024, 3, 4))
    with open_store(db) as store, GroupWriter(store) as links:  # datasketch imported too
        for item in code_articles([article], jobs=1, model=model):
            if isinstance(item, Coded):
                store.add_article(item.article, item.events, item.sentences)
                links.add(item.article, item.events)


def run_spacy(texts: list[str], jobs: int, model: str | None) -> Run:
    """The same model without eventwire's components: spaCy's own nlp.pipe and n_process,
    with the batch size the pipeline uses."""
    import spacy

    from eventwire.config import settings
    from eventwire.nlp.pipeline import WARM_UP_TEXT
    from eventwire.runner import CHUNK_SIZE

    nlp = spacy.load(model or settings().model)
    nlp(WARM_UP_TEXT)  # the same warm-up as the pipeline's, before the clock
    with Clock() as clock:
        count = sum(1 for _ in nlp.pipe(texts, n_process=jobs, batch_size=CHUNK_SIZE))
    words = sum(len(t.split()) for t in texts)
    return Run(jobs, count, words, clock.seconds, clock.cpu_seconds)


def peak_rss_mb() -> dict[str, float]:
    """Peak resident memory of this process and of its largest finished child (worker)."""
    self_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    child_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"main": round(self_kb / 1024, 1), "largest_worker": round(child_kb / 1024, 1)}


def _side(
    kind: str, corpus: Path, db: Path, jobs: int, model: str | None, words: int, link: bool
) -> dict[str, Any]:
    """One measurement; runs in its own process so its peak memory is its own."""
    before = os.getloadavg()[0]
    if kind == "pipeline":
        run = run_pipeline(corpus, db, jobs, model, words, link)
    else:
        with corpus.open(encoding="utf-8") as lines:
            texts = [json.loads(line)["text"] for line in lines]
        run = run_spacy(texts, jobs, model)
    load = {"before": round(before, 2), "after": round(os.getloadavg()[0], 2)}
    return {**run.as_dict(), "peak_rss_mb": peak_rss_mb(), "load_avg_1min": load}


def _child(conn: Connection, args: tuple[Any, ...]) -> None:
    try:
        conn.send(_side(*args))
    except BaseException as exc:
        conn.send({"error": f"{type(exc).__name__}: {exc}"})
    finally:
        conn.close()


def isolated(
    kind: str,
    corpus: Path,
    db: Path,
    jobs: int,
    model: str | None,
    words: int,
    link: bool = True,
) -> dict[str, Any]:
    """Run one side in a fresh process (same start method as the runner's workers)."""
    from eventwire.runner import start_method

    context: Any = mp.get_context(start_method())  # typeshed's BaseContext lacks Process
    receive, send = context.Pipe(duplex=False)
    side = (kind, corpus, db, jobs, model, words, link)
    process = context.Process(target=_child, args=(send, side))
    process.start()
    send.close()
    result: dict[str, Any] = receive.recv()
    process.join()
    if "error" in result:
        raise RuntimeError(f"bench {kind} with {jobs} process(es) failed: {result['error']}")
    return result


def run_bench(
    articles: int = 2000,
    jobs: Sequence[int] = (1, 2),
    corpus: str | None = None,
    model: str | None = None,
    link: bool = True,
) -> dict[str, Any]:
    """Measure both sides for each process count; returns the figures as a dict."""
    from eventwire.config import settings

    paths = [Path(corpus)] if corpus else sample_files(samples_dir())
    base = load_articles(paths)
    chosen = repeat_to(base, articles)
    words = sum(len(a.text.split()) for a in chosen)
    results: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="eventwire-bench-") as tmp:
        corpus_file = Path(tmp) / "corpus.jsonl"
        write_jsonl(chosen, corpus_file)
        for n in jobs:
            db = Path(tmp) / f"bench-{n}.duckdb"
            bare = isolated("spacy", corpus_file, db, n, model, words)
            ours = isolated("pipeline", corpus_file, db, n, model, words, link)
            ratio = ours["words_per_s"] / bare["words_per_s"] if bare["words_per_s"] else 0.0
            cpu = ours["cpu_seconds"] and bare["cpu_seconds"] / ours["cpu_seconds"]
            results.append(
                {
                    "jobs": n,
                    "pipeline": ours,
                    "spacy": bare,
                    "ratio": round(ratio, 3),
                    "cpu_ratio": round(cpu, 3),  # spaCy CPU s / pipeline CPU s, same work
                }
            )
    return {
        "corpus": corpus or str(samples_dir()),
        "source_articles": len(base),
        "articles": len(chosen),
        "words": words,
        "model": model or settings().model,
        "batch_size": chunk_size(),
        "cpus": os.cpu_count(),
        "target_ratio": TARGET_RATIO,
        "linking": link,
        "runs": results,
    }


def chunk_size() -> int:
    """The batch size both sides use (the runner's chunk size)."""
    from eventwire.runner import CHUNK_SIZE

    return CHUNK_SIZE


def render(report: dict[str, Any]) -> str:
    """The figures as a small aligned table."""
    lines = [
        f"corpus: {report['corpus']} ({report['source_articles']} articles) -> "
        f"{report['articles']} articles, {report['words']:,} words; model {report['model']}, "
        f"batch size {report['batch_size']}, {report['cpus']} CPUs; "
        f"event groups {'on' if report.get('linking', True) else 'off'}",
        f"{'jobs':>4}  {'pipeline art/s':>14}  {'words/s':>9}  {'spaCy art/s':>11}  "
        f"{'words/s':>9}  {'ratio':>6}",
    ]
    for run in report["runs"]:
        ours, bare = run["pipeline"], run["spacy"]
        flag = "ok" if run["ratio"] >= report["target_ratio"] else "below target"
        lines.append(
            f"{run['jobs']:>4}  {ours['articles_per_s']:>14.1f}  {ours['words_per_s']:>9.0f}  "
            f"{bare['articles_per_s']:>11.1f}  {bare['words_per_s']:>9.0f}  {run['ratio']:>6.3f}  "
            f"{flag} (target {report['target_ratio']})"
        )
    for run in report["runs"]:
        ours, bare = run["pipeline"], run["spacy"]
        lines.append(
            f"CPU, {run['jobs']} process(es): pipeline {ours['cpu_seconds']:.1f} s, spaCy "
            f"{bare['cpu_seconds']:.1f} s (cpu ratio {run['cpu_ratio']:.3f}); load average "
            f"{bare['load_avg_1min']['before']} -> {ours['load_avg_1min']['after']}"
        )
    for run in report["runs"]:
        ours, bare = run["pipeline"]["peak_rss_mb"], run["spacy"]["peak_rss_mb"]
        lines.append(
            f"peak RSS, {run['jobs']} process(es): pipeline main {ours['main']} MB / worker "
            f"{ours['largest_worker']} MB; spaCy main {bare['main']} MB / worker "
            f"{bare['largest_worker']} MB"
        )
    return "\n".join(lines)


def main(args: argparse.Namespace) -> int:
    """`eventwire bench`: print the table (or JSON with --json)."""
    report = run_bench(args.articles, args.jobs, args.corpus, args.model, args.link)
    print(json.dumps(report, indent=2) if args.json else render(report), file=sys.stdout)
    return 0
