"""Dates: expressions resolved against the article date, and each event's date."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import eventwire.resolve.dates as dates
import shared_data
from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Frame
from eventwire.resolve.dates import annotate_dates, duration_of, event_date, resolve_expression

SEED = shared_data.SEED
MONDAY = date(2024, 8, 19)  # the seed article's date


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_places_v1", "eventwire_dates_v1"])


def parse(nlp: Language, text: str, day: date | None = MONDAY) -> Doc:
    return nlp(make_doc(nlp, text, "t", day))


CASES = [
    # (text, article date, date, enddate, precision)
    ("today", MONDAY, "2024-08-19", None, "day"),
    ("tonight", MONDAY, "2024-08-19", None, "day"),
    ("this morning", MONDAY, "2024-08-19", None, "day"),
    ("yesterday", MONDAY, "2024-08-18", None, "day"),
    ("last night", MONDAY, "2024-08-18", None, "day"),
    ("the day before yesterday", MONDAY, "2024-08-17", None, "day"),
    ("tomorrow", MONDAY, "2024-08-20", None, "day"),
    ("Thursday", MONDAY, "2024-08-15", None, "day"),  # the last Thursday before
    ("on Monday", MONDAY, "2024-08-19", None, "day"),  # same weekday: the report day
    ("Monday", date(2024, 8, 21), "2024-08-19", None, "day"),
    ("last Monday", MONDAY, "2024-08-12", None, "day"),
    ("next Thursday", MONDAY, "2024-08-22", None, "day"),
    ("Thursday night", MONDAY, "2024-08-15", None, "day"),
    ("early Sunday", MONDAY, "2024-08-18", None, "day"),
    ("Sunday's", MONDAY, "2024-08-18", None, "day"),
    ("last week", MONDAY, "2024-08-12", "2024-08-18", "week"),
    ("this week", date(2024, 8, 22), "2024-08-19", "2024-08-22", "week"),
    ("next week", MONDAY, "2024-08-26", "2024-09-01", "week"),
    ("last month", MONDAY, "2024-07-01", "2024-07-31", "month"),
    ("earlier this month", MONDAY, "2024-08-01", "2024-08-19", "month"),
    ("last year", MONDAY, "2023-01-01", "2023-12-31", "year"),
    ("the weekend", MONDAY, "2024-08-17", "2024-08-18", "approximate"),
    ("over the weekend", MONDAY, "2024-08-17", "2024-08-18", "approximate"),
    ("a few days ago", MONDAY, "2024-08-14", "2024-08-17", "approximate"),
    ("several days ago", MONDAY, "2024-08-12", "2024-08-16", "approximate"),
    ("two days ago", MONDAY, "2024-08-17", None, "day"),
    ("3 days ago", MONDAY, "2024-08-16", None, "day"),
    ("two weeks ago", MONDAY, "2024-08-05", None, "week"),
    ("three months ago", MONDAY, "2024-05-01", "2024-05-31", "month"),
    ("a year ago", MONDAY, "2023-01-01", "2023-12-31", "year"),
    ("the past week", MONDAY, "2024-08-12", "2024-08-19", "approximate"),
    ("the past three days", MONDAY, "2024-08-16", "2024-08-19", "approximate"),
    ("the last 24 hours", MONDAY, "2024-08-18", "2024-08-19", "approximate"),
    ("Earlier", MONDAY, "2024-08-19", None, "approximate"),
    ("October 7", MONDAY, "2023-10-07", None, "day"),  # the most recent past October 7
    ("Oct. 7", MONDAY, "2023-10-07", None, "day"),
    ("7 October", MONDAY, "2023-10-07", None, "day"),
    ("the 7th of October", MONDAY, "2023-10-07", None, "day"),
    ("August 19", MONDAY, "2024-08-19", None, "day"),
    ("Aug 2", MONDAY, "2024-08-02", None, "day"),
    ("in March", MONDAY, "2024-03-01", "2024-03-31", "month"),
    ("December", MONDAY, "2023-12-01", "2023-12-31", "month"),
    ("March 3, 2024", MONDAY, "2024-03-03", None, "day"),
    ("3 March 2024", MONDAY, "2024-03-03", None, "day"),
    ("2024-03-03", MONDAY, "2024-03-03", None, "day"),
    ("Sunday, March 3", MONDAY, "2024-03-03", None, "day"),
    ("December 25th, 2022", MONDAY, "2022-12-25", None, "day"),
    ("March 2024", MONDAY, "2024-03-01", "2024-03-31", "month"),
    ("2023", MONDAY, "2023-01-01", "2023-12-31", "year"),
    ("mid-2023", MONDAY, "2023-01-01", "2023-12-31", "year"),
    ("the 1990s", MONDAY, "1990-01-01", "1999-12-31", "approximate"),
    ("New Year's Day", date(2020, 1, 8), "2020-01-01", None, "day"),
    ("Christmas", MONDAY, "2023-12-25", None, "day"),
    ("Friday after weeks", MONDAY, "2024-08-16", None, "day"),  # a misread entity
    # absolute dates need no article date
    ("March 3, 2024", None, "2024-03-03", None, "day"),
    ("2019", None, "2019-01-01", "2019-12-31", "year"),
]


@pytest.mark.parametrize(("text", "base", "start", "end", "precision"), CASES)
def test_resolve_expression(
    text: str, base: date | None, start: str, end: str | None, precision: str
) -> None:
    when = resolve_expression(text, base)
    assert (when.date, when.enddate, when.precision) == (start, end, precision)
    assert when.text == text and when.source == "expression" and when.relative is None


@pytest.mark.parametrize(
    "text",
    ["a few days ago", "yesterday", "on Thursday", "last week", "October 7", "Earlier", "today"],
)
def test_no_article_date_no_absolute_date(text: str) -> None:
    when = resolve_expression(text, None)
    assert when.date is None and when.precision == "unknown" and when.relative == text


@pytest.mark.parametrize(
    ("text", "start"),
    [("Thursday", "2024-08-22"), ("on Monday", "2024-08-19"), ("October 7", "2024-10-07")],
)
def test_planned_events_look_forward(text: str, start: str) -> None:
    assert resolve_expression(text, MONDAY, True).date == start


@pytest.mark.parametrize(
    ("text", "iso"),
    [("three-day", "P3D"), ("two weeks", "P2W"), ("a week-long", "P1W"), ("48 hours", "PT48H")],
)
def test_durations(text: str, iso: str) -> None:
    assert duration_of(text) == iso
    assert resolve_expression(text, MONDAY).relative == iso


@pytest.mark.parametrize("text", ["Ramadan", "the same day", "annual"])
def test_unresolvable_keeps_the_words(text: str) -> None:
    when = resolve_expression(text, MONDAY)
    assert when.date is None and when.relative == text


def test_annotate_dates_finds_entities_and_loose_words(nlp: Language) -> None:
    doc = parse(nlp, "Earlier, police said protesters gathered on Thursday at 3 p.m.")
    found = {doc[dm.start : dm.end].text: dm.when.date for dm in doc._.dates}
    assert found.get("Earlier") == "2024-08-19" and found.get("Thursday") == "2024-08-15"
    assert "3 p.m." not in found  # a clock time says nothing about the day
    thursday = next(dm.when for dm in doc._.dates if dm.when.text == "Thursday")
    assert doc.text[thursday.start or 0 : thursday.end or 0] == "Thursday"


def test_no_dateparser_without_a_date_entity(
    nlp: Language, monkeypatch: pytest.MonkeyPatch
) -> None:
    def boom(*_: object) -> None:
        raise AssertionError("dateparser called")

    monkeypatch.setattr(dates, "_dateparser", boom)
    doc = parse(nlp, "The minister met the ambassador and discussed trade.")
    annotate_dates(doc)
    assert doc._.dates == []


def frame(doc: Doc, word: str, factuality: str = "asserted") -> Frame:
    tok = next(t for t in doc if t.text == word)
    sentence = next(i for i, s in enumerate(doc.sents) if s.start <= tok.i < s.end)
    return Frame("CONSULT", tok.i, tok.i, tok.i + 1, sentence, factuality=factuality)


def test_event_date_prefers_the_triggers_own_date(nlp: Language) -> None:
    doc = parse(nlp, "Police arrested 12 people on Monday after protesters clashed on Saturday.")
    assert event_date(doc, frame(doc, "arrested")).date == "2024-08-19"
    assert event_date(doc, frame(doc, "clashed")).date == "2024-08-17"


def test_event_date_falls_back_to_article_date_then_unknown(nlp: Language) -> None:
    doc = parse(nlp, "The two leaders met in Cairo.")
    when = event_date(doc, frame(doc, "met"))
    assert (when.date, when.precision, when.source) == ("2024-08-19", "day", "article")
    doc = parse(nlp, "The two leaders met in Cairo.", None)
    when = event_date(doc, frame(doc, "met"))
    assert (when.date, when.precision) == (None, "unknown")


def test_planned_event_date(nlp: Language) -> None:
    doc = parse(nlp, "The ministers will meet in Rome on Thursday.")
    assert event_date(doc, frame(doc, "meet", "planned")).date == "2024-08-22"


def test_duration_spans_from_the_events_date(nlp: Language) -> None:
    doc = parse(nlp, "Blinken began a three-day visit to Egypt on August 12.")
    when = event_date(doc, frame(doc, "visit"))
    assert (when.date, when.enddate, when.precision) == ("2024-08-12", "2024-08-14", "day")


@pytest.mark.usefixtures("seed_file")
@pytest.mark.parametrize("day", [MONDAY, None])
def test_seed_dates(nlp: Language, day: date | None) -> None:
    doc = parse(nlp, SEED.read_text(encoding="utf-8"), day)
    sents = list(doc.sents)

    def at(sentence: int, word: str, factuality: str = "asserted") -> Frame:
        tok = next(t for t in sents[sentence] if t.text == word)
        return Frame("CONSULT", tok.i, tok.i, tok.i + 1, sentence, factuality=factuality)

    visit = event_date(doc, at(2, "visit"))
    attack = event_date(doc, at(4, "launched"))
    terror = event_date(doc, at(6, "terror"))
    met = event_date(doc, at(4, "met"))
    if day is None:
        assert all(w.date is None for w in (visit, attack, terror, met))
        assert terror.relative == "a few days ago" and terror.precision == "unknown"
        return
    assert (visit.date, visit.enddate) == ("2024-08-19", "2024-08-21")  # three days
    assert attack.date == "2023-10-07"  # "since October 7, when Hamas launched an attack"
    assert terror.precision == "approximate"
    assert terror.date is not None and terror.enddate is not None
    assert terror.date < terror.enddate < "2024-08-19"
    assert met.date is not None and met.date <= "2024-08-19"
    assert event_date(doc, at(0, "meeting")).date == "2024-08-19"
