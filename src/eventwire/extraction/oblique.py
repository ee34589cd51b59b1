"""Parties that hang off a trigger's objects and circumstances rather than the trigger itself.

'threatened action against Russia', 'a suspension of air links with Serbia', 'kidnapped up to
16 advisers', 'killed in a firing incident by militants'; and whether an agentless attack is
placed or dated (then still news).
"""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.matching import Candidate, is_people, lemma

PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
TIME_ENTS = frozenset({"DATE", "TIME"})
CIRCUMSTANCE_PREPS = frozenset({"in", "during", "after", "amid", "under"})


def pobjs(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ in ("pobj", "pcomp")]


def up_to_objects(v: Token) -> list[Token]:
    """'kidnapped up to 16 advisers', parsed as particle 'up' + 'to 16 advisers'."""
    return [
        o
        for prt in v.children
        if prt.dep_ == "prt" and prt.lower_ == "up"
        for prep in prt.children
        if prep.lower_ == "to"
        for o in pobjs(prep)
        if any(c.dep_ == "nummod" for c in o.children)
    ]


def required_object(cand: Candidate) -> list[Token]:
    return [cand.obj] if cand.obj is not None else []


def of_things(noun: Token, lex: Lexicon) -> list[Token]:
    """'a suspension of air links (with Serbia)': the things an event noun's 'of' names."""
    found = [o for c in noun.children if c.lower_ == "of" for o in pobjs(c)]
    return [o for o in found if not is_people(o, lex) and o.pos_ != "PROPN"]


def object_phrase_parties(things: list[Token], preps: set[str], lex: Lexicon) -> list[Token]:
    """'threatened action against Russia', 'demanded support from X', 'accepted demands from
    rebels': the party hangs on the object, not on the verb."""
    out: list[Token] = []
    for noun in things:
        allowed = preps | {"with"}  # "closed its borders with Iran", "cut ties with X"
        if lex.in_set("proposal_nouns", lemma(noun)):
            allowed |= {"from", "by"}
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in allowed:
                out.extend(pobjs(c))
    return out


def agent_in_circumstance(v: Token) -> list[Token]:
    """'killed in a firing incident by militants': the agent hangs on the noun of 'in'."""
    for c in v.children:
        if c.dep_ != "prep" or c.lower_ not in CIRCUMSTANCE_PREPS:
            continue
        for noun in pobjs(c):
            found = [o for p in noun.children if p.lower_ == "by" for o in pobjs(p)]
            # 'during an operation conducted by Rangers', 'carried out by the Frontier Corps'
            found += [
                o
                for acl in noun.children
                if acl.dep_ == "acl" and acl.tag_ == "VBN"
                for p in acl.children
                if p.dep_ == "agent"
                for o in pobjs(p)
            ]
            if found:
                return found
    return []


def has_place_or_time(cand: Candidate) -> bool:
    """An agentless attack/protest is still news when the text says where or when."""
    n = cand.token
    hosts = [n] + ([n.head] if n.head is not n and n.head.pos_ in ("VERB", "AUX") else [])
    for host in hosts:
        for c in host.children:
            if c.ent_type_ in TIME_ENTS or c.ent_type_ in PLACE_ENTS:
                return True
            if c.dep_ == "prep" and any(names_place_or_time(o) for o in pobjs(c)):
                return True
    return False


def names_place_or_time(obj: Token, depth: int = 2) -> bool:
    """'in Peshawar', 'in front of the house of a lawyer in Peshawar' (nested phrases)."""
    if obj.ent_type_ in PLACE_ENTS or obj.ent_type_ in TIME_ENTS:
        return True
    if depth == 0:
        return False
    inner = (o for c in obj.children if c.dep_ == "prep" for o in pobjs(c))
    return any(names_place_or_time(o, depth - 1) for o in inner)


CONDITION_MARKS = frozenset({"if", "unless"})


def condition_subjects(v: Token) -> list[Token]:
    """'threatened to stop talks if the United States deploys missiles': a threat's target is
    whoever the condition is on."""
    out: list[Token] = []
    for head in (v, *[c for c in v.children if c.dep_ == "xcomp"]):
        for clause in head.children:
            if clause.dep_ != "advcl":
                continue
            if not any(m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in clause.children):
                continue
            out += [s for s in clause.children if s.dep_ in ("nsubj", "nsubjpass")]
    return out
