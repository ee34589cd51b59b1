"""Find trigger candidates: one dict lookup per token, then a check of its dependents."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from spacy.attrs import LEMMA, LOWER
from spacy.tokens import Doc, Span, Token

from eventwire.extraction.lexicon import Entry, Lexicon
from eventwire.resolve.actors.lexicon import people_lemmas

PARTICLE_DEPS = frozenset({"prt", "advmod", "acomp", "oprd", "prep", "dobj", "xcomp", "npadvmod"})
OBJECT_DEPS = frozenset(
    {"dobj", "nsubjpass", "attr", "oprd", "npadvmod", "acomp", "advmod", "dative", "xcomp", "ccomp"}
)
PREP_DEPS = frozenset({"prep", "agent", "dative", "prt"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj"})
MOD_DEPS = frozenset({"compound", "amod", "nmod", "npadvmod", "nummod"})
PEOPLE_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE"})
TARGET_ENTS = frozenset({"PERSON", "NORP", "ORG", "GPE", "FAC", "LOC"})
TIME_ENTS = frozenset({"DATE", "TIME"})
PLACE_ENTS = frozenset({"GPE", "LOC", "FAC"})
NAME_ENTS = frozenset({"ORG", "FAC", "WORK_OF_ART", "LAW", "PRODUCT", "PERSON", "GPE", "NORP"})
COMPLEMENT_DEPS = frozenset({"oprd", "attr", "acomp", "ccomp"})
PERSONAL_PRONOUNS = frozenset({"he", "she", "they", "him", "her", "them", "we", "us", "i", "me"})


@dataclass
class Candidate:
    """A trigger seen in the parse, before arguments and factuality are read."""

    token: Token  # head of the event word (verb, or the event noun)
    entry: Entry
    span: set[int] = field(default_factory=set)  # token indices of the trigger phrase
    obj: Token | None = None  # the lexically required object ("sanctions" in "lift sanctions")
    prep: Token | None = None  # the lexically required preposition
    anchor: Token | None = None  # clause token for factuality and subjects (light verb)
    event_type: str = ""
    modes: list[str] = field(default_factory=list)
    nested: list[Candidate] = field(default_factory=list)
    absorbed: bool = False
    merged_into: Candidate | None = None

    def __post_init__(self) -> None:
        self.event_type = self.event_type or self.entry.event_type
        self.modes = self.modes or list(self.entry.modes)
        self.anchor = self.anchor or self.token
        self.span.add(self.token.i)

    @property
    def is_nominal(self) -> bool:
        """A noun trigger not carried by a light verb ("a visit by X")."""
        return self.entry.kind == "n" and self.anchor is self.token


def lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def phrasal_keys(verb: Token) -> set[str]:
    """'carry out', 'bring together', 'take place' as lexicon keys: lemma_particle."""
    keys = {lemma(verb)}
    for c in verb.children:
        if c.dep_ in ("prt", "dobj", "advmod") and c.i == verb.i + 1:
            keys.add(f"{lemma(verb)}_{c.lower_}")
    return keys


def _hyphen_key(tok: Token) -> str | None:
    """'cease-fire' is three tokens; the lexicon writes it as one word."""
    doc = tok.doc
    if tok.i < 2 or doc[tok.i - 1].text != "-":
        return None
    if doc[tok.i - 2].whitespace_ or doc[tok.i - 1].whitespace_:
        return None
    return f"{doc[tok.i - 2].lower_}-{lemma(tok)}"


def is_people(tok: Token, lex: Lexicon) -> bool:
    """Could this token name a person or a group (not a thing)?"""
    if tok.ent_type_ in PEOPLE_ENTS or tok.lower_ in PERSONAL_PRONOUNS:
        return True
    if any(lex.in_set(name, lemma(tok)) for name in ("actor_nouns", "captives", "titles")):
        return True
    if lemma(tok) in people_lemmas():  # the role words of resolve/actors/data/roles.tsv
        return True
    if lex.in_set("quantity", lemma(tok)) or tok.pos_ == "NUM":
        # "dozens of students" are people, "dozens of artefacts" are not
        of = [c for c in tok.children if c.dep_ == "prep" and c.lower_ == "of"]
        counted = [o for c in of for o in c.children if o.dep_ == "pobj"]
        return bool(of) and (not counted or any(is_people(o, lex) for o in counted))
    return any(c.dep_ in ("compound", "appos") and c.ent_type_ == "PERSON" for c in tok.children)


def _kind_ok(tok: Token | None, kind: str | None, lex: Lexicon) -> bool:
    """Selectional check; an absent argument does not fail it (needs=dobj does)."""
    if kind is None or tok is None:
        return True
    if kind == "people":
        return is_people(tok, lex)
    if kind == "leaders":
        return tok.ent_type_ in PEOPLE_ENTS or lex.in_set("titles", lemma(tok))
    if kind == "target":
        return tok.ent_type_ in TARGET_ENTS or is_people(tok, lex) or tok.pos_ == "PROPN"
    if kind == "crowd":
        return (
            lex.in_set("crowd", lemma(tok))
            or (lex.in_set("quantity", lemma(tok)) and is_people(tok, lex))
            or _civilian_actor(tok)
        )
    if kind == "protesters":
        return lex.in_set("protesters", lemma(tok)) or lex.in_set("protesters", tok.lower_)
    if kind == "explosive":
        return lex.in_set("explosives", lemma(tok)) or lex.in_set("explosives", tok.lower_)
    if kind == "forces":
        return lex.in_set("forces", lemma(tok)) or lex.in_set("weapons", lemma(tok))
    if kind == "place":
        return tok.ent_type_ in PLACE_ENTS or lex.in_set("places", lemma(tok))
    if kind == "police":
        return lex.in_set("police", lemma(tok))
    if kind == "thing":
        return not is_people(tok, lex)
    if kind == "armed":
        return lex.in_set("armed", lemma(tok)) or _armed_actor(tok)
    return True


ARMED_SECTORS = frozenset({"MIL", "REB", "PRM", "UAF"})
CROWD_SECTORS = frozenset({"CVL", "LAB", "EDU", "AGR", "PTY", "OPP"})


def _civilian_actor(tok: Token) -> bool:
    """A subject the actor step resolved to civilians or a party ('BNP supporters')."""
    from eventwire.resolve.actors import actors_for_token

    return any(a.sector in CROWD_SECTORS for a in actors_for_token(tok.doc, tok.i))


def _armed_actor(tok: Token) -> bool:
    """A subject the actor step resolved to a military or armed group ('the Taliban')."""
    from eventwire.resolve.actors import actors_for_token

    return any(a.sector in ARMED_SECTORS for a in actors_for_token(tok.doc, tok.i))


def objects(tok: Token) -> Iterator[Token]:
    """Non-subject dependents that can complete a verb phrase; a participle's noun too."""
    for c in tok.children:
        if c.dep_ in OBJECT_DEPS:
            yield c
    if tok.dep_ in ("acl", "relcl", "amod") and tok.tag_ == "VBN":
        yield tok.head


