"""Candidate mentions from the KB (text first), from NER, and pronouns."""

from __future__ import annotations

from datetime import date

from spacy.tokens import Doc, Span

from eventwire.nlp.doctext import doc_ents
from eventwire.records import Actor
from eventwire.resolve.actors.kb import Alias, Entry, country_name, index
from eventwire.resolve.actors.lexicon import head_role, lexicon, modifier_role
from eventwire.resolve.actors.orgs import org_sector
from eventwire.resolve.actors.people import choose, person_actor
from eventwire.resolve.actors.phrases import Cand

LOCATIVE = frozenset(
    {"in", "at", "near", "inside", "outside", "across", "throughout", "around", "within", "into"}
)
NAME_LABELS = frozenset({"PERSON", "ORG", "FAC", "WORK_OF_ART", "EVENT", "LAW", "PRODUCT"})
TAKES_THE = frozenset({"country", "capital", "seat", "region", "igo", "agency", "group"})
PRONOUNS = frozenset(
    {
        "he",
        "she",
        "him",
        "his",
        "her",
        "they",
        "them",
        "their",
        "its",
        "himself",
        "herself",
        "themselves",
    }
)
KIND_OF_ENTRY = {
    "country": "country",
    "capital": "country",
    "seat": "country",
    "region": "country",
    "demonym": "demonym",
    "people": "demonym",
    "igo": "org",
    "agency": "org",
    "group": "group",
    "person": "name",
}


