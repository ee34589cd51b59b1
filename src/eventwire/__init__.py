"""eventwire: news articles in, PLOVER event records out (who did what to whom, when, where).

`import eventwire` is light: spaCy loads on the first call that codes text (eventwire/api.py).
"""

from __future__ import annotations

from typing import Any

from eventwire.api import extract, extract_articles, extract_text

__all__ = ["extract", "extract_text", "extract_articles", "__version__"]


def __getattr__(name: str) -> Any:
    """The version comes from the installed metadata, read only when asked for."""
    if name == "__version__":
        from eventwire.output import coder_name

        return coder_name().split(" ", 1)[1]
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")
