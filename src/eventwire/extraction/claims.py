"""Who claimed an attack: 'the TTP claimed responsibility', 'Sibir men were behind the attack'.

A report often names the attacker only in a later sentence that claims or attributes the
attack. Attacks the report codes without an actor take the claimant as their actor.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from eventwire.records import Actor, Event, updated
from eventwire.resolve.actors import actors_for_token
from eventwire.resolve.actors.fill import place_country, settle

CLAIM_VERBS = frozenset({"claim", "own", "accept"})
CLAIMED = frozenset({"responsibility", "credit", "attack", "attacks", "bombing", "blast"})
ATTACK_NOUNS = frozenset(
    {
        "attack",
        "attacks",
        "bombing",
        "blast",
        "explosion",
        "killing",
        "killings",
        "ambush",
        "assault",
        "shooting",
        "abduction",
        "kidnapping",
        "strike",
        "incident",
        "violence",
    }
)
NOBODY = frozenset({"no", "none", "nobody", "noone"})


def _negated(verb: Token, subj: Token) -> bool:
    if any(c.dep_ == "neg" for c in verb.children):
        return True
    return subj.lower_ in NOBODY or any(c.lower_ in NOBODY for c in subj.children)


def _subjects(verb: Token) -> list[Token]:
    subj = [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")]
    return [s for t in subj for s in (t, *t.conjuncts)]


def _claim_subjects(token: Token) -> list[Token]:
    """Subjects of 'claimed responsibility' / 'was behind the attack', or []."""
    claim = token.lemma_.lower() in CLAIM_VERBS and token.pos_ in ("VERB", "AUX")
    if claim and any(c.dep_ == "dobj" and c.lower_ in CLAIMED for c in token.children):
        return _subjects(token) or _left_of(token)
    behind = token.lower_ == "behind" and token.dep_ == "prep"
    if behind and any(o.lower_ in ATTACK_NOUNS for o in token.children if o.dep_ == "pobj"):
        verb = token.head
        while verb.dep_ in ("xcomp", "ccomp", "acomp") and verb.head is not verb:
            if _subjects(verb):
                break
            verb = verb.head
        return _subjects(verb)
    return []


def _left_of(verb: Token) -> list[Token]:
    """A run-on 'at Hayatabad the TTP (TTP) claimed the attack' parses with no subject: the
    name just before the verb is the claimant."""
    k = verb.i - 1
    while k >= max(verb.sent.start, verb.i - 3) and verb.doc[k].is_punct:
        k -= 1
    if k >= verb.sent.start and verb.doc[k].pos_ in ("PROPN", "NOUN"):
        return [verb.doc[k]]
    return []


def _unnamed(actors: list[Actor]) -> bool:
    """No actor, or only 'gunmen', 'assailants': a claim names them."""
    return all(a.sector == "UAF" and not a.identifier_id for a in actors)


def claimants(doc: Doc) -> list[Actor]:
    """Every party the report says claimed, or was behind, an attack (text order)."""
    found: list[Actor] = []
    for token in doc:
        for subj in _claim_subjects(token):
            verb = subj.head
            if _negated(verb, subj):
                continue
            found += [a for a in actors_for_token(doc, subj.i) if a not in found]
    return found


def credit_claims(doc: Doc, events: list[Event]) -> None:
    """Attacks with no actor, or unnamed gunmen, take the report's claimants (the rule says so)."""
    if not any(e.event_type == "ASSAULT" and _unnamed(e.actors) for e in events):
        return
    found = claimants(doc)
    if not found:
        return
    for event in events:
        if event.event_type == "ASSAULT" and _unnamed(event.actors):
            event.actors = settle([updated(a) for a in found], place_country(event.location))
            event.rule = f"{event.rule or ''} [actor: claimed the attack]".strip()
