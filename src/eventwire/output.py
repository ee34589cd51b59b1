"""PLOVER JSON records built from Events, and their JSON/CSV/terminal-table renderings."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import fields
from functools import lru_cache
from importlib import resources
from typing import IO, Any

from eventwire.records import Actor, Article, Event, Place

CODEBOOK = "plover-0.8"
FORMATS = ("jsonl", "json", "csv", "table", "cameo", "gdelt", "gdelt-mentions")
ENTITY_KEYS = (
    "code",
    "sector",
    "entity_text",
    "identifier_id",
    "identifier_text",
    "office",
    "name",
    "resolution",
    "start",
    "end",
)


@lru_cache(maxsize=1)
def plover_table() -> dict[str, Any]:
    """The codebook data (quads, scores, modes) is read once per process."""
    import yaml

    text = resources.files("eventwire").joinpath("data/plover.yaml").read_text("utf-8")
    table: dict[str, Any] = yaml.safe_load(text)
    return table


@lru_cache(maxsize=1)
def coder_name() -> str:
    """Records say which eventwire coded them, so re-codings can be told apart."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"eventwire {version('eventwire')}"
    except PackageNotFoundError:
        return "eventwire unknown"


def event_id(event: Event, article: Article | str, ordinal: int = 0) -> str:
    """Stable id: the same article (or its content hash) coded twice gives the same ids."""
    content_hash = article if isinstance(article, str) else article.content_hash
    key = (
        f"{content_hash}|{event.sentence_index}|{event.trigger_start}|"
        f"{event.trigger_end}|{event.event_type}"
    )
    if ordinal:
        key += f"|{ordinal}"
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:24]


def quad_and_scale(event_type: str, modes: Sequence[str]) -> tuple[int | None, float | None]:
    """PLOVER quad code and conflict-cooperation score; a mode's own score wins."""
    info = plover_table()["types"].get(event_type)
    if info is None:
        return None, None
    for mode in modes:
        score = info["modes"].get(mode)
        if score is not None:
            return int(info["quad"]), float(score)
    return int(info["quad"]), float(info["score"])


def entity(actor: Actor) -> dict[str, Any]:
    """PLOVER entity object plus our name/resolution/offsets; unknown fields are null."""
    obj: dict[str, Any] = {key: getattr(actor, key) for key in ENTITY_KEYS}
    if actor.mention_text is not None:
        obj["mention_text"] = actor.mention_text
    if actor.ethnicity is not None:
        obj["ethnicity"] = actor.ethnicity
    return obj


@lru_cache(maxsize=1)
def _place_fields() -> tuple[str, ...]:
    return tuple(f.name for f in fields(Place))


def location(place: Place | None) -> dict[str, Any] | None:
    """PLOVER location object (mordecai-style keys); absent fields are left out.

    Same keys as Place.to_plover, without dataclasses.asdict's deep copy (10x slower).
    """
    if place is None:
        return None
    values = ((name, getattr(place, name)) for name in _place_fields())
    return {name: value for name, value in values if value is not None}


def event_to_plover(event: Event, article: Article, record_id: str | None = None) -> dict[str, Any]:
    """One PLOVER record: what was said (spans), what we decided, and why."""
    quad, scale = quad_and_scale(event.event_type, event.mode)
    when = event.when
    sentence_text = article.text[event.sentence_start : event.sentence_end]
    return {
        "id": record_id or event.id or event_id(event, article),
        "date": when.date,
        "enddate": when.enddate,
        "actor": [entity(a) for a in event.actors],
        "recipient": [entity(a) for a in event.recipients],
        "event": [event.event_type],
        "mode": list(event.mode),
        "context": list(event.context),
        "quad_code": quad,
        "event_scale": scale,
        "event_loc": location(event.location),
        "event_text": [
            {
                "role": "trigger",
                "text": event.trigger,
                "start": event.trigger_start,
                "end": event.trigger_end,
            },
            {"role": "sentence", "start": event.sentence_start, "end": event.sentence_end},
        ],
        "text_info": {
            "sequence": event.sentence_index,
            "start": event.sentence_start,
            "end": event.sentence_end,
            "sentence_text": sentence_text,
            "trigger_start": event.trigger_start,
            "trigger_end": event.trigger_end,
        },
        "cite_info": {
            "corpus": article.source,
            "url": article.url,
            "title": article.title,
            "language": "en",
            "codebook": CODEBOOK,
            "coder": coder_name(),
        },
        "article_id": article.id,
        "factuality": event.factuality,
        "reported_by": entity(event.reported_by) if event.reported_by else None,
        "trigger": event.trigger,
        "confidence": float(event.confidence),
        "decided_by": event.decided_by,
        "rule": event.rule,
        "date_info": {
            "precision": when.precision,
            "text": when.text,
            "relative": when.relative,
            "source": when.source,
        },
    }


