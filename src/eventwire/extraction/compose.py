"""How triggers in one sentence combine: light verbs, governors, and nested duplicates."""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.matching import Candidate, lemma, phrasal_keys, verb_lemma

LIGHT_OBJECT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd"})
PARTICIPATE = frozenset({"participate", "engage", "part", "join", "involve"})
NEST_DEPS = frozenset({"xcomp", "ccomp", "dobj", "prep", "pobj", "pcomp", "advcl", "acl", "attr"})
NEST_PREPS = frozenset(
    {"for", "to", "on", "upon", "of", "about", "with", "toward", "towards", "into"}
)
CONDITION_MARKS = frozenset({"if", "unless"})
TOPIC_TYPES = frozenset({"ACCUSE", "SUPPORT", "REJECT"})
CHARGE_PREPS = frozenset({"of", "for", "over", "with", "about"})
SUBORDINATE_MARKS = frozenset(
    {"if", "when", "unless", "after", "before", "because", "since", "while", "as", "although"}
)
PROMISABLE = frozenset({"AID", "COOPERATE", "SUPPORT", "CONSULT", "RETREAT", "CONCEDE", "AGREE"})
MERGE_UP_DEPS = frozenset({"pobj", "pcomp", "prep"})
NEST_DEPTH = 4


def _light_host(noun: Token) -> Token | None:
    """The light verb carrying an event noun: 'launched an attack', 'took part in talks'."""
    head = noun.head
    if noun.dep_ in LIGHT_OBJECT_DEPS and head.pos_ in ("VERB", "AUX"):
        return head
    if noun.dep_ == "conj" and head.dep_ in LIGHT_OBJECT_DEPS and head.head.pos_ == "VERB":
        return head.head  # "expressed its rejection and strong condemnation"
    if noun.dep_ == "pobj" and head.lower_ == "in":
        gov = head.head
        if lemma(gov) in PARTICIPATE:
            return gov.head if lemma(gov) == "part" and gov.head is not gov else gov
    return None


def compose_light_verbs(cands: list[Candidate], lex: Lexicon) -> None:
    """Event nouns under light verbs take the verb as anchor; explicit verb entries win."""
    by_token = {c.token.i: c for c in cands}
    for cand in cands:
        for i in cand.span - {cand.token.i}:
            part = by_token.get(i)
            if part is not None and part is not cand:
                part.absorbed = True  # "lift sanctions", "go on strike": one trigger
    for cand in cands:
        if cand.entry.kind != "n" or cand.absorbed:
            continue
        host = _light_host(cand.token)
        if host is None:
            continue
        verb_cand = by_token.get(host.i)
        keys = phrasal_keys(host) | {verb_lemma(host, lex)}
        light = bool(keys & lex.light_verbs) or lemma(host) in PARTICIPATE
        if verb_cand is not None and not verb_cand.absorbed:
            if verb_cand.obj is cand.token:
                continue
            if verb_cand.entry.has("gov") and (not light or cand.event_type in PROMISABLE):
                continue  # "offered aid" is a promise; "offered scathing criticism" is not
            if not light:
                continue
            verb_cand.absorbed = True
        elif not light:
            continue
        cand.anchor = host
        cand.span.add(host.i)


def _anchor_index(cands: list[Candidate]) -> dict[int, Candidate]:
    index: dict[int, Candidate] = {}
    for c in cands:
        if c.absorbed:
            continue
        index.setdefault(c.token.i, c)
        if c.anchor is not None:
            index.setdefault(c.anchor.i, c)
    return index


def _traversable(tok: Token) -> bool:
    if tok.dep_ not in NEST_DEPS:
        return False
    if tok.dep_ == "prep":
        return tok.lower_ in NEST_PREPS
    if tok.dep_ == "advcl":
        return not any(c.dep_ == "mark" and c.lower_ in SUBORDINATE_MARKS for c in tok.children)
    return True


def find_nested(
    gov: Candidate, index: dict[int, Candidate], deps_ok: frozenset[str] | None = None
) -> list[Candidate]:
    """Triggers a governor takes as its content ('urged X to release', 'call for talks')."""
    found: list[Candidate] = []
    starts = [t for t in (gov.anchor, gov.token, gov.obj) if t is not None]
    frontier = [c for s in starts for c in s.children if _traversable(c)]
    seen = {t.i for t in starts}
    for _ in range(NEST_DEPTH):
        nxt: list[Token] = []
        for tok in frontier:
            if tok.i in seen:
                continue
            seen.add(tok.i)
            if deps_ok is not None and tok.dep_ == "prep" and tok.lower_ not in deps_ok:
                continue
            other = index.get(tok.i)
            if tok.i < gov.token.i:  # complements follow their governor
                continue
            if other is not None and other is not gov and tok.i not in gov.span:
                if other not in found:
                    found.append(other)
                found.extend(_conj_cands(other, index, found))
                continue
            nxt.extend(c for c in tok.children if _traversable(c))
        frontier = nxt
    return found


