"""Read Wikidata JSON entities (dump or Special:EntityData layout) into KB person records.

Used: `labels.en`, `aliases.en`, P27 (country of citizenship), P39 (position held) with the
qualifiers P580 (start time) and P582 (end time), and for a position P1001 (applies to
jurisdiction) or P17 (country). Positions and countries are known offline from
data/wikidata.tsv, else from their own entities when the file carries them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from eventwire.resolve.actors.kb import codes_by_name, read_rows
from eventwire.resolve.actors.lexicon import lexicon, office_role

Record = dict[str, Any]
Entity = dict[str, Any]
JURISDICTION = ("P1001", "P17")  # applies to jurisdiction, country
QUALIFIER_PLACE = ("P1001", "P642")  # jurisdiction or "of" on a P39 statement


@dataclass(frozen=True)
class Position:
    """What a position QID means for the KB."""

    title: str
    role: str
    country: str | None


@dataclass
class Known:
    """data/wikidata.tsv plus the country names of countries.tsv."""

    countries: dict[str, str] = field(default_factory=dict)  # QID -> PLOVER code
    positions: dict[str, Position] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # lowercased name/adjective -> code


@lru_cache(maxsize=1)
def known() -> Known:
    """Read the tables once per process."""
    table = Known(names=codes_by_name())
    plover = {row["iso3"]: row["code"] for row in read_rows("countries.tsv")}
    for row in read_rows("wikidata.tsv"):
        code = row["country"].strip()
        code = plover.get(code, code) if code else ""
        if row["kind"] == "country":
            table.countries[row["qid"]] = code
        elif row["kind"] == "position":
            table.positions[row["qid"]] = Position(row["title"], row["role"], code or None)
    return table


def _label(entity: Entity) -> str | None:
    """The English label (or the multilingual one)."""
    labels = entity.get("labels") or {}
    for lang in ("en", "mul", "en-gb", "en-us"):
        value = (labels.get(lang) or {}).get("value")
        if value:
            return str(value)
    return None


def _statements(entity: Entity, prop: str) -> list[dict[str, Any]]:
    """Statements of a property, best rank first, deprecated ones dropped."""
    found = [s for s in (entity.get("claims") or {}).get(prop, []) if s.get("rank") != "deprecated"]
    return sorted(found, key=lambda s: s.get("rank") != "preferred")


def _item(snak: dict[str, Any] | None) -> str | None:
    """The item QID a snak points to."""
    value = ((snak or {}).get("datavalue") or {}).get("value")
    return value.get("id") if isinstance(value, dict) else None


def _time(snak: dict[str, Any] | None) -> str | None:
    """'+2009-01-20T00:00:00Z' at its precision: YYYY-MM-DD, YYYY-MM or YYYY."""
    value = ((snak or {}).get("datavalue") or {}).get("value")
    if not isinstance(value, dict) or not value.get("time"):
        return None
    match = re.match(r"^\+?(\d{4,})-(\d\d)-(\d\d)", str(value["time"]))
    if match is None:
        return None
    year, month, day = match.groups()
    precision = int(value.get("precision", 11))
    if precision >= 11 and day != "00":
        return f"{year}-{month}-{day}"
    if precision >= 10 and month != "00":
        return f"{year}-{month}"
    return year if precision >= 9 else None


def _qualifier(statement: dict[str, Any], props: tuple[str, ...]) -> dict[str, Any] | None:
    """The first qualifier snak of any of the properties."""
    qualifiers = statement.get("qualifiers") or {}
    for prop in props:
        if qualifiers.get(prop):
            return dict(qualifiers[prop][0])
    return None


class Reader:
    """Turns entities into records, using the other entities of the same file for lookups."""

    def __init__(self, entities: dict[str, Entity], source: str) -> None:
        self.entities = entities
        self.source = source
        self.known = known()

    def country(self, qid: str | None) -> str | None:
        """A country QID as a PLOVER code: the table, else the entity's label in the file."""
        if not qid:
            return None
        if qid in self.known.countries:
            return self.known.countries[qid]
        label = _label(self.entities.get(qid, {}))
        return self.known.names.get(label.lower()) if label else None

    def position(self, qid: str) -> Position | None:
        """A position from the table, else from its entity's label and jurisdiction."""
        if qid in self.known.positions:
            return self.known.positions[qid]
        entity = self.entities.get(qid)
        label = _label(entity) if entity else None
        if entity is None or label is None:
            return None
        title, named = self.split_label(label)
        country = named
        for prop in JURISDICTION:
            for statement in _statements(entity, prop):
                country = country or self.country(_item(statement.get("mainsnak")))
        return Position(title, office_role(title) or "other", country)

    def split_label(self, label: str) -> tuple[str, str | None]:
        """'Minister of Foreign Affairs of Israel' -> ('Minister of Foreign Affairs', 'ISR')."""
        text = " ".join(label.split())
        paren = re.match(r"^(.*?)\s*\(([^)]+)\)$", text)
        if paren and paren.group(2).lower() in self.known.names:
            return _capital(paren.group(1)), self.known.names[paren.group(2).lower()]
        for match in reversed(list(re.finditer(r"\s+of\s+(the\s+)?", text))):
            tail = text[match.end() :].lower()
            if tail in self.known.names:
                return _capital(text[: match.start()]), self.known.names[tail]
        words = text.split()
        for size in range(min(4, len(words) - 1), 0, -1):
            head = " ".join(words[:size]).lower()
            if head in self.known.names:
                return _capital(" ".join(words[size:])), self.known.names[head]
        return _capital(text), None

    def person(self, entity: Entity) -> Record | None:
        """A person record with dated offices, or None when nothing codes it."""
        name = _label(entity)
        if not name:
            return None
        citizenship = None
        for statement in _statements(entity, "P27"):
            citizenship = citizenship or self.country(_item(statement.get("mainsnak")))
        offices = [o for o in map(self.office, _statements(entity, "P39")) if o is not None]
        for office in offices:
            office["code"] = office["code"] or citizenship
        country = citizenship or next((o["code"] for o in offices if o["code"]), None)
        if not country:
            return None
        aliases = [a.get("value") for a in (entity.get("aliases") or {}).get("en", [])]
        return {
            "kind": "person",
            "name": name,
            "aliases": [a for a in aliases if a and a != name],
            "country": country,
            "qid": entity.get("id"),
            "offices": offices,
            "source": self.source,
            "resolution": "kb",
        }

    def office(self, statement: dict[str, Any]) -> Record | None:
        """One P39 statement as a KB office."""
        qid = _item(statement.get("mainsnak"))
        if not qid:
            return None
        position = self.position(qid)
        place = self.country(_item(_qualifier(statement, QUALIFIER_PLACE)))
        title = position.title if position else ""
        return {
            "title": title,
            "role": position.role if position else "other",
            "start": _time(_qualifier(statement, ("P580",))),
            "end": _time(_qualifier(statement, ("P582",))),
            "sector": _sector(title),
            "code": (position.country if position else None) or place,
            "qid": qid,
        }


