"""Turn parse frames into Event records by joining actors, places and dates on the Doc."""

from __future__ import annotations

from spacy.tokens import Doc, Span

from eventwire.extraction.claims import credit_claims
from eventwire.extraction.communal import settle_communal
from eventwire.extraction.contexts import event_contexts, sentence_contexts
from eventwire.extraction.protests import settle_protests
from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentences as doc_sentences
from eventwire.records import Actor, Event, Frame, updated
from eventwire.resolve.actors import actors_for_token
from eventwire.resolve.actors.fill import place_country, place_target, settle
from eventwire.resolve.dates import event_date
from eventwire.resolve.places import event_location
from eventwire.resolve.places.location import place_focus


def _actor_key(actor: Actor) -> tuple[str | None, ...]:
    """Two mentions of one party (name and coreferent pronoun) count once."""
    return (actor.name or actor.entity_text, actor.code, actor.sector, actor.office)


def _actors(doc: Doc, heads: list[int]) -> list[Actor]:
    found: list[Actor] = []
    seen: set[tuple[str | None, ...]] = set()
    for head in heads:
        for actor in actors_for_token(doc, head):
            key = _actor_key(actor)
            if key not in seen:
                seen.add(key)
                found.append(actor)
    return found


def _event(doc: Doc, frame: Frame, sentence: Span, sentence_ctx: list[str]) -> Event:
    actors = _actors(doc, frame.agents)
    recipients = _actors(doc, frame.patients)
    if frame.reciprocal:
        keys = {_actor_key(a) for a in actors}
        actors += [r for r in recipients if _actor_key(r) not in keys]
        recipients = []
    else:
        keys = {_actor_key(a) for a in actors}
        recipients = [r for r in recipients if _actor_key(r) not in keys]
    reporter = actors_for_token(doc, frame.reporter) if frame.reporter is not None else []
    location = event_location(doc, frame)
    # an unknown place ('in Shopian town') leaves no location, but the article's country holds
    country = place_country(location) if location is not None else place_focus(doc)
    actors, recipients = settle(actors, country), settle(recipients, country)
    if not recipients and not frame.reciprocal:
        recipients = place_target(frame.event_type, actors, location, frame.mode)
    trigger = doc[frame.trigger_start : frame.trigger_end]
    sectors = [a.sector for a in actors + recipients]
    context = event_contexts(
        frame.event_type, frame.mode, sectors, sentence, ext(doc, "contexts") or [], sentence_ctx
    )
    return Event(
        event_type=frame.event_type,
        article_id=ext(doc, "article_id") or "",
        sentence_index=frame.sentence,
        sentence_start=sentence.start_char,
        sentence_end=sentence.end_char,
        trigger=trigger.text,
        trigger_start=trigger.start_char,
        trigger_end=trigger.end_char,
        mode=list(frame.mode),
        context=context,
        actors=actors,
        recipients=recipients,
        factuality=frame.factuality,
        reported_by=updated(reporter[0]) if reporter else None,
        location=location,
        when=event_date(doc, frame),
        confidence=frame.confidence,
        decided_by=frame.decided_by,
        rule=frame.rule,
    )


_PLACE_RANK = {"prep": 0, "sentence": 1, "scene": 2, "dateline": 3, "focus": 4}


def _keys(actors: list[Actor]) -> set[tuple[str | None, ...]]:
    return {_actor_key(x) for x in actors}


def _same(a: Event, b: Event) -> bool:
    """One sentence telling one incident through two triggers ("struck ..., killing four")."""
    if a.event_type != b.event_type or a.sentence_index != b.sentence_index:
        return False
    if a.factuality != b.factuality:
        return False
    actors_a, actors_b = _keys(a.actors), _keys(b.actors)
    recips_a, recips_b = _keys(a.recipients), _keys(b.recipients)
    nested = actors_a <= actors_b or actors_b <= actors_a
    return nested and (recips_a <= recips_b or recips_b <= recips_a)


def _place_rank(event: Event) -> int:
    return _PLACE_RANK.get(event.location.source or "", 5) if event.location else 6


def _merge(kept: Event, other: Event) -> None:
    """Keep the first trigger; take the union of parties and the better place and date."""
    seen = _keys(kept.actors)
    kept.actors += [a for a in other.actors if _actor_key(a) not in seen]
    seen = _keys(kept.recipients)
    kept.recipients += [r for r in other.recipients if _actor_key(r) not in seen]
    if _place_rank(other) < _place_rank(kept):
        kept.location = other.location
    if kept.when.source != "expression" and other.when.source == "expression":
        kept.when = other.when
    kept.mode += [m for m in other.mode if m not in kept.mode]
    kept.context += [c for c in other.context if c not in kept.context]
    kept.confidence = max(kept.confidence, other.confidence)


def build_events(doc: Doc) -> None:
    """Last pipeline step: every frame becomes one record; one incident told twice merges."""
    sentences = doc_sentences(doc)
    events: list[Event] = []
    sentence_ctx: dict[int, list[str]] = {}  # scored once per sentence, not once per event
    for frame in ext(doc, "frames") or []:
        sentence = sentences[frame.sentence]
        if frame.sentence not in sentence_ctx:
            sentence_ctx[frame.sentence] = sentence_contexts(sentence)
        event = _event(doc, frame, sentence, sentence_ctx[frame.sentence])
        twin = next((kept for kept in events if _same(event, kept)), None)
        if twin is None:
            events.append(event)
        else:
            _merge(twin, event)
    credit_claims(doc, events)
    settle_communal(doc, events)
    doc._.events = settle_protests(events, doc.text)
