"""PLOVER modes: from the lexicon entry, from the governed event, and from context words."""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.matching import Candidate, lemma

CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "parataxis", "conj", "csubj", "xcomp", "cc"})
CUE_DEPTH = 3


def nested_mode(gov_type: str, nested: Candidate, lex: Lexicon) -> str | None:
    """REQUEST/REJECT/THREATEN modes are the content of the request, refusal or threat."""
    table = lex.nested_modes.get(gov_type)
    if not table:
        return None
    for mode in nested.modes:
        key = f"{nested.event_type}/{mode}"
        if key in table:
            return table[key]
    return table.get(nested.event_type, table.get("*"))


def _context_tokens(cand: Candidate) -> list[Token]:
    """The trigger's own phrase and its non-clausal dependents, a few levels down."""
    starts = {t for t in (cand.token, cand.anchor, cand.obj) if t is not None}
    seen: dict[int, Token] = {}
    frontier = list(starts)
    for _ in range(CUE_DEPTH):
        nxt: list[Token] = []
        for tok in frontier:
            if tok.i in seen:
                continue
            seen[tok.i] = tok
            nxt.extend(c for c in tok.children if c.dep_ not in CLAUSE_DEPS)
        frontier = nxt
    for tok in frontier:
        seen.setdefault(tok.i, tok)
    return list(seen.values())


def cue_modes(cand: Candidate, lex: Lexicon) -> list[str]:
    """'air strike' -> aerial, 'rocket' -> heavy-weapons, 'troops' -> troops, ..."""
    cues = lex.mode_cues.get(cand.event_type)
    if not cues:
        return []
    found: list[str] = []
    for tok in sorted(_context_tokens(cand), key=lambda t: t.i):
        mode = cues.get(lemma(tok)) or cues.get(tok.lower_)
        if mode and mode not in found:
            found.append(mode)
    return found


def frame_modes(cand: Candidate, lex: Lexicon) -> list[str]:
    """Entry modes first, then the ones the context adds (no duplicates)."""
    modes = list(cand.modes)
    if cand.nested and not modes:
        derived = nested_mode(cand.event_type, cand.nested[0], lex)
        if derived:
            modes.append(derived)
    if cand.event_type in ("REQUEST", "REJECT", "THREATEN", "AGREE"):
        return modes
    for mode in cue_modes(cand, lex):
        if mode not in modes:
            modes.append(mode)
    return modes
