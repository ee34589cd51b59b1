"""Pipeline step: find the places a Doc names (entities and dateline) and resolve them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy
from spacy.attrs import ENT_IOB, POS
from spacy.parts_of_speech import PROPN
from spacy.tokens import Doc, Span, Token

from eventwire.nlp.doctext import doc_ents, doc_text
from eventwire.nlp.extensions import ext
from eventwire.records import Place, PlaceMention, updated
from eventwire.resolve.places.gazetteer import Candidate, open_gazetteer
from eventwire.resolve.places.rank import (
    lexicon,
    resolve_candidate,
    resolve_pair,
    resolve_plain,
    to_place,
)
from eventwire.resolve.places.units import unit_votes

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_DASHES = ("-", "—", "–", ":")
_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}"
_TAIL = r"(?:,\s*(?P<region>[A-Z][A-Za-z.'’ -]{1,30}?))?(?:,?\s*" + _MONTH + r")?\s*"
# "JERUSALEM (Reuters) —", "NAIROBI, Kenya -", "GAZA CITY, March 3 (AP) -"
_CAPS_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Z.'’ /-]{0,40}?[A-Z.])" + _TAIL + r"(?:\([^)\n]{1,30}\)\s*)?[-—–:]"
)
# "Jerusalem (Reuters) -": title case only with an agency in brackets.
_AGENCY_DATELINE = re.compile(
    r"\s*(?P<place>[A-Z][A-Za-z.'’ -]{1,40}?)" + _TAIL + r"\([^)\n]{1,30}\)\s*[-—–:]"
)


@lru_cache(maxsize=1)
def iso3_codes() -> frozenset[str]:
    """Country codes the gazetteer knows; actor codes like IGO are not places."""
    db = open_gazetteer()._db
    rows = db.execute("SELECT country FROM places WHERE kind = 'country'").fetchall()
    return frozenset(code for (code,) in rows if code)


def _skip_kinds() -> frozenset[str]:
    return frozenset(lexicon()["not_place_kinds"])


def actor_countries(doc: Doc) -> list[str]:
    """ISO3 codes of the article's actors: context for ambiguous place names."""
    codes = iso3_codes()
    return [m.actor.code for m in ext(doc, "mentions") or [] if m.actor.code in codes]


def _not_places(doc: Doc) -> set[int]:
    """Tokens the actor step read as people or groups ("Blinken" tagged GPE)."""
    kinds = _skip_kinds()
    tokens: set[int] = set()
    for mention in ext(doc, "mentions") or []:
        if mention.kind in kinds:
            tokens.update(range(mention.start, mention.end))
    return tokens


def _overlaps(ent: Span, tokens: set[int]) -> bool:
    return any(t in tokens for t in range(ent.start, ent.end))


def _unmistakable(cand: Candidate) -> bool:
    """Countries, regions and capitals stay places even inside an actor mention."""
    return cand.kind in ("country", "region") or cand.feature_code == "PPLC"


def _leading_text(doc: Doc, n: int) -> str:
    """doc[:n].text, sliced from the kept text instead of joined from n Token objects."""
    if not len(doc):
        return ""
    last = doc[min(len(doc), n) - 1]
    return doc_text(doc)[: last.idx + len(last)]


def find_dateline(doc: Doc) -> tuple[Place, Span] | None:
    """A wire dateline at the article start, resolved (its own region as context)."""
    start_text = _leading_text(doc, 14)
    if not any(dash in start_text for dash in _DASHES):
        return None  # no dash or colon near the start: no dateline (the common case)
    head = _leading_text(doc, 48)[:160]
    match = _CAPS_DATELINE.match(head) or _AGENCY_DATELINE.match(head)
    if not match:
        return None
    context: list[str] = []
    if match.group("region"):
        region = resolve_candidate(match.group("region"))
        if region and region.country:
            context.append(region.country)
    name = match.group("place").split("/")[0].strip()  # "BEIJING/TAIPEI": the first
    cand = resolve_candidate(name.title() if name.isupper() else name, context)
    span = doc.char_span(match.start("place"), match.end("place"), alignment_mode="expand")
    if cand is None or span is None or cand.kind == "country":
        return None  # datelines name towns; "US - China talks" is not one
    place = updated(to_place(cand, name), start=span.start_char, end=span.end_char)
    return place, span


