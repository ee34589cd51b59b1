"""CAMEO codes for PLOVER records (data/cameo.yaml), as JSONL (`--format cameo`); the
GDELT 2.0 tables (`--format gdelt`) build on them in link/gdelt.py.

Works on the PLOVER record dicts of output.py, so it serves `extract` and stored `events` alike;
no spaCy. One record gives one row: Actor1 is its first actor, Actor2 its first recipient
(or, for reciprocal events without recipients, its second actor).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import IO, Any

_WORD = re.compile(r"[a-z]+")


@dataclass(frozen=True)
class CameoTable:
    """The mapping file, parsed once."""

    events: Mapping[str, Mapping[str, Any]]
    roots: Mapping[str, str]
    countries: Mapping[str, str]
    international: frozenset[str]
    sectors: Mapping[str, str]


@lru_cache(maxsize=1)
def cameo_table() -> CameoTable:
    """data/cameo.yaml, read once per process."""
    import yaml

    text = resources.files("eventwire").joinpath("data/cameo.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return CameoTable(
        events=raw["events"],
        roots={str(k): str(v) for k, v in raw["roots"].items()},
        countries={str(k): str(v) for k, v in raw["countries"].items()},
        international=frozenset(raw["international"]),
        sectors={str(k): str(v) for k, v in raw["sectors"].items()},
    )


def event_code(
    event_type: str, modes: Sequence[str] = (), trigger: str | None = None
) -> str | None:
    """The most specific CAMEO code for a PLOVER type: by mode, then trigger word, then type."""
    spec = cameo_table().events.get(event_type)
    if spec is None:
        return None
    by_mode = spec.get("modes") or {}
    for mode in modes:
        if mode in by_mode:
            return str(by_mode[mode])
    words = _WORD.findall((trigger or "").lower())
    for stem, code in (spec.get("triggers") or {}).items():
        if any(w.startswith(str(stem)) for w in words):
            return str(code)
    return str(spec["default"])


def code_parts(code: str) -> tuple[str, str, str]:
    """(EventCode, EventBaseCode, EventRootCode): '0841' -> ('0841', '084', '08')."""
    return code, code[:3], code[:2]


def actor_code(entity: Mapping[str, Any]) -> str:
    """CAMEO-style actor code: 'USAGOV', 'IGOUNO', 'PSEREB'; '' when nothing is known."""
    table = cameo_table()
    country = str(entity.get("code") or "")
    prefix = table.countries.get(country, country)
    sector = str(entity.get("sector") or "")
    return prefix + table.sectors.get(sector, sector)


def actor_country(entity: Mapping[str, Any]) -> str:
    """The country part of an actor code; international actors have none."""
    country = str(entity.get("code") or "")
    return "" if country in cameo_table().international else country


def cameo_info(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The CAMEO reading of one PLOVER record, or None for a type CAMEO cannot express."""
    event_type = (record.get("event") or [None])[0]
    code = event_code(str(event_type), record.get("mode") or [], record.get("trigger"))
    if code is None:
        return None
    full, base, root = code_parts(code)
    return {
        "event_code": full,
        "event_base_code": base,
        "event_root_code": root,
        "root_name": cameo_table().roots.get(root),
        "quad_class": record.get("quad_code"),
        "goldstein_like": record.get("event_scale"),
        "actor_codes": [actor_code(a) for a in record.get("actor") or []],
        "recipient_codes": [actor_code(a) for a in record.get("recipient") or []],
    }


def global_event_id(record_id: str) -> int:
    """GDELT ids are integers: the first 52 bits of the record id (or of its hash)."""
    text = record_id if re.fullmatch(r"[0-9a-f]{13,}", record_id) else ""
    text = text or hashlib.sha256(record_id.encode("utf-8")).hexdigest()
    return int(text[:13], 16)


def write_cameo(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """JSONL: each PLOVER record with a 'cameo' object added; returns the count."""
    count = 0
    for record in records:
        out.write(json.dumps({**record, "cameo": cameo_info(record)}, ensure_ascii=False) + "\n")
        count += 1
    return count
