"""Where an event happened: its own place phrase, the sentence, the dateline, then the focus.

Order and `Place.source`:
1. "prep": a place in the trigger's own prepositional phrase ("meeting in Netanyahu's office in
   Jerusalem", "attack in Tel Aviv"), the destination or object of a motion trigger ("visit to
   Egypt and Israel", "visited Amman": one place is returned, the most specific, then the first
   named), the scene object of a physical event ("raided the Jenin refugee camp"), or a place
   modifying the trigger noun ("the Jerusalem talks").
2. "sentence": another place in the trigger's clause (or in a clause describing one of its
   nouns: "a school sheltering families in Gaza") that is not an argument: not an actor's or
   recipient's head, not a modifier inside an argument ("United States Ambassador to Israel",
   "US forces"), not where a report was made ("said in Washington that ..."). Locative phrases
   count for every event type; other mentions ("shelled districts of Omdurman") only for events
   that happen at their target (ASSAULT, COERCE, MOBILIZE, AID, PROTEST). Last, for those
   types, the recipient itself ("launched an attack against Israel" -> Israel); never the actor.
3. "scene": the most specific sub-national place the sentence puts anything in, at or near,
   or names a site after ("the Karachi Press Club"), then where its actors come from
   ("farmers from Hansi"); see scene.py.
4. "dateline": doc._.dateline; then, for physical events, the scene of an earlier sentence.
5. "focus": doc._.focus_country (or, when the actor step set none, the country the article's
   places point to most), made specific by a place in that country named in a locative phrase
   of the previous sentence when that sentence coded the same event type ("...meeting in
   Jerusalem. An expanded session would..." -> Jerusalem); otherwise the country itself.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from spacy.tokens import Doc, Token

from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentence_of, sentence_span
from eventwire.records import Frame, Place, PlaceMention, updated
from eventwire.resolve.places.rank import country_place, lexicon
from eventwire.resolve.places.scene import earlier_scene, scene_place
from eventwire.resolve.places.units import unit_votes

_NOMINAL_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos", "compound"})
_MODIFIER_DEPS = frozenset({"compound", "poss", "amod", "nmod"})
_SPECIFIC = {"city": 0, "province": 1, "region": 2, "country": 3, None: 4}
_PATH_DEPS = frozenset({"pobj", "prep", "conj", "cc", "appos", "npadvmod", "nmod"})
_HEADS_KEY = "eventwire_place_heads"


@lru_cache(maxsize=1)
def _words() -> dict[str, frozenset[str]]:
    lex = lexicon()
    keys = (
        "locative_preps",
        "motion_preps",
        "motion_lemmas",
        "light_verbs",
        "physical_types",
        "place_nouns",
        "site_nouns",
    )
    return {k: frozenset(lex[k]) for k in keys}


def _mention_head(doc: Doc, pm: PlaceMention) -> Token:
    """The token of a place mention that attaches it to the rest of the parse."""
    for tok in doc[pm.start : pm.end]:
        if not (pm.start <= tok.head.i < pm.end) or tok.head.i == tok.i:
            return tok
    return doc[pm.end - 1]


def _mention_heads(doc: Doc, places: list[PlaceMention]) -> list[Token]:
    """_mention_head of every place, computed once per doc (every event asks for them)."""
    key = [[pm.start, pm.end] for pm in places]
    cached = doc.user_data.get(_HEADS_KEY)
    if cached is None or cached[0] != key:
        cached = [key, [_mention_head(doc, pm).i for pm in places]]
        doc.user_data[_HEADS_KEY] = cached
    return [doc[i] for i in cached[1]]


def _anchors(doc: Doc, frame: Frame) -> list[Token]:
    """The trigger's tokens plus the light verb or noun that carries a nominal trigger."""
    words = _words()
    anchors = list(doc[frame.trigger_start : frame.trigger_end]) or [doc[frame.trigger]]
    tok = doc[frame.trigger]
    for _ in range(3):
        head = tok.head
        if (
            tok.dep_ in ("dobj", "nsubjpass", "nsubj", "attr")
            and head.lemma_ in words["light_verbs"]
        ):
            anchors.append(head)
        elif tok.dep_ == "pobj" and head.lower_ == "of" and head.head.pos_ in ("NOUN", "PROPN"):
            head = head.head
            anchors.append(head)
        else:
            break
        tok = head
    return anchors