def _context(doc: Doc, all_ents: Sequence[Span], dateline: Place | None) -> list[str]:
    """Actors' countries, the dateline's, and countries named or implied ("Lebanese")."""
    context = actor_countries(doc)
    if dateline and dateline.country_code:
        context.append(dateline.country_code)
    context += unit_votes(doc_text(doc)).keys()  # "Sadar upazila": a Bangladeshi report
    for ent in all_ents:
        if ent.label_ in ("GPE", "NORP"):
            cand = resolve_plain(ent.text)
            if cand and cand.kind == "country" and cand.country:
                context.append(cand.country)
    return context


@lru_cache(maxsize=1)
def _cues() -> dict[str, frozenset[str]]:
    lex = lexicon()
    keys = ("locative_preps", "motion_preps", "place_nouns", "target_verbs", "misread_labels")
    cues = {k: frozenset(lex[k]) for k in keys}
    cues["calendar_words"] = frozenset(lex["calendar_words"])
    cues["site_nouns"] = frozenset(lex["site_nouns"])
    cues["resident_nouns"] = frozenset(lex["resident_nouns"])
    cues["place_preps"] = cues["locative_preps"] | cues["motion_preps"] | set(lex["source_preps"])
    return cues


def _expects_place(tok: Token, strong_only: bool = False) -> bool:
    """Where the parse wants a place: "in _", "to _", "the streets of _", "_ region"."""
    cues = _cues()
    head = tok.head
    if tok.dep_ in ("conj", "appos") and head.i != tok.i:  # "in Hayatabad, Peshawar"
        return _expects_place(head, strong_only)
    if tok.dep_ == "pobj" and head.lower_ in cues["place_preps"]:
        return True
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in cues["place_nouns"]:
        return True
    if tok.dep_ == "pobj" and head.lower_ == "of" and head.head.lemma_ in cues["resident_nouns"]:
        return not strong_only  # "residents of Kota"
    if tok.dep_ in ("compound", "poss") and head.lemma_ in cues["place_nouns"]:
        return True
    return not strong_only and tok.dep_ == "dobj" and head.lemma_ in cues["target_verbs"]


def _parts(span: Span) -> list[Span]:
    """ "Kyiv and Kharkiv" read as one entity is two places."""
    doc, parts, start = span.doc, [], span.start
    for tok in span:
        if tok.dep_ == "cc" or tok.is_punct:
            if tok.i > start:
                parts.append(doc[start : tok.i])
            start = tok.i + 1
    if start < span.end:
        parts.append(doc[start : span.end])
    return [_trim(p) for p in parts if any(t.pos_ == "PROPN" for t in p)]


def _trim(span: Span) -> Span:
    """ "Bristol on" (a misread entity) is "Bristol"."""
    start, end = span.start, span.end
    while span.doc[start].pos_ != "PROPN":
        start += 1
    while span.doc[end - 1].pos_ != "PROPN":
        end -= 1
    return span.doc[start:end]


def _loose_spans(doc: Doc, all_ents: Sequence[Span], taken: set[int]) -> list[Span]:
    """Misread entities and untagged proper nouns standing where a place is expected."""
    found: list[Span] = []
    for ent in all_ents:
        if ent.label_ not in _cues()["misread_labels"] or _overlaps(ent, taken):
            continue
        if ent.label_ in ("DATE", "TIME") and _calendar(ent):
            continue
        if any(t.pos_ == "PROPN" and _expects_place(t) for t in ent):
            found += [p for p in _parts(ent) if _expects_place(p.root)]
    tags = doc.to_array([POS, ENT_IOB])
    untagged = (tags[:, 1] == 2) | (tags[:, 1] == 0)  # IOB "O" or never tagged
    for index in numpy.flatnonzero((tags[:, 0] == PROPN) & untagged):
        tok = doc[int(index)]
        if tok.dep_ != "compound":
            left = min((c.i for c in tok.children if c.dep_ == "compound"), default=tok.i)
            if not any(t in taken for t in range(left, tok.i + 1)) and _expects_place(tok):
                found.append(doc[left : tok.i + 1])
    return found


