"""Acronyms a report defines: 'the Movement for Democratic Change (MDC)', 'Awami League (AL)'.

The letters in brackets name the organisation before them, there and wherever they recur in
the article; they never name a KB person who happens to share them ("AKK").
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from eventwire.records import Actor, updated
from eventwire.resolve.actors.kb import Entry
from eventwire.resolve.actors.orgs import org_sector
from eventwire.resolve.actors.phrases import Cand

LINKS = frozenset({"of", "for", "the", "and", "de", "al", "el", "-", "'s", "&", "in", "on"})
MAX_LONG = 9  # tokens in a long form
STATE_KINDS = frozenset({"country", "demonym", "people", "capital"})
ORG_KINDS = frozenset({"group", "igo", "agency"})
_SHAPE = re.compile(r"[A-Z][A-Za-z0-9()-]{1,9}")


def _acronym_like(text: str) -> bool:
    """'MDC', 'LeJ', 'SPLA-IO', 'CPI(M)': mostly capitals, two to ten characters."""
    if not _SHAPE.fullmatch(text):
        return False
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) * 2 > len(letters)


def _long_start(doc: Doc, end: int, initial: str) -> int | None:
    """First token of the capitalised name ending just before `end` that starts with the
    acronym's initial ('Members of Lashkar-e-Jhangvi (LeJ)' -> 'Lashkar...'), or None."""
    k, starts = end - 1, []
    while k >= 0 and end - k <= MAX_LONG:
        token = doc[k]
        hyphened = (k > 0 and doc[k - 1].text == "-") or (k + 1 < end and doc[k + 1].text == "-")
        if token.text[:1].isupper():
            starts.append(k)
        elif not (token.lower_ in LINKS or (hyphened and len(token) <= 3 and token.is_alpha)):
            break
        k -= 1
    fitting = [k for k in starts if doc[k].text[:1].upper() == initial.upper()]
    return min(fitting) if fitting else None


def defined_acronyms(doc: Doc) -> dict[str, tuple[int, int]]:
    """Acronym text -> token span of its long form, for every '<Name> (<ACRONYM>)'."""
    found: dict[str, tuple[int, int]] = {}
    for i in range(1, len(doc) - 2):
        if doc[i].text != "(" or doc[i + 2].text != ")":
            continue
        acronym = doc[i + 1].text
        if not _acronym_like(acronym) or acronym in found:
            continue
        start = _long_start(doc, i, acronym[0])
        if start is not None and i - start >= 2:
            found[acronym] = (start, i)
    return found


def _entry(doc: Doc, span: tuple[int, int], inside: list[Cand]) -> Entry:
    """The organisation a long form names: a KB entry it contains whole, else a new one."""
    for cand in inside:
        if cand.entry is not None and (cand.start, cand.end) == span:
            return cand.entry
    code = next(
        (c.actor.code for c in inside if c.entry is not None and c.entry.kind in STATE_KINDS), None
    )
    words = [t.lower_ for t in doc[span[0] : span[1]] if t.is_alpha]
    return Entry("group", doc[span[0] : span[1]].text, code, org_sector(words))


def _own(owner: list[Cand | None], cands: list[Cand], cand: Cand) -> None:
    """Give the tokens to `cand`, dropping the mentions it swallows."""
    for k in range(cand.start, cand.end):
        old = owner[k]
        if old is not None and old is not cand:
            for j in range(old.start, old.end):
                if owner[j] is old:
                    owner[j] = None
            if old in cands:
                cands.remove(old)
        owner[k] = cand


def _cand(start: int, end: int, head: int, entry: Entry, text: str) -> Cand:
    actor = Actor(
        entity_text=text, name=entry.name, code=entry.code, sector=entry.sector, resolution="kb"
    )
    if entry.qid:
        actor = updated(actor, identifier_id=entry.qid, identifier_text=entry.name)
    return Cand(start, end, head, "group", actor, entry)


def _known(owner: list[Cand | None], uses: list[int]) -> Entry | None:
    """The KB organisation the letters already name ('TTP'), if any."""
    for i in uses:
        entry = owner[i].entry if owner[i] is not None else None  # type: ignore[union-attr]
        if entry is not None and entry.kind in ORG_KINDS:
            return entry
    return None


def acronym_cands(doc: Doc, owner: list[Cand | None], cands: list[Cand]) -> None:
    """One organisation for each defined acronym: its long form and every use of the letters
    become mentions of it (a KB entry for either side wins)."""
    for acronym, (start, end) in defined_acronyms(doc).items():
        overlapping = [c for c in cands if c.start < end and c.end > start]
        inside = [c for c in overlapping if start <= c.start and c.end <= end]
        if len(inside) < len(overlapping):
            continue  # a mention crosses the name's edge: leave the text as the KB read it
        uses = [t.i for t in doc if t.text == acronym]
        entry = _known(owner, uses) or _entry(doc, (start, end), inside)
        long_form = _cand(start, end, doc[start:end].root.i, entry, doc[start:end].text)
        _own(owner, cands, long_form)
        cands.append(long_form)
        for i in uses:
            cand = _cand(i, i + 1, i, entry, doc[i].text)
            _own(owner, cands, cand)
            cands.append(cand)


def bracketed(doc: Doc, i: int) -> bool:
    """Token i is an acronym in brackets after a name: letters, never a KB person."""
    return (
        0 < i < len(doc) - 1
        and doc[i - 1].text == "("
        and doc[i + 1].text == ")"
        and _acronym_like(doc[i].text)
    )
