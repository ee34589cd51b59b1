"""Country votes from administrative-unit words only one country uses ('upazila', 'taluk',
'barangay'): they place a report when the gazetteer does not know its villages."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "unit_words.tsv"


@lru_cache(maxsize=1)
def _pattern() -> tuple[re.Pattern[str], dict[str, str]]:
    table: dict[str, str] = {}
    with open(DATA, encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            word, code = line.rstrip("\n").split("\t")
            table[word] = code
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE), table


def unit_votes(text: str) -> Counter[str]:
    """One vote per unit word in the text for the country that uses it."""
    pattern, table = _pattern()
    return Counter(table[m.group(1).lower()] for m in pattern.finditer(text))