def _site_towns(all_ents: Sequence[Span], taken: set[int]) -> list[Span]:
    """ "the Karachi Press Club", "Sabroom Government College": the town a site is named after."""
    found: list[Span] = []
    sites = _cues()["site_nouns"]
    for ent in all_ents:
        if ent.label_ not in ("ORG", "FAC") or _overlaps(ent, taken):
            continue
        if ent[0].pos_ == "DET":
            ent = ent[1:]  # "the Karachi Press Club"
        after = ent.doc[ent.end] if ent.end < len(ent.doc) else ent[-1]
        site = ent[-1].lemma_.lower() in sites or after.lemma_.lower() in sites  # "Press club"
        if not len(ent) or not site or ent[0].pos_ != "PROPN" or ent[0].lemma_.lower() in sites:
            continue
        found.append(ent[:1])
        if len(ent) > 1 and ent[1].pos_ == "PROPN" and ent[1].lemma_.lower() not in sites:
            found.append(ent[:2])
    return found


def _calendar(ent: Span) -> bool:
    """ "May 2015", "Sunday night": a date entity that is a date, not a misread town."""
    words = _cues()["calendar_words"]
    return any(t.like_num or t.lower_ in words for t in ent)


def _substantial(cand: Candidate, strong: bool) -> bool:
    """A word the model did not call a place must name a real, sizeable place."""
    key = "loose_min_population_after_preposition" if strong else "loose_min_population"
    big = cand.population >= lexicon()[key]
    return cand.kind in ("country", "region", "province") or cand.feature_code == "PPLC" or big


def _pairs(ents: list[Span]) -> list[tuple[Span, Span | None]]:
    """Each place entity with the one after it when only a comma separates them."""
    out: list[tuple[Span, Span | None]] = []
    for i, ent in enumerate(ents):
        nxt = ents[i + 1] if i + 1 < len(ents) else None
        joined = nxt is not None and nxt.start == ent.end + 1 and ent.doc[ent.end].text == ","
        out.append((ent, nxt if joined else None))
    return out


def _acronym(text: str, cand: Candidate) -> bool:
    """ "AL" (Awami League), "NWA": a short capitalised acronym is a place only as a country."""
    letters = text.replace(".", "")
    return letters.isupper() and len(letters) <= 4 and cand.kind not in ("country", "region")


def _add(places: list[PlaceMention], span: Span, cand: Candidate) -> None:
    if _acronym(span.text, cand):
        return
    place = updated(to_place(cand, span.text), start=span.start_char, end=span.end_char)
    places.append(PlaceMention(span.start, span.end, place))


def _memoised(context: list[str]) -> Callable[[str], Candidate | None]:
    """resolve_candidate with this article's context, each name resolved once per article."""
    done: dict[str, Candidate | None] = {}

    def resolve(name: str) -> Candidate | None:
        if name not in done:
            done[name] = resolve_candidate(name, context)
        return done[name]

    return resolve


def annotate_places(doc: Doc) -> None:
    """Set doc._.places (every resolved place mention) and doc._.dateline."""
    found = find_dateline(doc)
    dateline = found[0] if found else None
    skip = _not_places(doc)
    all_ents = doc_ents(doc)
    ents = [e for e in all_ents if e.label_ in PLACE_LABELS and any(c.isupper() for c in e.text)]
    context = _context(doc, all_ents, dateline)
    resolve = _memoised(context)
    places: list[PlaceMention] = []
    if found:
        places.append(PlaceMention(found[1].start, found[1].end, found[0]))
    taken = {t for p in places for t in range(p.start, p.end)}
    for ent, outer in _pairs(ents):
        if _overlaps(ent, taken):
            continue
        pair = resolve_pair(ent.text, outer.text, context) if outer is not None else None
        if pair is not None and outer is not None:  # "Atlanta, Georgia"
            _add(places, ent, pair[0])
            _add(places, outer, pair[1])
            taken.update(range(outer.start, outer.end))
        else:
            cand = resolve(ent.text)
            if cand is not None and (not _overlaps(ent, skip) or _unmistakable(cand)):
                _add(places, ent, cand)
    taken.update(t for p in places for t in range(p.start, p.end))
    for span in _loose_spans(doc, all_ents, taken):
        cand = resolve(span.text)
        strong = _expects_place(span.root, strong_only=True)
        if (
            cand is not None
            and _substantial(cand, strong)
            and (strong or not _overlaps(span, skip))
        ):
            _add(places, span, cand)
    taken.update(t for p in places for t in range(p.start, p.end))
    for span in _site_towns(all_ents, taken):
        cand = None if _overlaps(span, taken) else resolve(span.text)
        if cand is not None and cand.kind == "city" and cand.how <= 1 and _substantial(cand, True):
            _add(places, span, cand)
            taken.update(range(span.start, span.end))
    places.sort(key=lambda pm: pm.start)
    doc._.places = places
    doc._.dateline = dateline
