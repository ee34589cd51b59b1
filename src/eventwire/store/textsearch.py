"""Free-text search of event sentences: the words of the query, in order.

One meaning on every back-end and every query plan, case and punctuation ignored:
- one word is found inside any word ("fire" finds "ceasefire", "negotia" "negotiations");
- several words must follow each other as whole words, the last one possibly the start of a
  longer word ("peace talk" finds "Peace-talks" and "peace talks", not "appease talks"), as a
  search box that completes what is being typed; "U.S." finds "U.S." and "u s".
It is a substring test over the sentence's words joined by single spaces after one leading
space (`sentence_words`, written at ingest): PostgreSQL and an unindexed DuckDB file answer it
with one scan of that column.

A DuckDB file also keeps a positional word index (store/duckdb_text.py), because that scan
reads every sentence: 120-150 ms on a million events. The index holds one posting per word
(term, event row, position) and, for the few very common words of common_words.tsv, one per
pair of neighbouring words that starts with one ("the government", "with rebels"), so
that a phrase with a common word is looked up by its rare pair, not by every sentence with
"the". A query becomes units: each pair whose first word is common and is not the query's
last word, and each word no such pair covers. Units pin each other's positions, so the events
whose postings line up are exactly the events whose `sentence_words` holds the query.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from eventwire.store.dialect import Dialect

WORD = re.compile(r"\w+")
NOTHING = "1 = 0"


@cache
def common_words() -> frozenset[str]:
    """Words too frequent to look up alone (data file beside this module)."""
    with (Path(__file__).with_name("common_words.tsv")).open(encoding="utf-8") as handle:
        return frozenset(row["word"] for row in csv.DictReader(handle, delimiter="\t"))


def words(text: str) -> list[str]:
    """Lower-cased runs of letters, digits and underscores: what search compares."""
    return WORD.findall(text.lower())


def sentence_words(sentence: str | None) -> str | None:
    """The stored search form of a sentence: a space before each of its words."""
    if sentence is None:
        return None
    return "".join(" " + w for w in words(sentence))


def postings(stored: str | None) -> list[tuple[str, int]]:
    """(term, position) of a stored sentence: every word, and each pair led by a common word."""
    if not stored:
        return []
    tokens = stored.split()
    common = common_words()
    out = [(w, i) for i, w in enumerate(tokens)]
    out += [(f"{a} {tokens[i + 1]}", i) for i, a in enumerate(tokens[:-1]) if a in common]
    return out


@dataclass(frozen=True)
class Unit:
    """One index lookup of a query: a word or a word pair at `offset` from the first word."""

    text: str
    offset: int
    kind: str  # "inside" (a one-word query), "prefix" (ends the query) or "exact"

    def condition(self, column: str = "term") -> tuple[str, list[Any]]:
        """SQL over terms: which stored terms this unit matches (pairs hold one space)."""
        if self.kind == "exact":
            return f"{column} = ?", [self.text]
        shape = f"{'' if ' ' in self.text else 'NOT '}contains({column}, ' ')"
        if self.kind == "inside":
            return f"contains({column}, ?) AND {shape}", [self.text]
        # a range, not starts_with: DuckDB skips the row groups of sorted terms outside it
        above = self.text[:-1] + chr(ord(self.text[-1]) + 1)
        return f"{column} >= ? AND {column} < ? AND {shape}", [self.text, above]


def units(tokens: list[str]) -> list[Unit]:
    """The lookups that together match exactly `tokens` in order (see the module doc)."""
    k = len(tokens)
    if k == 1:
        return [Unit(tokens[0], 0, "inside")]
    common = common_words()

    def kind(last: int) -> str:
        return "prefix" if last == k - 1 else "exact"

    pairs = [
        Unit(f"{tokens[i]} {tokens[i + 1]}", i, kind(i + 1))
        for i in range(k - 1)
        if tokens[i] in common
    ]
    covered = {u.offset for u in pairs} | {u.offset + 1 for u in pairs}
    singles = [Unit(t, i, kind(i)) for i, t in enumerate(tokens) if i not in covered]
    return pairs + singles


def query_text(text: str) -> str:
    """What a search looks for in `sentence_words` ('' when the text has no word)."""
    found = words(text)
    if len(found) < 2:
        return "".join(found)
    return "".join(" " + w for w in found)


def scan_condition(
    text: str, dialect: Dialect, column: str = "sentence_words"
) -> tuple[str, list[Any]]:
    """One scan of the stored words: every back-end, and DuckDB when the index cannot help."""
    wanted = query_text(text)
    if not wanted:
        return NOTHING, []
    return dialect.holds(f"e.{column}"), [wanted]