def _prep_path_ok(place_head: Token, top: Token, preps: frozenset[str]) -> bool:
    """A place sits in a phrase if only preposition, object and coordination links lead up."""
    tok = place_head
    place_nouns = _words()["place_nouns"]
    while tok.i != top.i:
        if tok.dep_ not in _PATH_DEPS and not (
            tok.dep_ in ("compound", "poss", "amod") and tok.head.lemma_ in place_nouns
        ):
            return False
        if tok.dep_ == "prep" and tok.lower_ not in preps and tok.lower_ != "of":
            return False
        if tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _from_prep(
    doc: Doc, frame: Frame, mentions: list[tuple[Token, PlaceMention]]
) -> PlaceMention | None:
    words = _words()
    anchors = _anchors(doc, frame)
    motion = any(a.lemma_ in words["motion_lemmas"] for a in anchors) or "visit" in frame.mode
    preps = words["locative_preps"] | (words["motion_preps"] if motion else frozenset())
    anchor_ids = {a.i for a in anchors}
    found: list[PlaceMention] = []
    for anchor in anchors:
        for child in anchor.children:
            phrase = child.dep_ == "prep" and child.lower_ in preps
            visited = motion and child.dep_ == "dobj" and anchor.lemma_ in words["motion_lemmas"]
            scene = (
                child.dep_ == "dobj"
                and child.lemma_ in words["place_nouns"]
                and frame.event_type in words["physical_types"]
            )
            if (
                phrase or visited or scene
            ):  # "in Jerusalem", "visited Amman", "raided the Jenin camp"
                found += [pm for head, pm in mentions if _prep_path_ok(head, child, preps)]
    if found:  # the most specific place, then the first named ("visit to Egypt and Israel")
        return min(found, key=lambda pm: (_SPECIFIC[pm.place.resolution], pm.start))
    for head, pm in mentions:
        if head.dep_ in ("compound", "nmod") and head.head.i in anchor_ids:
            return pm
    return None


def _governing_prep(tok: Token, stop: Token) -> str | None:
    """The nearest preposition above a token, below `stop`."""
    while tok.i != stop.i and tok.head.i != tok.i:
        if tok.dep_ == "prep":
            return tok.lower_
        tok = tok.head
    return None


def _inside(tok: Token, top: Token) -> bool:
    return top.left_edge.i <= tok.i <= top.right_edge.i


def _clause_verb(tok: Token) -> Token | None:
    verbal = tok.pos_ in ("VERB", "AUX") and tok.dep_ not in _NOMINAL_DEPS
    return tok if verbal else _nearest_verb(tok)


def _from_sentence(
    doc: Doc, frame: Frame, mentions: list[tuple[Token, PlaceMention]]
) -> PlaceMention | None:
    words = _words()
    args = [doc[i] for i in frame.agents + frame.patients]
    arg_ids = {a.i for a in args}
    clause_verb = _clause_verb(doc[frame.trigger])
    clause = clause_verb.i if clause_verb is not None else -1
    report = doc[frame.reporter].head.i if frame.reporter is not None else -2
    ranked: list[tuple[int, int, PlaceMention]] = []
    targets: list[PlaceMention] = []
    physical = frame.event_type in words["physical_types"]
    where = words["locative_preps"] | words["motion_preps"]
    destination = _purpose_of_motion(doc[frame.trigger], clause_verb)
    for head, pm in mentions:
        if any(pm.start <= i < pm.end for i in arg_ids):
            if any(pm.start <= i < pm.end for i in frame.patients):
                targets.append(pm)
            continue
        governing = _governing_prep(head, sentence_of(doc, head.i).root)
        if _describes_argument(doc, frame, head, words["locative_preps"]) or _modifier(head):
            continue  # "United States Ambassador to Israel", "US-backed"
        found_verb = _nearest_verb(head)
        verb = found_verb.i if found_verb is not None else None
        if verb == report and clause != report:
            continue  # "said in Washington that ...": where it was said
        if verb is None or verb == clause:
            if governing in words["locative_preps"] or (
                (physical or destination) and governing in where
            ):
                ranked.append((0, abs(head.i - frame.trigger), pm))
            elif physical:  # "shelled districts of Omdurman"; not "sanctions over drones to Russia"
                ranked.append((1, abs(head.i - frame.trigger), pm))
        elif governing in words["locative_preps"] and _describes_a_participant(doc, verb, clause):
            ranked.append((2, abs(head.i - frame.trigger), pm))  # "a school sheltering ... in Gaza"
    if ranked:
        return min(ranked, key=lambda r: (r[0], r[1]))[2]
    if targets and frame.event_type in words["physical_types"]:
        return min(targets, key=lambda pm: pm.start)
    return None


def _purpose_of_motion(trigger: Token, verb: Token | None) -> bool:
    """'returned to Geneva for talks': the talks happen where the journey ends."""
    if verb is None or verb.lemma_ not in _words()["motion_lemmas"]:
        return False
    tok = trigger
    while tok.i != verb.i and tok.head.i != tok.i:
        if tok.dep_ == "prep":
            return tok.lower_ == "for" and tok.head.i == verb.i
        tok = tok.head
    return False


