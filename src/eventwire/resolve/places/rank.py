"""Toponym resolution: a name and the article's countries in, the most likely place out."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from eventwire.records import Place
from eventwire.resolve.places.gazetteer import Candidate, norm_key, open_gazetteer

_LEXICON = Path(__file__).resolve().parent / "places.yaml"

# Score weights (5 points per tenfold population): see _score.
CONTEXT_BONUS = 4.0
CONTEXT_STEP = 1.5  # each further mention of the country
CAPITAL_BONUS = 4.0
ALTERNATE_PENALTY = 5.0
NAMESAKE_PROVINCE_PENALTY = 10.0
ASKED_KIND_BONUS = 15.0
BIG_CITY = 100_000
UNKNOWN_POPULATION = 2000  # GeoNames gives 0 for many district seats: unknown, not empty


@lru_cache(maxsize=1)
def lexicon() -> dict[str, Any]:
    """places.yaml, read once per process."""
    with open(_LEXICON, encoding="utf-8") as fh:
        data: dict[str, Any] = yaml.safe_load(fh)
    return data


@lru_cache(maxsize=1)
def _word_sets() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    lex = lexicon()
    return (
        frozenset(lex["province_suffixes"]),
        frozenset(lex["city_suffixes"]),
        frozenset(norm_key(w) for w in lex["directions"]),
    )


@lru_cache(maxsize=65536)
def _variants(name: str) -> tuple[tuple[str, str | None], ...]:
    """Keys to try in order, each with the kind the wording asks for ("Kherson region")."""
    text = name.strip()
    if text.endswith(("'s", "’s")):
        text = text[:-2]
    key = norm_key(text)
    out: list[tuple[str, str | None]] = [(key, None)]
    provinces, cities, directions = _word_sets()
    words = key.split()
    while len(words) > 1 and words[0] in directions:
        words = words[1:]
        out.append((" ".join(words), None))
    if len(words) > 1 and words[-1] in provinces:
        out.append((" ".join(words[:-1]), "province"))
    if len(words) > 1 and words[-1] in cities:
        out.append((" ".join(words[:-1]), "city"))
    if 1 < len(words) <= 3 and len(key) <= 24:
        out.append(("".join(words), None))  # "Kyauk Taw" is GeoNames' Kyauktaw
    return tuple(out)


def _score(
    cand: Candidate, pool: tuple[Candidate, ...], context: Counter[str], asked: str | None
) -> float:
    """Population, article context, capital status and how well the name matched."""
    score = 5.0 * math.log10((cand.population or UNKNOWN_POPULATION) + 1)
    if cand.country and context[cand.country]:
        score += CONTEXT_BONUS + CONTEXT_STEP * min(context[cand.country] - 1, 3)
    rival_in_context = any(o.country != cand.country and context[o.country or ""] for o in pool)
    if cand.feature_code == "PPLC" and (context[cand.country or ""] or not rival_in_context):
        score += CAPITAL_BONUS  # a capital, unless the article is about a namesake's country
    if cand.how >= 2:
        score -= ALTERNATE_PENALTY
    if cand.kind == "province" and any(
        other.kind == "city"
        and other.country == cand.country
        and (other.how == 0 or other.population >= BIG_CITY)
        for other in pool
    ):
        score -= NAMESAKE_PROVINCE_PENALTY
    if asked and cand.kind == asked:
        score += ASKED_KIND_BONUS
    return score


def _pick(
    pool: tuple[Candidate, ...], context: Counter[str], asked: str | None
) -> Candidate | None:
    """Countries, then regions, then divisions and towns by score."""
    countries = [c for c in pool if c.kind == "country"]
    us_state_like = [
        c for c in pool if c.kind == "province" and c.how == 0 and context[c.country or ""]
    ]
    if countries and asked is None:
        best = min(countries, key=lambda c: (c.how, -c.population))
        if not (us_state_like and not context[best.country or ""]):
            return best
    regions = [c for c in pool if c.kind == "region" and c.how <= 1]
    if regions and asked is None:
        return min(regions, key=lambda c: c.how)
    local = [c for c in pool if c.kind in ("province", "city")]
    if not local:
        return None
    best = max(local, key=lambda c: _score(c, pool, context, asked))
    if best.how >= 2 and best.population < 2000 and not context[best.country or ""]:
        return None  # a village's alternate name is more likely a misread word
    return best


def to_place(cand: Candidate, text: str) -> Place:
    """The PLOVER location object for a gazetteer row."""
    return Place(
        extracted_place=text,
        resolved_place=cand.name,
        geonameid=cand.geonameid,
        lat=round(cand.lat, 5),
        lon=round(cand.lon, 5),
        province=cand.province if cand.kind in ("city", "province") else None,
        country_code=cand.country,
        feature_code=cand.feature_code,
        resolution=cand.kind,
    )


def resolve_candidate(name: str, context_countries: Sequence[str] = ()) -> Candidate | None:
    """The gazetteer row `name` most likely means, given the article's countries."""
    gaz = open_gazetteer()
    context = Counter(context_countries)
    for key, asked in _variants(name):
        pool = gaz.lookup(key)
        if pool:
            best = _pick(pool, context, asked)
            if best is not None:
                return best
    return None


def resolve_pair(
    inner: str, outer: str, context_countries: Sequence[str] = ()
) -> tuple[Candidate, Candidate] | None:
    """ "Atlanta, Georgia", "Paris, Texas": a town and the division or country holding it."""
    gaz = open_gazetteer()
    outers = [
        c
        for key, _ in _variants(outer)
        for c in gaz.lookup(key)
        if c.kind in ("country", "province")
    ]
    inners = tuple(c for key, _ in _variants(inner) for c in gaz.lookup(key) if c.kind == "city")
    pairs = [
        (a, b)
        for a in inners
        for b in outers
        if a.country == b.country and (b.kind == "country" or a.province == b.name)
    ]
    if not pairs:  # the town's own admin1 may be recorded under a neighbour's name
        pairs = [(a, b) for a in inners for b in outers if a.country == b.country and a.how <= 1]
    if not pairs:
        return None
    context = Counter(context_countries)
    return max(pairs, key=lambda pair: _score(pair[0], inners, context, None))


@lru_cache(maxsize=65536)
def resolve_plain(name: str) -> Candidate | None:
    """resolve_candidate without context, memoised (used to collect the context itself)."""
    return resolve_candidate(name)


def resolve_place(name: str, context_countries: Sequence[str] = ()) -> Place | None:
    """Resolve a place name; context_countries are ISO3 codes the article is about."""
    cand = resolve_candidate(name, context_countries)
    return to_place(cand, name) if cand else None


def country_place(iso3: str) -> Place | None:
    """A country-level Place for an ISO3 code (the article-focus fallback)."""
    cand = open_gazetteer().country(iso3)
    return to_place(cand, cand.name) if cand else None
