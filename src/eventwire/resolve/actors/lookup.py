"""actors_for_token: from an argument head the extractor found to the actor(s) it names."""

from __future__ import annotations

from spacy.tokens import Doc, Token

from eventwire.nlp.extensions import ext
from eventwire.records import Actor, Mention, updated
from eventwire.resolve.actors.lexicon import unit_end, unit_start
from eventwire.resolve.actors.mentions import ALSO_KEY
from eventwire.resolve.actors.phrases import is_head_unit

_INDEX_KEY = "eventwire.actors.token_index"
VAGUE = frozenset({"other", "any", "some", "such"})
MEMBER_PREPS = frozenset({"of", "among", "from"})
LEFT_DEPS = frozenset({"compound", "amod", "poss", "nmod", "npadvmod"})


def _token_index(doc: Doc) -> list[int]:
    """Token -> mention index (-1 for none), cached per mention list (plain ints only, so the
    Doc still serialises)."""
    mentions: list[Mention] = ext(doc, "mentions") or []
    key = [id(mentions), len(mentions), *(m.start for m in mentions)]
    cached = doc.user_data.get(_INDEX_KEY)
    if cached is not None and cached[0] == key:
        table: list[int] = cached[1]
        return table
    table = [-1] * len(doc)
    for n, mention in enumerate(mentions):
        for k in range(mention.start, mention.end):
            table[k] = n
    doc.user_data[_INDEX_KEY] = [key, table]
    return table


def _usable(mention: Mention) -> Actor | None:
    """An unresolved pronoun or a vague 'other forces' is nothing a record can use."""
    actor = mention.actor
    if mention.kind == "pronoun" and actor.resolution != "coref":
        return None
    if mention.kind == "role" and not actor.code and actor.entity_text.split()[0].lower() in VAGUE:
        return None
    return actor


def _members(doc: Doc, token: Token, table: list[int]) -> list[Actor]:
    """'a group of protesters', 'members of Hamas': the actor is the 'of' object."""
    for child in token.rights:
        if child.dep_ == "prep" and child.lower_ in MEMBER_PREPS:
            for obj in child.children:
                if obj.dep_ == "pobj" and table[obj.i] >= 0:
                    actor = _usable(ext(doc, "mentions")[table[obj.i]])
                    return [actor] if actor else []
    return []


def _appositive_list(doc: Doc, token: Token, table: list[int]) -> list[Actor]:
    """'personalities: the Minister of ..., Chief-of-Staff to ..., ...': each listed mention."""
    found: list[Actor] = []
    seen: set[int] = set()
    for child in token.rights:
        if child.dep_ != "appos":
            continue
        for k in range(child.left_edge.i, child.right_edge.i + 1):
            n = table[k]
            if n >= 0 and n not in seen:
                seen.add(n)
                actor = _usable(ext(doc, "mentions")[n])
                if actor is not None:
                    found.append(actor)
    return found


def _modifier_actor(doc: Doc, token: Token, table: list[int]) -> list[Actor]:
    """'an Israeli airstrike', 'a police raid': the actor behind a non-actor noun."""
    for child in token.lefts:
        if child.dep_ not in LEFT_DEPS:
            continue
        if table[child.i] >= 0:
            actor = _usable(ext(doc, "mentions")[table[child.i]])
            return [actor] if actor else []
        role = is_head_unit(doc, unit_start(doc, child.i), unit_end(doc, unit_start(doc, child.i)))
        if role is not None and role.sector:
            span = doc[child.i : child.i + 1]
            actor = Actor(
                entity_text=span.text,
                code=role.code or ext(doc, "focus_country"),
                sector=role.sector,
                resolution="role",
                start=span.start_char,
                end=span.end_char,
            )
            return [actor]
    return []


def _bare_role(doc: Doc, token: Token, table: list[int]) -> list[Actor]:
    """'police' in 'a police van': a role word no phrase was built around still names a party."""
    role = is_head_unit(doc, token.i, token.i + 1)
    if role is None or not role.sector or role.sector == "UNK" or role.kind == "body":
        return []
    span = doc[token.i : token.i + 1]
    actor = Actor(
        entity_text=span.text,
        code=role.code,
        sector=role.sector,
        resolution="role",
        start=span.start_char,
        end=span.end_char,
    )
    return [actor]


def _per_country(doc: Doc, mention: Mention, actor: Actor) -> list[Actor]:
    """'U.S. and Russian negotiators' names two actors: one per country, in text order."""
    for row in doc.user_data.get(ALSO_KEY, ()):
        if row[0] == mention.start:
            return [updated(actor, code=code) for code in row[1:]]
    return [updated(actor)]


def actors_for_token(doc: Doc, i: int) -> list[Actor]:
    """The actor(s) an argument head names; [] when nothing actor-like is there."""
    mentions = ext(doc, "mentions")
    if not mentions or i < 0 or i >= len(doc):
        return []
    table = _token_index(doc)
    n = table[i]
    if n >= 0:
        mention = mentions[n]
        if mention.actor.sector == "UNK":
            members = _members(doc, doc[mention.head], table)
            if members:
                return members
        actor = _usable(mention)
        return _per_country(doc, mention, actor) if actor else []
    token = doc[i]
    for finder in (_appositive_list, _members, _modifier_actor, _bare_role):
        found = finder(doc, token, table)
        if found:
            return [updated(a) for a in found]
    return []
