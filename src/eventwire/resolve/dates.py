"""Dates: time expressions resolved against the article date, and each event's date.

Conventions (news style), all relative to the article date D:
- weekday ("on Thursday"): the most recent such day, D itself when D is that weekday; for
  planned events the next such day (D if same). "last Thursday" is strictly before D, "next
  Thursday" strictly after.
- "October 7", "since October 7": the most recent October 7 on or before D (the next one for
  planned events); a month alone likewise. Explicit dates need no D.
- "yesterday", "today", "tomorrow": D-1, D, D+1. "earlier" alone: the report day D, precision
  approximate (news uses it for "earlier today / on this trip"); "earlier this week": the week.
- "last week/month/year": the previous calendar week (Mon-Sun), month or year; "this week":
  Monday to D (to Sunday when planned); "the past N days": D-N to D, approximate.
- "N days ago": that day; "N weeks ago": that day, precision week; months and years ago: the
  month or year. Vague counts ("a few days ago"): a range, precision approximate (dates.yaml).
- durations ("a three-day visit"): `relative` holds an ISO 8601 duration ("P3D"); event_date
  spans start .. start + N - 1 days, the start being the event's own date or else D.
- without D: only absolute dates resolve; the rest keep `relative` (the words) and precision
  "unknown". No date is ever invented.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy
import yaml
from spacy.attrs import LOWER
from spacy.tokens import Doc, Span, Token

from eventwire.nlp.doctext import doc_ents
from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentence_span
from eventwire.records import DateMention, EventDate, Frame, updated

Resolved = tuple[date, date | None, str]
_CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "csubj", "parataxis"})
_LIGHT = frozenset({"have", "hold", "make", "launch", "carry", "conduct", "stage", "mount", "pay"})


@lru_cache(maxsize=1)
def _lex() -> dict[str, Any]:
    """dates.yaml plus the regexes built from its word lists, once per process."""
    with open(Path(__file__).with_name("dates.yaml"), encoding="utf-8") as fh:
        lex: dict[str, Any] = yaml.safe_load(fh)
    month = "|".join(sorted(lex["months"], key=len, reverse=True))
    wday = "|".join(sorted(lex["weekdays"], key=len, reverse=True))
    num = r"\d+|" + "|".join(
        sorted(list(lex["numbers"]) + list(lex["vague"]), key=len, reverse=True)
    )
    unit = "|".join(sorted(lex["units"], key=len, reverse=True))
    lex["re"] = {
        "iso": re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
        "md": re.compile(rf"^(?:(?:{wday}) )?({month}) (\d{{1,2}})(?: (\d{{4}}))?$"),
        "dm": re.compile(rf"^(?:(?:{wday}) )?(\d{{1,2}}) (?:of )?({month})(?: (\d{{4}}))?$"),
        "my": re.compile(rf"^({month})(?: of)? (\d{{4}})$"),
        "month": re.compile(rf"^({month})$"),
        "year": re.compile(r"^(\d{4})$"),
        "decade": re.compile(r"^(\d{3})0s$"),
        "wday": re.compile(rf"^(last|this|next|past|coming|previous)? ?({wday})$"),
        "period": re.compile(
            r"^(earlier |later )?(last|this|next|previous|coming) "
            r"(week|month|year|weekend)$"
        ),
        "ago": re.compile(rf"^({num}) ({unit}) (?:ago|earlier|before)$"),
        "within": re.compile(rf"^(past|last|previous) (?:({num}) )?({unit})$"),
        "span": re.compile(rf"^(?:for )?({num})[ -]({unit})(?:[ -]long)?$"),
    }
    return lex


@lru_cache(maxsize=16384)
def _clean(text: str) -> str:
    s = text.lower().replace("’", "'").replace("'s", "").replace(",", " ").replace(".", " ")
    s = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", s)
    s = re.sub(r"\b(mid|early|late)-", "", s)
    words = s.split()
    fillers = set(_lex()["fillers"])
    while words and words[0] in fillers:
        words = words[1:]
    return " ".join(words)


def _number(word: str) -> int | None:
    return int(word) if word.isdigit() else _lex()["numbers"].get(word)


def _month_end(d: date) -> date:
    return d.replace(day=calendar.monthrange(d.year, d.month)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _absolute(s: str) -> Resolved | None:
    """Dates that need no article date: 2024-03-03, March 3 2024, March 2024, 2024, 1990s."""
    lex, rx = _lex(), _lex()["re"]
    for key, y, mo, dd in (("iso", 1, 2, 3), ("md", 3, 1, 2), ("dm", 3, 2, 1)):
        if (m := rx[key].match(s)) and m[y]:
            month = int(m[mo]) if key == "iso" else lex["months"][m[mo]]
            d = _safe_date(int(m[y]), month, int(m[dd]))
            return (d, None, "day") if d else None
    if m := rx["my"].match(s):
        start = date(int(m[2]), lex["months"][m[1]], 1)
        return start, _month_end(start), "month"
    if (m := rx["year"].match(s)) and 1800 <= int(m[1]) <= 2100:
        return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31), "year"
    if m := rx["decade"].match(s):
        return date(int(m[1]) * 10, 1, 1), date(int(m[1]) * 10 + 9, 12, 31), "approximate"
    return None


def _day_month(month: int, day: int, base: date, future: bool) -> date | None:
    """The most recent (or, when planned, the next) month/day around the article date."""
    this_year = _safe_date(base.year, month, day)
    if this_year is None:
        return None
    if future:
        return this_year if this_year >= base else _safe_date(base.year + 1, month, day)
    return this_year if this_year <= base else _safe_date(base.year - 1, month, day)


def _weekday(which: str | None, wday: int, base: date, future: bool) -> date:
    back = (base.weekday() - wday) % 7
    ahead = (wday - base.weekday()) % 7
    if which in ("last", "past", "previous"):
        return base - timedelta(days=back or 7)
    if which in ("next", "coming"):
        return base + timedelta(days=ahead or 7)
    return base + timedelta(days=ahead) if future else base - timedelta(days=back)


def _period(m: re.Match[str], base: date, future: bool) -> Resolved:
    """last/this/next week, month, year, weekend."""
    earlier, which, unit = m[1], m[2], m[3]
    step = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}[which]
    if unit == "weekend":
        sat = base - timedelta(days=(base.weekday() - 5) % 7) if step <= 0 else base
        sat = sat + timedelta(days=(5 - sat.weekday()) % 7) if step > 0 else sat
        return sat, sat + timedelta(days=1), "approximate"
    if unit == "week":
        start = base - timedelta(days=base.weekday()) + timedelta(weeks=step)
        end = start + timedelta(days=6)
    elif unit == "month":
        start = _add_months(base.replace(day=1), step)
        end = _month_end(start)
    else:
        start, end = date(base.year + step, 1, 1), date(base.year + step, 12, 31)
    if step == 0 and (earlier or not future):
        end = min(end, base)
    return start, end, unit


def _ago(count: str, unit: str, base: date) -> Resolved:
    lex = _lex()
    days = lex["units"][unit]
    if count in lex["vague"]:
        low, high = lex["vague"][count]
        return base - timedelta(days=high * days), base - timedelta(days=low * days), "approximate"
    n = _number(count) or 1
    if days in (30, 365):
        d = _add_months(base, -n * (12 if days == 365 else 1))
        if days == 30:
            return d.replace(day=1), _month_end(d), "month"
        return date(d.year, 1, 1), date(d.year, 12, 31), "year"
    return base - timedelta(days=n * days), None, "day" if days == 1 else "week"


def _relative(s: str, base: date, future: bool) -> Resolved | None:
    """Expressions that need the article date."""
    lex, rx = _lex(), _lex()["re"]
    bare = " ".join(w for w in s.split() if w not in lex["parts_of_day"]) or s
    shift = lex["day_words"].get(s, lex["day_words"].get(bare))
    if shift is not None:
        return base + timedelta(days=shift), None, "day"
    if s in ("earlier", "earlier on", "recently earlier"):
        return base, None, "approximate"
    if m := rx["wday"].match(bare):
        return _weekday(m[1], lex["weekdays"][m[2]], base, future), None, "day"
    if m := rx["period"].match("this weekend" if s in ("weekend", "over weekend") else s):
        return _period(m, base, future)
    if m := rx["ago"].match(s):
        return _ago(m[1], m[2], base)
    if (m := rx["within"].match(s)) and (m[1] == "past" or m[2] or m[3].endswith("s")):
        n = lex["vague"][m[2]][1] if m[2] in lex["vague"] else _number(m[2] or "1") or 1
        days = max(1, n * lex["units"][m[3]])
        return base - timedelta(days=days), base, "approximate"
    md = lex["holidays"].get(s)  # "Christmas" is a month and day too
    if (m := rx["md"].match(s)) or (m := rx["dm"].match(s)):
        md = (m[1], m[2]) if m.re is rx["md"] else (m[2], m[1])
    if md:
        d = _day_month(lex["months"].get(md[0], md[0]), int(md[1]), base, future)
        return (d, None, "day") if d else None
    if m := rx["month"].match(s):
        d = _day_month(lex["months"][m[1]], 1, base.replace(day=1), future)
        return (d, _month_end(d), "month") if d else None
    return None


def duration_of(text: str) -> str | None:
    """ISO 8601 duration of a span expression ("three-day" -> "P3D"), or None."""
    m = _lex()["re"]["span"].match(_clean(text))
    if not m:
        return None
    n = _number(m[1]) or (1 if m[1] in ("a", "an") else None)
    unit = m[2].rstrip("s")
    if n is None or unit not in ("day", "week", "month", "year", "hour"):
        return None
    return f"PT{n}H" if unit == "hour" else f"P{n}{unit[0].upper()}"


@lru_cache(maxsize=2048)
def _dateparser(text: str, base: date | None) -> Resolved | None:
    """Last resort for explicit dates our rules miss; past-preferring, cached."""
    from dateparser.date import DateDataParser

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past"}
    if base is not None:
        settings["RELATIVE_BASE"] = datetime(base.year, base.month, base.day)
    data = DateDataParser(languages=["en"], settings=settings).get_date_data(text)
    if data.date_obj is None:
        return None
    d = data.date_obj.date()
    year, month = (date(d.year, 1, 1), date(d.year, 12, 31)), (d.replace(day=1), _month_end(d))
    return {"year": (*year, "year"), "month": (*month, "month")}.get(data.period, (d, None, "day"))


def _explicit_looking(s: str) -> bool:
    return bool(re.search(r"\b\d{4}\b", s)) or any(w in _lex()["months"] for w in s.split())


def _resolve_clean(s: str, base: date | None, future: bool) -> Resolved | None:
    found = _absolute(s)
    if found is None and base is not None:
        found = _relative(s, base, future)
    return found


@lru_cache(maxsize=8192)
def resolve_expression(text: str, base: date | None, future: bool = False) -> EventDate:
    """One time expression -> EventDate; unresolvable or base-less ones keep their words."""
    s = _clean(text)
    found, words = _resolve_clean(s, base, future), s.split()
    while found is None and len(words) > 1 and duration_of(text) is None:
        words = words[:-1]  # "Friday after weeks" (a misread entity) is Friday
        found = _resolve_clean(" ".join(words), base, future)
    if found is None and (duration := duration_of(text)):
        return EventDate(text=text, relative=duration, source="expression")
    if found is None and _explicit_looking(s) and (base is not None or re.search(r"\d{4}", s)):
        found = _dateparser(s, base)
    if found is None:
        return EventDate(text=text, relative=text, source="expression")
    start, end, precision = found
    return EventDate(
        date=start.isoformat(),
        enddate=end.isoformat() if end and end != start else None,
        precision=precision,
        text=text,
        source="expression",
    )


def article_base(doc: Doc) -> date | None:
    """The article date as a date (it may arrive as datetime or ISO text)."""
    value = ext(doc, "article_date")
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return date.fromisoformat(value[:10])
    return value if isinstance(value, date) else None


def annotate_dates(doc: Doc) -> None:
    """Set doc._.dates: DATE/TIME entities and loose time words, resolved."""
    base = article_base(doc)
    found: list[DateMention] = []
    covered: set[int] = set()
    for ent in doc_ents(doc):
        if ent.label_ not in ("DATE", "TIME") and _clean(ent.text) not in _lex()["holidays"]:
            continue
        when = resolve_expression(ent.text, base)
        if ent.label_ == "TIME" and when.date is None and not _names_a_day(ent.text):
            continue  # a clock time ("3 p.m.") says nothing about the day
        found.append(_mention(ent, when))
        covered.update(range(ent.start, ent.end))
    loose = [doc.vocab.strings.add(w) for w in _lex()["loose_words"]]
    for i in numpy.flatnonzero(numpy.isin(doc.to_array(LOWER), loose)):
        tok = doc[int(i)]
        if tok.i not in covered and tok.dep_ in ("advmod", "npadvmod"):
            found.append(_mention(doc[tok.i : tok.i + 1], resolve_expression(tok.text, base)))
    found.sort(key=lambda dm: dm.start)
    doc._.dates = found


def _names_a_day(text: str) -> bool:
    lex = _lex()
    days = set(lex["weekdays"]) | set(lex["loose_words"]) | {"last", "this", "yesterday"}
    return any(word in days for word in _clean(text).split())


def _mention(span: Span, when: EventDate) -> DateMention:
    return DateMention(
        span.start, span.end, updated(when, start=span.start_char, end=span.end_char)
    )


def _anchors(doc: Doc, frame: Frame) -> list[Token]:
    """The trigger's tokens, its light verb, and the noun a trigger is "a case of"."""
    anchors = list(doc[frame.trigger_start : frame.trigger_end]) or [doc[frame.trigger]]
    tok = doc[frame.trigger]
    if tok.dep_ in ("dobj", "nsubjpass", "nsubj") and tok.head.lemma_ in _LIGHT:
        anchors.append(tok.head)
    elif tok.dep_ == "pobj" and tok.head.lower_ == "of":
        anchors.append(tok.head.head)
    return anchors