def article_records(article: Article, events: Sequence[Event]) -> list[dict[str, Any]]:
    """All records of one article, with ids made unique if two events share a key."""
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    content_hash = article.content_hash  # hashing the text once, not once per event
    for event in events:
        ordinal = 0
        rid = event.id or event_id(event, content_hash)
        while rid in seen:
            ordinal += 1
            rid = event_id(event, content_hash, ordinal)
        seen.add(rid)
        records.append(event_to_plover(event, article, rid))
    return records


@lru_cache(maxsize=1)
def event_schema() -> dict[str, Any]:
    """The published JSON Schema of our records (src/eventwire/data/event.schema.json)."""
    text = resources.files("eventwire").joinpath("data/event.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


@lru_cache(maxsize=1)
def _validator() -> Any:
    """Compiling the schema costs milliseconds: do it once."""
    from jsonschema import Draft202012Validator

    schema = event_schema()
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


def record_errors(record: dict[str, Any]) -> list[str]:
    """Every schema violation of a record, as 'path: message' lines."""
    errors = sorted(_validator().iter_errors(record), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in errors]


def validate_record(record: dict[str, Any]) -> None:
    """Raise ValueError naming every way a record breaks the published schema."""
    errors = record_errors(record)
    if errors:
        raise ValueError(f"record {record.get('id')!r} is invalid: " + "; ".join(errors))


# --- flat renderings -------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "article_id",
    "date",
    "event",
    "mode",
    "quad_code",
    "event_scale",
    "actor",
    "actor_code",
    "actor_sector",
    "recipient",
    "recipient_code",
    "recipient_sector",
    "location",
    "location_country",
    "lat",
    "lon",
    "factuality",
    "reported_by",
    "trigger",
    "confidence",
    "decided_by",
    "sentence",
    "sentence_start",
    "sentence_end",
)


def _names(entities: Iterable[dict[str, Any]], key: str | None = None) -> str:
    """Several parties in one cell, ';'-separated, in record order."""
    if key is None:
        return "; ".join(str(e.get("name") or e.get("entity_text") or "") for e in entities)
    return "; ".join(str(e.get(key) or "") for e in entities)


def flat_row(record: dict[str, Any]) -> dict[str, Any]:
    """One record as a flat row for CSV and spreadsheets."""
    loc = record.get("event_loc") or {}
    info = record.get("text_info") or {}
    reporter = record.get("reported_by")
    return {
        "id": record["id"],
        "article_id": record.get("article_id"),
        "date": record.get("date"),
        "event": ";".join(record.get("event", [])),
        "mode": ";".join(record.get("mode", [])),
        "quad_code": record.get("quad_code"),
        "event_scale": record.get("event_scale"),
        "actor": _names(record.get("actor", [])),
        "actor_code": _names(record.get("actor", []), "code"),
        "actor_sector": _names(record.get("actor", []), "sector"),
        "recipient": _names(record.get("recipient", [])),
        "recipient_code": _names(record.get("recipient", []), "code"),
        "recipient_sector": _names(record.get("recipient", []), "sector"),
        "location": loc.get("resolved_place") or loc.get("extracted_place"),
        "location_country": loc.get("country_code"),
        "lat": loc.get("lat"),
        "lon": loc.get("lon"),
        "factuality": record.get("factuality"),
        "reported_by": _names([reporter]) if reporter else None,
        "trigger": record.get("trigger"),
        "confidence": record.get("confidence"),
        "decided_by": record.get("decided_by"),
        "sentence": info.get("sentence_text"),
        "sentence_start": info.get("start"),
        "sentence_end": info.get("end"),
    }


