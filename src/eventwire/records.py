"""Typed records that flow between the steps: ingest, nlp, extract, resolve, store."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, TypeVar

FACTUALITY = ("asserted", "negated", "hypothetical", "planned", "reported")

_R = TypeVar("_R")


def updated(record: _R, **changes: Any) -> _R:
    """dataclasses.replace for the plain records below at half the cost (the hot resolve steps
    copy thousands per batch): none has __post_init__ or init=False fields, so copying the
    field dict gives the very object __init__ would build."""
    copy = object.__new__(type(record))
    copy.__dict__ = {**record.__dict__, **changes}
    return copy


@dataclass
class Article:
    """One input document; `text` is already cleaned of boilerplate by ingest."""

    id: str
    text: str
    title: str | None = None
    date: date | None = None
    url: str | None = None
    source: str | None = None
    origin: str | None = None  # file path / "stdin" / "jsonl:path:line", for error messages
    raw_format: str = "text"  # text | html | jsonl
    encoding: str | None = None  # the codec its bytes were decoded with (None: given as str)

    @property
    def content_hash(self) -> str:
        """Identity for idempotent ingest: the same text twice is the same article."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class Skipped:
    """An input that could not be coded, kept so nothing is silently dropped."""

    article_id: str
    reason: str
    origin: str | None = None

    def message(self) -> str:
        where = f" ({self.origin})" if self.origin and self.origin != self.article_id else ""
        return f"skipped {self.article_id}{where}: {self.reason}"


@dataclass
class Actor:
    """A resolved participant: PLOVER entity object plus where it was found and how."""

    entity_text: str
    name: str | None = None  # canonical name ("Antony Blinken")
    code: str | None = None  # ISO alpha-3 or IGO/UNO/EUR/NGO/ISM/IMG/MNC
    sector: str | None = None  # PLOVER sector code (GOV, MIL, ...)
    office: str | None = None  # "Secretary of State"
    identifier_id: str | None = None  # Wikidata QID when known
    identifier_text: str | None = None
    resolution: str = "ner"  # kb | role | coref | learned | ner | country
    start: int | None = None  # character offsets in the article text
    end: int | None = None
    mention_text: str | None = None  # the surface mention when resolved by coreference ("He")
    ethnicity: str | None = None  # "Yoruba": the people a party is named by (PLOVER entity field)

    def to_plover(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class Place:
    """PLOVER location object (mordecai-style fields) plus how the event got it."""

    extracted_place: str
    resolved_place: str | None = None
    geonameid: int | None = None
    lat: float | None = None
    lon: float | None = None
    province: str | None = None
    country_code: str | None = None  # ISO alpha-3
    feature_code: str | None = None
    resolution: str | None = None  # city | province | country | region
    start: int | None = None
    end: int | None = None
    source: str | None = None  # prep | sentence | scene | dateline | focus

    def to_plover(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass
class EventDate:
    """When an event happened, resolved against the publication date when there is one."""

    date: str | None = None  # YYYY-MM-DD
    enddate: str | None = None
    precision: str = "unknown"  # day | week | month | year | approximate | unknown
    text: str | None = None  # the words it came from
    relative: str | None = None  # unresolved relative expression, e.g. "a few days ago"
    source: str = "none"  # expression | article | none
    start: int | None = None
    end: int | None = None


@dataclass
class Event:
    """One coded event: PLOVER fields plus our provenance fields."""

    event_type: str
    article_id: str
    sentence_index: int
    sentence_start: int
    sentence_end: int
    trigger: str
    trigger_start: int
    trigger_end: int
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    actors: list[Actor] = field(default_factory=list)
    recipients: list[Actor] = field(default_factory=list)
    factuality: str = "asserted"
    reported_by: Actor | None = None
    location: Place | None = None
    when: EventDate = field(default_factory=EventDate)
    confidence: float = 0.5
    decided_by: str = "rule"  # e.g. "lexicon:met with" / "model:textcat_v1"
    rule: str | None = None
    id: str = ""


@dataclass
class Mention:
    """An actor mention on the Doc (token span), resolved to an Actor; pronouns point back."""

    start: int  # token index (inclusive)
    end: int  # token index (exclusive)
    head: int  # token index of the syntactic head
    actor: Actor
    kind: str  # name | role | country | demonym | group | org | pronoun | title
    antecedent: int | None = None  # index into doc._.mentions when coreferent


@dataclass
class PlaceMention:
    """A place named in the text, resolved through the gazetteer."""

    start: int
    end: int
    place: Place


@dataclass
class DateMention:
    """A time expression in the text, resolved against the article date when known."""

    start: int
    end: int
    when: EventDate


@dataclass
class Frame:
    """What the extractor saw in the parse: a trigger and the token heads of its arguments."""

    event_type: str
    trigger: int  # token index of the trigger head
    trigger_start: int  # token span of the trigger phrase ("launched an attack against")
    trigger_end: int
    sentence: int  # sentence index in the doc
    mode: list[str] = field(default_factory=list)
    agents: list[int] = field(default_factory=list)  # token heads of the actors
    patients: list[int] = field(default_factory=list)  # token heads of the recipients
    reciprocal: bool = False  # all parties are actors (meetings without a host)
    factuality: str = "asserted"
    reporter: int | None = None  # token head of who reported it ("X said")
    confidence: float = 0.5
    rule: str = ""  # lexicon entry / pattern name that fired
    decided_by: str = "rule"
