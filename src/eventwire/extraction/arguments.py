"""Who did it and to whom: actor and recipient heads read off the dependency parse."""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Token

from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.lists import colon_list, merge_title_items
from eventwire.extraction.matching import Candidate, is_people, lemma, phrasal_keys
from eventwire.extraction.oblique import (
    agent_in_circumstance,
    condition_subjects,
    object_phrase_parties,
    of_things,
    pobjs,
    required_object,
    up_to_objects,
)
from eventwire.resolve.actors.lexicon import people_lemmas

NOMINAL_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM", "ADJ", "X"})
OWNER_ENTS = frozenset({"NORP", "GPE", "ORG", "PERSON"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
TIME_ENTS = frozenset({"DATE", "TIME"})
CHARGE_PREPS = frozenset({"of", "for", "about", "over", "by", "in", "into"})
CHARGE_TYPES = frozenset({"ACCUSE", "SANCTION", "COERCE"})
PARTY_PREPS = frozenset({"with", "against"})
ARGUMENT_DEPS = frozenset({"pobj", "nsubj", "nsubjpass", "dobj"})
TOPIC_OBJECT_TYPES = frozenset({"ACCUSE"})  # "condemned the attack on X": X is no recipient


@dataclass
class Roles:
    """Heads found for one trigger, before conjunct/list expansion."""

    agents: list[Token] = field(default_factory=list)
    patients: list[Token] = field(default_factory=list)
    reciprocal: bool = False


def antecedent(tok: Token, lex: Lexicon) -> Token | None:
    """A relative pronoun stands for the noun its clause modifies."""
    v = tok.head
    for _ in range(3):
        if v.dep_ == "relcl":
            return v.head
        if v.head is v:
            break
        v = v.head
    return None


def normalize(tok: Token, lex: Lexicon) -> Token | None:
    """Relative pronouns to antecedents, 'dozens of protesters' to 'protesters'; drop dummies."""
    if lex.in_set("relative_pronouns", tok.lower_) and tok.tag_ in ("WDT", "WP", "WP$"):
        found = antecedent(tok, lex)
        if found is None:
            return None
        tok = found
    for _ in range(2):
        if not (lex.in_set("quantity", lemma(tok)) or tok.pos_ == "NUM"):
            break
        inner = next((o for c in tok.children if c.lower_ == "of" for o in pobjs(c)), None)
        if inner is None:
            break
        tok = inner
    dummy = tok.pos_ in ("PRON", "DET") and lex.in_set("pronoun_dummies", tok.lower_)
    if tok.dep_ == "expl" or dummy or tok.ent_type_ in TIME_ENTS:
        return None
    if tok.pos_ not in NOMINAL_POS and not _mistagged_noun(tok, lex):
        return None
    return tok


def _mistagged_noun(tok: Token, lex: Lexicon) -> bool:
    """'by suspected Baloch separatists' with 'separatists' tagged VERB: an argument slot
    holding an actor noun is a noun, whatever the tagger said."""
    return tok.dep_ in ARGUMENT_DEPS and lex.in_set("actor_nouns", lemma(tok))


def name_for_title(tok: Token) -> Token:
    """'President Isaac Herzog' parsed as title + appositive name: the name is the party."""
    if tok.ent_type_ == "PERSON":
        return tok
    for c in tok.children:
        if c.dep_ == "appos" and c.ent_type_ == "PERSON":
            return c
    return tok


def group_members(tok: Token, lex: Lexicon) -> list[Token] | None:
    """'foreign ministers of Egypt, Jordan and Saudi Arabia' -> the three countries."""
    if tok.tag_ not in ("NNS", "NNPS") or not lex.in_set("group_heads", lemma(tok)):
        return None
    for c in tok.children:
        if c.lower_ == "of":
            for o in pobjs(c):
                if o.conjuncts and o.ent_type_ in OWNER_ENTS:
                    return [o, *o.conjuncts]
    return None


def expand(tok: Token, lex: Lexicon) -> list[Token]:
    """One argument head -> the heads of every party it names (conjuncts, lists, groups)."""
    base = normalize(tok, lex)
    if base is None:
        return []
    items = colon_list(base) or [base, *[c for c in base.conjuncts if c.pos_ in NOMINAL_POS]]
    items = merge_title_items(sorted(items, key=lambda t: t.i), lex)
    out: list[Token] = []
    for item in items:
        norm = normalize(item, lex) if item is not base else item
        if norm is None:
            continue
        members = group_members(norm, lex)
        out.extend(members if members else parties(name_for_title(norm), lex))
    return out


def parties(tok: Token, lex: Lexicon) -> list[Token]:
    """Keep persons and groups; for a thing ('Russia's oil exports') its owner is the party."""
    if tok.pos_ in ("PROPN", "PRON") or is_people(tok, lex) or _acronym(tok):
        return [tok]
    return owners(tok, lex, set(), of_is_agent=True)


def _acronym(tok: Token) -> bool:
    """'PDSU led a demonstration': capitals the tagger read as a common noun name a group."""
    return tok.is_alpha and tok.is_upper and len(tok) >= 3


def expand_all(tokens: list[Token], lex: Lexicon, skip: set[int]) -> list[Token]:
    out: list[Token] = []
    seen: set[int] = set(skip)
    for tok in tokens:
        for t in expand(tok, lex):
            if t.i not in seen:
                seen.add(t.i)
                out.append(t)
    return out


def owners(noun: Token, lex: Lexicon, skip: set[int], of_is_agent: bool) -> list[Token]:
    """Who a noun belongs to: 'by X', "X's", 'Israeli', 'US', 'of X' (when of marks the doer)."""
    found: list[Token] = []
    for c in noun.children:
        if c.i in skip:
            continue
        modifier = c.dep_ in ("amod", "compound", "nmod", "npadvmod") and _owner_like(c)
        if c.dep_ == "poss" or modifier:
            found.append(c)
        elif c.dep_ == "prep" and (c.lower_ == "by" or (of_is_agent and c.lower_ == "of")):
            found.extend(pobjs(c))
    return found


def _owner_like(tok: Token) -> bool:
    """'Israeli', 'Hamas', 'US' own an event; 'Mumbai' in 'the Mumbai attacks' is a place."""
    if tok.ent_type_ == "GPE":
        return tok.text.isupper() or tok.dep_ == "amod"
    if tok.dep_ == "compound" and lemma(tok) in people_lemmas():
        return True  # 'a police van', 'an army convoy': whose it is
    return tok.ent_type_ in OWNER_ENTS


def clause_subjects(v: Token, lex: Lexicon, depth: int = 0) -> tuple[list[Token], list[Token]]:
    """(active subjects, passive subjects) of a verb, inherited through control and conj."""
    subj = [c for c in v.children if c.dep_ in ("nsubj", "csubj")]
    subjpass = [c for c in v.children if c.dep_ == "nsubjpass"]
    if len(subj) == 1:
        subj = [_repair_coordination(v, subj[0])]
    if subj or subjpass or depth > 4:
        return subj, subjpass
    head, dep = v.head, v.dep_
    if head is v:
        return [], []
    if dep == "xcomp" or (
        dep == "ccomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in v.children)
    ):
        if lex.in_set("object_control", lemma(head)):
            obj = next((c for c in head.children if c.dep_ in ("dobj", "dative")), None)
            if obj is not None:
                return [obj], []
        hs, hp = clause_subjects(head, lex, depth + 1)
        return hs or hp, []
    if dep in ("conj", "advcl", "acomp", "oprd"):
        hs, hp = clause_subjects(head, lex, depth + 1)
        return (hs, hp) if dep == "conj" else (hs or hp, [])
    if dep == "pcomp":
        return _pcomp_subjects(head, lex, depth)
    if dep == "relcl":
        return [head], []
    if dep == "acl":
        if v.tag_ == "VBN":
            return [], [head]
        if lex.in_set("actor_nouns", lemma(head)) or head.ent_type_ in OWNER_ENTS:
            return [head], []
        return owners(head, lex, set(), of_is_agent=True), []
    return [], []


def _repair_coordination(v: Token, subj: Token) -> Token:
    """'He mentioned X, Y, and stressed Z' misparsed with 'Y' as subject of 'stressed'."""
    if not any(c.dep_ == "cc" and c.i > subj.i for c in subj.children):
        return subj
    between = v.doc[subj.right_edge.i + 1 : v.i]
    if any(not (t.is_punct or t.dep_ == "cc") for t in between):
        return subj
    for c in v.children:
        if c.dep_ in ("ccomp", "conj") and c.i < subj.i:
            own = next((s for s in c.children if s.dep_ == "nsubj"), None)
            if own is not None:
                return own
    return subj


def _pcomp_subjects(prep: Token, lex: Lexicon, depth: int) -> tuple[list[Token], list[Token]]:
    """'by attacking' -> the governing verb's subject; 'efforts of X toward reaching' -> X."""
    gov = prep.head
    if gov.pos_ in ("VERB", "AUX", "ADJ"):
        hs, hp = clause_subjects(gov, lex, depth + 1)
        return hs or hp, []
    if gov.pos_ in ("NOUN", "PROPN"):
        return owners(gov, lex, set(), of_is_agent=True), []
    return [], []


def _prep_objects(hosts: list[Token], preps: set[str], skip_preps: set[int]) -> list[Token]:
    out: list[Token] = []
    for host in hosts:
        for c in host.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in preps and c.i not in skip_preps:
                out.extend(pobjs(c))
    return out


def _between(hosts: list[Token]) -> list[Token]:
    return [o for h in hosts for c in h.children if c.lower_ == "between" for o in pobjs(c)]


def _path_objects(hosts: list[Token], path: str) -> list[Token]:
    """'respond to attacks ... from Iran': recipients sit inside another phrase."""
    first, _, second = path.partition(".")
    out: list[Token] = []
    for o in _prep_objects(hosts, {first}, set()):
        for t in o.subtree:
            if t.dep_ == "prep" and t.lower_ == second:
                out.extend(pobjs(t))
    return out


def _patient_preps(cand: Candidate, lex: Lexicon) -> set[str]:
    pat = cand.entry.params.get("pat")
    if pat:
        return set(pat.split("/"))
    preps = set(lex.types[cand.event_type]["patients"])
    if cand.entry.has("recip"):
        preps |= PARTY_PREPS  # two-sided: "a gunfight with police" names the other side
    if cand.entry.prep is not None and cand.entry.pobjs is None:
        charge = CHARGE_PREPS | ({"with"} if cand.event_type in CHARGE_TYPES else set())
        preps |= set(cand.entry.prep) - charge  # "meet with X", "call on X" count
    return preps


def _required_prep(cand: Candidate) -> set[int]:
    """A preposition whose object is part of the trigger ("go on strike") gives no recipient,
    unless it names the other side of a two-sided event ("an encounter with police")."""
    if cand.entry.has("recip") and cand.prep is not None and cand.prep.lower_ in PARTY_PREPS:
        return set()
    if cand.prep is not None and cand.entry.pobjs is not None:
        return {cand.prep.i}
    return set()


def trigger_only(cand: Candidate, lex: Lexicon) -> set[int]:
    """Trigger words that are no party; a required object can be one ("released prisoners")."""
    skip = set(cand.span)
    if cand.obj is not None and (is_people(cand.obj, lex) or cand.obj.pos_ == "PROPN"):
        skip.discard(cand.obj.i)
    if not _required_prep(cand) and cand.prep is not None:  # "an encounter with police"
        skip -= {o.i for o in pobjs(cand.prep)}
    return skip


def verb_roles(cand: Candidate, lex: Lexicon) -> Roles:
    """Subject/object/prepositions of a verbal (or light-verb) trigger."""
    v = cand.anchor or cand.token
    entry, cfg = cand.entry, lex.types[cand.event_type]
    subj, subjpass = clause_subjects(v, lex)
    by = [o for c in v.children if c.dep_ == "agent" for o in pobjs(c)]
    passive = bool(subjpass) or any(c.dep_ == "auxpass" for c in v.children)
    if passive and not by and not subj:
        by = agent_in_circumstance(v)
    if v.dep_ == "amod" and v.tag_ == "VBN":
        by += [c for c in v.children if c.dep_ in ("npadvmod", "compound", "nmod")]
        subjpass, passive = [v.head], True
    roles = Roles(agents=[*subj, *by])
    trigger = trigger_only(cand, lex)
    moved_is_actor = entry.params.get("pass") == "agent" or cfg.get("passive") == "agent"
    if passive and moved_is_actor:  # "US forces have been positioned"
        roles.agents += subjpass
    elif passive:
        roles.patients += [s for s in subjpass if s.i not in trigger]
    objects = [c for c in v.children if c.dep_ in ("dobj", "dative") and c.i not in trigger]
    if cfg["dobj"] == "patient":
        roles.patients += objects + up_to_objects(v)
    if cand.token is not v and not roles.agents:  # light verb: the noun's owners count too
        roles.agents += owners(cand.token, lex, cand.span, of_is_agent=False)
    hosts = [h for h in (v, cand.obj, cand.token) if h is not None]
    preps = _patient_preps(cand, lex)
    roles.patients += _prep_objects(hosts, preps, _required_prep(cand))
    if cand.event_type not in TOPIC_OBJECT_TYPES:
        things = [o for o in objects if not is_people(o, lex) and o.pos_ != "PROPN"]
        things += required_object(cand) + (
            of_things(cand.token, lex) if cand.token is not v else []
        )
        roles.patients += object_phrase_parties(things, preps, lex)
    if "path" in entry.params:
        roles.patients += _path_objects(hosts, entry.params["path"])
    if cand.event_type == "THREATEN" and not roles.patients:
        roles.patients += condition_subjects(v)
    between = _between(hosts)
    if between:
        roles.agents += between
        roles.reciprocal = True
    return _apply_flags(cand, roles)


def noun_roles(cand: Candidate, lex: Lexicon) -> Roles:
    """'a visit to X by Y', "Israel's attack on Z", 'talks between A and B'."""
    n, cfg = cand.token, lex.types[cand.event_type]
    of_agent = cfg["nom_of"] == "agent"
    roles = Roles(agents=owners(n, lex, cand.span, of_is_agent=of_agent))
    preps = _patient_preps(cand, lex) | (set() if of_agent else {"of"})
    roles.patients += _prep_objects([n], preps, _required_prep(cand))
    roles.patients += object_phrase_parties(of_things(n, lex), preps - {"of"}, lex)
    if cand.event_type in ("ASSAULT", "AID", "SUPPORT"):
        roles.agents += _prep_objects([n], {"from"}, set())
    if not roles.agents:
        roles.agents += _purpose_subjects(n, lex)
    between = _between([n])
    happens = phrasal_keys(n.head) | {lemma(n.head)}
    if not between and n.dep_ in ("nsubj", "nsubjpass") and happens & lex.occurrence_verbs:
        between = _between([n.head])  # "a gunfight broke out in Tral between X and Y"
    if between:
        roles.agents += between
        roles.reciprocal = True
    head = n.head
    if n.dep_ in ("nsubj", "nsubjpass") and phrasal_keys(head) & lex.participation_verbs:
        roles.agents += [c for c in head.children if c.dep_ == "dobj"]
        roles.reciprocal = True
    return _apply_flags(cand, roles)


def _purpose_subjects(n: Token, lex: Lexicon) -> list[Token]:
    """'returned to Geneva for talks', 'led a delegation on a visit': the mover is the party."""
    prep = n.head
    if n.dep_ != "pobj" or prep.lower_ not in ("for", "on") or prep.dep_ != "prep":
        return []
    verb = prep.head
    if verb.pos_ not in ("VERB", "AUX"):
        return []
    subj, subjpass = clause_subjects(verb, lex)
    return subj or subjpass


def _apply_flags(cand: Candidate, roles: Roles) -> Roles:
    entry = cand.entry
    if entry.has("swap"):
        roles.agents, roles.patients = roles.patients, roles.agents
    if entry.params.get("subj") == "patient":
        roles.agents, roles.patients = [], roles.agents + roles.patients
    if entry.has("recip"):
        roles.agents += roles.patients
        roles.patients = []
        roles.reciprocal = True
    return roles


def find_roles(cand: Candidate, lex: Lexicon) -> Roles:
    """Expanded actor and recipient heads of a trigger; recipients never repeat actors."""
    raw = noun_roles(cand, lex) if cand.is_nominal else verb_roles(cand, lex)
    skip = trigger_only(cand, lex)
    agents = expand_all(raw.agents, lex, skip)
    patients = expand_all(raw.patients, lex, skip | {t.i for t in agents})
    reciprocal = raw.reciprocal
    if lex.types[cand.event_type].get("reciprocal") and not patients and len(agents) > 1:
        reciprocal = True
    return Roles(agents=agents, patients=patients, reciprocal=reciprocal)
