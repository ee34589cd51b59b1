"""Did it happen? Negation, condition, plans and reported speech around a trigger."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.strings import hash_string  # type: ignore[attr-defined]  # not in the stubs
from spacy.symbols import parataxis
from spacy.tokens import Span, Token

from eventwire.extraction.arguments import antecedent, name_for_title, pobjs
from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.matching import Candidate, lemma, phrasal_keys

HYPOTHETICAL_AUX = frozenset({"could", "might", "may", "should", "can", "must"})
PLANNED_AUX = frozenset({"will", "shall", "'ll", "wo", "ll"})
CONDITION_MARKS = frozenset({"if", "unless", "whether"})
PURPOSE_PREPS = frozenset({"toward", "towards"})
PLAN_NOUNS = frozenset({"plan", "bid", "attempt", "effort", "intention", "proposal", "push"})
FUTURE_WORDS = frozenset({"next", "tomorrow", "coming", "upcoming", "later", "soon"})
REPORT_PATH_DEPS = frozenset({"ccomp", "parataxis", "dobj", "xcomp", "conj", "advcl"})
ACCORDING_ID = hash_string("according")  # int compares: no string decode per token
ORDER = ("negated", "hypothetical", "planned", "reported", "asserted")


@dataclass
class Modality:
    factuality: str
    reporter: Token | None


def clause_anchor(cand: Candidate, lex: Lexicon) -> Token:
    """A nominal event takes its tense from the verb that makes it happen ("talks will resume")."""
    t = cand.anchor or cand.token
    if not cand.is_nominal:
        return t
    h = t.head
    if t.dep_ in ("nsubj", "nsubjpass", "dobj", "attr") and h.pos_ in ("VERB", "AUX"):
        keys = phrasal_keys(h)
        if keys & lex.occurrence_verbs or keys & lex.participation_verbs:
            return h
        key = lemma(h)
        if key in lex.modal_governors["planned"] and t.dep_ == "dobj":
            return h
        if key == "be":
            xc = next((c for c in h.children if c.dep_ == "xcomp"), None)
            if xc is not None and lemma(xc) in lex.occurrence_verbs:
                return xc
    return t


def _aux(tok: Token) -> set[str]:
    return {c.lower_ for c in tok.children if c.dep_ in ("aux", "auxpass")}


def _has_condition(tok: Token) -> bool:
    """An if/unless clause on the verb or on the verb that governs it ("if necessary")."""
    hosts = [tok]
    if tok.dep_ in ("advcl", "xcomp", "conj", "pcomp") and tok.head is not tok:
        hosts.append(tok.head)
    if tok.dep_ == "advcl" and any(c.lower_ in CONDITION_MARKS for c in tok.children):
        return True
    for host in hosts:
        for c in host.children:
            if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children
            ):
                return True
    return False


def _chain(tok: Token) -> list[Token]:
    """The verb and the verbs it is an infinitive complement of ('is expected to visit')."""
    out = [tok]
    cur = tok
    for _ in range(3):
        if cur.dep_ not in ("xcomp", "pcomp", "acomp") or cur.head is cur:
            break
        cur = cur.head if cur.dep_ != "pcomp" else cur.head.head
        out.append(cur)
    return out


def chain_aux(anchor: Token) -> set[str]:
    """Auxiliaries on the verb and on the verbs it complements."""
    out: set[str] = set()
    for t in _chain(anchor):
        out |= _aux(t)
    return out


def condition_marks(tok: Token) -> set[str]:
    """'if'/'unless' clauses on the verb or on its governing verb."""
    hosts = [tok] + ([tok.head] if tok.dep_ in ("advcl", "xcomp", "conj", "pcomp") else [])
    found = set()
    for host in hosts:
        for c in host.children:
            if c.dep_ == "advcl":
                found |= {m.lower_ for m in c.children if m.dep_ == "mark"} & CONDITION_MARKS
    return found


def _negated(anchor: Token, cand: Candidate, lex: Lexicon) -> bool:
    if any(c.dep_ == "neg" or c.lower_ == "never" for c in anchor.children):
        return True
    if cand.is_nominal and any(
        c.dep_ in ("det", "amod") and c.lower_ in lex.nominal_modality["negated"]
        for c in cand.token.children
    ):
        return True
    for gov in _chain(anchor)[1:]:
        if lemma(gov) in lex.modal_governors["negated"] or any(
            c.dep_ == "neg" for c in gov.children
        ):
            return True
    return False


def _hypothetical(anchor: Token, cand: Candidate, lex: Lexicon) -> bool:
    chain = _chain(anchor)
    if any(_aux(t) & HYPOTHETICAL_AUX for t in chain):
        return True
    if _has_condition(anchor):  # with or without "would"
        return True
    if any(lemma(g) in lex.modal_governors["hypothetical"] for g in chain[1:]):
        return True
    return cand.is_nominal and any(
        c.dep_ == "amod" and c.lower_ in lex.nominal_modality["hypothetical"]
        for c in cand.token.children
    )


def _planned(anchor: Token, cand: Candidate, lex: Lexicon) -> bool:
    chain = _chain(anchor)
    if any(_aux(t) & (PLANNED_AUX | {"would"}) for t in chain):
        return True
    if any(lemma(t) in lex.modal_governors["planned"] for t in chain[1:]):
        return True
    if anchor.dep_ == "xcomp" and lemma(anchor.head) == "be":
        return True  # "is to visit"
    if anchor.dep_ == "pcomp" and anchor.head.lower_ in PURPOSE_PREPS:
        return True
    if anchor.dep_ == "acl" and lemma(anchor.head) in PLAN_NOUNS:
        return True
    for host in {anchor, cand.token}:
        for c in host.children:
            if c.dep_ == "amod" and c.lower_ in lex.nominal_modality["planned"]:
                return True
            if c.ent_type_ == "DATE" and any(w.lower_ in FUTURE_WORDS for w in c.subtree):
                return True
    return False


def _speaker(verb: Token, lex: Lexicon) -> Token | None:
    """Who is saying: the subject of the reporting verb, or its by-agent."""
    for c in verb.children:
        if c.dep_ == "nsubj":
            if lex.in_set("relative_pronouns", c.lower_):
                return antecedent(c, lex)
            return name_for_title(c)
    for c in verb.children:
        if c.dep_ == "agent":
            found = pobjs(c)
            return name_for_title(found[0]) if found else None
    return None


def structural_reporter(anchor: Token, cand: Candidate, lex: Lexicon) -> Token | None:
    """Climb from the event to the nearest reporting verb it is the content of."""
    cur = anchor
    for _ in range(6):
        head = cur.head
        if head is cur:
            return None
        if (
            cur.dep_ in REPORT_PATH_DEPS
            and lemma(head) in lex.reporting_verbs
            and head.i not in cand.span
        ):
            return _speaker(head, lex)
        cur = head
    return None


def sentence_reporters(sent: Span, lex: Lexicon) -> list[tuple[Token, Token]]:
    """'according to X' and parenthetical 'he added': (verb or 'according', speaker) pairs."""
    found: list[tuple[Token, Token]] = []
    for tok in sent:
        if tok.lower == ACCORDING_ID:
            for c in tok.children:
                if c.lower_ == "to" and pobjs(c):
                    found.append((tok, name_for_title(pobjs(c)[0])))
        elif tok.dep == parataxis and lemma(tok) in lex.reporting_verbs:
            speaker = _speaker(tok, lex)
            if speaker is not None:
                found.append((tok, speaker))
    return found


def modality(
    cand: Candidate,
    lex: Lexicon,
    reporters: list[tuple[Token, Token]],
    anchor: Token | None = None,
) -> Modality:
    """Factuality of one trigger; a reporter is kept even when another value wins.

    anchor is clause_anchor(cand, lex) when the caller already has it.
    """
    anchor = anchor if anchor is not None else clause_anchor(cand, lex)
    reporter = structural_reporter(anchor, cand, lex)
    if reporter is None:
        for verb, speaker in reporters:
            if verb.i not in cand.span and not (verb.left_edge.i <= anchor.i <= verb.right_edge.i):
                reporter = speaker
                break
    if _negated(anchor, cand, lex):
        value = "negated"
    elif _hypothetical(anchor, cand, lex):
        value = "hypothetical"
    elif _planned(anchor, cand, lex):
        value = "planned"
    elif reporter is not None:
        value = "reported"
    else:
        value = "asserted"
    return Modality(value, reporter)
