"""Countries from the article around a mention: earlier mentions, the focus, where people live.

Located places are (code, token index) pairs for capitals and regions named in locative
phrases ("in Kabul"): they count for the focus and say where ethnic groups live.
"""

from __future__ import annotations

from collections import Counter

from spacy.tokens import Doc

from eventwire.records import updated
from eventwire.resolve.actors.ethnic import people, qualified_sector
from eventwire.resolve.actors.kb import is_state
from eventwire.resolve.actors.lexicon import lexicon
from eventwire.resolve.actors.phrases import Cand

Located = list[tuple[str, int]]
LOCATIVE = frozenset({"in", "at", "inside", "across", "throughout", "within", "near", "from"})


def _context_code(done: list[Cand], pending: str) -> str | None:
    """Country for a role from earlier mentions: the office it serves or the government in focus."""
    if pending.startswith("title:"):
        office = pending[len("title:") :]
        for cand in reversed(done):
            held = (cand.actor.office or "").lower()
            if held and office in held and is_state(cand.actor.code) and cand.kind != "role":
                return cand.actor.code
    for cand in reversed(done):
        if cand.kind != "pronoun" and cand.actor.sector == "GOV" and is_state(cand.actor.code):
            return cand.actor.code
    return None


def resolve_context(cands: list[Cand]) -> None:
    """Fill pending countries in text order, so only earlier mentions count."""
    done: list[Cand] = []
    for cand in cands:
        if cand.pending and cand.pending not in ("focus", "none") and not cand.actor.code:
            code = _context_code(done, cand.pending)
            if code is not None:
                cand.actor = updated(cand.actor, code=code)
                cand.pending = None
            else:
                cand.pending = "focus"
        done.append(cand)


def focus_country(cands: list[Cand], located: Located) -> str | None:
    """The country most mentioned (ties: the first), places in locative phrases included.

    Ethnic groups do not count: "ethnic Albanians" in a story about Serbia are Serbia's.
    """
    counts: Counter[str] = Counter()
    first: dict[str, int] = {}
    codes = [c.actor.code for c in cands if c.kind != "pronoun" and not c.ethnic]
    for n, code in enumerate(codes + [code for code, _token in located]):
        if is_state(code):
            counts[code or ""] += 1
            first.setdefault(code or "", n)
    if not counts:
        return None
    return max(counts, key=lambda code: (counts[code], -first[code]))


def _is_ethnic(doc: Doc, cand: Cand) -> bool:
    """'ethnic Albanians', 'ethnic Serb protesters', 'the Hungarian minority'."""
    words = lexicon().ethnic
    if cand.start > 0 and doc[cand.start - 1].lower_ in words:
        return cand.kind == "demonym" or (cand.kind == "role" and cand.actor.sector == "CVL")
    if cand.kind == "role" and cand.role is not None and cand.role.word in words:
        return cand.actor.code is not None
    return False


def mark_ethnic(doc: Doc, cands: list[Cand], owner: list[Cand | None]) -> None:
    """Flag ethnic-group mentions and take the word 'ethnic' into their span."""
    for cand in cands:
        if not _is_ethnic(doc, cand):
            continue
        cand.ethnic = True
        if doc[cand.start - 1].lower_ in lexicon().ethnic and owner[cand.start - 1] is None:
            cand.start -= 1
            owner[cand.start] = cand
        who = people(doc[cand.head].text)
        if who is None:
            cand.actor = updated(cand.actor, sector="CVL")
            continue
        cand.people = who
        sector = qualified_sector("CVL", doc[cand.head].text, who)
        cand.actor = updated(cand.actor, sector=sector, ethnicity=who.name)


def _locative(doc: Doc, cand: Cand) -> bool:
    """A place named after 'in', 'at', ... ('in southern Serbia')."""
    root = doc[cand.head]
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE


def _residence(doc: Doc, cand: Cand, cands: list[Cand], located: Located) -> str | None:
    """Where a group lives: a place in its sentence, else another country of the sentence."""
    sent = doc[cand.head].sent
    own = cand.actor.code
    places = [(abs(k - cand.head), code) for code, k in located if sent.start <= k < sent.end]
    others: list[tuple[int, str]] = []
    for other in cands:
        code = other.actor.code
        if other is cand or other.ethnic or not is_state(code) or code == own:
            continue
        if not sent.start <= other.head < sent.end or other.kind not in ("country", "demonym"):
            continue
        distance = abs(other.head - cand.head)
        (places if _locative(doc, other) else others).append((distance, code or ""))
    for pool in (places, others):
        found = sorted(p for p in pool if p[1] != own)
        if found:
            return found[0][1]
    return None


def resolve_ethnic(doc: Doc, cands: list[Cand], located: Located, focus: str | None) -> None:
    """Ethnic groups take the country they live in: a place nearby, else the focus."""
    for cand in cands:
        if not cand.ethnic:
            continue
        code = _residence(doc, cand, cands, located)
        if code is None and focus is not None and focus != cand.actor.code:
            code = focus
        if code is not None:
            cand.actor = updated(cand.actor, code=code)
