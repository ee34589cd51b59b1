"""Ingest memory stays flat: workers are replaced after a number of chunks."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp.pipeline import load_pipeline
from eventwire.records import Article, Event, Skipped
from eventwire.runner import Coded, code_articles

DEV = Path(__file__).parent / "data" / "linking_dev.jsonl"


@Language.component("test_pid_probe_v1")
def pid_probe(doc: Doc) -> Doc:
    """One event whose type is the pid of the process that coded the article."""
    doc._.events = [Event(str(os.getpid()), doc._.article_id, 0, 0, 1, "x", 0, 1)]
    return doc


_CACHE: dict[Any, Language] = {}


def pid_loader(model: str | None) -> Language:
    """The real model and the probe; module-level so worker processes can unpickle it."""
    if model not in _CACHE:
        _CACHE[model] = load_pipeline(model, components=["test_pid_probe_v1"])
    return _CACHE[model]


def _pids(worker_chunks: int) -> tuple[list[str], set[str]]:
    items: list[Article | Skipped] = [Article(f"a{i}", f"Article {i} is here.") for i in range(8)]
    out = list(
        code_articles(items, jobs=2, loader=pid_loader, chunk_size=1, worker_chunks=worker_chunks)
    )
    assert all(isinstance(c, Coded) for c in out)
    ids = [c.article.id for c in out if isinstance(c, Coded)]
    return ids, {c.events[0].event_type for c in out if isinstance(c, Coded)}


def test_issue16_workers_are_replaced_after_their_chunks() -> None:
    ids, pids = _pids(worker_chunks=1)
    assert ids == [f"a{i}" for i in range(8)]  # input order kept across replaced workers
    assert len(pids) == 8  # one chunk each: every article coded by a fresh process
    assert str(os.getpid()) not in pids
    _, kept = _pids(worker_chunks=0)
    assert len(kept) <= 2  # never replaced: the two workers code everything


def test_issue16_a_writer_bounds_duckdb_memory(tmp_path: Path) -> None:
    """DuckDB's own default (80 % of RAM) would let a writer's RSS grow with its file."""
    from eventwire.config import settings
    from eventwire.store.duckdb_store import DuckDBStore

    with DuckDBStore(tmp_path / "m.duckdb") as store:
        limit = store.fetch("SELECT current_setting('memory_limit')", [])[0][0]
    assert settings().duckdb_memory == "256MB"
    assert limit == "244.1 MiB"  # DuckDB shows 256 MB (10^6) in MiB


def _groups(db: str) -> set[frozenset[str]]:
    from collections import defaultdict

    from eventwire.store import open_store
    from eventwire.store.groups import mention_rows

    with open_store(db, read_only=True) as store:
        found: dict[str, set[str]] = defaultdict(set)
        for row in mention_rows(store):
            found[row["group_id"]].add(row["record"]["id"])
    return {frozenset(g) for g in found.values()}


@pytest.mark.slow
@pytest.mark.parametrize("order", ["by date", "as filed"])
def test_issue16_linker_drops_old_days_and_links_alike(
    order: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The linking dev set spans a year: with a write every 5 articles and short horizons the
    linker drops most of it on the way (and reads back what a late article reaches), yet
    every event lands in the same group as when it keeps everything."""
    import json

    from eventwire.cli import main as cli_main
    from eventwire.link import copies, linker
    from eventwire.store import groups

    rows = [json.loads(x) for x in DEV.read_text("utf-8").splitlines() if x.strip()]
    if order == "by date":
        rows.sort(key=lambda r: (r["date"], r["id"]))
    corpus = tmp_path / "dev.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in rows), "utf-8")
    monkeypatch.setattr(groups, "BATCH", 5)
    kept = str(tmp_path / "kept.duckdb")
    monkeypatch.setattr(linker, "KEEP_DAYS", 100_000)
    monkeypatch.setattr(linker, "COPY_KEEP_DAYS", 100_000)
    assert cli_main(["ingest", str(corpus), "--db", kept, "--jobs", "1"]) == 0

    dropped: list[int] = []
    drop_before = copies.CopyIndex.drop_before

    def counting(self: copies.CopyIndex, day: Any) -> None:
        before = len(self._groups)
        drop_before(self, day)
        dropped.append(before - len(self._groups))

    monkeypatch.setattr(copies.CopyIndex, "drop_before", counting)
    monkeypatch.setattr(linker, "KEEP_DAYS", linker.MAX_WINDOW + 8)
    monkeypatch.setattr(linker, "COPY_KEEP_DAYS", copies.COPY_DAYS + 1)
    bounded = str(tmp_path / "bounded.duckdb")
    assert cli_main(["ingest", str(corpus), "--db", bounded, "--jobs", "1"]) == 0
    assert sum(dropped) >= len(rows) // 2  # most articles left the copy index on the way
    assert _groups(bounded) == _groups(kept)
