"""Render an evaluation sheet for a terminal."""

from __future__ import annotations

from typing import Any


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def _types(sheet: dict[str, Any]) -> list[str]:
    lines = [f"{'type':<11} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>5}"]
    for label, row in sheet["per_type"].items():
        lines.append(
            f"{label:<11} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
            f" {int(row['support']):5d}"
        )
    return lines


def _confusion(sheet: dict[str, Any]) -> list[str]:
    matrix: dict[str, dict[str, int]] = sheet["confusion"]
    cols = sorted({c for row in matrix.values() for c in row})
    head = "gold\\pred   " + " ".join(f"{c[:6]:>6}" for c in cols)
    rows = [
        f"{gold:<11} " + " ".join(f"{matrix[gold].get(c, 0):6d}" for c in cols)
        for gold in sorted(matrix)
    ]
    return [head, *rows]


def _measures(sheet: dict[str, Any]) -> list[str]:
    names = [
        ("macro-F1 (event type)", "macro_f1"),
        ("type accuracy", "type_accuracy"),
        ("strict precision (type+actors)", "strict_precision"),
        ("strict recall (type+actors)", "strict_recall"),
        ("actor text overlap", "actor_text_overlap"),
        ("recipient text overlap", "recipient_text_overlap"),
        ("actor/recipient country accuracy", "country_accuracy"),
        ("actor/recipient sector accuracy", "sector_accuracy"),
        ("location text match", "location_text_match"),
        ("location country accuracy", "location_country_accuracy"),
        ("location within 25 km", "location_within_25km"),
        ("location within 161 km", "location_within_161km"),
        ("date exact match", "date_exact"),
    ]
    return [f"{label:<34} {_pct(sheet.get(key))}" for label, key in names]


def _errors(sheet: dict[str, Any]) -> list[str]:
    lines = []
    for err in sheet["errors"]:
        lines.append(f"- {err['id']}: gold {err['gold']}, got {err['predicted']} {err['triggers']}")
        lines.append(f"    {err['text']}")
    return lines


def render(sheet: dict[str, Any]) -> str:
    """Per-type table, headline measures, confusion matrix, then the misses."""
    parts = [
        f"== {sheet['file']} ({sheet['items']} items, {sheet['events_gold']} gold events,"
        f" {sheet['events_predicted']} predicted; gold {sheet['gold_hash']})",
        *_measures(sheet),
        "",
        *_types(sheet),
        "",
        *_confusion(sheet),
    ]
    if sheet["errors"]:
        parts += ["", f"misses (first {len(sheet['errors'])}):", *_errors(sheet)]
    return "\n".join(parts)
