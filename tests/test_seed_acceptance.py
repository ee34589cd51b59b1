"""Acceptance: every **must** row of ../shared/examples/seed-article.expected.md (issue 2)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from typing import Any

import pytest

import shared_data

SEED = shared_data.SEED

pytestmark = pytest.mark.usefixtures("seed_file")

Record = dict[str, Any]


def _extract(*extra: str) -> list[Record]:
    out = subprocess.run(
        [sys.executable, "-m", "eventwire", "extract", str(SEED), "--jobs", "1", *extra],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [json.loads(line) for line in out.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return _extract("--date", "2024-08-19")


@pytest.fixture(scope="module")
def undated() -> list[Record]:
    return _extract()


@pytest.fixture(scope="module")
def text() -> str:
    from eventwire.ingest import clean_text

    return clean_text(SEED.read_text(encoding="utf-8"))


def _names(parties: list[Record]) -> set[str]:
    return {p.get("name") or p.get("entity_text", "") for p in parties}


def _party(parties: list[Record], name: str) -> Record:
    found = [p for p in parties if name in (p.get("name") or "")]
    assert found, f"{name} not among {_names(parties)}"
    return found[0]


def _find(records: list[Record], etype: str, sentence: int) -> Record:
    found = [r for r in records if r["event"] == [etype] and r["text_info"]["sequence"] == sentence]
    seen = [(r["event"], r["text_info"]["sequence"], r["trigger"]) for r in records]
    assert found, f"no {etype} in sentence {sentence}: {seen}"
    return found[0]


def _near(loc: Record | None, lat: float, lon: float, km: float = 25.0) -> bool:
    from math import asin, cos, radians, sin, sqrt

    if not loc or loc.get("lat") is None:
        return False
    p1, p2 = radians(loc["lat"]), radians(lat)
    dl = radians(loc["lon"] - lon)
    h = sin((p2 - p1) / 2) ** 2 + cos(p1) * cos(p2) * sin(dl / 2) ** 2
    return 2 * 6371 * asin(sqrt(h)) <= km


def test_row1_private_meeting(records: list[Record]) -> None:
    rec = _find(records, "CONSULT", 0)
    blinken = _party(rec["actor"], "Antony Blinken")
    assert (blinken["code"], blinken["sector"], blinken["office"]) == (
        "USA",
        "GOV",
        "Secretary of State",
    )
    bibi = _party(rec["actor"], "Benjamin Netanyahu")
    assert (bibi["code"], bibi["sector"], bibi["office"]) == ("ISR", "GOV", "Prime Minister")
    assert rec["recipient"] == []
    assert rec["event_loc"]["resolved_place"] == "Jerusalem"
    assert rec["event_loc"]["country_code"] == "ISR"
    assert _near(rec["event_loc"], 31.77, 35.22)
    assert rec["date"] == "2024-08-19"
    assert rec["factuality"] in ("asserted", "reported")
    assert "Prime Minister's Office" in rec["reported_by"]["entity_text"]
    assert rec["reported_by"]["code"] == "ISR"


def test_row2_expanded_session(records: list[Record]) -> None:
    rec = _find(records, "CONSULT", 1)
    assert rec["factuality"] == "planned"
    actors = rec["actor"]
    assert len(actors) == 8, [a["entity_text"] for a in actors]
    envoy = [a for a in actors if "Ambassador" in a["entity_text"]]
    assert len(envoy) == 1 and (envoy[0]["code"], envoy[0]["sector"]) == ("USA", "GOV")
    others = [a for a in actors if a is not envoy[0]]
    assert all((a["code"], a["sector"]) == ("ISR", "GOV") for a in others), others
    assert rec["event_loc"]["resolved_place"] == "Jerusalem"


def test_row3_visit(records: list[Record]) -> None:
    rec = _find(records, "CONSULT", 2)
    assert "visit" in rec["mode"]
    blinken = _party(rec["actor"], "Antony Blinken")
    assert (blinken["code"], blinken["sector"]) == ("USA", "GOV")
    assert {r["code"] for r in rec["recipient"]} == {"EGY", "ISR"}
    start, end = date.fromisoformat(rec["date"]), date.fromisoformat(rec["enddate"])
    assert (end - start).days == 2
    assert rec["factuality"] == "asserted"


def test_row4_met_with_herzog(records: list[Record]) -> None:
    rec = _find(records, "CONSULT", 4)
    assert _names(rec["actor"]) == {"Antony Blinken"}
    herzog = _party(rec["recipient"], "Isaac Herzog")
    assert (herzog["code"], herzog["sector"], herzog["office"]) == ("ISR", "GOV", "President")
    assert rec["event_loc"]["country_code"] == "ISR"
    assert rec["date"] is None or rec["date"] <= "2024-08-19"
    assert rec["factuality"] == "asserted"


def test_row5_hamas_attack(records: list[Record]) -> None:
    rec = _find(records, "ASSAULT", 4)
    hamas = _party(rec["actor"], "Hamas")
    assert (hamas["code"], hamas["sector"]) == ("PSE", "REB")
    assert [r["code"] for r in rec["recipient"]] == ["ISR"]
    assert rec["date"] == "2023-10-07"
    assert rec["factuality"] == "asserted"


def test_row6_terror_in_tel_aviv(records: list[Record]) -> None:
    rec = _find(records, "ASSAULT", 6)
    assert rec["event_loc"]["resolved_place"] == "Tel Aviv"
    assert rec["event_loc"]["country_code"] == "ISR"
    assert rec["date_info"]["precision"] == "approximate"
    assert rec["date"] < "2024-08-19"
    assert rec["factuality"] in ("asserted", "reported")
    assert rec["reported_by"]["name"] == "Isaac Herzog"


def test_nothing_from_read_also_line(records: list[Record], text: str) -> None:
    assert "Read also" not in text and "Kyiv" not in text
    raw = SEED.read_text(encoding="utf-8")
    cut = raw.index("Read also")
    assert all(r["text_info"]["end"] <= cut for r in records)


def test_spans_point_into_article(records: list[Record], text: str) -> None:
    for rec in records:
        info = rec["text_info"]
        assert text[info["trigger_start"] : info["trigger_end"]] == rec["trigger"]
        assert info["start"] <= info["trigger_start"] < info["trigger_end"] <= info["end"]
        for party in rec["actor"] + rec["recipient"]:
            if party.get("start") is not None:
                assert text[party["start"] : party["end"]] == party["entity_text"]


def test_coreference(records: list[Record]) -> None:
    parties = [p for r in records for p in r["actor"] + r["recipient"]]
    parties += [r["reported_by"] for r in records if r.get("reported_by")]
    for party in parties:
        said = party.get("mention_text") or party["entity_text"]
        if said in ("He", "he") and party.get("start", 0) > 600:
            assert party["name"] == "Isaac Herzog", party
        if said == "his":
            assert party["name"] == "Antony Blinken", party
        for short, full in (
            ("Blinken", "Antony Blinken"),
            ("Herzog", "Isaac Herzog"),
            ("Netanyahu", "Benjamin Netanyahu"),
        ):
            if said == short:
                assert party["name"] == full, party


def test_no_date_invented_without_publication_date(undated: list[Record]) -> None:
    assert undated, "the undated run codes the same events"
    assert all(r["date"] is None for r in undated)
    vague = [r for r in undated if r["event"] == ["ASSAULT"] and r["text_info"]["sequence"] == 6]
    assert vague and vague[0]["date_info"]["relative"] == "a few days ago"
