"""GDELT 2.0 Event and Mentions exports (filled in by the next commit)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import IO, Any


def write_events(groups: list[dict[str, Any]], out: IO[str]) -> int:
    from eventwire.cameo import write_gdelt

    return write_gdelt([g["record"] for g in groups], out)


def write_mentions(
    groups: list[dict[str, Any]], rows: Iterable[dict[str, Any]], out: IO[str]
) -> int:
    raise NotImplementedError("gdelt-mentions")