def records_to_csv(records: Iterable[dict[str, Any]], out: IO[str]) -> int:
    """Stream records as CSV with a header; returns how many rows were written."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    count = 0
    for record in records:
        writer.writerow(flat_row(record))
        count += 1
    return count


# Terminal table: fixed widths so rows stream out as they are coded.
_TABLE = (("date", 10), ("event", 9), ("mode", 10), ("actor", 0), ("recipient", 0), ("where", 14))
_TABLE_TAIL = (("factuality", 12), ("trigger", 0))


def _party(entities: Iterable[dict[str, Any]]) -> str:
    parts = []
    for e in entities:
        tag = "/".join(x for x in (e.get("code"), e.get("sector")) if x)
        label = e.get("name") or e.get("entity_text") or "?"
        parts.append(f"{label} [{tag}]" if tag else str(label))
    return ", ".join(parts)


def _fit(text: str, width: int) -> str:
    """Cut to width with an ellipsis so columns stay aligned."""
    text = " ".join(text.split())
    return text if len(text) <= width else text[: max(width - 1, 0)] + "…"


def _table_widths(total: int) -> list[tuple[str, int]]:
    """Fixed columns keep their width; actor, recipient and trigger share the rest."""
    columns = list(_TABLE + _TABLE_TAIL)
    fixed = sum(w for _, w in columns) + 2 * (len(columns) - 1)
    flexible = [name for name, w in columns if w == 0]
    share = max((total - fixed) // len(flexible), 12)
    return [(name, w or share) for name, w in columns]


def _table_cells(record: dict[str, Any]) -> dict[str, str]:
    loc = record.get("event_loc") or {}
    place = loc.get("resolved_place") or loc.get("extracted_place") or ""
    return {
        "date": record.get("date") or "",
        "event": ";".join(record.get("event", [])),
        "mode": ";".join(record.get("mode", [])),
        "actor": _party(record.get("actor", [])),
        "recipient": _party(record.get("recipient", [])),
        "where": place,
        "factuality": record.get("factuality") or "",
        "trigger": record.get("trigger") or "",
    }


def render_table(records: Iterable[dict[str, Any]], out: IO[str], width: int | None = None) -> int:
    """A readable aligned table for the terminal (no extra dependency); returns the row count."""
    columns = _table_widths(width or shutil.get_terminal_size((160, 24)).columns)
    out.write("  ".join(name.upper().ljust(w) for name, w in columns).rstrip() + "\n")
    out.write("  ".join("-" * w for _, w in columns) + "\n")
    count = 0
    for record in records:
        cells = _table_cells(record)
        out.write("  ".join(_fit(cells[n], w).ljust(w) for n, w in columns).rstrip() + "\n")
        count += 1
    return count


def write_records(records: Iterable[dict[str, Any]], fmt: str, out: IO[str]) -> int:
    """Stream records in any output format; returns how many were written."""
    if fmt == "jsonl":
        count = 0
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
        return count
    if fmt == "json":
        count = 0
        out.write("[")
        for record in records:
            out.write(("," if count else "") + "\n" + json.dumps(record, ensure_ascii=False))
            count += 1
        out.write("\n]\n" if count else "]\n")
        return count
    if fmt == "csv":
        return records_to_csv(records, out)
    if fmt == "table":
        return render_table(records, out)
    if fmt == "cameo":
        from eventwire.cameo import write_cameo

        return write_cameo(records, out)
    if fmt in ("gdelt", "gdelt-mentions"):  # GDELT 2.0 tables; a record is a group of one
        from eventwire.link.output import write_gdelt_records

        return write_gdelt_records(records, fmt, out)
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