def _capital(text: str) -> str:
    """Wikidata labels are lower case ('president of the United States'): 'President'."""
    text = text.strip(" ,")
    return text[:1].upper() + text[1:]


def _sector(title: str) -> str:
    """The sector a title's words name in roles.tsv ('Chief Justice' -> JUD), else GOV."""
    heads = lexicon().heads
    for word in reversed(title.lower().split()):
        role = heads.get(word)
        if role is not None and role.sector and role.kind == "title":
            return role.sector
    return "GOV"


def _entities(path: Path) -> Iterator[Entity]:
    """Entities from EntityData JSON, a JSON array, the dump (one entity a line) or JSONL."""
    with open(path, encoding="utf-8") as handle:
        first = handle.readline()
        if first.strip() == "[" or first.strip().endswith(("},", "}")):  # dump or JSONL
            yield from _lines(path, [first], handle)
            return
        data = json.loads(first + handle.read())
    if isinstance(data, dict):
        yield from (data["entities"].values() if "entities" in data else [data])
    elif isinstance(data, list):
        yield from data


def _lines(path: Path, head: list[str], rest: Iterator[str]) -> Iterator[Entity]:
    """One entity per line, the dump's '[' and ']' lines and trailing commas skipped."""
    for number, raw in enumerate(chain(head, rest), 1):
        line = raw.strip().rstrip(",")
        if line in ("", "[", "]"):
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{number}: not a Wikidata entity ({exc})") from exc


def read_wikidata(path: Path) -> list[Record]:
    """Every person of the file that has a country or a position with one."""
    entities = {e["id"]: e for e in _entities(path) if isinstance(e, dict) and e.get("id")}
    reader = Reader(entities, path.name)
    out: list[Record] = []
    for entity in entities.values():
        claims = entity.get("claims") or {}
        if "P39" in claims or "P27" in claims:
            record = reader.person(entity)
            if record is not None:
                out.append(record)
    return out