def _describes_a_participant(doc: Doc, verb: int, clause: int) -> bool:
    """The place's clause modifies a noun of the event's clause ("who arrived in Cairo")."""
    tok = doc[verb]
    while tok.dep_ in ("acl", "relcl", "conj") and tok.head.i != tok.i:
        found = _nearest_verb(tok)
        if found is not None and found.i == clause:
            return True
        if tok.dep_ in ("acl", "relcl") and tok.head.i == clause:
            return True
        tok = tok.head if found is None else found
    return False


def _modifier(head: Token) -> bool:
    """A place used as an adjective of a non-place noun ("US forces", "Gaza ceasefire talks")."""
    return head.dep_ in _MODIFIER_DEPS and head.head.lemma_ not in _words()["place_nouns"]


def _describes_argument(doc: Doc, frame: Frame, head: Token, where: frozenset[str]) -> bool:
    """ "United States Ambassador to Israel", "US forces": the place qualifies an actor."""
    for i in frame.agents:
        agent = doc[i]
        if _inside(head, agent) and _governing_prep(head, agent) not in where:
            return True
    return any(head.head.i == i and head.dep_ in _MODIFIER_DEPS for i in frame.patients)


def _nearest_verb(tok: Token) -> Token | None:
    """The predicate of the clause a token is in (a verb used as a noun does not count)."""
    while tok.head.i != tok.i:
        tok = tok.head
        if tok.pos_ in ("VERB", "AUX") and tok.dep_ not in _NOMINAL_DEPS:
            return tok
    return None


def place_focus(doc: Doc) -> str | None:
    """The country the article's places point to most (locative mentions count double)."""
    cached = doc.user_data.get("eventwire_place_focus", "")
    if cached != "":
        return cached  # type: ignore[no-any-return]
    votes: Counter[str] = Counter()
    locative = _words()["locative_preps"]
    in_actors = {
        i
        for m in ext(doc, "mentions") or []
        if m.kind not in ("country", "org")  # NER's 'org' Quetta is the gazetteer's city
        for i in range(m.start, m.end)
    }
    for pm in ext(doc, "places") or []:
        code = pm.place.country_code
        head = _mention_head(doc, pm)
        if code and pm.start not in in_actors and not _modifier(head):  # not "US forces"
            weight = 2 if _governing_prep(head, sentence_of(doc, head.i).root) in locative else 1
            votes[code] += weight
    dateline = ext(doc, "dateline")
    if dateline and dateline.country_code:
        votes[dateline.country_code] += 3
    votes.update(unit_votes(doc.text))
    focus = votes.most_common(1)[0][0] if votes else None
    doc.user_data["eventwire_place_focus"] = focus
    return focus


def _same_scene_before(doc: Doc, frame: Frame) -> bool:
    """The previous sentence coded the same kind of event (or frames are not known yet)."""
    frames = ext(doc, "frames")
    if frames is None:
        return True
    return any(
        f.sentence == frame.sentence - 1 and f.event_type == frame.event_type for f in frames
    )


def _from_focus(doc: Doc, frame: Frame, mentions: list[tuple[Token, PlaceMention]]) -> Place | None:
    focus = ext(doc, "focus_country") or place_focus(doc)
    if not focus:
        return None
    sent_start, _ = sentence_span(doc, frame.trigger)
    if sent_start > 0 and _same_scene_before(doc, frame):
        previous = sentence_of(doc, sent_start - 1)
        locative = _words()["locative_preps"]
        for head, pm in mentions:
            if (
                previous.start <= head.i < previous.end
                and pm.place.country_code == focus
                and pm.place.resolution in ("city", "province", "region")
                and _governing_prep(head, previous.root) in locative
            ):
                return updated(pm.place, source="focus")
    place = country_place(focus)
    return updated(place, source="focus") if place else None


def event_location(doc: Doc, frame: Frame) -> Place | None:
    """The one place where the event happened, with Place.source saying how it was chosen."""
    places = ext(doc, "places") or []
    all_mentions = list(zip(_mention_heads(doc, places), places, strict=True))
    sent_start, sent_end = sentence_span(doc, frame.trigger)
    dateline = ext(doc, "dateline")
    dateline_at = dateline.start if dateline is not None else None
    mentions = [
        (h, pm)
        for h, pm in all_mentions
        if sent_start <= h.i < sent_end and pm.place.start != dateline_at
    ]
    for finder, source in ((_from_prep, "prep"), (_from_sentence, "sentence")):
        found = finder(doc, frame, mentions)
        if found is not None:
            return updated(found.place, source=source)
    scene = scene_place(doc, frame, mentions, _words())
    if scene is not None:
        return updated(scene.place, source="scene")
    if dateline is not None:
        return updated(dateline, source="dateline")
    if frame.event_type in _words()["physical_types"]:  # incident reports keep their scene
        country = ext(doc, "focus_country") or place_focus(doc)
        earlier = earlier_scene(doc, sent_start, all_mentions, _words(), country)
        if earlier is not None:
            return updated(earlier.place, source="scene")
    return _from_focus(doc, frame, all_mentions)
