"""How aggregate rows become the API's values, the same from scans and from summaries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any


def iso_day(value: Any) -> str | None:
    """date_trunc gives a date (DuckDB on dates) or a timestamp (PostgreSQL): ISO day either way."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, dt.date) else str(value)[:10]


def as_date(value: Any) -> dt.date | None:
    return value.date() if isinstance(value, dt.datetime) else value


def ranked(item: tuple[Any, Any]) -> tuple[int, str]:
    """Most events first, then by name (as ORDER BY n DESC, key)."""
    return -int(item[1]), str(item[0])


def office(office: str, code: Any, sector: Any, n: int, first: Any, last: Any) -> dict[str, Any]:
    return {"office": office, "code": code, "sector": sector, "n": n, "first": first, "last": last}


def office_summary(
    seen: dict[tuple[Any, ...], set[str]], day_of: dict[str, Any]
) -> list[dict[str, Any]]:
    """Offices with event counts and first/last dates."""
    out = []
    for (name, code, sector), found in seen.items():
        dated = [day_of[i] for i in found if day_of.get(i) is not None]
        first, last = (min(dated), max(dated)) if dated else (None, None)
        out.append(office(name, code, sector, len(found), first, last))
    return offices_in_order(out)


def offices_in_order(offices: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(offices, key=lambda o: (-o["n"], o["office"]))


def codes_in_order(counts: dict[tuple[Any, Any], int]) -> list[dict[str, Any]]:
    """The codes and sectors an actor was given, most often first."""
    ordered = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return [{"code": c, "sector": s, "n": n} for (c, s), n in ordered]


def usual(codes: Counter[Any]) -> Any:
    """The most frequent code (ties: the smallest, so every back-end agrees)."""
    return min(codes.items(), key=lambda item: (-item[1], str(item[0])))[0]


def counterparts_in_order(
    events: dict[tuple[str, str], int], codes: dict[str, Counter[Any]], limit: int
) -> list[dict[str, Any]]:
    """role 'recipient': this actor acted on them; 'actor': they acted on this actor."""
    top = sorted(events.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [{"key": k, "code": usual(codes[k]), "role": r, "n": n} for (k, r), n in top]
