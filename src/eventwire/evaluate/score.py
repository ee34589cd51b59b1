"""Lenient scores, printed beside the strict ones (evaluate/strict.py) and never pinned.

The record compared is picked because its type is right, and actors are scored only where one
was found: figures that flatter, kept to show how far they are from the strict ones.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from eventwire.evaluate.gold import GoldEvent, GoldItem, GoldParty
from eventwire.evaluate.strict import confusion, haversine, per_type

Record = dict[str, Any]
NONE = "NONE"
_STOP = {"the", "a", "an", "of", "'s", "and", "its", "their", "his", "her"}


def _words(text: str | None) -> set[str]:
    return {w for w in re.findall(r"[\w']+", (text or "").lower()) if w not in _STOP}


def overlaps(gold: str | None, predicted: str | None) -> bool:
    """Text overlap as the gold format defines it: a shared content word."""
    return bool(_words(gold) & _words(predicted))


@lru_cache(maxsize=2048)
def norm_country(value: str | None) -> str | None:
    """Gold sets give ISO3 codes or names; compare on ISO3."""
    if not value:
        return None
    if re.fullmatch(r"[A-Z]{3}", value):
        return value
    import country_converter as coco

    code = coco.convert(value, to="ISO3", not_found=None)
    return code if isinstance(code, str) else value.upper()


@lru_cache(maxsize=1)
def _legacy_codes() -> dict[str, frozenset[str]]:
    """Older gold sets use CAMEO-era codes; count their ISO/PLOVER equivalents as the same."""
    table: dict[str, frozenset[str]] = {}
    path = Path(__file__).with_name("legacy_codes.tsv")
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            gold, same, _why = line.split("\t")
            table[gold] = frozenset(same.split())
    return table


def country_matches(gold: str | None, predicted: set[str | None]) -> bool:
    code = norm_country(gold)
    allowed = _legacy_codes().get(code or "", frozenset({code}))
    return bool(allowed & predicted)


def _label(event_type: str, uses_yield: bool) -> str:
    return "YIELD" if uses_yield and event_type in ("CONCEDE", "RETREAT") else event_type


def _party_texts(rec: Record, role: str) -> list[str]:
    texts = []
    for party in rec.get(role) or []:
        texts += [party.get("entity_text") or "", party.get("mention_text") or ""]
        texts.append(party.get("name") or "")
    return texts


def _shares_parties(gold: GoldEvent, rec: Record) -> bool:
    names = _party_texts(rec, "actor") + _party_texts(rec, "recipient")
    wanted = [p.text for p in gold.actors + gold.recipients if p.text]
    return not wanted or any(overlaps(w, n) for w in wanted for n in names)


def best_prediction(gold: GoldEvent, preds: list[Record], uses_yield: bool) -> Record | None:
    """The record a human would compare with this gold event."""
    label = gold.event_type
    typed = [r for r in preds if _label(r["event"][0], uses_yield) == label]
    for pool in (
        [r for r in typed if _shares_parties(gold, r)],
        [r for r in preds if _shares_parties(gold, r)],
        preds,
    ):
        if pool:
            return max(pool, key=lambda r: r.get("confidence") or 0.0)
    return None


@dataclass
class Tally:
    """Counts behind every reported figure, so figures can be re-derived."""

    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted) labels
    strict_tp: int = 0
    n_gold: int = 0
    n_pred: int = 0
    counts: Counter[str] = field(default_factory=Counter)

    def ratio(self, hit: str, total: str) -> float | None:
        return self.counts[hit] / self.counts[total] if self.counts[total] else None


def _score_parties(tally: Tally, golds: list[GoldParty], rec: Record, role: str) -> None:
    for gold in golds:
        if not gold.text:
            continue
        tally.counts[f"{role}_total"] += 1
        found = [
            p
            for p in rec.get(role) or []
            if overlaps(gold.text, p.get("entity_text")) or overlaps(gold.text, p.get("name"))
        ]
        if not found:
            continue
        tally.counts[f"{role}_found"] += 1
        if gold.country:
            tally.counts["country_total"] += 1
            codes = {p.get("code") for p in found}
            tally.counts["country_ok"] += country_matches(gold.country, codes)
        if gold.sector:
            tally.counts["sector_total"] += 1
            tally.counts["sector_ok"] += gold.sector.upper() in {p.get("sector") for p in found}


def _score_place_date(tally: Tally, gold: GoldEvent, rec: Record) -> None:
    loc, got = gold.location, rec.get("event_loc") or {}
    if loc and loc.text:  # the choice of place, even where the set gives no country or point
        tally.counts["loc_text_total"] += 1
        named = f"{got.get('extracted_place') or ''} {got.get('resolved_place') or ''}"
        tally.counts["loc_text_ok"] += overlaps(loc.text, named)
    if loc and loc.country:
        tally.counts["loc_country_total"] += 1
        tally.counts["loc_country_ok"] += country_matches(loc.country, {got.get("country_code")})
    if loc and loc.lat is not None and loc.lon is not None:
        tally.counts["loc_dist_total"] += 1
        if got.get("lat") is not None:
            km = haversine(loc.lat, loc.lon, got["lat"], got["lon"])
            tally.counts["loc_25km"] += km <= 25
            tally.counts["loc_161km"] += km <= 161
    if gold.date:
        tally.counts["date_total"] += 1
        tally.counts["date_ok"] += rec.get("date") == gold.date


def score_item(tally: Tally, item: GoldItem, preds: list[Record]) -> None:
    """Add one gold item and its predictions to the tally."""
    tally.n_pred += len(preds)
    for gold in item.events:
        tally.n_gold += 1
        rec = best_prediction(gold, preds, item.uses_yield)
        got = _label(rec["event"][0], item.uses_yield) if rec else NONE
        tally.pairs.append((gold.event_type, got))
        if rec is None or got != gold.event_type:
            continue
        if item.document_level or _shares_parties(gold, rec):
            tally.strict_tp += 1
        _score_parties(tally, gold.actors, rec, "actor")
        _score_parties(tally, gold.recipients, rec, "recipient")
        _score_place_date(tally, gold, rec)


def summarize(tally: Tally) -> dict[str, Any]:
    """Everything `eventwire eval` prints, as one JSON-able dict."""
    types = per_type(tally.pairs)
    macro = sum(t["f1"] for t in types.values()) / len(types) if types else 0.0
    accuracy = sum(g == p for g, p in tally.pairs) / len(tally.pairs) if tally.pairs else 0.0
    return {
        "events_gold": tally.n_gold,
        "events_predicted": tally.n_pred,
        "type_accuracy": accuracy,
        "macro_f1": macro,
        "strict_precision": tally.strict_tp / tally.n_pred if tally.n_pred else 0.0,
        "strict_recall": tally.strict_tp / tally.n_gold if tally.n_gold else 0.0,
        "per_type": types,
        "confusion": confusion(tally.pairs),
        "actor_text_overlap": tally.ratio("actor_found", "actor_total"),
        "recipient_text_overlap": tally.ratio("recipient_found", "recipient_total"),
        "country_accuracy": tally.ratio("country_ok", "country_total"),
        "sector_accuracy": tally.ratio("sector_ok", "sector_total"),
        "location_text_match": tally.ratio("loc_text_ok", "loc_text_total"),
        "location_country_accuracy": tally.ratio("loc_country_ok", "loc_country_total"),
        "location_within_25km": tally.ratio("loc_25km", "loc_dist_total"),
        "location_within_161km": tally.ratio("loc_161km", "loc_dist_total"),
        "date_exact": tally.ratio("date_ok", "date_total"),
        "counts": dict(tally.counts),
    }
