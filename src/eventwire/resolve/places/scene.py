"""The scene of a report: where a sentence, or the report so far, says things happened.

Incident reports name the place once ("... killed in an encounter in Hayatabad, Peshawar",
"Villagers in Maletha continued a protest") and not always in the phrase of each event's
trigger. When an event's own clause names no place, the most specific place the sentence puts
something *in/at/near* is a far better guess than the country, then the place its actors come
from ("farmers from Hansi"), then the scene of the report's earlier sentences.
"""

from __future__ import annotations

from spacy.tokens import Doc, Token

from eventwire.nlp.sentences import sentence_of
from eventwire.records import Frame, PlaceMention

_SPECIFIC = {"city": 0, "district": 1, "province": 2, "region": 3}
_ORIGIN_PREPS = frozenset({"from", "of"})
_REPORT_LEMMAS = frozenset({"say", "tell", "report", "announce", "state", "add", "claim"})


def _governing_prep(tok: Token, stop: Token) -> Token | None:
    """The nearest preposition above a token, below `stop`."""
    while tok.i != stop.i and tok.head.i != tok.i:
        if tok.dep_ == "prep":
            return tok
        tok = tok.head
    return None


def _said_there(prep: Token) -> bool:
    """ "said in Washington", "told reporters in Delhi": where it was said, not done."""
    return prep.head.lemma_ in _REPORT_LEMMAS or prep.head.head.lemma_ in _REPORT_LEMMAS


def _place_of_noun(head: Token, place_nouns: frozenset[str]) -> bool:
    """ "Yangon's industrial zone", "the Karachi Press Club": a place naming a site's town."""
    if head.dep_ not in ("poss", "compound", "nmod"):
        return False
    site = head.head
    while site.dep_ == "compound" and site.head.i != site.i:
        site = site.head  # "Moirang police station": the noun the compounds modify
    return site.lemma_ in place_nouns or head.head.lemma_ in place_nouns


def _tier(head: Token, root: Token, locative: frozenset[str], place_nouns: frozenset[str]) -> int:
    """0: put somewhere ("in X", "X's district"); 1: origin ("from X", "of X"); 2: neither."""
    prep = _governing_prep(head, root)
    if prep is not None and prep.lower_ in locative and not _said_there(prep):
        return 0
    if _place_of_noun(head, place_nouns):
        return 0
    if prep is not None and prep.lower_ in _ORIGIN_PREPS:
        return 1
    return 2


def scene_place(
    doc: Doc,
    frame: Frame,
    mentions: list[tuple[Token, PlaceMention]],
    words: dict[str, frozenset[str]],
) -> PlaceMention | None:
    """The most specific sub-national place the sentence puts things in, nearest the trigger."""
    locative, place_nouns = words["locative_preps"], words["place_nouns"] | words["site_nouns"]
    ranked: list[tuple[int, int, int, PlaceMention]] = []
    for head, pm in mentions:
        specific = _SPECIFIC.get(pm.place.resolution or "")
        if specific is None:
            continue
        tier = _tier(head, sentence_of(doc, head.i).root, locative, place_nouns)
        if tier < 2:
            ranked.append((tier, specific, abs(head.i - frame.trigger), pm))
    if not ranked:
        return None
    return min(ranked, key=lambda r: r[:3])[3]


def earlier_scene(
    doc: Doc,
    sent_start: int,
    mentions: list[tuple[Token, PlaceMention]],
    words: dict[str, frozenset[str]],
    country: str | None,
) -> PlaceMention | None:
    """The last sub-national place an earlier sentence put something in (same country)."""
    locative, place_nouns = words["locative_preps"], words["place_nouns"] | words["site_nouns"]
    best: tuple[int, int, PlaceMention] | None = None
    for head, pm in mentions:
        specific = _SPECIFIC.get(pm.place.resolution or "")
        if head.i >= sent_start or specific is None:
            continue
        if country and pm.place.country_code and pm.place.country_code != country:
            continue
        sentence = sentence_of(doc, head.i)
        if _tier(head, sentence.root, locative, place_nouns) != 0:
            continue
        key = (-sentence.start, specific, pm)
        if best is None or key[:2] < best[:2]:
            best = key
    return best[2] if best else None
