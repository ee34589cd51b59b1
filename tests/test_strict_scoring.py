"""Strict scoring, the measure of record (issue 14): rules, miss steps, and parity with the
reference scorer ../shared/tools/score_strict.py on every shared dev set."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from eventwire.evaluate import errors, strict
from eventwire.evaluate.gold import read_gold, read_gold_set

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
DEV_SETS = ("plover-gsr-dev", "plv-train-dev", "acled-asia-2015-dev")


def _gold(tmp_path: Path, rows: list[dict[str, Any]]) -> Path:
    path = tmp_path / "gold.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    return path


def _party(text: str, country: str | None = None, sector: str | None = None) -> dict[str, Any]:
    return {"text": text, "country": country, "sector": sector}


def _ev(etype: str, actors: list[dict[str, Any]], recips: list[dict[str, Any]] | None = None):
    return {"event_type": etype, "actor": actors, "recipient": recips or [], "location": None}


def _rec(etype: str, actors: list[tuple[str, str | None, str | None]], **extra: Any):
    parties = [{"entity_text": t, "code": c, "sector": s} for t, c, s in actors]
    return {"event": [etype], "actor": parties, "recipient": [], "trigger": "x", **extra}


def _score(tmp_path: Path, rows: list[dict[str, Any]], preds: dict[str, list[dict[str, Any]]]):
    tally = strict.StrictTally()
    for item in read_gold_set(_gold(tmp_path, rows)):
        strict.score_item(tally, item, preds[item.id])
    return strict.summarize(tally)


def test_issue14_record_is_chosen_by_parties_not_by_type(tmp_path: Path) -> None:
    rows = [
        {
            "id": "a",
            "text": "Police fired on protesters in Dhaka.",
            "events": [_ev("ASSAULT", [_party("Police", "BGD", "COP")])],
        }
    ]
    preds = {
        "a": [
            _rec("ASSAULT", [("students", None, "CVL")]),
            _rec("COERCE", [("police", "BGD", "COP")]),
        ]
    }
    sheet = _score(tmp_path, rows, preds)
    # the COERCE record shares the party, so it is compared: its type is wrong, its code right
    assert sheet["per_type"]["ASSAULT"]["recall"] == 0.0
    assert sheet["country_accuracy"] == 1.0 and sheet["party_recall"] == 1.0


def test_issue14_a_party_not_found_counts_as_wrong(tmp_path: Path) -> None:
    gold = [_party("Israel", "ISR", "GOV"), _party("Hamas", "PSE", "REB")]
    rows = [{"id": "b", "text": "Israel and Hamas agreed.", "events": [_ev("AGREE", gold)]}]
    sheet = _score(tmp_path, rows, {"b": [_rec("AGREE", [("Israel", "ISR", "GOV")])]})
    assert sheet["party_recall"] == 0.5
    assert sheet["country_accuracy"] == 0.5 and sheet["sector_accuracy"] == 0.5


def test_issue14_yield_is_file_wide_and_no_record_is_type_none(tmp_path: Path) -> None:
    rows = [
        {"id": "c", "text": "They freed him.", "events": [_ev("YIELD", [_party("They")])]},
        {"id": "d", "text": "They left.", "events": [_ev("RETREAT", [_party("They")])]},
        {"id": "e", "text": "Nothing.", "events": [_ev("AID", [_party("Japan", "JPN")])]},
    ]
    preds = {
        "c": [_rec("CONCEDE", [("They", None, None)])],
        "d": [_rec("RETREAT", [("They", None, None)])],
        "e": [],
    }
    sheet = _score(tmp_path, rows, preds)
    assert sheet["confusion"]["YIELD"] == {"YIELD": 2}  # RETREAT in a YIELD set is YIELD
    assert sheet["confusion"]["AID"] == {"NONE": 1}
    assert sheet["event_coverage"] == pytest.approx(2 / 3)
    assert sheet["country_accuracy"] is None  # a text with no record is scored as type only


def test_issue14_miss_steps_name_where_a_party_was_lost(tmp_path: Path) -> None:
    rows = [
        {
            "id": "f",
            "text": "Police clashed with rebels; Kenya's army watched.",
            "events": [
                _ev(
                    "ASSAULT",
                    [_party("Police", "KEN", "COP")],
                    [
                        _party("rebels", "KEN", "REB"),
                        _party("the army", "KEN", "MIL"),
                        _party("Somalia"),
                    ],
                )
            ],
        }
    ]
    item = next(iter(read_gold(_gold(tmp_path, rows))))
    preds = [
        _rec("ASSAULT", [("police", "UGA", "COP")]),
        _rec("MOBILIZE", [("army", "KEN", "MIL")]),
    ]
    misses = errors.event_misses(item, item.events[0], preds, lambda _item: ["rebels"])
    steps = {m["gold"].split(" [")[0]: m["step"] for m in misses}
    assert steps == {
        "Police": "country",
        "rebels": "no role",
        "the army": "no role (in another record)",
        "Somalia": "no mention",
    }


def _reference(gold: Path) -> dict[str, float | None]:
    exe = Path(sys.executable).with_name("eventwire")
    scorer = SHARED / "tools" / "score_strict.py"
    out = (
        subprocess.run(
            [sys.executable, str(scorer), str(exe), str(gold)],
            capture_output=True,
            text=True,
            check=True,
            timeout=900,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    figures: dict[str, float | None] = {}
    for name, key in (
        ("macro-F1", "macro_f1"),
        ("party recall", "party_recall"),
        ("country", "country_accuracy"),
        ("sector", "sector_accuracy"),
        ("loc<=25km", "location_within_25km"),
        ("date", "date_exact"),
    ):
        value = re.search(rf"{re.escape(name)} ([0-9.]+|n/a)", out)
        assert value is not None, out
        figures[key] = None if value.group(1) == "n/a" else float(value.group(1))
    return figures


@pytest.mark.slow
@pytest.mark.parametrize("name", DEV_SETS)
def test_issue14_eval_agrees_with_the_reference_scorer(name: str) -> None:
    from eventwire.evaluate.run import evaluate_file

    gold = SHARED / "data" / f"{name}.jsonl"
    assert gold.exists(), f"{gold} missing: CI lays ../shared beside the checkout"
    ours = evaluate_file(gold)
    for key, theirs in _reference(gold).items():
        if theirs is None:
            assert ours[key] is None, key
        else:
            assert ours[key] == pytest.approx(theirs, abs=0.01), key
