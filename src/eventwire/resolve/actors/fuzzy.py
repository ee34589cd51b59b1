"""Misspelt country names and demonyms in real copy: 'Afganistan', 'Phillipines', 'Pakistanis'.

A capitalised word no KB alias matched, that no gazetteer place is called, and that is within
one edit (two for long words) of a one-word country name or demonym with the same first
letter, names that country. The bound keeps 'Nigel' from Niger and 'Oman' from 'Omar'
(names are left to NER: people are never re-read as countries).
"""

from __future__ import annotations

from datetime import date
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein
from rapidfuzz.process import extractOne
from spacy.tokens import Doc

from eventwire.records import updated
from eventwire.resolve.actors.context import Located
from eventwire.resolve.actors.kb import Entry, index
from eventwire.resolve.actors.phrases import Cand
from eventwire.resolve.actors.scan import kb_actor

KINDS = frozenset({"country", "demonym"})
MIN_LENGTH = 6  # shorter words are too close to each other ('Oman', 'Omar')
SKIP_ENTS = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})


@lru_cache(maxsize=1)
def _names() -> dict[str, dict[str, Entry]]:
    """First letter -> one-word alias -> entry, for countries and demonyms."""
    table: dict[str, dict[str, Entry]] = {}
    for aliases in index().by_first.values():
        for alias in aliases:
            word = alias.lower[0]
            if len(alias.lower) == 1 and alias.entry.kind in KINDS and len(word) >= MIN_LENGTH:
                table.setdefault(word[0], {})[word] = alias.entry
    return table


def _bound(word: str) -> int:
    return 1 if len(word) < 10 else 2


def fuzzy_country(word: str) -> Entry | None:
    """The country or demonym a misspelt word stands for, if one is close enough."""
    lower = word.lower()
    if len(lower) < MIN_LENGTH or not lower.isalpha():
        return None
    names = _names().get(lower[0], {})
    if lower in names:
        return None  # spelt right: the KB matcher decides
    best = extractOne(
        lower, list(names), scorer=DamerauLevenshtein.distance, score_cutoff=_bound(lower)
    )
    return names[best[0]] if best is not None else None


def fuzzy_tokens(doc: Doc, owned: list[bool], is_place: object) -> list[tuple[int, Entry]]:
    """(token index, entry) for every capitalised, unclaimed, misspelt country word."""
    found = []
    for token in doc:
        if owned[token.i] or not token.text[:1].isupper() or token.ent_type_ in SKIP_ENTS:
            continue
        if (
            token.pos_ not in ("PROPN", "ADJ", "NOUN")
            or token.is_sent_start
            and token.pos_ != "PROPN"
        ):
            continue
        entry = fuzzy_country(token.text)
        if entry is not None and not is_place(token.text):  # type: ignore[operator]
            found.append((token.i, entry))
    return found


def _is_place(text: str) -> bool:
    from eventwire.resolve.places.gazetteer import norm_key, open_gazetteer

    return any(c.kind != "country" for c in open_gazetteer().lookup(norm_key(text)))


def misspelt_countries(
    doc: Doc, owner: list[Cand | None], day: date | None, located: Located
) -> list[Cand]:
    """'Afganistan', 'Phillipines' (resolve/actors/fuzzy.py), as the KB would read them."""
    out = []
    for i, entry in fuzzy_tokens(doc, [c is not None for c in owner], _is_place):
        span = doc[i : i + 1]
        if (
            entry.kind == "country"
            and span.root.dep_ == "pobj"
            and span.root.head.lower_ in ("in", "at", "near", "inside", "across", "throughout")
        ):
            located.append((entry.code or "", i))
            continue
        actor = updated(kb_actor(entry, span.text, day), resolution="fuzzy")
        kind = "country" if entry.kind == "country" else "demonym"
        out.append(Cand(i, i + 1, i, kind, actor, entry))
    return out
