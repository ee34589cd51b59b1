"""People in the KB: which office someone held on the article's date, and who held an office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from eventwire.records import Actor
from eventwire.resolve.actors.kb import Office, Person, index
from eventwire.resolve.actors.lexicon import office_role


@dataclass(frozen=True)
class Title:
    """What the text says about a person's office ('former US Secretary of State')."""

    office: str | None
    code: str | None
    sector: str | None
    former: bool = False


def _active(office: Office, day: date) -> bool:
    """Whether the term covers the day (bounds inclusive, open ends allowed)."""
    return (office.start is None or office.start <= day) and (
        office.end is None or day <= office.end
    )


def office_on(person: Person, day: date | None) -> tuple[Office | None, bool]:
    """(office, held on the day): latest-starting current office, else the last one left."""
    if not person.offices:
        return None, False
    if day is None:
        latest = max(person.offices, key=lambda o: o.start or date.min)
        return latest, True
    current = [o for o in person.offices if _active(o, day)]
    if current:  # the latest term; a titled one over an untitled import of the same term
        return max(current, key=lambda o: (o.start or date.min, bool(o.title))), True
    past = [o for o in person.offices if o.end is not None and o.end < day]
    if past:
        return max(past, key=lambda o: o.end or date.min), False
    return None, False


def choose(people: tuple[Person, ...], day: date | None, office: str | None) -> Person:
    """Among people sharing a short name: the title's office, then who held office that day."""
    pool = list(people)
    if office:
        titled = [p for p in pool if any(o.title.lower() == office.lower() for o in p.offices)]
        pool = titled or pool
    held = [p for p in pool if day is not None and office_on(p, day)[1]]
    pool = held or pool
    return max(pool, key=lambda p: max((o.start or date.min for o in p.offices), default=date.min))


def person_actor(person: Person, text: str, day: date | None, title: Title | None) -> Actor:
    """A KB person coded by the office held on the day; a former holder is ELI.

    A title in the text is evidence from the article itself, so its office wins over the KB's;
    the KB supplies the name, the QID and anything the title leaves open.
    """
    office, held = office_on(person, day)
    code = (office.code if office and office.code else None) or person.country
    if office is None:
        sector, office_text = None, None
    elif held:
        sector, office_text = office.sector, office.title or None
    else:
        sector, office_text = "ELI", office.title or None
    if title is not None:
        same = (
            office is not None
            and title.office is not None
            and title.office.lower() == office.title.lower()
        )
        if title.office and not (held and (_generic(title.office) or same)):
            office_text = title.office
            sector = title.sector or sector
        code = title.code or code
        if title.former:
            sector = "ELI"
    return Actor(
        entity_text=text,
        name=person.name,
        code=code,
        sector=sector,
        office=office_text,
        identifier_id=person.qid,
        identifier_text=person.name if person.qid else None,
        resolution="learned" if office is not None and office.learned else "kb",
    )


Terms = dict[tuple[str, str], list[tuple[Office, Person]]]


@lru_cache(maxsize=1)
def by_country() -> tuple[Terms, Terms]:
    """Every term keyed by (country, lowercased title) and by (country, role): holder()
    then reads two short lists however large an imported KB is."""
    titles: Terms = {}
    roles: Terms = {}
    for person in index().people:
        for term in person.offices:
            code = term.code or person.country
            titles.setdefault((code, term.title.lower()), []).append((term, person))
            roles.setdefault((code, term.role), []).append((term, person))
    return titles, roles


@lru_cache(maxsize=1)
def by_name() -> dict[str, Person]:
    """People by lowercased canonical name (the learner checks what the KB already says)."""
    return {person.name.lower(): person for person in index().people}


def _title_used(code: str, title: str) -> bool:
    """Whether this country's record uses the title at all (on any date)."""
    return (code, title) in by_country()[0]


GENERIC_TITLES = frozenset({"leader", "official", "head", "chief", "spokesman", "aide"})


def _generic(office: str) -> bool:
    """Generic titles say less than the KB office, so they do not override it."""
    return office.lower() in GENERIC_TITLES


@lru_cache(maxsize=1024)
def holder(code: str, office: str, day: date | None) -> Person | None:
    """Who held this office of this country on the day: 'the Iranian president' in 2024."""
    wanted = office.lower()
    role = office_role(office)
    titles, roles = by_country()
    by_title = [(t, p) for t, p in titles.get((code, wanted), ()) if day is None or _active(t, day)]
    by_role = [
        (t, p)
        for t, p in (roles.get((code, role), ()) if role is not None else ())
        if (day is None or _active(t, day)) and t.title.lower() != wanted
    ]
    if not by_title and _title_used(code, wanted):
        return None  # Iran has Presidents: its Supreme Leader is not one, nor is an interim gap
    found = by_title or by_role
    if not found:
        return None
    return max(found, key=lambda pair: pair[0].start or date.min)[1]
