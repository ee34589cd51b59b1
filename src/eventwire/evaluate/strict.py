"""Strict scoring, the measure of record (../shared/design/gold-format.md, "Strict scoring").

Per gold event the record compared is the one whose parties share the most words with the gold
parties, chosen without looking at its type; country and sector are scored over every gold party
that carries one, so a party we never found counts as wrong. The rules (and the corner cases,
such as a text with no record counting only as type NONE) follow ../shared/tools/score_strict.py,
whose figures these must equal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from math import asin, cos, radians, sin, sqrt
from typing import Any

from eventwire.evaluate.gold import GoldEvent, GoldItem, GoldParty

Record = dict[str, Any]
NONE = "NONE"
YIELD_PARTS = ("CONCEDE", "RETREAT")
# Older gold (the PLOVER GSR) files the UN and EU under IGO and Japan under its CAMEO code.
IGO_FAMILY = frozenset({"IGO", "UNO", "EUR"})
ALIASES = {"JAP": "JPN"}
_NAME_FIELDS = (
    "entity_text",
    "identifier_text",
    "name",
    "text",
    "canonical_name",
    "office",
    "raw_text",
)


def label(event_type: str, uses_yield: bool) -> str:
    """Sets that label YIELD count CONCEDE and RETREAT as YIELD."""
    return "YIELD" if uses_yield and event_type in YIELD_PARTS else event_type


def party_words(party: Record) -> set[str]:
    """Every word a record gives for a party: its text, canonical name and office."""
    blob = " ".join(str(party.get(k) or "") for k in _NAME_FIELDS).lower()
    return set(blob.split())


def gold_words(gold: GoldParty) -> set[str]:
    return set((gold.text or "").lower().split())


def shares_word(gold: GoldParty, party: Record) -> bool:
    """A gold party and a predicted one overlap when they share a (whitespace) word."""
    return bool(gold_words(gold) & party_words(party))


def parties(rec: Record) -> list[Record]:
    """Actors then recipients: strict scoring does not hold a party's role against it."""
    return list(rec.get("actor") or []) + list(rec.get("recipient") or [])


def _overlap_score(gold: GoldEvent, rec: Record) -> int:
    found = parties(rec)
    return sum(shares_word(g, p) for g in gold.actors + gold.recipients for p in found)


def best_record(gold: GoldEvent, preds: list[Record]) -> Record | None:
    """The record with the most overlapping party pairs; ties go to the earliest record."""
    best, best_score = None, -1
    for rec in preds:
        score = _overlap_score(gold, rec)
        if score > best_score:
            best, best_score = rec, score
    return best


def same_country(predicted: str | None, gold: str | None) -> bool:
    if not predicted or not gold:
        return False
    predicted, gold = ALIASES.get(predicted, predicted), ALIASES.get(gold, gold)
    return predicted == gold or (gold == "IGO" and predicted in IGO_FAMILY)


def haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = radians(lat1), radians(lat2), radians(lon2 - lon1)
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * 6371.0 * asin(sqrt(h))


@dataclass
class Counts:
    """Hits over totals for one strict measure."""

    hit: int = 0
    total: int = 0

    def add(self, ok: bool) -> None:
        self.total += 1
        self.hit += bool(ok)

    @property
    def rate(self) -> float | None:
        return self.hit / self.total if self.total else None


@dataclass
class StrictTally:
    """Everything the strict figures are computed from."""

    pairs: list[tuple[str, str]] = field(default_factory=list)  # (gold, predicted) labels
    recall: Counts = field(default_factory=Counts)
    country: Counts = field(default_factory=Counts)
    sector: Counts = field(default_factory=Counts)
    loc25: Counts = field(default_factory=Counts)
    loc161: Counts = field(default_factory=Counts)
    date: Counts = field(default_factory=Counts)
    lenient_type: Counts = field(default_factory=Counts)
    records: int = 0
    texts: int = 0


def predicted_label(gold: GoldEvent, rec: Record | None, uses_yield: bool) -> str:
    """The gold label when it is among the record's types, else its first type (or NONE)."""
    if rec is None or not rec.get("event"):
        return NONE
    types = [label(t, uses_yield) for t in rec["event"]]
    wanted = label(gold.event_type, uses_yield)
    return wanted if wanted in types else types[0]


