"""The file-backed actor knowledge base: countries, seats, organisations, groups and people.

Everything is read once per process from the data files beside this module and turned into
plain dicts, so that per-document work is dictionary lookups only.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eventwire.resolve.actors import userkb

DATA = Path(__file__).resolve().parent / "data"
PLURAL_ENDS = "nibktdgr"  # Afghan, Iraqi, Serb, Greek, Croat, Kosovar (not Dutch, Chinese)
NON_STATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})


@dataclass(frozen=True)
class Office:
    """One term in one office; dates are inclusive bounds, None when open or unknown."""

    title: str
    role: str
    start: date | None
    end: date | None
    sector: str = "GOV"
    code: str | None = None
    qid: str | None = None  # the position's Wikidata QID (imported offices)
    learned: bool = False  # accepted from a `kb review` proposal


@dataclass(frozen=True)
class Person:
    """A person with the offices they held, so the article date picks the right one."""

    name: str
    country: str
    offices: tuple[Office, ...]
    qid: str | None = None
    source: str | None = None


@dataclass(frozen=True)
class Entry:
    """Anything a surface string can name: a country, a seat, an organisation, a person."""

    kind: (
        str  # country | demonym | people | capital | seat | region | igo | group | agency | person
    )
    name: str
    code: str | None
    sector: str | None = None
    qid: str | None = None
    person: Person | None = None
    periods: tuple[tuple[date | None, date | None, str], ...] = ()
    extra_sector: str | None = None  # PRE for partially recognised entities
    choices: tuple[Person, ...] = ()  # people sharing a short name, chosen per article

    def sector_on(self, day: date | None) -> str | None:
        """Groups whose status changed (the Taliban in 2021) have dated sectors."""
        if not self.periods:
            return self.sector
        if day is None:
            return self.periods[-1][2]
        for start, end, sector in self.periods:
            if (start is None or start <= day) and (end is None or day <= end):
                return sector
        return self.sector


@dataclass
class Alias:
    """One spelling of an entry, tokenised like the model tokenises text."""

    lower: tuple[str, ...]
    exact: tuple[bool, ...]  # acronym tokens must match case exactly ("US" is not "us")
    capital: bool  # the first token must start with a capital letter
    entry: Entry
    priority: int


@dataclass
class Index:
    """First-token-keyed alias lists, longest first, plus name tables for coreference."""

    by_first: dict[str, list[Alias]] = field(default_factory=dict)
    countries: dict[str, Entry] = field(default_factory=dict)  # ISO3/code -> country entry
    people: list[Person] = field(default_factory=list)


def parse_date(value: Any, upper: bool) -> date | None:
    """YYYY, YYYY-MM or YYYY-MM-DD; partial dates stretch to the whole month or year."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    parts = [int(p) for p in str(value).split("-")]
    if len(parts) == 3:
        return date(parts[0], parts[1], parts[2])
    if len(parts) == 2:
        if not upper:
            return date(parts[0], parts[1], 1)
        nxt = date(parts[0] + (parts[1] == 12), parts[1] % 12 + 1, 1)
        return date.fromordinal(nxt.toordinal() - 1)
    return date(parts[0], 12, 31) if upper else date(parts[0], 1, 1)


def read_rows(name: str) -> Iterator[dict[str, str]]:
    """TSV rows as dicts, skipping comment lines."""
    with open(DATA / name, encoding="utf-8") as handle:
        lines = [line for line in handle if line.strip() and not line.startswith("#")]
    yield from csv.DictReader(lines, delimiter="\t")


def _yaml(name: str) -> list[dict[str, Any]]:
    """A YAML list data file."""
    with open(DATA / name, encoding="utf-8") as handle:
        loaded = yaml.safe_load(handle)
    return list(loaded or [])


def _split(value: str | None) -> list[str]:
    """A |-separated TSV cell as a list."""
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _plurals(adjectives: list[str]) -> list[str]:
    """'Israeli' -> 'Israelis', 'Serb' -> 'Serbs'; other plurals are listed in the file."""
    return [
        a + "s" for a in adjectives if a[-1] in PLURAL_ENDS and " " not in a and not a.isupper()
    ]


def _country_entries() -> Iterator[tuple[str, Entry, int]]:
    """Country names, demonym adjectives and plural people nouns."""
    for row in read_rows("countries.tsv"):
        code, extra = row["code"], row["sector"] or None
        names = _split(row["names"])
        base = Entry("country", names[0] if names else code, code, "GOV", extra_sector=extra)
        for name in names:
            yield name, base, 3
        adjectives = _split(row["adjectives"])
        for adj in adjectives:
            yield adj, Entry("demonym", base.name, code, "GOV", extra_sector=extra), 2
        for plural in _split(row["people"]) + _plurals(adjectives):
            yield plural, Entry("people", base.name, code, "CVL", extra_sector=extra), 2


