"""Query parameters of the event views: validated, size-limited, turned into an EventFilter."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache
from typing import Annotated, Any

from fastapi import HTTPException, Query

from eventwire.records import FACTUALITY
from eventwire.store.base import SORTS, EventFilter
from eventwire.store.textsearch import words

MAX_TEXT = 200  # characters of any free-text parameter
MAX_PAGE = 500  # rows per page
MAX_OFFSET = 1_000_000
DEFAULT_PAGE = 50
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
CODE = r"^[A-Za-z]{3}$"


class BadParameter(HTTPException):
    """A 422 that names the parameter and says what a good value looks like."""

    def __init__(self, param: str, message: str) -> None:
        super().__init__(422, {"error": "invalid parameter", "param": param, "message": message})


@lru_cache(maxsize=1)
def event_types() -> tuple[str, ...]:
    """PLOVER event types, in codebook order (quad 1 to 4)."""
    from eventwire.output import plover_table

    return tuple(plover_table()["types"])


@lru_cache(maxsize=1)
def known_modes() -> tuple[str, ...]:
    """Modes named by the codebook, for form suggestions (stored modes may be finer)."""
    from eventwire.output import plover_table

    modes = {m for info in plover_table()["types"].values() for m in info["modes"]}
    return tuple(sorted(modes))


def parse_day(param: str, value: str | None) -> dt.date | None:
    """YYYY-MM-DD or nothing; anything else is the caller's mistake, said plainly."""
    if value is None:
        return None
    text = value.strip()
    try:
        if not _DAY.fullmatch(text):
            raise ValueError
        return dt.date.fromisoformat(text)
    except ValueError:
        raise BadParameter(param, f"invalid date {value!r}: use YYYY-MM-DD") from None


def _choice(param: str, value: str | None, allowed: tuple[str, ...], fold: str) -> str | None:
    if value is None:
        return None
    norm = value.strip().upper() if fold == "upper" else value.strip().lower()
    if norm not in allowed:
        raise BadParameter(param, f"unknown value {value!r}; use one of: {', '.join(allowed)}")
    return norm


TEXT_HELP = (
    "words of the event's sentence, in order, case and punctuation ignored: one word is found"
    " inside any word (fire: ceasefire); several must be whole words, the last maybe a prefix"
    " (peace talk: peace-talks)"
)


def _text(description: str) -> Any:
    return Query(max_length=MAX_TEXT, description=description)


async def event_filter(
    type: Annotated[str | None, _text("PLOVER event type, e.g. CONSULT")] = None,  # noqa: A002
    mode: Annotated[str | None, _text("event mode, e.g. visit")] = None,
    actor: Annotated[str | None, _text("substring of an actor's or recipient's name")] = None,
    actor_key: Annotated[str | None, _text("exact actor key, as on the actors page")] = None,
    country: Annotated[
        str | None, Query(pattern=CODE, description="ISO3/IGO code of a party")
    ] = None,
    sector: Annotated[
        str | None, Query(pattern=CODE, description="sector of a party, e.g. GOV")
    ] = None,
    place: Annotated[str | None, _text("substring of the event location")] = None,
    place_country: Annotated[
        str | None, Query(pattern=CODE, description="ISO3 of the event location")
    ] = None,
    factuality: Annotated[str | None, _text("asserted, negated, reported, ...")] = None,
    article: Annotated[str | None, _text("article id or content hash")] = None,
    date_from: Annotated[str | None, Query(alias="from", max_length=10)] = None,
    date_to: Annotated[str | None, Query(alias="to", max_length=10)] = None,
    text: Annotated[str | None, _text(TEXT_HELP)] = None,
    sort: Annotated[str, Query(max_length=20, description=", ".join(SORTS))] = "-date",
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = DEFAULT_PAGE,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
) -> EventFilter:
    """FastAPI dependency: the filter every event view shares (documented in OpenAPI).
    Async (it never waits): a sync dependency costs each request a hop to a worker thread."""
    if sort not in SORTS:
        raise BadParameter("sort", f"unknown sort {sort!r}; use one of: {', '.join(SORTS)}")
    if mode is not None and not re.fullmatch(r"[A-Za-z-]{1,40}", mode.strip()):
        raise BadParameter("mode", f"invalid mode {mode!r}: letters and hyphens only")
    if text and text.strip() and not words(text):
        raise BadParameter("text", f"no word in {text!r}: text search matches letters and digits")
    first, last = parse_day("from", date_from), parse_day("to", date_to)
    if first and last and first > last:
        raise BadParameter("to", f"'to' ({last}) is before 'from' ({first})")
    return EventFilter(
        type=_choice("type", type, event_types(), "upper"),
        mode=mode,
        actor=actor,
        actor_key=actor_key,
        country=country,
        sector=sector,
        place=place,
        place_country=place_country,
        factuality=_choice("factuality", factuality, FACTUALITY, "lower"),
        article=article,
        date_from=first,
        date_to=last,
        text=text,
        sort=sort,
        limit=limit,
        offset=offset,
    )


def filter_fields(filters: EventFilter) -> dict[str, Any]:
    """The active filters as the query names the forms and links use."""
    names = {"date_from": "from", "date_to": "to"}
    skip = {"limit", "offset", "sort"}
    out: dict[str, Any] = {}
    for key, value in vars(filters).items():
        if key in skip or value in (None, ""):
            continue
        out[names.get(key, key)] = value.isoformat() if isinstance(value, dt.date) else value
    return out