def _acronym(text: str) -> bool:
    """'US' and 'UN' must be written in capitals to count ('us' is a pronoun)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _matches(doc: Doc, lowers: list[str], i: int, alias: Alias) -> bool:
    """Whether an alias matches the tokens at i, case rules included."""
    size = len(alias.lower)
    if tuple(lowers[i : i + size]) != alias.lower:
        return False
    first = doc[i]
    if alias.capital and not first.text[:1].isupper():
        return False
    if alias.priority == 0 and first.pos_ != "PROPN":
        return False
    return all(not exact or _acronym(doc[i + k].text) for k, exact in enumerate(alias.exact))


def _inside_bigger_name(doc: Doc, start: int, end: int, alias: Alias) -> bool:
    """'George Washington University', 'Washington Post': part of another name.

    A capital may still name the country of an institution ('Baghdad University'), and
    countries and demonyms always can ('Bank of Israel', 'Egyptian Foreign Ministry').
    """
    ent = _entity_at(doc, start)
    entry = alias.entry
    if (
        ent is None
        or ent.label_ not in NAME_LABELS
        or entry.kind in ("country", "demonym", "people")
    ):
        return False
    if entry.kind == "person" and alias.priority > 0:
        return False
    left = [t for t in ent if t.i < start and t.lower_ != "the" and not t.is_punct]
    right = [t for t in ent if t.i >= end and not t.is_punct]
    if any(t.pos_ == "PROPN" and t.text[:1].isupper() for t in left):
        return True
    if entry.kind in ("agency", "seat", "igo") and any(t.text[:1].isupper() for t in left):
        return True  # "Indian Youth Congress" is not the US Congress
    if entry.kind in ("capital", "seat", "region") and right:
        return not any(head_role(doc, t.i, t.i + 1) is not None for t in right)
    return False


def _entity_at(doc: Doc, i: int) -> Span | None:
    """The entity around token i, walking the IOB tags (no scan over all entities)."""
    if not doc[i].ent_type_:
        return None
    start = i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return Span(doc, start, end, label=doc[i].ent_type_)


def _locative(span: Span) -> bool:
    """'in Jerusalem' names a place, not the Israeli government."""
    root = span.root
    return root.dep_ == "pobj" and root.head.lower_ in LOCATIVE


def kb_actor(entry: Entry, text: str, day: date | None) -> Actor:
    """The actor a KB entry names, before any title or context is applied."""
    if entry.person is not None or entry.choices:
        return person_actor(entry.person or choose(entry.choices, day, None), text, day, None)
    sector = "PRE" if entry.extra_sector == "PRE" else entry.sector_on(day)
    if entry.kind in ("country", "capital", "seat", "region", "demonym", "people"):
        name = country_name(entry.code) or entry.name
        return Actor(
            entity_text=text, name=name, code=entry.code, sector=sector, resolution="country"
        )
    return Actor(
        entity_text=text,
        name=entry.name,
        code=entry.code,
        sector=sector,
        identifier_id=entry.qid,
        identifier_text=entry.name if entry.qid else None,
        resolution="kb",
    )


def kb_cands(
    doc: Doc, lowers: list[str], day: date | None, located: list[tuple[str, int]]
) -> list[Cand]:
    """Longest KB matches left to right; seats in locative phrases go to `located` instead."""
    by_first = index().by_first
    currency = lexicon().currency
    out: list[Cand] = []
    i, size = 0, len(doc)
    while i < size:
        found = None
        for alias in by_first.get(lowers[i], ()):
            if _matches(doc, lowers, i, alias) and not _inside_bigger_name(
                doc, i, i + len(alias.lower), alias
            ):
                found = alias
                break
        if found is None:
            i += 1
            continue
        end, entry = i + len(found.lower), found.entry
        if entry.kind in ("country", "demonym") and end < size and lowers[end] in currency:
            i = end  # 'US $50 million', 'Hong Kong dollars': money, not an actor
            continue
        start = i - 1 if i > 0 and lowers[i - 1] == "the" and entry.kind in TAKES_THE else i
        span = doc[start:end]
        if entry.kind in ("capital", "region") and _locative(span):
            located.append((entry.code or "", span.root.i))
        else:
            actor = kb_actor(entry, span.text, day)
            out.append(Cand(start, end, span.root.i, KIND_OF_ENTRY[entry.kind], actor, entry))
        i = end
    return out


def _strip_title(doc: Doc, start: int, end: int) -> int:
    """'President Biden' tagged PERSON as a whole: the name starts after the title words."""
    while start < end - 1 and doc[start].text[:1].isupper():
        if head_role(doc, start, start + 1) is None and modifier_role(doc[start]) is None:
            break
        start += 1
    return start


def person_cands(doc: Doc, owner: list[Cand | None]) -> list[Cand]:
    """NER people the KB does not know: a name, no country until a title or context gives one."""
    out: list[Cand] = []
    for ent in doc_ents(doc):
        if ent.label_ != "PERSON":
            continue
        start, end = _strip_title(doc, ent.start, ent.end), ent.end
        while end > start and doc[end - 1].text in ("'s", "'"):
            end -= 1
        if end <= start or any(owner[k] is not None for k in range(start, end)):
            continue
        span = doc[start:end]
        actor = Actor(entity_text=span.text, name=span.text, resolution="ner")
        out.append(Cand(start, end, span.root.i, "name", actor))
    return out


def surname_cands(
    doc: Doc, lowers: list[str], owner: list[Cand | None], cands: list[Cand]
) -> list[Cand]:
    """'Lopez' after 'Maria Lopez' even where NER did not tag the short form."""
    first_seen: dict[str, int] = {}
    for cand in cands:
        if cand.kind == "name" and cand.end - cand.start > 1:
            first_seen.setdefault(lowers[cand.end - 1], cand.end)
    out: list[Cand] = []
    if not first_seen:
        return out
    for i, lower in enumerate(lowers):
        seen = first_seen.get(lower)
        if seen is None or i < seen or owner[i] is not None or doc[i].pos_ != "PROPN":
            continue
        actor = Actor(entity_text=doc[i].text, name=doc[i].text, resolution="ner")
        out.append(Cand(i, i + 1, i, "name", actor))
    return out


def _name_like(ent: Span) -> bool:
    """Drop NER debris such as 'BAMAKO - Armed' (a dateline glued to a word)."""
    if any(t.text == "-" and t.whitespace_ for t in ent):
        return False
    return ent.root.pos_ in ("PROPN", "NOUN") and ent.root.text[:1].isupper()


def org_cands(doc: Doc, owner: list[Cand | None]) -> list[Cand]:
    """Organisations NER found and nothing else claimed: kept with their text, no code."""
    out: list[Cand] = []
    for ent in doc_ents(doc):
        if ent.label_ != "ORG" or any(owner[k] is not None for k in range(ent.start, ent.end)):
            continue
        if ent[-1].text in (",", "'s") or len(ent) > 8 or not _name_like(ent):
            continue
        sector = org_sector([t.lower_ for t in ent if t.is_alpha])
        actor = Actor(entity_text=ent.text, name=ent.text, sector=sector, resolution="ner")
        out.append(Cand(ent.start, ent.end, ent.root.i, "org", actor))
    return out


NOT_GROUPS = frozenset(
    {
        "ied",
        "ieds",
        "gdp",
        "loc",
        "covid",
        "aids",
        "hiv",
        "ceo",
        "fir",
        "usd",
        "eur",
        "ppe",
        "atm",
        "cctv",
        "sms",
        "dna",
        "pdf",
        "gmt",
        "utc",
        "ltd",
        "inc",
        "vip",
        "mla",
        "mp",
        "ngo",
    }
)
ACTOR_SLOTS = frozenset({"nsubj", "nsubjpass", "pobj", "conj"})


def acronym_cands(doc: Doc, owner: list[Cand | None]) -> list[Cand]:
    """Unknown capitals in an actor's slot ('PDSU led a demonstration', 'attacked by the
    NDF'): an organisation the report names by its letters, kept with no code."""
    out: list[Cand] = []
    for token in doc:
        if owner[token.i] is not None or not (token.is_alpha and token.is_upper):
            continue
        if len(token) < 3 or token.lower_ in NOT_GROUPS or token.dep_ not in ACTOR_SLOTS:
            continue
        if token.ent_type_ in ("GPE", "LOC", "DATE", "TIME", "MONEY"):
            continue
        actor = Actor(entity_text=token.text, name=token.text, resolution="ner")
        out.append(Cand(token.i, token.i + 1, token.i, "org", actor))
    return out


def pronoun_cands(doc: Doc, lowers: list[str], owner: list[Cand | None]) -> list[Cand]:
    """Personal and possessive pronouns, unresolved until coreference runs."""
    out: list[Cand] = []
    for i, lower in enumerate(lowers):
        if lower in PRONOUNS and owner[i] is None and doc[i].pos_ == "PRON":
            actor = Actor(entity_text=doc[i].text, resolution="ner")
            out.append(Cand(i, i + 1, i, "pronoun", actor))
    return out