def _boundary(doc: Doc, dm: DateMention) -> bool:
    """ "since October 7" bounds another event; it is not this event's date."""
    words = _lex()["boundaries"]
    root = doc[dm.start : dm.end].root
    before = doc[dm.start - 1].lower_ if dm.start > 0 else ""
    return before in words or (root.dep_ == "pobj" and root.head.lower_ in words)


def _attached(doc: Doc, dm: DateMention, anchor_ids: set[int]) -> bool:
    """The date hangs off the trigger without crossing into another clause."""
    tok = doc[dm.start : dm.end].root
    for _ in range(12):
        if tok.i in anchor_ids:
            return True
        if tok.dep_ in _CLAUSE_DEPS or tok.head.i == tok.i:
            return False
        tok = tok.head
    return False


def _when_clause(doc: Doc, anchors: list[Token], mentions: list[DateMention]) -> DateMention | None:
    """ "since October 7, when Hamas launched an attack": the attack is on October 7."""
    for anchor in anchors:
        if anchor.dep_ in ("relcl", "advcl") and any(c.lower_ == "when" for c in anchor.children):
            for dm in mentions:
                if dm.start <= anchor.head.i < dm.end:
                    return dm
    return None


def _with_duration(when: EventDate, span: DateMention, base: date | None) -> EventDate:
    """A start date plus "three-day" gives the span's last day."""
    start = date.fromisoformat(when.date) if when.date else base
    m = re.match(r"^P(\d+)([DWMY])$", span.when.relative or "")
    if start is None or not m:
        return updated(span.when) if when.date is None else when
    n, unit = int(m[1]), m[2]
    if unit in "DW":
        end = start + timedelta(days=n * (7 if unit == "W" else 1) - 1)
    else:
        end = _add_months(start, n * (12 if unit == "Y" else 1)) - timedelta(days=1)
    first, last = start.isoformat(), end.isoformat()
    return updated(span.when, date=first, enddate=last, precision="day", relative=None)


