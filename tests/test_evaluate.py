"""The lenient scorer printed beside the strict one (issue 5): matching, per-type F1, YIELD."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventwire.evaluate.gold import read_gold
from eventwire.evaluate.score import Tally, norm_country, overlaps, score_item, summarize


def _gold(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _ev(etype: str, actor: str, country: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "event_type": etype,
        "mode": None,
        "actor": [{"text": actor, "country": country, "sector": "GOV"}],
        "recipient": [],
        "location": extra.get("location"),
        "date": extra.get("date"),
    }


def _rec(etype: str, actor: str, code: str | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "event": [etype],
        "actor": [{"entity_text": actor, "code": code, "sector": "GOV"}],
        "recipient": [],
        "confidence": 0.5,
        "trigger": "x",
        "event_loc": extra.get("loc"),
        "date": extra.get("date"),
    }


def test_type_scores_and_actor_country(tmp_path: Path) -> None:
    rows = [
        {
            "id": "1",
            "text": "Egypt met Israel.",
            "date": None,
            "events": [_ev("CONSULT", "Egypt", "EGY")],
        },
        {
            "id": "2",
            "text": "Iran condemned it.",
            "date": None,
            "events": [_ev("ACCUSE", "Iran", "Iran")],
        },
        {"id": "3", "text": "Nothing found.", "date": None, "events": [_ev("AID", "Japan")]},
    ]
    preds = {
        "1": [_rec("CONSULT", "Egypt", "EGY"), _rec("ASSAULT", "rebels")],
        "2": [_rec("ACCUSE", "Iran", "IRN")],
        "3": [],
    }
    tally = Tally()
    for item in read_gold(_gold(tmp_path, rows)):
        score_item(tally, item, preds[item.id])
    sheet = summarize(tally)
    assert sheet["per_type"]["CONSULT"]["f1"] == 1.0
    assert sheet["per_type"]["AID"]["recall"] == 0.0
    assert sheet["macro_f1"] == pytest.approx(2 / 3)
    assert sheet["strict_precision"] == pytest.approx(2 / 3)  # the extra ASSAULT counts against
    assert sheet["country_accuracy"] == 1.0  # "Iran" as a name normalises to IRN


def test_yield_counts_concede_and_retreat(tmp_path: Path) -> None:
    rows = [{"id": "y", "text": "They freed him.", "date": None, "events": [_ev("YIELD", "They")]}]
    tally = Tally()
    for item in read_gold(_gold(tmp_path, rows)):
        score_item(tally, item, [_rec("RETREAT", "They")])
    assert summarize(tally)["per_type"]["YIELD"]["f1"] == 1.0


def test_location_distance_and_date(tmp_path: Path) -> None:
    loc = {"text": "Nairobi", "country": "KEN", "lat": -1.286, "lon": 36.817}
    rows = [
        {
            "id": "p",
            "text": "Police arrested him in Nairobi on Monday.",
            "date": "2024-03-06",
            "events": [_ev("COERCE", "Police", location=loc, date="2024-03-04")],
        }
    ]
    near = {"country_code": "KEN", "lat": -1.3, "lon": 36.8}
    tally = Tally()
    for item in read_gold(_gold(tmp_path, rows)):
        score_item(tally, item, [_rec("COERCE", "Police", loc=near, date="2024-03-04")])
    sheet = summarize(tally)
    assert sheet["location_country_accuracy"] == 1.0
    assert sheet["location_within_25km"] == 1.0
    assert sheet["date_exact"] == 1.0


def test_helpers() -> None:
    assert overlaps("the Israeli President Isaac Herzog", "Herzog")
    assert not overlaps("the government", "the rebels")
    assert norm_country("Germany") == "DEU" and norm_country("USA") == "USA"


def test_malformed_gold_line_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": "a", "text": "x", "events": []}\n{"text": 1}\n', encoding="utf-8")
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        list(read_gold(path))


def test_eval_command_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from eventwire.cli import main

    rows = [
        {
            "id": "e1",
            "text": "Police arrested three protesters in Nairobi on Monday.",
            "date": "2024-03-06",
            "events": [_ev("COERCE", "Police", location=None, date="2024-03-04")],
        },
        {
            "id": "e2",
            "text": "French President Emmanuel Macron met German Chancellor Olaf Scholz in Paris.",
            "date": "2024-05-02",
            "events": [_ev("CONSULT", "Emmanuel Macron", "FRA")],
        },
    ]
    assert main(["eval", str(_gold(tmp_path, rows)), "--json", "--errors", "3"]) == 0
    sheet = next(iter(json.loads(capsys.readouterr().out).values()))
    assert sheet["items"] == 2 and sheet["events_gold"] == 2
    assert sheet["macro_f1"] == 1.0
    assert sheet["date_exact"] == 1.0
    assert sheet["country_accuracy"] == 1.0


def test_legacy_gold_codes_count_as_their_iso_and_plover_equivalents() -> None:
    from eventwire.evaluate.score import country_matches

    assert country_matches("ITL", {"ITA"})
    assert country_matches("IGO", {"UNO"}) and country_matches("IGO", {"EUR"})
    assert not country_matches("IGO", {"USA"})
    assert country_matches("Israel", {"ISR"}) and not country_matches("ISR", {"PSE"})


def test_location_text_is_scored_where_the_set_names_only_the_place(tmp_path: Path) -> None:
    """Issue 5: gold locations with a name but no country or point still score the choice."""
    rows = [
        {
            "id": f"t{i}",
            "text": "Talks resumed in Geneva, far from Kabul.",
            "date": None,
            "events": [_ev("CONSULT", "Talks", location={"text": "Geneva", "country": None})],
        }
        for i in range(2)
    ]
    right = {"extracted_place": "Geneva", "resolved_place": "Geneva", "country_code": "CHE"}
    wrong = {"extracted_place": "Kabul", "resolved_place": "Kabul", "country_code": "AFG"}
    tally = Tally()
    for item, loc in zip(read_gold(_gold(tmp_path, rows)), (right, wrong), strict=True):
        score_item(tally, item, [_rec("CONSULT", "Talks", loc=loc)])
    sheet = summarize(tally)
    assert sheet["location_text_match"] == 0.5
    assert sheet["location_country_accuracy"] is None
