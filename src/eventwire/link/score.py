"""The pairwise score of two event mentions: hard gates first, then a weighted similarity.

Gates (any failing means "not the same event", score 0): types the same or a compatible pair
(compatible.yaml); dates within the window of the coarser precision; places compatible (same
geonameid, or one inside the other's province or country); parties overlapping when both
have any. Above the gates, score = 0.35 parties + 0.2 place + 0.15 type + 0.3 sentence words.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from eventwire.link.features import Mention

WEIGHTS = {"parties": 0.35, "place": 0.2, "type": 0.15, "words": 0.3}


@lru_cache(maxsize=1)
def compatible_pairs() -> frozenset[frozenset[str]]:
    """Type pairs from compatible.yaml, read once."""
    import yaml

    text = resources.files("eventwire.link").joinpath("compatible.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    return frozenset(frozenset(pair) for pair in data.get("pairs", []))


@lru_cache(maxsize=64)
def linkable_types(event_type: str) -> tuple[str, ...]:
    """The type itself and every type it may be reported as (compatible.yaml)."""
    others = {t for pair in compatible_pairs() if event_type in pair for t in pair}
    return tuple(sorted(others | {event_type}))


def type_match(a: Mention, b: Mention) -> float:
    if a.type == b.type:
        return 1.0
    return 0.5 if frozenset((a.type, b.type)) in compatible_pairs() else 0.0


def dates_match(a: Mention, b: Mention) -> bool:
    if a.day is None or b.day is None:
        return a.copy_group == b.copy_group
    return abs((a.day - b.day).days) <= max(a.window, b.window)


def place_match(a: Mention, b: Mention) -> float | None:
    """1 same place, 0.7 one inside the other, 0.5 unknown on a side, None incompatible."""
    if a.place_country is None or b.place_country is None:
        return 0.5
    if a.place_country != b.place_country:
        return None
    if a.geonameid is not None and a.geonameid == b.geonameid:
        return 1.0
    if a.place_level == "country" or b.place_level == "country":
        return 0.7
    if a.province and a.province == b.province:
        province_level = a.place_level == "province" or b.place_level == "province"
        return 0.7 if province_level else None
    return None


def _overlap(x: frozenset[str], y: frozenset[str]) -> float:
    """Overlap coefficient: a report naming fewer parties is not penalised for it."""
    if not x or not y:
        return 0.0
    return len(x & y) / min(len(x), len(y))


def party_match(a: Mention, b: Mention) -> float | None:
    """KB identities first, then country + sector; None when both name parties, none shared."""
    if not (a.identities or a.roles) or not (b.identities or b.roles):
        return 0.3  # one side names nobody: neither for nor against
    best = max(_overlap(a.identities, b.identities), _overlap(a.roles, b.roles))
    if best == 0.0:
        best = 0.5 * _overlap(a.countries, b.countries)
    return best or None


def words_match(a: Mention, b: Mention) -> float:
    if not a.words or not b.words:
        return 0.0
    return len(a.words & b.words) / len(a.words | b.words)


def score(a: Mention, b: Mention) -> float:
    """0 when a gate fails, else the weighted similarity in [0, 1]."""
    kind = type_match(a, b)
    if kind == 0.0 or not dates_match(a, b):
        return 0.0
    place = place_match(a, b)
    parties = party_match(a, b)
    if place is None or parties is None:
        return 0.0
    words = words_match(a, b)
    return (
        WEIGHTS["parties"] * parties
        + WEIGHTS["place"] * place
        + WEIGHTS["type"] * kind
        + WEIGHTS["words"] * words
    )
