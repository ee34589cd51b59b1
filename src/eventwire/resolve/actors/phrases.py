"""Role phrases: 'United States Ambassador to Israel', 'US forces', 'Prime Minister's Spokesman'.

A phrase grows left from its head over modifiers (demonyms, countries, groups, other role
words, capitalised title words) and right over an 'of/to/for X' complement when the head is an
office. The country comes from a modifier before the head, from 'of <country>', from the
office an 'X to the Prime Minister' serves, or later from context (pending).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Token

from eventwire.records import Actor
from eventwire.resolve.actors.ethnic import People, people
from eventwire.resolve.actors.kb import Entry
from eventwire.resolve.actors.lexicon import (
    DETERMINERS,
    HEAD_KINDS,
    Role,
    blocks_country,
    head_role,
    modifier_role,
    pair_start,
    unit_start,
)

ABSORBABLE = frozenset(
    {"country", "demonym", "people", "capital", "seat", "region", "igo", "group", "agency"}
)
PREPOSITIONS = frozenset({"of", "to", "for"})
MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss"})
BACKED = frozenset({"backed", "sponsored", "funded", "allied", "aligned", "supported", "trained"})


@dataclass
class Cand:
    """A mention being built: token span, its actor so far, and what context must still fill."""

    start: int
    end: int
    head: int
    kind: str  # name | role | country | demonym | group | org | pronoun
    actor: Actor
    entry: Entry | None = None
    pending: str | None = None  # gov | focus | title:<office> (country still to find)
    role: Role | None = None
    title: object | None = None  # people.Title for named people
    absorbed: list[Cand] = field(default_factory=list)
    also: list[str] = field(default_factory=list)  # more countries: "US and Russian negotiators"
    ethnic: bool = False  # "ethnic Albanians": coded with the country they live in
    people: People | None = None  # the ethnicity a party is named by ("Yoruba leaders")


@dataclass
class Parts:
    """What the left and right scans found around a role head."""

    start: int
    end: int
    kb: list[Cand] = field(default_factory=list)  # KB mentions before the head
    pp_kb: list[Cand] = field(default_factory=list)  # KB mentions in the complement
    roles: list[Role] = field(default_factory=list)  # role words before the head
    possessor: Cand | None = None
    prep: str | None = None
    pp_title: str | None = None  # 'prime minister' in 'to the Prime Minister'
    left_title: str | None = None  # 'prime minister' in "Prime Minister's Spokesman"
    former: bool = False
    nocountry: bool = False
    unknown_org: bool = False
    coordinated: bool = False  # "American and British diplomats": one actor per country


def _allowed_left(token: Token) -> bool:
    """Words that may stand before a role head inside its phrase."""
    if modifier_role(token) is not None or people(token.text) is not None:
        return True
    if token.pos_ == "ADJ" and token.dep_ == "amod" and token.i > 0:
        return people(token.doc[token.i - 1].text) is not None  # "Ibo traditional elders"
    if token.pos_ == "NUM" and token.dep_ == "nummod":
        return True
    if token.pos_ == "NOUN" and token.dep_ == "compound":
        return True
    return token.pos_ == "PROPN" and token.text[:1].isupper()


def _scan_left(doc: Doc, first: int, owner: list[Cand | None], parts: Parts, floor: int) -> int:
    """Leftmost token of the phrase whose head unit starts at `first`."""
    j = first - 1
    left = first
    while j >= floor:
        cand = owner[j]
        token = doc[j]
        if cand is not None:
            if cand.kind == "name" and token.text not in ("'s", "'"):
                break
            if cand.kind == "org" and cand.entry is None:
                parts.unknown_org = True  # "the KRG's spokesperson": not the government in focus
                break
            if cand.entry is None or cand.entry.kind not in ABSORBABLE:
                break
            parts.kb.append(cand)
            left = j = cand.start
            j -= 1
            continue
        if token.text in ("'s", "'"):
            before = owner[j - 1] if j > 0 else None
            if before is not None and before.kind == "name":
                parts.possessor = before
                break
            left = j
            j -= 1
            continue
        if _coordinates(doc, j, owner, parts, floor):
            parts.coordinated = True
            left = j
            j -= 1
            continue
        if token.tag_ == "PRP$":
            parts.unknown_org = True  # "its allied forces": coreference gives the owner
            break
        if token.lower_ in DETERMINERS and token.dep_ in ("det", "predet"):
            left = j
            break
        if blocks_country(token) and token.pos_ != "PROPN":
            parts.nocountry = True  # 'other forces', 'unknown gunmen': part of the phrase
            left = j
            j -= 1
            continue
        us = unit_start(doc, j)
        if us < j:
            if head_role(doc, us, j + 1) is None and not doc[us].text[:1].isupper():
                break
            _led_or_backed(doc, us, j, owner, parts)
            left = j = us
            j -= 1
            continue
        if not _allowed_left(token):
            break
        role = modifier_role(token)
        if role is not None:
            parts.roles.append(role)
            parts.former = parts.former or role.sector == "ELI"
            title = head_role(doc, j, j + 1)
            if title is not None and title.kind == "title" and parts.left_title is None:
                parts.left_title = _title_words(doc, j)
        left = j
        j -= 1
    return left


COUNTRY_KINDS = frozenset({"country", "demonym"})
COORDINATORS = frozenset({"and", ",", "&"})
ATTRIBUTIVE = frozenset({"amod", "nmod", "compound", "npadvmod"})


def _country_cand(cand: Cand | None) -> bool:
    """A country or demonym mention: what a coordinated modifier must be."""
    return cand is not None and cand.entry is not None and cand.entry.kind in COUNTRY_KINDS


def _coordinates(doc: Doc, j: int, owner: list[Cand | None], parts: Parts, floor: int) -> bool:
    """'and'/',' between two country modifiers of the same head ('U.S. and Russian ...')."""
    if doc[j].lower_ not in COORDINATORS or j - 1 < floor or not parts.kb:
        return False
    right, left = parts.kb[-1], owner[j - 1]
    if right.start != j + 1 or not _country_cand(right) or not _country_cand(left):
        return False
    root = doc[left.head]  # type: ignore[union-attr]
    return root.dep_ in ATTRIBUTIVE and root.head.i > j


def _led_or_backed(doc: Doc, us: int, last: int, owner: list[Cand | None], parts: Parts) -> None:
    """'Saudi-led coalition' is Saudi; 'US-backed forces' are not American."""
    word = doc[last].lower_
    cand = owner[us]
    if word == "led" and cand is not None and cand.entry is not None:
        parts.kb.append(cand)
    elif word in BACKED:
        parts.nocountry = True


def _pp_token_ok(token: Token) -> bool:
    """Words an office complement is made of: capitalised names and portfolio words."""
    if token.text[:1].isupper() and token.pos_ in ("PROPN", "NOUN", "ADJ"):
        return True
    role = modifier_role(token)
    return role is not None and role.kind == "modifier"


def _and_starts_new_title(doc: Doc, j: int, end: int) -> bool:
    """'... Affairs and the Foreign Minister': 'and' opens another office, not this one."""
    k = j + 1
    while k < end and (doc[k].lower_ in DETERMINERS or doc[k].text[:1].isupper()):
        role = head_role(doc, k, k + 1)
        if role is not None and role.kind == "title":
            return True
        k += 1
    return False


def _scan_pp(doc: Doc, at: int, owner: list[Cand | None], parts: Parts, end: int) -> int:
    """End of an 'of/to/for X' complement starting at `at`, or `at` when there is none."""
    j, content, last = at + 1, False, at
    while j < end:
        token, cand = doc[j], owner[j]
        if cand is not None:
            if cand.entry is None or cand.entry.kind not in ABSORBABLE:
                break
            parts.pp_kb.append(cand)
            j = last = cand.end
            content = True
            continue
        if token.lower_ in DETERMINERS:
            j += 1
            continue
        if token.lower_ == "and" and content and not _and_starts_new_title(doc, j, end):
            j += 1
            continue
        if token.text in ("'s", "-") and content:
            j += 1
            continue
        if not _pp_token_ok(token) and not (content and head_role(doc, j, j + 1) is not None):
            break
        role = head_role(doc, j, j + 1)
        if role is not None and role.kind == "title" and _names_follow(doc, j, owner):
            break  # "the regime of President Bashar Assad": the title belongs to the name
        if role is not None and role.kind == "title" and parts.pp_title is None:
            parts.pp_title = _title_words(doc, j)
        j = last = j + 1
        content = True
    return last if content else at


def _names_follow(doc: Doc, j: int, owner: list[Cand | None]) -> bool:
    """Whether a title word here is followed by a named person."""
    k = j + 1
    while k < len(doc) and owner[k] is None and doc[k].text[:1].isupper() and k < j + 4:
        k += 1
    return k < len(doc) and owner[k] is not None and owner[k].kind == "name"  # type: ignore[union-attr]


def _title_words(doc: Doc, head: int) -> str:
    """'Prime Minister' for the head 'Minister': the capitalised words that make the office."""
    start = head
    while (
        start > 0
        and doc[start - 1].text[:1].isupper()
        and modifier_role(doc[start - 1]) is not None
    ):
        start -= 1
    return " ".join(t.lower_ for t in doc[start : head + 1])


def scan(
    doc: Doc, us: int, ue: int, role: Role, owner: list[Cand | None], sent: tuple[int, int]
) -> Parts:
    """Both scans for the head unit doc[us:ue]."""
    first = pair_start(doc, us, ue)
    parts = Parts(start=first, end=ue)
    parts.start = _scan_left(doc, first, owner, parts, sent[0])
    parts.kb.reverse()
    takes_pp = role.kind in ("title", "body") and role.sector != "UNK"
    of_group = role.kind == "group" and ue < sent[1] and doc[ue].lower_ == "of"
    if (takes_pp or of_group) and ue < sent[1] and doc[ue].lower_ in PREPOSITIONS:
        pp_end = _scan_pp(doc, ue, owner, parts, sent[1])
        if pp_end > ue:
            parts.prep, parts.end = doc[ue].lower_, pp_end
    elif ue < sent[1] and doc[ue].lower_ == "from":
        _scan_from(doc, ue, owner, parts)
    return parts


def _scan_from(doc: Doc, at: int, owner: list[Cand | None], parts: Parts) -> None:
    """'diplomats from Poland': the country they come from."""
    k = at + 1
    if k < len(doc) and doc[k].lower_ == "the":
        k += 1
    cand = owner[k] if k < len(doc) else None
    if (
        cand is not None
        and cand.entry is not None
        and cand.entry.kind in ABSORBABLE
        and cand.start >= at
    ):
        parts.pp_kb.append(cand)
        parts.prep, parts.end = "from", cand.end


def modified_target(doc: Doc, head: int) -> int | None:
    """The noun a role word modifies ('Minister' in 'Prime Minister Netanyahu' -> Netanyahu)."""
    token = doc[head]
    if token.dep_ in MODIFIER_DEPS and token.head.i > head:
        return token.head.i
    return None


def is_head_unit(doc: Doc, us: int, ue: int) -> Role | None:
    """The role of a unit that can head a phrase (not a bare modifier)."""
    role = head_role(doc, us, ue)
    if role is None or role.kind not in HEAD_KINDS:
        return None
    return role


def sector_of(role: Role, parts: Parts) -> str | None:
    """PLOVER precedence: former > serving a GOV office > group/KB modifiers > the head word."""
    if parts.former:
        return "ELI"
    if parts.prep == "to" and parts.pp_title is not None:
        return "GOV"
    sector = role.sector
    represented = parts.pp_kb if parts.prep in ("of", "for") and role.kind == "title" else []
    for cand in parts.kb + represented:
        kb_sector = cand.actor.sector  # already dated: the Taliban are GOV after August 2021
        named = cand.entry is not None and cand.entry.kind in ("group", "agency", "igo", "seat")
        if named and kb_sector and (kb_sector != "GOV" or sector in (None, "UNK")):
            sector = kb_sector
    for mod in parts.roles:
        if mod.sector in (None, "GOV", "ELI") or mod.kind == "title":
            continue
        if mod.kind == "modifier" and role.kind != "group":
            continue
        if role.kind != "body":
            sector = mod.sector
    return sector


def country_of(parts: Parts) -> tuple[str | None, str | None]:
    """(code, pending): a modifier before the head, 'of <country>', or what context must give."""
    for cand in reversed(parts.kb):
        if cand.actor.code:
            return cand.actor.code, None
    if parts.possessor is not None and parts.possessor.actor.code:
        return parts.possessor.actor.code, None
    if parts.prep in ("of", "for", "from"):
        for cand in parts.pp_kb:
            if cand.actor.code:
                return cand.actor.code, None
    if parts.pp_title is not None:
        return None, "title:" + parts.pp_title
    if parts.left_title is not None:
        return None, "title:" + parts.left_title
    return None, None


def also_codes(parts: Parts, plural: bool) -> list[str]:
    """Every country of a plural phrase with coordinated countries, in text order."""
    if not plural:
        return []
    if parts.coordinated:
        pool = [c for c in parts.kb if _country_cand(c)]
    elif parts.prep in ("of", "from") and len(parts.pp_kb) > 1:
        pool = [c for c in parts.pp_kb if _country_cand(c)]
    else:
        return []
    codes: list[str] = []
    for cand in pool:
        code = cand.actor.code
        if code and code not in codes:
            codes.append(code)
    return codes if len(codes) > 1 else []
