"""How a protest is told: crowd clashes are riots, and a protest's demand is not a second event.

PLOVER codes a violent crowd as PROTEST (mode riot) and says "the protest's demand is
normally not a separate REQUEST" (../shared/design/plover.md section 1). Rules see one
trigger at a time, so both are settled here, once every record of the article is known.
"""

from __future__ import annotations

from eventwire.extraction.communal import LABEL as COMMUNAL
from eventwire.records import Actor, Event

CLASH_TRIGGERS = frozenset(
    {"clash", "clashed", "clashes", "clashing", "scuffle", "scuffled", "scuffles", "brawl"}
)
CROWD_WORDS = frozenset(
    {
        "supporters",
        "activists",
        "workers",
        "cadres",
        "protesters",
        "protestors",
        "demonstrators",
        "agitators",
        "rioters",
        "mob",
        "crowd",
        "protest",
        "protests",
        "protesting",
    }
)
ARMED = frozenset({"MIL", "REB", "PRM", "UAF", "CRM", "SPY"})
CROWD = frozenset({"CVL", "EDU", "LAB", "AGR", "BUS", "PTY", "OPP", "REL", "JRN", "MED", "REF"})
DEMAND_TYPES = frozenset({"REQUEST"})


def _sector(actor: Actor) -> str:
    return (actor.sector or "")[:3]


def _told_as_crowd_clash(event: Event, sentence: str) -> bool:
    """'injured in a clash between supporters of two candidates', 'the protest turned violent
    in clashes with police': the clash and the crowd are in the sentence, not the trigger."""
    words = set(sentence.lower().replace(",", " ").split())
    return bool(words & CLASH_TRIGGERS) and bool(words & CROWD_WORDS)


def _crowd_clash(event: Event, sentence: str) -> bool:
    """Protesters, students or party workers fighting police or each other, nobody armed."""
    if event.event_type != "ASSAULT":
        return False
    parties = event.actors + event.recipients
    if any((a.name or "").startswith(COMMUNAL) for a in parties):
        return False  # villagers fighting each other (extraction/communal.py), not a crowd
    if any(_sector(a) in ARMED for a in parties):
        return False
    if event.trigger.split()[0].lower() in CLASH_TRIGGERS:
        return any(_sector(a) in CROWD for a in parties)
    return _told_as_crowd_clash(event, sentence)


def _keys(actors: list[Actor]) -> set[tuple[str | None, str | None]]:
    return {(a.name or a.entity_text, a.code) for a in actors}


def _the_demand(event: Event, protests: list[Event]) -> bool:
    """A request voiced by protesters in the sentence of their protest."""
    if event.event_type not in DEMAND_TYPES:
        return False
    for protest in protests:
        if protest.sentence_index != event.sentence_index:
            continue
        if not event.actors or _keys(event.actors) <= _keys(protest.actors):
            return True
    return False


def settle_protests(events: list[Event], text: str) -> list[Event]:
    """Crowd clashes become riots; requests a protest voices are dropped."""
    for event in events:
        if _crowd_clash(event, text[event.sentence_start : event.sentence_end]):
            event.event_type = "PROTEST"
            event.mode = ["riot"]
            event.rule = f"{event.rule or ''} [crowd clash: riot]".strip()
    protests = [e for e in events if e.event_type == "PROTEST"]
    return [e for e in events if not _the_demand(e, protests)]
