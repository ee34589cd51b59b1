"""Communal clashes: 'a clash between two groups of villagers over land' has communal
militias on both sides, as ACLED codes them; the data file extraction/data/communal.yaml says
which words make a clash communal."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.tokens import Doc

from eventwire.records import Actor, Event, updated
from eventwire.resolve.actors.fill import place_country
from eventwire.resolve.actors.kb import country_name

DATA = Path(__file__).resolve().parent / "data" / "communal.yaml"
LABEL = "Communal militia"
LOOSE = frozenset({"CVL", "UNK", "UAF"})


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, Any]:
    with open(DATA, encoding="utf-8") as handle:
        loaded: dict[str, Any] = yaml.safe_load(handle)
    return loaded


def _loose(actor: Actor) -> bool:
    """A party named only by a civilian or unknown role: no state, group or person."""
    return actor.resolution in ("role", "place") and (actor.sector or "UNK")[:3] in LOOSE


def _is_side(actor: Actor) -> bool:
    words = set(actor.entity_text.lower().split())
    return bool(words & set(_lexicon()["sides"]))


def _communal(event: Event, sentence: str) -> bool:
    if event.event_type != "ASSAULT":
        return False
    words = set(sentence.replace(",", " ").split())
    if not words & set(_lexicon()["triggers"]):  # 'injured in a clash': the clash decides
        return False
    if not all(_loose(a) for a in event.actors + event.recipients):
        return False
    return any(cue in sentence for cue in _lexicon()["cues"])


def _militia(actor: Actor | None, code: str | None, entity: str, span: tuple[int, int]) -> Actor:
    country = country_name(code) if code else None
    name = f"{LABEL} ({country})" if country else LABEL
    if actor is not None:
        return updated(actor, name=name, code=actor.code or code, sector="CVL")
    return Actor(
        entity_text=entity,
        name=name,
        code=code,
        sector="CVL",
        resolution="role",
        start=span[0],
        end=span[1],
    )


def _sides_text(sentence: str, start: int) -> tuple[str, tuple[int, int]]:
    """The words that name the sides ('two groups'), else the clash word's sentence."""
    lowered = sentence.lower()
    for cue in _lexicon()["cues"]:
        k = lowered.find(cue)
        if k >= 0:
            end = k + len(cue)
            while end < len(sentence) and sentence[end].isalpha():
                end += 1  # 'between rival' -> 'between rivals'
            if lowered.startswith("between ", k):
                k += len("between ")
            return sentence[k:end], (start + k, start + end)
    return sentence, (start, start + len(sentence))


def settle_communal(doc: Doc, events: list[Event]) -> None:
    """Clashes between villagers or rival groups get communal militias as their parties."""
    text = doc.text
    for event in events:
        sentence = text[event.sentence_start : event.sentence_end]
        if not _communal(event, sentence.lower()):
            continue
        code = place_country(event.location) or next(
            (a.code for a in event.actors + event.recipients if a.code), None
        )
        sides = [a for a in event.actors + event.recipients if _is_side(a)]
        event.actors = [_militia(a, code, "", (0, 0)) if _is_side(a) else a for a in event.actors]
        event.recipients = [
            _militia(a, code, "", (0, 0)) if _is_side(a) else a for a in event.recipients
        ]
        if not sides:
            entity, span = _sides_text(sentence, event.sentence_start)
            event.actors = [_militia(None, code, entity, span), *event.actors]
        event.rule = f"{event.rule or ''} [communal clash: communal militias]".strip()