def _capital_entries() -> Iterator[tuple[str, Entry, int]]:
    """Capitals, seats of government and regions."""
    for row in read_rows("capitals.tsv"):
        entry = Entry(row["kind"], row["text"], row["code"], row["sector"] or None)
        yield row["text"], entry, 1


def _regional(folder: str, kind: str) -> list[tuple[str, str, str]]:
    """Regional files beside the world-wide one: data/groups/*.yaml, data/agencies/*.yaml."""
    return [(f"{folder}/{p.name}", kind, "country") for p in sorted((DATA / folder).glob("*.yaml"))]


def _org_entries() -> Iterator[tuple[str, Entry, int]]:
    """Organisations, armed groups and state agencies."""
    for file, kind, key in (
        ("igos.yaml", "igo", "code"),
        ("groups.yaml", "group", "country"),
        *_regional("groups", "group"),
        ("agencies.yaml", "agency", "country"),
        *_regional("agencies", "agency"),
    ):
        for item in _yaml(file):
            periods = tuple(
                (parse_date(p.get("start"), False), parse_date(p.get("end"), True), p["sector"])
                for p in item.get("periods", [])
            )
            entry = Entry(
                kind, item["name"], item[key], item.get("sector"), item.get("qid"), None, periods
            )
            for alias in [item["name"], *item.get("aliases", [])]:
                yield alias, entry, 4
    yield from _user_org_entries()


USER_KINDS = {"IGO": "igo", "UNO": "igo", "EUR": "igo", "NGO": "igo", "ISM": "igo"}
STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})


def _user_org_entries() -> Iterator[tuple[str, Entry, int]]:
    """Imported organisations (above shipped names) and country spellings (below them)."""
    for item in userkb.records():
        kind, code, sector = item.get("kind"), item.get("country"), item.get("sector")
        if kind == "country" and code:
            entry = Entry("capital", item["name"], code, "GOV")
            priority = 1
        elif kind == "org":
            group = "agency" if sector in STATE_SECTORS else "group"
            entry = Entry(
                USER_KINDS.get(code or "", group), item["name"], code, sector, item.get("qid")
            )
            priority = 6
        else:
            continue
        for alias in [item["name"], *item.get("aliases", [])]:
            yield alias, entry, priority


def _office(raw: list[Any]) -> Office:
    """[title, role, start, end, sector?, code?] as written in people.yaml."""
    padded = list(raw) + [None] * (6 - len(raw))
    return Office(
        title=str(padded[0]),
        role=str(padded[1]),
        start=parse_date(padded[2], False),
        end=parse_date(padded[3], True),
        sector=padded[4] or "GOV",
        code=padded[5],
    )


def _surnames(item: dict[str, Any]) -> list[str]:
    """Short forms: listed ones, else the last word of the name without an al-/el- prefix."""
    if "short" in item:
        return list(item["short"] or [])
    last = str(item["name"]).split()[-1]
    out = [last]
    for prefix in ("al-", "el-", "Al-", "El-"):
        if last.startswith(prefix):
            out.append(last[len(prefix) :])
    return out if len(str(item["name"]).split()) > 1 else []


def load_people() -> list[tuple[Person, list[str], list[str]]]:
    """People with their full-name aliases and short names: shipped, then the user layer."""
    out = []
    for item in _yaml("people.yaml"):
        person = Person(
            name=item["name"],
            country=item["country"],
            offices=tuple(_office(o) for o in item.get("offices", [])),
            qid=item.get("qid"),
            source=item.get("source"),
        )
        out.append((person, [item["name"], *item.get("aliases", [])], _surnames(item)))
    return _merge_user_people(out)


def _user_office(raw: dict[str, Any], learned: bool) -> Office:
    """An office as the user layer stores it (a dict with ISO dates)."""
    return Office(
        title=str(raw.get("title") or ""),
        role=str(raw.get("role") or "other"),
        start=parse_date(raw.get("start"), False),
        end=parse_date(raw.get("end"), True),
        sector=raw.get("sector") or "GOV",
        code=raw.get("code"),
        qid=raw.get("qid"),
        learned=learned,
    )


