"""What linking compares of one event mention, read off its PLOVER record."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

_WORD = re.compile(r"[a-z0-9]+")
# how far apart two reports' dates may be, in days, by the coarser date's precision
WINDOW = {"day": 0, "week": 7, "month": 31, "year": 366, "approximate": 10, "unknown": 2}


@dataclass
class Mention:
    """One event mention: the fields the pairwise score reads (link/score.py)."""

    id: str
    type: str
    article: str  # article content hash (or id) the mention came from
    copy_group: str
    source: str | None
    day: dt.date | None
    precision: str
    identities: frozenset[str] = field(default_factory=frozenset)  # KB ids / canonical names
    roles: frozenset[str] = field(default_factory=frozenset)  # "ISR GOV", "PSE"
    countries: frozenset[str] = field(default_factory=frozenset)
    geonameid: int | None = None
    place_country: str | None = None
    province: str | None = None
    place_level: str | None = None  # city | province | country | region
    words: frozenset[str] = field(default_factory=frozenset)

    @property
    def window(self) -> int:
        return WINDOW.get(self.precision, WINDOW["unknown"])


def _parties(record: dict[str, Any]) -> list[dict[str, Any]]:
    return [p for p in (record.get("actor") or []) + (record.get("recipient") or []) if p]


def _identity(party: dict[str, Any]) -> str | None:
    """A KB identity: the Wikidata id, else a canonical name the KB or a role gave."""
    if party.get("identifier_id"):
        return str(party["identifier_id"])
    if party.get("name") and party.get("resolution") in ("kb", "role", "learned", "coref"):
        return str(party["name"]).lower()
    return None


def _role(party: dict[str, Any]) -> str | None:
    code, sector = party.get("code"), party.get("sector")
    if not code and not sector:
        return None
    return " ".join(x for x in (code, sector) if x)


def _day(value: Any) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    """stopwords.txt beside this module, read once."""
    text = resources.files("eventwire.link").joinpath("stopwords.txt").read_text("utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(word for line in lines for word in line.split())


def content_words(text: str | None) -> frozenset[str]:
    """The sentence's words that can tell one event from another."""
    stop = stopwords()
    return frozenset(w for w in _WORD.findall((text or "").lower()) if w not in stop)


def mention(
    record: dict[str, Any],
    article: str,
    copy_group: str | None = None,
    published: dt.date | None = None,
) -> Mention:
    """A record's linking features; an undated event takes its article's date, loosely."""
    parties = _parties(record)
    loc = record.get("event_loc") or {}
    info = record.get("date_info") or {}
    day = _day(record.get("date"))
    precision = str(info.get("precision") or "unknown") if day else "unknown"
    if day is None:
        day = published
    if day is not None and info.get("source") == "article":
        precision = "approximate" if precision == "day" else precision  # "on Monday" unsaid
    return Mention(
        id=str(record["id"]),
        type=str((record.get("event") or ["?"])[0]),
        article=article,
        copy_group=copy_group or article,
        source=(record.get("cite_info") or {}).get("corpus"),
        day=day,
        precision=precision,
        identities=frozenset(i for i in map(_identity, parties) if i),
        roles=frozenset(r for r in map(_role, parties) if r),
        countries=frozenset(str(p["code"]) for p in parties if p.get("code")),
        geonameid=loc.get("geonameid"),
        place_country=loc.get("country_code"),
        province=loc.get("province"),
        place_level=loc.get("resolution"),
        words=content_words((record.get("text_info") or {}).get("sentence_text")),
    )
