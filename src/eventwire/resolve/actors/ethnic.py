"""Peoples named by their ethnicity, and the six-character sector PLOVER gives their members.

"Yoruba leaders" are elites of the Yoruba (ELIyor), "ethnic Albanians" in Serbia civilians of
Albanian ethnicity (CVLalb); the country is where they live (resolve/actors/context.py).
Armed groups keep a plain sector: their name, not their ethnicity, identifies them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

DATA = Path(__file__).resolve().parent / "data" / "ethnic_groups.tsv"
QUALIFIED = frozenset({"CVL", "ELI"})  # sectors that take the ethnic qualifier
LEADER_WORDS = frozenset(
    {
        "leader",
        "leaders",
        "elder",
        "elders",
        "chief",
        "chiefs",
        "politician",
        "politicians",
        "notable",
        "notables",
        "chieftain",
        "chieftains",
    }
)


class People(NamedTuple):
    code: str  # three lower-case letters
    name: str
    countries: tuple[str, ...]


@lru_cache(maxsize=1)
def _table() -> dict[str, People]:
    rows = [ln.split("\t") for ln in DATA.read_text(encoding="utf-8").splitlines()]
    table: dict[str, People] = {}
    for row in rows:
        if len(row) != 4 or row[0].startswith("#") or row[0] == "forms":
            continue
        people = People(row[1], row[2], tuple(row[3].split("|")))
        for form in row[0].split("|"):
            table[form] = people
    return table


def people(word: str) -> People | None:
    """The people a word names ('Yoruba', 'Kurdish', 'Albanians'), if any."""
    return _table().get(word.lower())


def qualified_sector(sector: str | None, head: str, who: People) -> str | None:
    """The sector of a people's members: leaders are ELI, others keep CVL; + the ethnic code."""
    base = "ELI" if head.lower() in LEADER_WORDS else sector
    if base not in QUALIFIED:
        return sector
    return base + who.code