def direct_object(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ in ("dobj", "nsubjpass"):
            return c
    if tok.dep_ in ("acl", "amod") and tok.tag_ == "VBN":
        return tok.head
    return None


def subject(tok: Token) -> Token | None:
    for c in tok.children:
        if c.dep_ == "nsubj":
            return c
    return None


def _word_match(tok: Token, words: frozenset[str]) -> bool:
    return lemma(tok) in words or tok.lower_ in words


def _object_match(tok: Token, words: frozenset[str], lex: Lexicon) -> bool:
    """The object is one of the words, or a generic head they name ('mediation efforts')."""
    if _word_match(tok, words):
        return True
    return lex.in_set("compound_heads", lemma(tok)) and any(
        c.dep_ in ("compound", "amod") and _word_match(c, words) for c in tok.children
    )


def _find_prep(entry: Entry, hosts: list[Token]) -> Token | None | bool:
    """The required preposition after the head or on the object; True when none is required."""
    if entry.prep is None:
        return True
    for host in hosts:
        for c in host.children:
            if c.dep_ in PREP_DEPS and c.lower_ in entry.prep and c.i > hosts[0].i:
                if any(o.ent_type_ in TIME_ENTS for o in c.children):
                    continue  # "called X on Friday" is no "call on"
                if entry.pobjs is None:
                    return c
                for o in c.children:
                    if o.dep_ in ("pobj", "pcomp") and _word_match(o, entry.pobjs):
                        return c
    return None


def _counted(dobj: Token) -> list[Token]:
    """The object and the nouns of its 'of' phrase ('dozens of artefacts')."""
    of = [c for c in dobj.children if c.dep_ == "prep" and c.lower_ == "of"]
    return [dobj] + [o for c in of for o in c.children if o.dep_ == "pobj"]


def _particle_ok(tok: Token, particle: str | None) -> bool:
    if particle is None:
        return True
    return any(c.dep_ in PARTICLE_DEPS and c.lower_ == particle for c in tok.children)


def match_verb(tok: Token, entry: Entry, lex: Lexicon) -> Candidate | None:
    """Check one verb (or adjective) entry's required dependents against the parse."""
    if not _particle_ok(tok, entry.particle):
        return None
    obj = None
    if entry.objs is not None:
        obj = next((o for o in objects(tok) if _object_match(o, entry.objs, lex)), None)
        if obj is None:
            return None
    dobj = direct_object(tok)
    if entry.params.get("needs") == "dobj" and dobj is None:
        return None
    hosts = [tok] + ([obj] if obj is not None else [])
    if entry.params.get("needs") == "dobj" and dobj is not None:
        hosts += _counted(dobj)  # "returned dozens of artefacts to X": 'to' hangs on the noun
    prep = _find_prep(entry, hosts)
    if prep is None:
        return None
    complement = any(c.dep_ in COMPLEMENT_DEPS for c in tok.children)
    if entry.has("nooprd") and complement:
        return None  # "calling them nutters" is no phone call
    if entry.params.get("needs") == "oprd" and not complement:
        return None
    if not _kind_ok(dobj, entry.params.get("objkind"), lex):
        return None
    subj = subject(tok) or (
        tok.head if tok.dep_ in ("acl", "relcl") and tok.tag_ == "VBG" else None
    )
    subjkind = entry.params.get("subjkind")
    if subjkind and (subj or dobj) is None:
        return None
    if subjkind and not _kind_ok(subj or dobj, subjkind, lex):
        return None
    if not _context_ok(tok, entry, lex):
        return None
    cand = Candidate(token=tok, entry=entry, obj=obj)
    _extend_span(cand, tok, obj, prep if isinstance(prep, Token) else None, entry)
    cand.prep = prep if isinstance(prep, Token) else None
    return cand


def _context_ok(tok: Token, entry: Entry, lex: Lexicon) -> bool:
    """'ctx=set': a word of that set must occur in the sentence ('strike' among workers)."""
    name = entry.params.get("ctx")
    if not name:
        return True
    return any(lex.in_set(name, lemma(t)) for t in tok.sent)


def match_noun(tok: Token, entry: Entry, lex: Lexicon) -> Candidate | None:
    """Check a noun entry's modifiers and preposition; names ('the X Conference') are no events."""
    if tok.ent_type_ in NAME_ENTS and tok.pos_ == "PROPN":
        return None
    used: set[int] = set()
    for alternatives in entry.mods:
        mod = next(
            (
                c
                for c in tok.children
                if c.dep_ in MOD_DEPS and c.i not in used and _word_match(c, alternatives)
            ),
            None,
        )
        if mod is None:
            return None
        used.add(mod.i)
    prep = _find_prep(entry, [tok])
    if prep is None or not _context_ok(tok, entry, lex):
        return None
    cand = Candidate(token=tok, entry=entry, span=set(used))
    cand.prep = prep if isinstance(prep, Token) else None
    _extend_span(cand, tok, None, cand.prep, entry)
    return cand


def _extend_span(
    cand: Candidate, tok: Token, obj: Token | None, prep: Token | None, entry: Entry
) -> None:
    cand.span.add(tok.i)
    if obj is not None:
        cand.span.add(obj.i)
    if prep is not None:
        cand.span.add(prep.i)
        if entry.pobjs is not None:
            cand.span.update(o.i for o in prep.children if o.dep_ in ("pobj", "pcomp"))
    if entry.particle:
        cand.span.update(c.i for c in tok.children if c.lower_ == entry.particle)
    hyphen = _hyphen_key(tok)
    if hyphen and entry.head == hyphen:
        cand.span.update((tok.i - 2, tok.i - 1))


def verb_lemma(tok: Token, lex: Lexicon) -> str:
    """The model's lemma, or a suffix-stripped form the lexicon knows ('staged' -> 'stage')."""
    return _verb_base(lemma(tok), tok.lower_, lex)


def _verb_base(base: str, word: str, lex: Lexicon) -> str:
    """verb_lemma on plain strings, so the key prefilter can run it once per word."""
    if base in lex.verb_vocab:
        return base
    if word in lex.verb_forms:
        return lex.verb_forms[word]
    for cut, add in ((1, ""), (2, ""), (3, ""), (3, "e"), (1, "e")):
        guess = word[:-cut] + add if len(word) > cut + 2 else ""
        if guess in lex.verb_vocab:
            return guess
    return base


def _lookup(tok: Token, index: dict[str, list[Entry]], lex: Lexicon, kind: str) -> list[Entry]:
    """Entries under the hyphen key, the (verb) lemma and the word, most specific first."""
    hyphen = _hyphen_key(tok)
    found = index.get(hyphen, []) if hyphen else []
    base = verb_lemma(tok, lex) if kind == "v" else lemma(tok)
    parts = [found, index.get(base, []), index.get(tok.lower_, []) if tok.lower_ != base else []]
    filled = [p for p in parts if p]
    if len(filled) == 1:
        return filled[0]  # one index list: build_lexicon already sorted it the same way
    entries = [e for p in filled for e in p]
    return sorted(entries, key=lambda e: (-e.specificity, -e.confidence))


def match_token(tok: Token, lex: Lexicon) -> Candidate | None:
    """The most specific lexicon entry this token satisfies, if any."""
    if tok.pos_ == "VERB" or (tok.pos_ == "AUX" and tok.dep_ not in ("aux", "auxpass")):
        kinds = [(lex.verbs, "v"), (lex.adjs, "a")]
    elif tok.pos_ in ("NOUN", "PROPN"):
        kinds = [(lex.nouns, "n")]
    elif tok.pos_ == "ADJ":
        kinds = [(lex.adjs, "a")]
    else:
        return None
    for index, kind in kinds:
        for entry in _lookup(tok, index, lex, kind):
            cand = match_noun(tok, entry, lex) if kind == "n" else match_verb(tok, entry, lex)
            if cand is not None:
                return cand
    return None


def _may_match(ids: tuple[int, int], doc: Doc, lex: Lexicon) -> bool:
    """False when no key _lookup could try for this word is a lexicon head (cached per word)."""
    known = lex.key_cache.get(ids)
    if known is None:
        base, word = doc.vocab.strings[ids[0]].lower(), doc.vocab.strings[ids[1]]
        keys = lex.trigger_keys
        known = (
            base in keys
            or word in keys
            or base in lex.hyphen_tails
            or _verb_base(base, word, lex) in keys
        )
        lex.key_cache[ids] = known
    return known


def word_ids(doc: Doc) -> list[tuple[int, int]]:
    """(lemma id, lower id) of every token: one array per doc for the prefilter."""
    return [(lem, low) for lem, low in doc.to_array([LEMMA, LOWER]).tolist()]


def sentence_candidates(
    sent: Span, lex: Lexicon, ids: list[tuple[int, int]] | None = None
) -> list[Candidate]:
    """Every token that matches a trigger entry in one sentence (ids: word_ids of its doc)."""
    doc = sent.doc
    if ids is None:
        ids = word_ids(doc)
    out = []
    for i in range(sent.start, sent.end):
        if not _may_match(ids[i], doc, lex):
            continue  # most words: no Token object, no string decode
        token = doc[i]
        if token.ent_type_ in TIME_ENTS and token.text[:1].isupper():
            continue  # "on March 28", "in May": a month, not a march
        cand = match_token(token, lex)
        if cand is not None:
            out.append(cand)
    return out
