"""Character spans of the records (triggers, actors, places, dates) cut into marked segments."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

KINDS = ("trigger", "actor", "recipient", "place", "date", "reporter")


@dataclass(frozen=True)
class Span:
    """One highlighted stretch of the article text and the record it belongs to."""

    start: int
    end: int
    kind: str
    label: str
    event_id: str


@dataclass
class Segment:
    """A run of text covered by the same spans (none for plain text)."""

    text: str
    kinds: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    events: list[str] = field(default_factory=list)


def _entity_label(role: str, entity: dict[str, Any]) -> str:
    name = entity.get("name") or entity.get("entity_text") or "?"
    codes = " ".join(str(entity[k]) for k in ("code", "sector") if entity.get(k))
    return f"{role}: {name}" + (f" ({codes})" if codes else "")


def _date_span(record: dict[str, Any], text: str) -> tuple[int, int] | None:
    """Records give the date's words, not their offsets: find them in the event's sentence."""
    info = record.get("date_info") or {}
    if isinstance(info.get("start"), int) and isinstance(info.get("end"), int):
        return int(info["start"]), int(info["end"])
    words = info.get("text")
    sentence = record.get("text_info") or {}
    start, end = sentence.get("start"), sentence.get("end")
    if not words or start is None or end is None:
        return None
    at = text.find(words, int(start), int(end))
    return (at, at + len(words)) if at >= 0 else None


def record_spans(record: dict[str, Any], text: str) -> list[Span]:
    """Every span one record points at, labelled for a tooltip."""
    rid = str(record.get("id", ""))
    spans: list[Span] = []
    info = record.get("text_info") or {}
    if info.get("trigger_start") is not None and info.get("trigger_end") is not None:
        event = "/".join(record.get("event") or [])
        label = f"trigger: {record.get('trigger')} → {event}"
        spans.append(Span(info["trigger_start"], info["trigger_end"], "trigger", label, rid))
    for role in ("actor", "recipient"):
        for entity in record.get(role) or []:
            if entity.get("start") is not None and entity.get("end") is not None:
                label = _entity_label(role, entity)
                spans.append(Span(entity["start"], entity["end"], role, label, rid))
    reporter = record.get("reported_by")
    if reporter and reporter.get("start") is not None and reporter.get("end") is not None:
        label = _entity_label("reported by", reporter)
        spans.append(Span(reporter["start"], reporter["end"], "reporter", label, rid))
    loc = record.get("event_loc") or {}
    if loc.get("start") is not None and loc.get("end") is not None:
        where = loc.get("resolved_place") or loc.get("extracted_place")
        label = f"place: {where}" + (f" ({loc['country_code']})" if loc.get("country_code") else "")
        spans.append(Span(loc["start"], loc["end"], "place", label, rid))
    day = _date_span(record, text)
    if day is not None:
        precision = (record.get("date_info") or {}).get("precision")
        label = f"date: {record.get('date') or 'unresolved'} ({precision})"
        spans.append(Span(day[0], day[1], "date", label, rid))
    return [s for s in spans if 0 <= s.start < s.end <= len(text)]


def segments(text: str, start: int, end: int, spans: Iterable[Span]) -> list[Segment]:
    """The text between start and end, cut at every span edge; each piece knows its spans."""
    inside = [s for s in spans if s.start < end and s.end > start]
    cuts = sorted(
        {start, end, *(max(start, s.start) for s in inside), *(min(end, s.end) for s in inside)}
    )
    out: list[Segment] = []
    for a, b in zip(cuts, cuts[1:], strict=False):
        covering = [s for s in inside if s.start <= a and s.end >= b]
        seg = Segment(text[a:b])
        for s in covering:
            if s.kind not in seg.kinds:
                seg.kinds.append(s.kind)
            if s.label not in seg.labels:
                seg.labels.append(s.label)
            if s.event_id not in seg.events:
                seg.events.append(s.event_id)
        out.append(seg)
    return out


def annotate(
    text: str, sentences: Sequence[dict[str, Any]], records: Sequence[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each sentence with its highlighted segments and the records coded from it."""
    spans = [span for record in records for span in record_spans(record, text)]
    by_sentence: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for record in records:
        by_sentence[int((record.get("text_info") or {}).get("sequence", -1))].append(record)
    return [
        {
            **sentence,
            "segments": segments(text, sentence["start"], sentence["end"], spans),
            "records": by_sentence.get(int(sentence["idx"]), []),
        }
        for sentence in sentences
    ]
