"""Read PETRARCH/TABARI actor dictionaries (the Phoenix `.actors.txt` layout) into KB records.

A record is a primary phrase line (`BARACK_OBAMA_  [USAELI]  # comment`), synonym lines
(`+OBAMA_`), and date-restriction lines (`[USAGOV 20090120-20170120]`, `[USAGOV >20090120]`,
`[USAELI <20090119]`), usually indented. Comments start with `#` or `;`, or sit in `<!-- -->`.
Dates are YYYYMMDD or YYMMDD (two-digit years below 30 are 20xx). CAMEO codes become PLOVER
country and sector through data/cameo.tsv.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.resolve.actors.kb import NON_STATE_CODES, read_rows

Record = dict[str, Any]
_CODE_LINE = re.compile(r"^\[\s*([^\s\]]+)\s*([^\]]*)\]$")
_INLINE_CODE = re.compile(r"\[\s*([^\s\]]+)\s*([^\]]*)\]")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
PIVOT = 30  # YYMMDD: 00-29 -> 2000s, 30-99 -> 1900s


@dataclass
class Cameo:
    """The CAMEO -> PLOVER tables of data/cameo.tsv."""

    sectors: dict[str, str | None] = field(default_factory=dict)
    countries: dict[str, str] = field(default_factory=dict)
    international: dict[str, str] = field(default_factory=dict)
    orgs: dict[str, str] = field(default_factory=dict)
    regions: set[str] = field(default_factory=set)


@lru_cache(maxsize=1)
def cameo() -> Cameo:
    """Read the mapping once per process."""
    table = Cameo()
    for row in read_rows("cameo.tsv"):
        kind, code, plover = row["kind"], row["cameo"].strip(), (row["plover"] or "").strip()
        if kind == "sector":
            table.sectors[code] = plover or None
        elif kind == "country":
            table.countries[code] = plover
        elif kind == "international":
            table.international[code] = plover
        elif kind == "org":
            table.orgs[code] = plover
        elif kind == "region":
            table.regions.add(code)
    return table


def split_code(code: str) -> tuple[str | None, str | None]:
    """'USAGOV' -> ('USA', 'GOV'); 'IGOUNOKFR' -> ('UNO', None); 'AFRMED' -> (None, 'JRN')."""
    table = cameo()
    text = code.strip().upper()
    pieces = [text[i : i + 3] for i in range(0, len(text), 3)]
    head, rest = pieces[0], pieces[1:]
    country: str | None
    if head in table.international:
        country = table.international[head]
        if head == "IGO":
            country = next((table.orgs[p] for p in rest if p in table.orgs), country)
    elif head in table.regions:
        country = None
    elif head in table.sectors and not rest:
        return None, table.sectors[head]
    else:
        country = table.countries.get(head, head if head.isalpha() else None)
    sector = next((table.sectors[p] for p in rest if table.sectors.get(p)), None)
    return country, sector


def parse_day(text: str) -> date:
    """YYYYMMDD or YYMMDD."""
    digits = text.strip()
    if len(digits) == 8:
        return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    if len(digits) == 6:
        yy = int(digits[:2])
        return date((2000 if yy < PIVOT else 1900) + yy, int(digits[2:4]), int(digits[4:]))
    raise ValueError(f"not a YYYYMMDD or YYMMDD date: {text!r}")


def parse_range(text: str) -> tuple[date | None, date | None]:
    """'>20090120', '<20090120', '20090120-20170120', '' (no restriction); bounds inclusive."""
    spec = text.strip()
    if not spec:
        return None, None
    if spec.startswith(">"):
        return parse_day(spec[1:]), None
    if spec.startswith("<"):
        return None, parse_day(spec[1:])
    if "-" in spec:
        start, end = spec.split("-", 1)
        return parse_day(start), parse_day(end)
    raise ValueError(f"not a date restriction: {text!r}")


def phrase(raw: str) -> str:
    """'BARACK_OBAMA_' -> 'Barack Obama': words by underscore or blank, in title case."""
    words = [w for w in re.split(r"[_\s]+", raw.strip()) if w]
    if len(words) == 1 and words[0].isupper() and _acronym(words[0]):
        return words[0]  # 'SVB', 'PKK': matched in capitals only
    return " ".join(w if any(c.islower() for c in w) or "." in w else w.title() for w in words)


def _acronym(word: str) -> bool:
    """Short or vowelless words in capitals are acronyms; 'IRAN' and 'ASSAD' are names."""
    return len(word) <= 3 or not any(c in "AEIOUY" for c in word)


@dataclass
class _Entry:
    """One dictionary record while it is read."""

    name: str
    line: int
    default: str | None = None
    synonyms: list[str] = field(default_factory=list)
    dated: list[tuple[str, date | None, date | None]] = field(default_factory=list)


def _clean(line: str, in_comment: bool) -> tuple[str, bool]:
    """Strip comments; report whether a multi-line <!-- comment --> is still open."""
    if in_comment:
        if "-->" not in line:
            return "", True
        line = line.split("-->", 1)[1]
    line = _HTML_COMMENT.sub("", line)
    still_open = "<!--" in line
    if still_open:
        line = line.split("<!--", 1)[0]
    for mark in ("#", ";"):
        line = line.split(mark, 1)[0]
    return line.strip(), still_open


def _entries(lines: Iterator[str]) -> Iterator[_Entry]:
    """Group the lines of a dictionary into records."""
    current: _Entry | None = None
    in_comment = False
    for number, raw in enumerate(lines, 1):
        line, in_comment = _clean(raw, in_comment)
        if not line:
            continue
        if line.startswith("["):
            match = _CODE_LINE.match(line)
            if current is None or match is None:
                raise ValueError(f"line {number}: a code line outside a record: {raw.strip()!r}")
            start, end = parse_range(match.group(2))
            if start is None and end is None:
                current.default = match.group(1)
            else:
                current.dated.append((match.group(1), start, end))
        elif line.startswith("+"):
            if current is None:
                raise ValueError(f"line {number}: a synonym before any record: {raw.strip()!r}")
            current.synonyms.append(phrase(line[1:]))
        else:
            if current is not None:
                yield current
            code = _INLINE_CODE.search(line)
            name = line[: code.start()] if code else line
            current = _Entry(phrase(name), number)
            if code is not None:  # TABARI also allowed the restriction on the name line
                start, end = parse_range(code.group(2))
                if start is None and end is None:
                    current.default = code.group(1)
                else:
                    current.dated.append((code.group(1), start, end))
    if current is not None:
        yield current


def _office(code: str, start: date | None, end: date | None) -> Record | None:
    """A dated CAMEO code as a KB office (no title: the dictionaries do not give one)."""
    country, sector = split_code(code)
    if country is None and sector is None:
        return None
    return {
        "title": "",
        "role": "other",
        "start": start.isoformat() if start else None,
        "end": end.isoformat() if end else None,
        "sector": sector or "GOV",
        "code": country,
    }


def _record(entry: _Entry, source: str) -> Record | None:
    """A person (dated codes), an organisation (a code with a sector) or a country spelling."""
    base: Record = {"name": entry.name, "aliases": entry.synonyms, "source": source}
    base["resolution"] = "kb"
    default = split_code(entry.default) if entry.default else (None, None)
    if entry.dated:
        offices = [_office(code, start, end) for code, start, end in entry.dated]
        if entry.default:
            offices.append(_office(entry.default, None, None))
        kept = [o for o in offices if o is not None]
        country = next((o["code"] for o in kept if o["code"]), default[0])
        if not kept or not country:
            return None
        return {**base, "kind": "person", "country": country, "offices": kept, "short": []}
    country, sector = default
    if sector is not None or country in NON_STATE_CODES:
        return {**base, "kind": "org", "country": country, "sector": sector}
    if country is not None:
        return {**base, "kind": "country", "country": country}
    return None


def read_petrarch(path: Path) -> list[Record]:
    """Every usable record of an actor dictionary, each tagged with the file's name."""
    out: list[Record] = []
    with open(path, encoding="utf-8", errors="replace") as handle:
        for entry in _entries(iter(handle)):
            record = _record(entry, path.name)
            if record is not None:
                out.append(record)
    return out