def event_date(doc: Doc, frame: Frame) -> EventDate:
    """The trigger's own date, else the sentence's, else the article date, else unknown."""
    base = article_base(doc)
    sent_start, sent_end = sentence_span(doc, frame.trigger)
    mentions = [dm for dm in ext(doc, "dates") or [] if sent_start <= dm.start < sent_end]
    anchors = _anchors(doc, frame)
    ids = {a.i for a in anchors}
    spans = [dm for dm in mentions if re.match(r"^P\d+[DWMY]$", dm.when.relative or "")]
    points = [dm for dm in mentions if dm not in spans and (dm.when.date or base is None)]
    chosen = _when_clause(doc, anchors, points)
    if chosen is None:
        free = [dm for dm in points if not _boundary(doc, dm)]
        near = [dm for dm in free if _attached(doc, dm, ids)] or free
        chosen = min(near, key=lambda dm: abs(dm.start - frame.trigger)) if near else None
    when = chosen.when if chosen else EventDate()
    if chosen and frame.factuality == "planned" and when.text:
        when = updated(resolve_expression(when.text, base, True), start=when.start, end=when.end)
    own_spans = [dm for dm in spans if _attached(doc, dm, ids)]
    if own_spans:
        return _with_duration(when, own_spans[0], base)
    if chosen:
        return when
    if base is not None:
        return EventDate(date=base.isoformat(), precision="day", source="article")
    return EventDate()