def matched_party(gold: GoldParty, rec: Record) -> Record | None:
    """The first party of the record sharing a word with the gold party."""
    return next((p for p in parties(rec) if shares_word(gold, p)), None)


def _score_parties(tally: StrictTally, gold: GoldEvent, rec: Record) -> None:
    for gp in gold.actors + gold.recipients:
        match = matched_party(gp, rec)
        if gp.country:
            tally.country.add(match is not None and same_country(_code(match), gp.country))
        if gp.sector:
            tally.sector.add(match is not None and match.get("sector") == gp.sector)
        if gp.text:
            tally.recall.hit += match is not None


def _code(party: Record) -> str | None:
    return party.get("code") or party.get("country") or party.get("country_code")


def _score_place_date(tally: StrictTally, gold: GoldEvent, rec: Record) -> None:
    loc = gold.location
    if loc is not None and loc.lat is not None and loc.lon is not None:
        got = rec.get("event_loc") or {}
        km = None
        if got.get("lat") is not None and got.get("lon") is not None:
            km = haversine(float(got["lat"]), float(got["lon"]), loc.lat, loc.lon)
        tally.loc25.add(km is not None and km <= 25)
        tally.loc161.add(km is not None and km <= 161)
    if gold.date:
        tally.date.add(str(rec.get("date") or "")[:10] == gold.date)


def score_item(tally: StrictTally, item: GoldItem, preds: list[Record]) -> None:
    """Add one gold item (a text and its gold events) and the records coded from it."""
    for gold in item.events:
        tally.texts += 1
        tally.records += len(preds)
        rec = best_record(gold, preds)
        wanted = label(gold.event_type, item.uses_yield)
        tally.pairs.append((wanted, predicted_label(gold, rec, item.uses_yield)))
        tally.lenient_type.add(
            any(wanted in [label(t, item.uses_yield) for t in r["event"]] for r in preds)
        )
        tally.recall.total += sum(1 for gp in gold.actors + gold.recipients if gp.text)
        if rec is None:  # scored as type NONE only, as the reference scorer does
            continue
        _score_parties(tally, gold, rec)
        _score_place_date(tally, gold, rec)


def per_type(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per gold type, one label per gold event."""
    pairs = list(pairs)
    table: dict[str, dict[str, float]] = {}
    for name in sorted({g for g, _ in pairs}):
        tp = sum(1 for g, p in pairs if g == name and p == name)
        fp = sum(1 for g, p in pairs if g != name and p == name)
        fn = sum(1 for g, p in pairs if g == name and p != name)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        table[name] = {"precision": prec, "recall": rec, "f1": f1, "support": tp + fn}
    return table


def confusion(pairs: Iterable[tuple[str, str]]) -> dict[str, dict[str, int]]:
    matrix: dict[str, dict[str, int]] = {}
    for gold, got in pairs:
        row = matrix.setdefault(gold, {})
        row[got] = row.get(got, 0) + 1
    return matrix


def summarize(tally: StrictTally) -> dict[str, Any]:
    """The strict figures, under the names the gate pins."""
    types = per_type(tally.pairs)
    n = len(tally.pairs)
    return {
        "macro_f1": sum(t["f1"] for t in types.values()) / len(types) if types else 0.0,
        "type_accuracy": sum(g == p for g, p in tally.pairs) / n if n else 0.0,
        "party_recall": tally.recall.rate,
        "country_accuracy": tally.country.rate,
        "sector_accuracy": tally.sector.rate,
        "location_within_25km": tally.loc25.rate,
        "location_within_161km": tally.loc161.rate,
        "date_exact": tally.date.rate,
        "event_coverage": sum(p != NONE for _, p in tally.pairs) / n if n else 0.0,
        "lenient_type_anywhere": tally.lenient_type.rate,
        "records_per_text": tally.records / tally.texts if tally.texts else 0.0,
        "per_type": types,
        "confusion": confusion(tally.pairs),
        "strict_counts": {
            name: [c.hit, c.total]
            for name, c in (
                ("party_recall", tally.recall),
                ("country", tally.country),
                ("sector", tally.sector),
                ("loc25", tally.loc25),
                ("loc161", tally.loc161),
                ("date", tally.date),
            )
        },
    }
