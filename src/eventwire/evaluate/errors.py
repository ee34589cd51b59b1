"""Misses under strict scoring, each with the pipeline step that lost it, so fixes are aimed.

Steps, in pipeline order: `no event` (no record for the text), `type` (the record compared has
another type), `no mention` (no actor mention in the text shares a word with the gold party),
`no role` (a mention exists, but the record compared does not carry it; `in another record`
when some other record of the text does), `country` / `sector` (the party is found, its code is
wrong), `place` (no event location, or one farther than 25 km from the gold point).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from eventwire.evaluate.gold import GoldEvent, GoldItem, GoldParty
from eventwire.evaluate.strict import (
    Record,
    best_record,
    gold_words,
    haversine,
    label,
    matched_party,
    same_country,
)

MentionTexts = Callable[[GoldItem], list[str]]  # the actor mentions the pipeline saw in a text


def _party_desc(party: Record | None) -> str:
    if party is None:
        return "-"
    name = party.get("name") or party.get("entity_text") or "?"
    return f"{name} [{party.get('code') or '-'}/{party.get('sector') or '-'}]"


def _gold_desc(gp: GoldParty) -> str:
    return f"{gp.text} [{gp.country or '-'}/{gp.sector or '-'}]"


def _rec_desc(rec: Record | None) -> str:
    if rec is None:
        return "no record"
    actors = ", ".join(_party_desc(p) for p in rec.get("actor") or []) or "-"
    recips = ", ".join(_party_desc(p) for p in rec.get("recipient") or []) or "-"
    loc = (rec.get("event_loc") or {}).get("resolved_place") or "-"
    return f"{'/'.join(rec.get('event') or [])} {actors} -> {recips} @ {loc} ({rec.get('trigger')})"


def _party_step(
    gp: GoldParty, rec: Record, preds: list[Record], mentions: list[str]
) -> tuple[str, Record | None] | None:
    """Why a gold party is not right in the record compared, or None when it is."""
    match = matched_party(gp, rec)
    if match is None:
        if any(r is not rec and matched_party(gp, r) for r in preds):
            return "no role (in another record)", None
        words = gold_words(gp)
        if any(words & set(m.lower().split()) for m in mentions):
            return "no role", None
        return "no mention", None
    if gp.country and not same_country(match.get("code"), gp.country):
        return "country", match
    if gp.sector and match.get("sector") != gp.sector:
        return "sector", match
    return None


def _place_step(gold: GoldEvent, rec: Record) -> str | None:
    loc = gold.location
    if loc is None or loc.lat is None or loc.lon is None:
        return None
    got = rec.get("event_loc") or {}
    if got.get("lat") is None:
        return "place (none)"
    if haversine(float(got["lat"]), float(got["lon"]), loc.lat, loc.lon) > 25:
        return "place"
    return None


def event_misses(
    item: GoldItem, gold: GoldEvent, preds: list[Record], mentions: MentionTexts
) -> list[dict[str, Any]]:
    """Every strict miss of one gold event, with its step."""
    rec = best_record(gold, preds)
    base = {"id": item.id, "text": item.text, "gold_type": gold.event_type}
    if rec is None:
        return [{**base, "step": "no event", "gold": gold.event_type, "got": "no record"}]
    out = []
    types = [label(t, item.uses_yield) for t in rec.get("event") or []]
    if label(gold.event_type, item.uses_yield) not in types:
        out.append({**base, "step": "type", "gold": gold.event_type, "got": _rec_desc(rec)})
    seen: list[str] | None = None
    for gp in gold.actors + gold.recipients:
        if not gp.text:
            continue
        if seen is None and matched_party(gp, rec) is None:
            seen = mentions(item)
        why = _party_step(gp, rec, preds, seen or [])
        if why is not None:
            step, party = why
            got = _party_desc(party) if party is not None else _rec_desc(rec)
            out.append({**base, "step": step, "gold": _gold_desc(gp), "got": got})
    place = _place_step(gold, rec)
    if place is not None and gold.location is not None:
        gl = gold.location
        where = f"{gl.text} ({gl.lat}, {gl.lon})"
        got_loc = rec.get("event_loc") or {}
        got = f"{got_loc.get('resolved_place') or '-'} ({got_loc.get('lat')}, {got_loc.get('lon')})"
        out.append({**base, "step": place, "gold": where, "got": got})
    return out


def collect(
    items: list[GoldItem], preds: dict[str, list[Record]], mentions: MentionTexts
) -> list[dict[str, Any]]:
    """All strict misses of a gold file, in file order."""
    out: list[dict[str, Any]] = []
    for item in items:
        for gold in item.events:
            out += event_misses(item, gold, preds[item.id], mentions)
    return out


def step_counts(misses: list[dict[str, Any]]) -> dict[str, int]:
    return dict(Counter(m["step"] for m in misses).most_common())
