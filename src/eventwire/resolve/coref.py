"""In-article coreference: pronouns, short names and definite titles to their earlier actor.

Rules, in the spirit of centering: a subject pronoun prefers a subject earlier in its sentence,
then the subjects of the sentences before; an object or possessive pronoun prefers the subject
of its own clause; otherwise the most recent compatible mention. Number is respected (he/she:
one person; they: plural or an organisation; its: an organisation, group or country).
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Token

from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentence_starts
from eventwire.records import Actor, Mention, updated
from eventwire.resolve.actors.people import holder, person_actor
from eventwire.resolve.actors.phrases import is_head_unit

PERSONAL = frozenset({"he", "she", "him", "his", "her", "himself", "herself"})
PLURAL = frozenset({"they", "them", "their", "themselves"})
THING = frozenset({"its"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
LOCATIVE = frozenset(
    {"in", "at", "near", "inside", "outside", "across", "throughout", "around", "within"}
)
GROUP_NOUNS = frozenset({"group", "organisation", "organization", "movement", "militia", "faction"})
BODY_NOUNS = frozenset(
    {"ministry", "department", "agency", "office", "government", "administration"}
)
GENERIC = frozenset(
    {"president", "minister", "secretary", "leader", "chancellor", "premier", "king", "emir"}
)
TITLE_WORDS = frozenset({"prime", "foreign", "deputy", "vice", "defence", "defense", "interior"})
WINDOW_SENTENCES = 3


class _Doc:
    """Per-document facts the rules look up repeatedly."""

    def __init__(self, doc: Doc) -> None:
        """Sentence starts and mention types, computed once per document."""
        self.doc = doc
        self.mentions: list[Mention] = ext(doc, "mentions")
        self.starts = sentence_starts(doc)
        self.sent = [self.sentence(m.head) for m in self.mentions]
        self.types = [_type(doc, m) for m in self.mentions]

    def sentence(self, token: int) -> int:
        """Sentence index of a token by bisection."""
        return bisect_right(self.starts, token) - 1


def _type(doc: Doc, mention: Mention) -> str | None:
    """person | plural | thing | None (not an antecedent: demonym adjectives, places)."""
    head = doc[mention.head]
    if mention.kind == "name":
        return "person"
    if mention.kind in ("country", "org", "group"):
        if head.dep_ == "pobj" and head.head.lower_ in LOCATIVE:
            return None
        return "thing"
    if mention.kind == "demonym":
        return "plural" if head.tag_ in ("NNS", "NNPS") else None
    if mention.kind == "role":
        role = is_head_unit(doc, head.i, head.i + 1)
        if head.tag_ in ("NNS", "NNPS"):
            return "plural"
        return "person" if role is not None and role.kind == "title" else "thing"
    return None


def _wants(word: str) -> frozenset[str]:
    """Which mention types a pronoun can point at: number is respected."""
    if word in PERSONAL:
        return frozenset({"person"})
    if word in PLURAL:
        return frozenset({"plural", "thing"})
    return frozenset({"thing"})


def _is_subject(token: Token) -> bool:
    """Subjects, including the second conjunct of a coordinated subject."""
    if token.dep_ in SUBJECT_DEPS:
        return True
    return token.dep_ == "conj" and token.head.dep_ in SUBJECT_DEPS


def _ok(facts: _Doc, n: int, wants: frozenset[str]) -> bool:
    """A compatible antecedent: right type, and not an unresolved pronoun."""
    mention = facts.mentions[n]
    if mention.kind == "pronoun" and mention.antecedent is None:
        return False
    return facts.types[n] in wants


def _clause_subject(
    facts: _Doc, n: int, wants: frozenset[str], table: dict[int, int]
) -> int | None:
    """'Blinken met Herzog as part of his visit': his -> the subject of 'met'."""
    token = facts.doc[facts.mentions[n].head]
    for ancestor in token.ancestors:
        for child in ancestor.children:
            m = table.get(child.i)
            if m is not None and m < n and _is_subject(child) and _ok(facts, m, wants):
                return m
    return None


def _subject_before(facts: _Doc, n: int, wants: frozenset[str]) -> int | None:
    """A compatible subject earlier in the sentence, then in each of the sentences before."""
    here = facts.sent[n]
    for m in range(n - 1, -1, -1):
        if facts.sent[m] != here:
            break
        if _is_subject(facts.doc[facts.mentions[m].head]) and _ok(facts, m, wants):
            return m
    for back in range(1, WINDOW_SENTENCES + 1):
        in_sentence = [m for m in range(n) if facts.sent[m] == here - back]
        for m in in_sentence:
            if _is_subject(facts.doc[facts.mentions[m].head]) and _ok(facts, m, wants):
                return m
    return None


def _recent(facts: _Doc, n: int, wants: frozenset[str]) -> int | None:
    """The most recent compatible mention within the sentence window."""
    floor = facts.sent[n] - WINDOW_SENTENCES
    for m in range(n - 1, -1, -1):
        if facts.sent[m] < floor:
            break
        if _ok(facts, m, wants):
            return m
    return None


def _root(facts: _Doc, m: int) -> int:
    """Follow pronoun chains back to the mention that names the actor."""
    seen = 0
    while facts.mentions[m].antecedent is not None and seen < 50:
        m = facts.mentions[m].antecedent or 0
        seen += 1
    return m


def _link(facts: _Doc, n: int, m: int, actor: Actor | None = None) -> None:
    """Point mention n at m's root and copy the actor, keeping n's own span."""
    root = _root(facts, m)
    mention = facts.mentions[n]
    source = actor if actor is not None else facts.mentions[root].actor
    mention.antecedent = root
    mention.actor = updated(
        source,
        entity_text=mention.actor.entity_text,
        start=mention.actor.start,
        end=mention.actor.end,
        mention_text=mention.actor.entity_text,
        resolution="coref",
    )
    facts.types[n] = facts.types[root]


def _pronoun(facts: _Doc, n: int, table: dict[int, int]) -> None:
    """Subjects look back to subjects; other pronouns to their clause subject first."""
    token = facts.doc[facts.mentions[n].head]
    wants = _wants(token.lower_)
    if _is_subject(token):
        found = _subject_before(facts, n, wants)
    else:
        found = _clause_subject(facts, n, wants, table)
    if found is None:
        found = _recent(facts, n, wants)
    if found is not None:
        _link(facts, n, found)


def _short_name(facts: _Doc, n: int) -> None:
    """'Blinken' after 'Antony Blinken': the earlier, fuller mention's actor."""
    mention = facts.mentions[n]
    short = _name_words(facts.doc, mention).lower()
    for m in range(n - 1, -1, -1):
        earlier = facts.mentions[m]
        if earlier.kind != "name" or earlier.antecedent is not None:
            continue
        full = (earlier.actor.name or "").lower()
        same_kb = mention.actor.resolution == "kb" and earlier.actor.name == mention.actor.name
        if short != full and (same_kb or full.endswith(" " + short)):
            _link(facts, n, m)
            return