def _merge_user_people(
    people: list[tuple[Person, list[str], list[str]]],
) -> list[tuple[Person, list[str], list[str]]]:
    """User people join the shipped ones; the same QID or name adds offices and aliases."""
    where: dict[str, int] = {}
    for n, (person, _aliases, _shorts) in enumerate(people):
        where.setdefault(person.name.lower(), n)
        if person.qid:
            where.setdefault(person.qid, n)
    for item in userkb.records():
        if item.get("kind") != "person" or not item.get("country"):
            continue
        learned = item.get("resolution") == "learned"
        offices = tuple(_user_office(o, learned) for o in item.get("offices", []))
        aliases = [item["name"], *item.get("aliases", [])]
        found = where.get(item.get("qid") or "", where.get(item["name"].lower()))
        if found is None:
            person = Person(item["name"], item["country"], offices, item.get("qid"), item["source"])
            where[item["name"].lower()] = len(people)
            people.append((person, aliases, _surnames(item)))
            continue
        old, old_aliases, shorts = people[found]
        merged = Person(
            old.name, old.country, old.offices + offices, old.qid or item.get("qid"), old.source
        )
        people[found] = (merged, old_aliases + aliases, shorts)
    return people


def _person_entries(
    people: list[tuple[Person, list[str], list[str]]],
) -> Iterator[tuple[str, Entry, int]]:
    """Full names always; short names only where unique, else chosen per article."""
    sharing: dict[str, list[Person]] = {}
    for person, _aliases, shorts in people:
        for short in shorts:
            sharing.setdefault(short.lower(), []).append(person)
    for person, aliases, _shorts in people:
        entry = Entry("person", person.name, person.country, None, person.qid, person)
        for alias in aliases:
            yield alias, entry, 5
    for short, persons in sharing.items():
        if len(persons) == 1:
            only = persons[0]
            yield short, Entry("person", only.name, only.country, None, only.qid, only), 0
        else:  # 'Bush', 'Clinton': the article date or the title decides who
            first = persons[0]
            yield short, Entry("person", first.name, first.country, choices=tuple(persons)), 0


def _is_acronym(token: str) -> bool:
    """Acronym tokens must match case exactly."""
    letters = [c for c in token if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@lru_cache(maxsize=1)
def _tokenizer() -> Any:
    """The blank English tokenizer: aliases split exactly as article text does."""
    import spacy

    return spacy.blank("en").tokenizer


def _alias(text: str, entry: Entry, priority: int) -> Alias | None:
    """One alias tokenised like article text, with its case rules."""
    if text.replace(" ", "").isalnum():  # plain words split on blanks: no tokenizer needed
        tokens = text.split()
    else:
        tokens = [t.text for t in _tokenizer()(text)]
    if len(tokens) > 1 and tokens[0].lower() == "the":
        tokens = tokens[1:]  # a leading "the" is taken by the matcher for every entry
    if not tokens:
        return None
    return Alias(
        lower=tuple(t.lower() for t in tokens),
        exact=tuple(_is_acronym(t) for t in tokens),
        capital=tokens[0][:1].isupper(),
        entry=entry,
        priority=priority,
    )


@lru_cache(maxsize=1)
def index() -> Index:
    """Build every lookup table once per process."""
    idx = Index()
    people = load_people()
    idx.people = [p for p, _a, _s in people]
    best: dict[tuple[str, ...], Alias] = {}
    sources = (_person_entries(people), _org_entries(), _country_entries(), _capital_entries())
    for source in sources:
        for text, entry, priority in source:
            if entry.kind == "country" and entry.code not in idx.countries:
                idx.countries[entry.code or ""] = entry
            alias = _alias(text, entry, priority)
            if alias is None:
                continue
            held = best.get(alias.lower)
            if held is None or alias.priority > held.priority:
                best[alias.lower] = alias
    for alias in best.values():
        idx.by_first.setdefault(alias.lower[0], []).append(alias)
    for aliases in idx.by_first.values():
        aliases.sort(key=lambda a: (-len(a.lower), -a.priority))
    return idx


def is_state(code: str | None) -> bool:
    """A country code (not IGO/UNO/NGO/...): what 'the country in focus' can be."""
    return bool(code) and code not in NON_STATE_CODES


def country_name(code: str | None) -> str | None:
    """Canonical country name for an actor's name field."""
    entry = index().countries.get(code or "")
    return entry.name if entry else None


@lru_cache(maxsize=1)
def codes_by_name() -> dict[str, str]:
    """Lowercased country names and adjectives -> code ('israel', 'israeli' -> ISR)."""
    table: dict[str, str] = {}
    for row in read_rows("countries.tsv"):
        for name in _split(row["names"]) + _split(row["adjectives"]):
            table.setdefault(name.lower(), row["code"])
    return table