def _conj_cands(
    cand: Candidate, index: dict[int, Candidate], found: list[Candidate]
) -> list[Candidate]:
    out = []
    for t in cand.token.conjuncts:
        other = index.get(t.i)
        if other is not None and other not in found and other not in out:
            out.append(other)
    return out


def _conditions(tokens: list[Token], index: dict[int, Candidate]) -> list[Candidate]:
    """Triggers inside the if/unless clause of a threat or promise ('if Israel hits Beirut')."""
    out = []
    for tok in tokens:
        for c in tok.children:
            if c.dep_ == "advcl" and any(
                m.dep_ == "mark" and m.lower_ in CONDITION_MARKS for m in c.children
            ):
                out += [index[t.i] for t in c.subtree if t.i in index]
    return out


def attach_governors(cands: list[Candidate], lex: Lexicon) -> None:
    """Governors absorb the event they govern and may change type (a vow to attack = THREATEN)."""
    index = _anchor_index(cands)
    settled = {id(c) for c in cands if c.absorbed}
    for gov in cands:
        if id(gov) in settled or not gov.entry.has("gov"):
            continue
        nested = find_nested(gov, index)
        if not nested:
            if gov.entry.params.get("needs") == "nested":
                gov.absorbed = True
            continue
        gov.nested = nested
        hosts = [t for t in (gov.anchor, gov.token) if t is not None] + [n.token for n in nested]
        for n in nested + _conditions(hosts, index):
            if n is not gov:
                n.absorbed = True
        conflict = gov.entry.params.get("conflict")
        if conflict and nested[0].event_type in lex.conflict_types:
            gov.event_type = conflict
            gov.modes = []


def absorb_charges(cands: list[Candidate], lex: Lexicon) -> None:
    """'accused X of attacking', 'suspected of blowing up': the charge is not a second event."""
    index = _anchor_index(cands)
    for cand in cands:
        if _under_charge(cand.anchor or cand.token, lex):
            cand.absorbed = True
        if cand.absorbed or cand.event_type not in ("ACCUSE", "SANCTION", "COERCE"):
            continue
        for n in find_nested(cand, index, deps_ok=CHARGE_PREPS):
            if n.token.dep_ in ("pobj", "pcomp") and n.token.head.lower_ in CHARGE_PREPS:
                n.absorbed = True


def _under_charge(tok: Token, lex: Lexicon) -> bool:
    """'suspected of blowing up', 'on suspicion of plotting attacks': an allegation."""
    cur = tok
    for _ in range(3):
        if cur.dep_ in ("pcomp", "pobj") and cur.head.lower_ in CHARGE_PREPS:
            return lex.in_set("charge_words", lemma(cur.head.head))
        if cur.dep_ not in ("dobj", "xcomp", "conj") or cur.head is cur:
            return False
        cur = cur.head
    return False


def absorb_topics(cands: list[Candidate]) -> None:
    """'condemned the attack', 'welcomed the decision to send troops': the object is a topic."""
    index = _anchor_index(cands)
    for cand in cands:
        if cand.absorbed or cand.entry.has("gov") or cand.event_type not in TOPIC_TYPES:
            continue
        verb = cand.anchor or cand.token
        for obj in (c for c in verb.children if c.dep_ in ("dobj", "nsubjpass")):
            if obj.dep_ == "nsubjpass" and obj.i > verb.i:
                continue
            for t in _topic_tokens(obj):
                other = index.get(t.i)
                if other is not None and other is not cand and not _has_own_subject(other):
                    other.absorbed = True


def _topic_tokens(obj: Token) -> Iterator[Token]:
    """The object's words less relative clauses ('a plan that includes US support')."""
    yield obj
    for c in obj.children:
        if c.dep_ != "relcl":
            yield from _topic_tokens(c)


def _has_own_subject(cand: Candidate) -> bool:
    tok = cand.anchor or cand.token
    return any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)


def merge_nested(cands: list[Candidate]) -> None:
    """'killed in an air strike', 'met ... as part of his visit': one event, not two."""
    index = _anchor_index(cands)
    for cand in cands:
        if cand.absorbed or not cand.is_nominal:
            continue
        if cand.token.dep_ in ("nsubj", "nsubjpass"):
            parent = index.get(cand.token.head.i)
            if parent is not None and parent.event_type == cand.event_type:
                cand.merged_into = parent  # "Israeli air strikes hit Gaza": one attack
                continue
        cur = cand.token
        for _ in range(6):
            if cur.dep_ not in MERGE_UP_DEPS or cur.head is cur:
                break
            cur = cur.head
            parent = index.get(cur.i)
            if parent is not None and parent is not cand:
                if parent.event_type == cand.event_type:
                    cand.merged_into = parent
                break