def _name_words(doc: Doc, mention: Mention) -> str:
    """The name part of a mention ('Netanyahu' in 'Prime Minister Netanyahu')."""
    tokens = [
        t for t in doc[mention.start : mention.end] if t.ent_type_ == "PERSON" or t.pos_ == "PROPN"
    ]
    tail: list[Token] = []
    for token in reversed(tokens):
        if is_head_unit(doc, token.i, token.i + 1) is not None or token.i < mention.start:
            break
        tail.insert(0, token)
    return " ".join(t.text for t in tail) or doc[mention.start : mention.end].text


def _definite(facts: _Doc, n: int) -> None:
    """'the president', 'the Israeli Prime Minister', 'the group', 'the ministry'."""
    mention = facts.mentions[n]
    doc = facts.doc
    if doc[mention.start].lower_ != "the":
        return
    head = doc[mention.head]
    lemma = head.lemma_.lower()
    if mention.end - mention.start == 2 and lemma in GROUP_NOUNS | BODY_NOUNS:
        _organisation(facts, n, lemma)
    elif facts.types[n] == "person" and mention.actor.office:
        _title(facts, n)


def _organisation(facts: _Doc, n: int, lemma: str) -> None:
    """'the group' / 'the ministry': the nearest earlier organisation of that kind."""
    for m in range(n - 1, -1, -1):
        if facts.sent[m] < facts.sent[n] - WINDOW_SENTENCES:
            return
        earlier = facts.mentions[m]
        if lemma in GROUP_NOUNS and (earlier.kind == "group" or earlier.actor.code == "NGO"):
            _link(facts, n, m)
            return
        if lemma in BODY_NOUNS and earlier.kind == "org" and earlier.actor.sector == "GOV":
            _link(facts, n, m)
            return


def _explicit_country(doc: Doc, mention: Mention) -> bool:
    """'the Israeli Prime Minister' names its country; 'the president' does not."""
    for token in doc[mention.start : mention.end]:
        if token.lower_ == "the" or is_head_unit(doc, token.i, token.i + 1) is not None:
            continue
        if token.text[:1].isupper() and token.lower_ not in TITLE_WORDS:
            return True
    return False


def _same_office(title: str, held: str | None) -> bool:
    """'the president' matches any President; 'the Prime Minister' only that office."""
    title, held = title.lower(), (held or "").lower()
    if not held:
        return False
    return title == held or (title in GENERIC and title in held.split())


def _title(facts: _Doc, n: int) -> None:
    """A definite title: an earlier holder in the text, else the KB holder on the date."""
    mention = facts.mentions[n]
    office = mention.actor.office or ""
    explicit = _explicit_country(facts.doc, mention)
    for m in range(n - 1, -1, -1):
        earlier = facts.mentions[m]
        if earlier.kind != "name" or not _same_office(office, earlier.actor.office):
            continue
        if explicit and earlier.actor.code != mention.actor.code:
            continue
        _link(facts, n, m)
        return
    code = mention.actor.code
    if code:
        person = holder(code, office, ext(facts.doc, "article_date"))
        if person is not None:
            day = ext(facts.doc, "article_date")
            actor = person_actor(person, mention.actor.entity_text, day, None)
            mention.actor = updated(actor, start=mention.actor.start, end=mention.actor.end)


def _owned_roles(facts: _Doc, table: dict[int, int]) -> None:
    """'its allied forces': a role with no country takes its possessor's."""
    for mention in facts.mentions:
        if mention.kind != "role" or mention.actor.code:
            continue
        for child in facts.doc[mention.head].children:
            m = table.get(child.i)
            if child.dep_ == "poss" and m is not None and facts.mentions[m].kind == "pronoun":
                owner = facts.mentions[m].actor
                if owner.resolution == "coref" and owner.code:
                    mention.actor = updated(mention.actor, code=owner.code)


def resolve_coreference(doc: Doc) -> None:
    """Point pronouns, short names and definite descriptions at their antecedents."""
    if not ext(doc, "mentions"):
        return
    facts = _Doc(doc)
    table = {k: n for n, m in enumerate(facts.mentions) for k in range(m.start, m.end)}
    for n, mention in enumerate(facts.mentions):
        if mention.kind == "pronoun":
            _pronoun(facts, n, table)
        elif mention.kind == "name":
            _short_name(facts, n)
        elif mention.kind == "role":
            _definite(facts, n)
    _owned_roles(facts, table)
