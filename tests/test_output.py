"""PLOVER records, the published JSON Schema, and the CSV/table renderings."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import replace
from datetime import date

import pytest

from eventwire.output import (
    article_records,
    event_id,
    event_schema,
    event_to_plover,
    plover_table,
    record_errors,
    render_table,
    validate_record,
    write_records,
)
from eventwire.records import Actor, Article, Event, EventDate, Place

TEXT = (
    "The Norwegian foreign minister travelled to Nairobi on Tuesday. "
    "Jonas Dahl met with Kenyan President Ruth Wanjiru at State House. "
    "Police in Mombasa arrested twelve fishermen."
)


def _span(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def _sentence(index: int) -> tuple[int, int]:
    parts = TEXT.split(". ")
    start = TEXT.index(parts[index])
    end = start + len(parts[index]) + (1 if index < len(parts) - 1 else 0)
    return start, end


def make_article() -> Article:
    return Article(
        id="oslo-nairobi",
        text=TEXT,
        title="Norway and Kenya talk fisheries",
        date=date(2024, 3, 5),
        url="https://example.org/a",
        source="Example Wire",
    )


def make_events() -> list[Event]:
    s1, e1 = _sentence(1)
    t1, u1 = _span("met with")
    a1, b1 = _span("Jonas Dahl")
    a2, b2 = _span("Ruth Wanjiru")
    consult = Event(
        event_type="CONSULT",
        article_id="oslo-nairobi",
        sentence_index=1,
        sentence_start=s1,
        sentence_end=e1,
        trigger="met with",
        trigger_start=t1,
        trigger_end=u1,
        mode=["visit"],
        actors=[
            Actor("Jonas Dahl", "Jonas Dahl", "NOR", "GOV", "Foreign Minister", start=a1, end=b1)
        ],
        recipients=[
            Actor("Ruth Wanjiru", "Ruth Wanjiru", "KEN", "GOV", "President", start=a2, end=b2)
        ],
        location=Place("State House", "Nairobi", 184745, -1.28, 36.82, country_code="KEN"),
        when=EventDate("2024-03-05", precision="day", text="Tuesday", source="expression"),
        confidence=0.9,
        decided_by="lexicon:met with",
        rule="verb:meet",
    )
    s2, e2 = _sentence(2)
    t2, u2 = _span("arrested")
    coerce = Event(
        event_type="COERCE",
        article_id="oslo-nairobi",
        sentence_index=2,
        sentence_start=s2,
        sentence_end=e2,
        trigger="arrested",
        trigger_start=t2,
        trigger_end=u2,
        mode=["arrest"],
        actors=[Actor("Police", None, "KEN", "COP", resolution="role")],
        recipients=[Actor("twelve fishermen", None, "KEN", "CVL", resolution="role")],
        factuality="reported",
        reported_by=Actor("Ruth Wanjiru", "Ruth Wanjiru", "KEN", "GOV", mention_text="she"),
    )
    return [consult, coerce]


def test_record_fields_offsets_and_scores() -> None:
    article, (consult, coerce) = make_article(), make_events()
    rec = event_to_plover(consult, article)
    validate_record(rec)
    assert rec["event"] == ["CONSULT"] and rec["mode"] == ["visit"]
    assert rec["quad_code"] == 1 and rec["event_scale"] == 4.0  # the visit mode's own score
    assert rec["date"] == "2024-03-05" and rec["date_info"]["text"] == "Tuesday"
    assert rec["actor"][0]["code"] == "NOR" and rec["actor"][0]["office"] == "Foreign Minister"
    assert rec["recipient"][0]["name"] == "Ruth Wanjiru"
    info = rec["text_info"]
    assert TEXT[info["start"] : info["end"]] == info["sentence_text"]
    assert info["sentence_text"].startswith("Jonas Dahl met with")
    assert TEXT[info["trigger_start"] : info["trigger_end"]] == "met with"
    start, end = _span("met with")
    assert rec["event_text"][0] == {
        "role": "trigger",
        "text": "met with",
        "start": start,
        "end": end,
    }
    assert rec["event_loc"]["country_code"] == "KEN"
    assert rec["cite_info"]["codebook"] == "plover-0.8"
    assert rec["cite_info"]["coder"].startswith("eventwire ")
    assert rec["cite_info"]["corpus"] == "Example Wire" and rec["article_id"] == "oslo-nairobi"

    other = event_to_plover(coerce, article)
    validate_record(other)
    assert other["quad_code"] == 4 and other["event_scale"] == -7.0
    assert other["date"] is None and other["event_loc"] is None
    assert other["factuality"] == "reported"
    assert other["reported_by"]["mention_text"] == "she"


def test_ids_are_stable_and_distinct() -> None:
    article, (consult, coerce) = make_article(), make_events()
    first = event_to_plover(consult, article)["id"]
    assert event_to_plover(consult, make_article())["id"] == first  # a re-run gives the same id
    assert event_to_plover(coerce, article)["id"] != first
    moved = replace(consult, trigger_start=consult.trigger_start + 1)
    assert event_id(moved, article) != first
    retyped = replace(consult, event_type="AGREE")
    assert event_id(retyped, article) != first
    edited = replace(article, text=article.text + " More.")
    assert event_id(consult, edited) != first


def test_article_records_never_repeat_an_id() -> None:
    article, (consult, _) = make_article(), make_events()
    twin = replace(consult, recipients=[])
    records = article_records(article, [consult, twin])
    assert len({r["id"] for r in records}) == 2
    assert records[0]["id"] == event_id(consult, article)


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("event", ["DEMAND"], "event/0"),
        ("date", "19/08/2024", "date"),
        ("date", "2024-02-30", "date"),
        ("factuality", "rumoured", "factuality"),
        ("confidence", 1.5, "confidence"),
        ("surprise", 1, "<root>"),
    ],
)
def test_schema_rejects_bad_records(field: str, value: object, where: str) -> None:
    rec = event_to_plover(make_events()[0], make_article())
    rec[field] = value
    errors = record_errors(rec)
    assert errors and errors[0].startswith(where)
    with pytest.raises(ValueError, match="invalid"):
        validate_record(rec)


def test_schema_requires_every_field_and_entity_keys() -> None:
    rec = event_to_plover(make_events()[0], make_article())
    assert set(event_schema()["required"]) == set(rec)
    del rec["actor"][0]["sector"]
    assert any(e.startswith("actor/0") for e in record_errors(rec))


def test_plover_table_matches_the_codebook() -> None:
    types = plover_table()["types"]
    assert len(types) == 16
    assert set(event_schema()["properties"]["event"]["items"]["enum"]) == set(types)
    quads = {name: info["quad"] for name, info in types.items()}
    assert [t for t, q in quads.items() if q == 1] == ["AGREE", "CONSULT", "SUPPORT", "CONCEDE"]
    assert [t for t, q in quads.items() if q == 2] == ["COOPERATE", "AID", "RETREAT"]
    assert [t for t, q in quads.items() if q == 3] == ["REQUEST", "ACCUSE", "REJECT", "THREATEN"]
    assert quads["SANCTION"] == 4 and quads["ASSAULT"] == 4
    for info in types.values():
        assert -10 <= info["score"] <= 10
        assert all(s is None or -10 <= s <= 10 for s in info["modes"].values())
    assert types["ASSAULT"]["modes"]["unconventional"] == -10.0


def test_csv_round_trip() -> None:
    records = article_records(make_article(), make_events())
    out = io.StringIO()
    assert write_records(records, "csv", out) == 2
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["event"] for r in rows] == ["CONSULT", "COERCE"]
    assert rows[0]["actor"] == "Jonas Dahl" and rows[0]["recipient_code"] == "KEN"
    assert rows[1]["actor"] == "Police" and rows[1]["reported_by"] == "Ruth Wanjiru"
    assert rows[0]["sentence"] == records[0]["text_info"]["sentence_text"]


def test_json_and_jsonl_round_trip() -> None:
    records = article_records(make_article(), make_events())
    out = io.StringIO()
    write_records(records, "json", out)
    assert json.loads(out.getvalue()) == records
    out = io.StringIO()
    write_records(iter([]), "json", out)
    assert json.loads(out.getvalue()) == []
    out = io.StringIO()
    write_records(records, "jsonl", out)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == records
    with pytest.raises(ValueError, match="unknown format"):
        write_records(records, "xml", io.StringIO())


def test_table_is_aligned_and_readable() -> None:
    records = article_records(make_article(), make_events())
    out = io.StringIO()
    assert render_table(records, out, width=160) == 2
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("DATE") and "RECIPIENT" in lines[0]
    assert "Jonas Dahl [NOR/GOV]" in lines[2] and "CONSULT" in lines[2]
    assert "COERCE" in lines[3] and "reported" in lines[3]
    assert all(len(line) <= 160 for line in lines)
    # columns line up: the event column starts at the same place on every row
    assert {line.index("CO", 10) for line in lines[2:]} == {lines[0].index("EVENT")}
    narrow = io.StringIO()
    render_table(records, narrow, width=110)
    assert "…" in narrow.getvalue() and all(len(x) <= 110 for x in narrow.getvalue().splitlines())
