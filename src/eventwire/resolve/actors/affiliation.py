"""Members named by the group they belong to: 'militants belonging to the NDFB', 'fighters
from the TTP', 'gunmen linked to the KNLF' act as that group (its name, country, sector)."""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Token

from eventwire.records import Mention, updated

TIE_VERBS = frozenset(
    {"belong", "link", "affiliate", "associate", "connect", "attach", "tie", "loyal"}
)
TIE_NOUNS = frozenset({"connection", "connections", "link", "links", "ties", "affiliation"})
MEMBER_PREPS = frozenset({"from", "of"})
VAGUE = frozenset({"REB", "UAF", "UNK", "CVL", None})
NOT_GROUPS = frozenset({"role", "pronoun", "country", "demonym", "title"})


def _objects(prep: Token) -> list[Token]:
    return [c for c in prep.children if c.dep_ == "pobj"]


def _tie_objects(head: Token) -> list[Token]:
    """The noun a member phrase ties its head to, by the three shapes news uses."""
    found: list[Token] = []
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ in MEMBER_PREPS:
            found += _objects(child)
        elif child.dep_ in ("acl", "relcl", "amod") and child.lemma_.lower() in TIE_VERBS:
            found += [o for p in child.children if p.dep_ == "prep" for o in _objects(p)]
        elif child.dep_ == "prep" and child.lower_ == "with":
            for noun in _objects(child):
                if noun.lower_ in TIE_NOUNS:
                    found += [o for p in noun.children if p.dep_ == "prep" for o in _objects(p)]
    return found


def _group_at(mentions: list[Mention], starts: list[int], i: int) -> Mention | None:
    n = bisect_right(starts, i) - 1
    if n < 0 or not mentions[n].start <= i < mentions[n].end:
        return None
    found = mentions[n]
    if found.kind in NOT_GROUPS or not found.actor.name or not found.actor.sector:
        return None
    return found


def affiliate(doc: Doc, mentions: list[Mention]) -> None:
    """Unnamed role mentions tied to a named group take that group's identity."""
    starts = [m.start for m in mentions]
    for n, mention in enumerate(mentions):
        actor = mention.actor
        if mention.kind != "role" or actor.name or actor.sector not in VAGUE:
            continue
        for obj in _tie_objects(doc[mention.head]):
            group = _group_at(mentions, starts, obj.i)
            if group is None:
                continue
            mentions[n] = updated(
                mention,
                actor=updated(
                    actor,
                    name=group.actor.name,
                    code=group.actor.code or actor.code,
                    sector=group.actor.sector,
                    identifier_id=group.actor.identifier_id,
                    identifier_text=group.actor.identifier_text,
                ),
            )
            break
