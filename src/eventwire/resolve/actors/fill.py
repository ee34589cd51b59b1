"""Parties the text gives no country take the country where their event happened.

Incident reports rarely say whose police or troops they mean: "police opened fire on
protesters in Khulna" is Bangladesh's police and Bangladeshi protesters, as ACLED and ICEWS
code them. Only parties without any code are filled; a code the text gave is never replaced.
"""

from __future__ import annotations

from eventwire.records import Actor, Place, updated

# Codes that are a country's: a place abroad or an international body gives none to a party.
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})


def place_country(place: Place | None) -> str | None:
    """The state an event location lies in, if any."""
    code = place.country_code if place is not None else None
    return code if code and code not in NON_STATE_CODES else None


def fill_countries(actors: list[Actor], code: str | None) -> list[Actor]:
    """Each actor without a code gets `code` (the event's country); the others stay as they are."""
    if code is None:
        return actors
    return [updated(a, code=code) if not a.code else a for a in actors]
