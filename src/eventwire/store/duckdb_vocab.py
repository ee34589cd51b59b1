"""The stored words of a DuckDB word index, held in memory.

Planning a text search means finding which stored terms each query unit matches ("fire" →
"ceasefire", "fire", "fired"; "peace t" → "peace talks", "peace treaty") and how many
postings they hold. Asking DuckDB costs 10-20 ms a search on a million events (a `contains`
scan of every term and a GROUP BY); a sorted, packed copy in memory answers in microseconds:
a bisection for exact words and prefixes, one `str.find` pass for a word inside words.

Terms are packed into one string with their start offsets and posting counts in arrays:
about 20 bytes a term, against some 70 for a list of Python strings.
"""

from __future__ import annotations

from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

from eventwire.store.textsearch import Unit

Found = list[tuple[str, int]]  # (stored term, postings)
SEP = "\n"  # never inside a term: terms are runs of word characters and single spaces


class Terms:
    """Sorted distinct terms and their posting counts, packed for bisection and search."""

    def __init__(self, rows: Iterable[tuple[str, int]]) -> None:
        ordered = sorted(rows)
        self.size = len(ordered)
        self.packed = SEP + SEP.join(term for term, _ in ordered) + SEP
        self.starts = array("q")
        offset = 1
        for term, _ in ordered:
            self.starts.append(offset)
            offset += len(term) + 1
        self.starts.append(offset)  # sentinel: where a term after the last would start
        self.dfs = array("q", (df for _, df in ordered))

    def term(self, i: int) -> str:
        return self.packed[self.starts[i] : self.starts[i + 1] - 1]

    def _index(self, value: str) -> int:
        return bisect_left(range(self.size), value, key=self.term)

    def exact(self, value: str) -> Found:
        i = self._index(value)
        return [(value, self.dfs[i])] if i < self.size and self.term(i) == value else []

    def prefixed(self, prefix: str, limit: int) -> Found:
        """Terms that start with `prefix`, at most `limit` + 1 of them."""
        i, out = self._index(prefix), list[tuple[str, int]]()
        while i < self.size and len(out) <= limit:
            term = self.term(i)
            if not term.startswith(prefix):
                break
            out.append((term, self.dfs[i]))
            i += 1
        return out

    def containing(self, part: str, limit: int) -> Found:
        """Terms that contain `part`, at most `limit` + 1 of them (one pass of str.find)."""
        out: Found = []
        hit = self.packed.find(part) if part and SEP not in part else -1
        while hit >= 0 and len(out) <= limit:
            i = bisect_right(self.starts, hit) - 1
            out.append((self.term(i), self.dfs[i]))
            hit = self.packed.find(part, self.starts[i + 1])
        return out


class Vocabulary:
    """The stored words and the stored common-word pairs, apart: a unit asks one of them."""

    def __init__(self, rows: Iterable[tuple[str, int]]) -> None:
        words: Found = []
        pairs: Found = []
        for term, df in rows:
            (pairs if " " in term else words).append((term, int(df)))
        self.words, self.pairs = Terms(words), Terms(pairs)

    def match(self, unit: Unit, limit: int) -> Found:
        """The terms `unit` matches (its meaning: textsearch.Unit.condition)."""
        terms = self.pairs if " " in unit.text else self.words
        if unit.kind == "exact":
            return terms.exact(unit.text)
        if unit.kind == "prefix":
            return terms.prefixed(unit.text, limit)
        return terms.containing(unit.text, limit)


def merged(*found: Found) -> Found:
    """One term list from several parts of the index (the sorted runs, the tail)."""
    total: dict[str, int] = {}
    for part in found:
        for term, df in part:
            total[term] = total.get(term, 0) + df
    return list(total.items())
