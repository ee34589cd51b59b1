"""Search columns of `events`: each event's filter keys, written once at ingest.

A filter on parties (country, sector, actor name, actor key) or sentence text used to join
`actors` or `sentences` for every request; on a million events that costs 0.2-1 s. Ingest
now writes, per event, short text columns that a substring test answers with a scan of `events`
alone, the same SQL on DuckDB and PostgreSQL. Each holds a sorted set of values, SEP-delimited
with SEP at both ends, so `SEP + value + SEP` finds one whole value:

- `party_codes`, `party_sectors`: codes and sectors of the actors and recipients;
- `actor_keys`, `recipient_keys`: by role, `key RS code` of each party: its actor key (see
  base.actor_key_sql) and its code, so the network and profiles need no join to `actors`;
- `actor_names`, `recipient_names`: lower-cased names and surface texts by role;
- `sentence_words`: the event's sentence as words (store/textsearch.py: what text search reads).

Few distinct values per column (sets, sorted, one role each) let DuckDB compress them into
dictionaries and test each distinct value once: 10-20 ms on a million events, where a
single column of every party's keys had 400k distinct values and took 150 ms.
Both sides are lower-cased in Python (never by the database), so a substring matches the same
way on both back-ends. A search text holding SEP matches nothing: no stored value holds it.

Stores written before these columns get them from store/migrations.py (the same Python as
ingest fills them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from eventwire.store.dialect import Dialect
from eventwire.store.textsearch import sentence_words

SEP = "\x1f"  # ASCII unit separator: never typed, replaced in stored values
RS = "\x1e"  # between an actor key and its code in `actor_keys` / `recipient_keys`
COLUMNS = (
    "party_codes",
    "party_sectors",
    "actor_keys",
    "recipient_keys",
    "actor_names",
    "recipient_names",
    "sentence_words",
)
KEY_COLUMNS = ("actor_keys", "recipient_keys")
NOTHING = "1 = 0"

# A party as (role, name, code, sector, text): the fields the filters look at.
Party = tuple[str, str | None, str | None, str | None, str | None]


def _joined(values: set[str]) -> str | None:
    """A sorted set, SEP-delimited, SEP at both ends; None when empty."""
    if not values:
        return None
    return SEP + SEP.join(sorted(v.replace(SEP, " ") for v in values)) + SEP


def party_key(name: str | None, code: str | None, sector: str | None, text: str | None) -> Any:
    """The key base.actor_key_sql computes in SQL: name, else 'CODE SECTOR', else text."""
    if name is not None:
        return name
    label = " ".join(v for v in (code, sector) if v is not None)
    return label or text


def search_values(parties: Sequence[Party], sentence: str | None) -> dict[str, str | None]:
    """The search columns of one event from its actors and recipients (not reporters)."""
    codes: set[str] = set()
    sectors: set[str] = set()
    keys: dict[str, set[str]] = {"actor": set(), "recipient": set()}
    names: dict[str, set[str]] = {"actor": set(), "recipient": set()}
    for role, name, code, sector, text in parties:
        if code is not None:
            codes.add(code)
        if sector is not None:
            sectors.add(sector)
        key = party_key(name, code, sector, text)
        if key is not None:
            keys[role].add(f"{key.replace(RS, ' ')}{RS}{(code or '').replace(RS, ' ')}")
        names[role].update(v.lower() for v in (name, text) if v)
    return {
        "party_codes": _joined(codes),
        "party_sectors": _joined(sectors),
        "actor_keys": _joined(keys["actor"]),
        "recipient_keys": _joined(keys["recipient"]),
        "actor_names": _joined(names["actor"]),
        "recipient_names": _joined(names["recipient"]),
        "sentence_words": sentence_words(sentence),
    }


def element_key(element: str) -> str:
    """SQL: the actor key of a `key RS code` element (substr: cheaper than split_part)."""
    return f"substr({element}, 1, strpos({element}, chr(30)) - 1)"


def element_code(element: str) -> str:
    """SQL: the code of a `key RS code` element ('' when it has none)."""
    return f"substr({element}, strpos({element}, chr(30)) + 1)"


def exact(columns: Sequence[str], value: str, dialect: Dialect) -> tuple[str, list[Any]]:
    """`value` is one whole element of a set column (of any of `columns`)."""
    return _any(columns, f"{SEP}{value}{SEP}", value, dialect)


def keyed(value: str, dialect: Dialect) -> tuple[str, list[Any]]:
    """An actor key of an actor or recipient (`key RS code` elements)."""
    if RS in value:
        return NOTHING, []
    return _any(KEY_COLUMNS, f"{SEP}{value}{RS}", value, dialect)


def contains(columns: Sequence[str], text: str, dialect: Dialect) -> tuple[str, list[Any]]:
    """Case-insensitive substring of one element (names) or of the whole value (sentence)."""
    return _any(columns, text.lower(), text, dialect)


def _any(
    columns: Sequence[str], needle: str, value: str, dialect: Dialect
) -> tuple[str, list[Any]]:
    if SEP in value:
        return NOTHING, []
    found = " OR ".join(dialect.holds(f"e.{c}") for c in columns)
    return (f"({found})" if len(columns) > 1 else found), [needle] * len(columns)
