"""Parties the text gives no country take the country where their event happened, and
parties named only by their role get a canonical name.

Incident reports rarely say whose police or troops they mean: "police opened fire on
protesters in Khulna" is Bangladesh's police and Bangladeshi protesters, as ACLED and ICEWS
code them. Only parties without any code are filled; a code the text gave is never replaced.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from eventwire.records import Actor, Place, updated
from eventwire.resolve.actors.ethnic import people
from eventwire.resolve.actors.kb import NON_STATE_CODES, country_name


def place_country(place: Place | None) -> str | None:
    """The state an event location lies in, if any."""
    code = place.country_code if place is not None else None
    return code if code and code not in NON_STATE_CODES else None


def fill_countries(actors: list[Actor], code: str | None) -> list[Actor]:
    """Each actor without a code gets `code` (the event's country); the others stay as they are."""
    return [a if a.code or _foreign(a) else updated(a, code=code or _homeland(a)) for a in actors]


FOREIGN_WORDS = frozenset(
    {"foreign", "international", "multinational", "western", "allied", "regional", "other"}
)


def _foreign(actor: Actor) -> bool:
    """'an international force', 'foreign troops': not the country of the place; nor is a
    person the text only names (where Nigel Farage speaks says nothing of his nationality)."""
    if actor.resolution == "ner" and actor.sector is None:
        return True
    return bool(FOREIGN_WORDS & set(actor.entity_text.lower().split()))


def _homeland(actor: Actor) -> str | None:
    """No place named: a people's members are most likely where that people mostly lives."""
    who = people(actor.ethnicity) if actor.ethnicity else None
    return who.countries[0] if who is not None else None


@lru_cache(maxsize=1)
def _sector_names() -> dict[str, str]:
    path = Path(__file__).with_name("data") / "sector_names.tsv"
    rows = [line.split("\t") for line in path.read_text(encoding="utf-8").splitlines()]
    return {r[0]: r[1] for r in rows[1:] if len(r) == 2 and not r[0].startswith("#")}


def generic_name(actor: Actor) -> Actor:
    """'police' in Khulna -> 'Police (Bangladesh)': a role party gets its sector's name."""
    if actor.resolution != "role" or actor.name or actor.office or not actor.sector:
        return actor
    label = _sector_names().get(actor.sector[:3])
    country = country_name(actor.code) if actor.code not in NON_STATE_CODES else None
    if label is None or not country:
        return actor
    return updated(actor, name=f"{label} ({country})")


def settle(actors: list[Actor], code: str | None) -> list[Actor]:
    """Final codes and names of an event's parties: the event's country where the text gave
    none, then the sector names of role parties."""
    return [generic_name(a) for a in fill_countries(actors, code)]


# Events whose target can be the place they hit: "Israel strengthened its forces in southern
# Lebanon", "Serbia lifted a night curfew in Montenegro" (PLOVER codes Lebanon, Montenegro).
# Meetings, deals and statements are excluded: their place is a venue, not a target.
PLACE_TARGET_TYPES = frozenset(
    {
        "ASSAULT",
        "COERCE",
        "MOBILIZE",
        "CONCEDE",
        "RETREAT",
        "SANCTION",
        "THREATEN",
        "AID",
        "PROTEST",
    }
)
# A protest is aimed at the country it is held in; a curfew or restriction at the town it
# is imposed on, even by that country's own government ("a night curfew in Abidjan").
RESTRICTING = frozenset({"COERCE", "THREATEN", "CONCEDE"})
PLACE_KINDS = frozenset({"country", "region", "province", "city"})


def place_target(
    event_type: str, actors: list[Actor], place: Place | None, modes: list[str] | None = None
) -> list[Actor]:
    """The foreign place an event without a recipient was done in, as its recipient; for a
    visit ('landed in Nairobi') the host is the country visited."""
    code = place_country(place)
    if place is None or code is None:
        return []
    if event_type == "CONSULT" and "visit" in (modes or []):
        return _host(actors, place, code)
    if event_type not in PLACE_TARGET_TYPES:
        return []
    if place.source != "prep" or place.resolution not in PLACE_KINDS:
        return []
    if not actors:
        return []  # nobody did it: the place is only where
    domestic = any(a.code == code for a in actors)
    if domestic and not _targets_home(event_type, place):
        return []  # police in their own city: the place is only where
    name = country_name(code) if place.resolution == "country" else place.resolved_place
    return [
        Actor(
            entity_text=place.extracted_place,
            name=name,
            code=code,
            sector=None if place.resolution == "country" else "CVL",  # a town's people
            resolution="place",
            start=place.start,
            end=place.end,
        )
    ]


def _targets_home(event_type: str, place: Place) -> bool:
    if event_type == "PROTEST":
        return place.resolution == "country"
    return event_type in RESTRICTING and place.resolution != "country"


def _host(actors: list[Actor], place: Place, code: str) -> list[Actor]:
    """The government of the country a visitor arrives in."""
    if place.source != "prep" or not actors or any(a.code == code for a in actors):
        return []
    return [
        Actor(
            entity_text=place.extracted_place,
            name=country_name(code),
            code=code,
            sector="GOV",
            resolution="place",
            start=place.start,
            end=place.end,
        )
    ]
