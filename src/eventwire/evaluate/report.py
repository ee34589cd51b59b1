"""Render an evaluation sheet for a terminal: strict figures first, lenient ones beside."""

from __future__ import annotations

from typing import Any

STRICT = [
    ("macro-F1 (event type)", "macro_f1"),
    ("type accuracy", "type_accuracy"),
    ("event coverage (a record at all)", "event_coverage"),
    ("party recall", "party_recall"),
    ("actor/recipient country", "country_accuracy"),
    ("actor/recipient sector", "sector_accuracy"),
    ("location within 25 km", "location_within_25km"),
    ("location within 161 km", "location_within_161km"),
    ("date exact", "date_exact"),
]
LENIENT = [
    ("macro-F1 (type-matched record)", "macro_f1"),
    ("actor text overlap", "actor_text_overlap"),
    ("recipient text overlap", "recipient_text_overlap"),
    ("country (parties found)", "country_accuracy"),
    ("sector (parties found)", "sector_accuracy"),
    ("location text match", "location_text_match"),
    ("location country", "location_country_accuracy"),
    ("location within 25 km", "location_within_25km"),
    ("date exact", "date_exact"),
]


def _pct(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def _types(sheet: dict[str, Any]) -> list[str]:
    lines = [f"{'type':<11} {'prec':>6} {'recall':>6} {'f1':>6} {'n':>5}"]
    for name, row in sheet["per_type"].items():
        lines.append(
            f"{name:<11} {row['precision']:6.3f} {row['recall']:6.3f} {row['f1']:6.3f}"
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
    loose = sheet.get("lenient") or {}
    lines = [f"{'strict (the measure of record)':<36} {'':6}   lenient (never pinned)"]
    for i in range(max(len(STRICT), len(LENIENT))):
        left = f"{STRICT[i][0]:<36} {_pct(sheet.get(STRICT[i][1]))}" if i < len(STRICT) else ""
        right = f"{LENIENT[i][0]:<32} {_pct(loose.get(LENIENT[i][1]))}" if i < len(LENIENT) else ""
        lines.append(f"{left:<45}   {right}".rstrip())
    return lines


def _errors(sheet: dict[str, Any]) -> list[str]:
    steps = ", ".join(f"{k} {v}" for k, v in sheet.get("miss_steps", {}).items())
    lines = [f"misses by step (all): {steps}", f"first {len(sheet['errors'])}:"]
    for err in sheet["errors"]:
        lines.append(f"- {err['id']} [{err['step']}] gold {err['gold']}; got {err['got']}")
        text = err["text"] if len(err["text"]) < 400 else err["text"][:400] + "…"
        lines.append(f"    {text}")
    return lines


def headline(sheet: dict[str, Any]) -> str:
    """One line, in the reference scorer's words (../shared/tools/score_strict.py)."""
    return (
        f"macro-F1 {sheet['macro_f1']:.3f}, party recall {_pct(sheet['party_recall']).strip()},"
        f" country {_pct(sheet['country_accuracy']).strip()},"
        f" sector {_pct(sheet['sector_accuracy']).strip()},"
        f" loc<=25km {_pct(sheet['location_within_25km']).strip()},"
        f" date {_pct(sheet['date_exact']).strip()}, n={sheet['events_gold']}"
    )


def render(sheet: dict[str, Any]) -> str:
    """Headline, strict and lenient measures, per-type table, confusion matrix, misses."""
    parts = [
        f"== {sheet['file']} ({sheet['items']} items, {sheet['events_gold']} gold events,"
        f" {sheet['events_predicted']} predicted; gold {sheet['gold_hash']})",
        f"strict: {headline(sheet)}",
        "",
        *_measures(sheet),
        "",
        *_types(sheet),
        "",
        *_confusion(sheet),
    ]
    if sheet.get("linking"):
        from eventwire.evaluate.linking import render as render_linking

        parts += ["", render_linking(sheet["linking"])]
    if sheet["errors"]:
        parts += ["", *_errors(sheet)]
    return "\n".join(parts)
