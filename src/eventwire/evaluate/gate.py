"""The quality gate: dev-set scores pinned in the repo; a drop beyond tolerance fails CI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eventwire.evaluate.gold import gold_hash

REPO = Path(__file__).resolve().parents[3]
PINS = REPO / "quality" / "pins.json"
TOLERANCE = 0.01
# Strict figures only (evaluate/strict.py); the lenient ones flatter and are never pinned.
GATED = (
    "macro_f1",
    "type_accuracy",
    "event_coverage",
    "party_recall",
    "country_accuracy",
    "sector_accuracy",
    "location_within_25km",
    "location_within_161km",
    "date_exact",
)


def load_pins(path: Path = PINS) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {"sets": {}}


def resolve_set(name: str) -> Path:
    """Pinned paths are relative to the repo (../shared/... for the shared dev sets)."""
    return (REPO / name).resolve()


def pin_sheet(sheet: dict[str, Any]) -> dict[str, Any]:
    return {
        "gold_hash": sheet["gold_hash"],
        "limit": sheet.get("limit"),
        "scores": {k: round(sheet[k], 4) for k in GATED if sheet.get(k) is not None},
    }


def update_pins(sheets: dict[str, dict[str, Any]], path: Path = PINS) -> dict[str, Any]:
    """One command raises (or sets) the pins: `eventwire eval --update-pins`."""
    pins = load_pins(path)
    pins.setdefault("tolerance", TOLERANCE)
    for name, sheet in sheets.items():
        pins["sets"][name] = pin_sheet(sheet)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(pins, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    return pins


def check(name: str, sheet: dict[str, Any], pins: dict[str, Any]) -> list[str]:
    """Every score that fell more than the tolerance below its pin, as readable lines."""
    pin = pins["sets"][name]
    tolerance = pins.get("tolerance", TOLERANCE)
    if sheet["gold_hash"] != pin["gold_hash"]:
        return [f"{name}: gold data changed ({pin['gold_hash']} -> {sheet['gold_hash']}); re-pin"]
    drops = []
    for key, pinned in pin["scores"].items():
        got = sheet.get(key)
        if got is None or got < pinned - tolerance:
            drops.append(f"{name}: {key} {got} < pinned {pinned} - {tolerance}")
    return drops


def current_hash(name: str) -> str | None:
    path = resolve_set(name)
    return gold_hash(path) if path.exists() else None
