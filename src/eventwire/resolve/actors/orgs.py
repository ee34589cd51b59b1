"""What an organisation the KB does not know is, read off the words of its name."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
ARMED = frozenset({"MIL"})


def _rows(name: str) -> list[list[str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ln.split("\t") for ln in lines if ln and not ln.startswith("#")][1:]


@lru_cache(maxsize=1)
def _words() -> tuple[list[tuple[str, str, str]], frozenset[str]]:
    table = [(w, sector, where) for w, sector, where in _rows("org_words.tsv")]
    cues = frozenset(r[0] for r in _rows("rebel_cues.tsv"))
    return table, cues


def org_sector(words: list[str]) -> str | None:
    """PLOVER sector for an organisation named by `words` (lower case), or None."""
    if not words:
        return None
    table, _cues = _words()
    for word, sector, where in table:
        hit = words[-1] == word if where == "last" else word in words
        if hit:
            return armed_sector(sector, words)
    return None


def armed_sector(sector: str | None, words: list[str]) -> str | None:
    """A military-sounding name with a rebel cue is a rebel army ('Kachin Independence Army')."""
    if sector in ARMED and _words()[1] & set(words):
        return "REB"
    return sector
