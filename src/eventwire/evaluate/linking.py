"""Scores of copy groups and event groups against gold `copy_group` / `event_group` labels.

Each gold event is paired with the record strict scoring picks for it (strict.best_record);
a gold event with no record is a group of its own. Reported: pairwise precision and recall
of "same group", B-cubed precision, recall and F1, the share of gold copy pairs put in one
copy group, and how many predicted groups hold fighting (ASSAULT) of two different days.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from eventwire.evaluate.gold import GoldItem
from eventwire.evaluate.strict import best_record

Record = dict[str, Any]


def has_groups(items: Sequence[GoldItem]) -> bool:
    return any(e.event_group for item in items for e in item.events)


def _ratio(num: int | float, den: int | float) -> float | None:
    return num / den if den else None


def pairwise(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float | None, float | None]:
    """Precision and recall of "these two are one event" over every pair of gold events."""
    both = same_gold = same_pred = 0
    for i, j in combinations(range(len(gold)), 2):
        g, p = gold[i] == gold[j], predicted[i] == predicted[j]
        same_gold += g
        same_pred += p
        both += g and p
    return _ratio(both, same_pred), _ratio(both, same_gold)


def b_cubed(gold: Sequence[str], predicted: Sequence[str]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin): per element, then averaged."""
    by_gold: dict[str, set[int]] = defaultdict(set)
    by_pred: dict[str, set[int]] = defaultdict(set)
    for i, (g, p) in enumerate(zip(gold, predicted, strict=True)):
        by_gold[g].add(i)
        by_pred[p].add(i)
    precision = recall = 0.0
    for i in range(len(gold)):
        mine, truth = by_pred[predicted[i]], by_gold[gold[i]]
        common = len(mine & truth)
        precision += common / len(mine)
        recall += common / len(truth)
    n = len(gold) or 1
    precision, recall = precision / n, recall / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _link(
    items: Sequence[GoldItem], preds: dict[str, list[Record]], threshold: float | None
) -> tuple[dict, dict]:
    """Run the linker over the gold articles in file order: copy group per item, group per id."""
    from eventwire.link.linker import Linker

    linker = Linker() if threshold is None else Linker(threshold)
    copies: dict[str, str] = {}
    groups: dict[str, str] = {}
    for item in items:
        found = linker.add_article(item.id, item.text, preds[item.id], item.date)
        copies[item.id] = found.copy_group
        groups.update((link.event_id, link.group_id) for link in found.links)
    return copies, groups


def _day_merges(rows: list[tuple[str, str, str, str | None]]) -> int:
    """Predicted groups holding ASSAULT gold events of different gold days."""
    days: dict[str, set[str]] = defaultdict(set)
    for _gold, predicted, kind, day in rows:
        if kind == "ASSAULT" and day:
            days[predicted].add(day)
    return sum(1 for found in days.values() if len(found) > 1)


def score_groups(
    items: Sequence[GoldItem], preds: dict[str, list[Record]], threshold: float | None = None
) -> dict[str, Any]:
    """The linking score sheet of one gold file (at the shipped threshold unless given)."""
    copies, groups = _link(items, preds, threshold)
    rows: list[tuple[str, str, str, str | None]] = []
    for item in items:
        for n, event in enumerate(item.events):
            if not event.event_group:
                continue
            record = best_record(event, preds[item.id])
            predicted = groups.get(record["id"]) if record else None
            rows.append(
                (event.event_group, predicted or f"{item.id}#{n}", event.event_type, event.date)
            )
    gold, predicted = [r[0] for r in rows], [r[1] for r in rows]
    precision, recall = pairwise(gold, predicted)
    b3p, b3r, b3f = b_cubed(gold, predicted)
    labelled = [item for item in items if item.copy_group]
    copy_pairs = [(a, b) for a, b in combinations(labelled, 2) if a.copy_group == b.copy_group]
    kept = sum(copies[a.id] == copies[b.id] for a, b in copy_pairs)
    wrong = sum(
        copies[a.id] == copies[b.id]
        for a, b in combinations(labelled, 2)
        if a.copy_group != b.copy_group
    )
    return {
        "gold_events": len(rows),
        "gold_groups": len(set(gold)),
        "predicted_groups": len(set(predicted)),
        "pairwise_precision": precision,
        "pairwise_recall": recall,
        "b3_precision": b3p,
        "b3_recall": b3r,
        "b3_f1": b3f,
        "copy_pairs": len(copy_pairs),
        "copies_grouped": _ratio(kept, len(copy_pairs)),
        "copy_false_pairs": wrong,
        "groups_merging_days_of_fighting": _day_merges(rows),
    }


def render(sheet: dict[str, Any]) -> str:
    """The linking lines of a score sheet."""

    def pct(value: float | None) -> str:
        return "n/a" if value is None else f"{100 * value:.1f}%"

    return "\n".join(
        [
            f"event groups: {sheet['gold_events']} gold events in {sheet['gold_groups']} groups,"
            f" {sheet['predicted_groups']} predicted",
            f"  pairwise P {pct(sheet['pairwise_precision'])}  R {pct(sheet['pairwise_recall'])}",
            f"  B³ P {pct(sheet['b3_precision'])}  R {pct(sheet['b3_recall'])}"
            f"  F1 {pct(sheet['b3_f1'])}",
            f"  copies grouped {pct(sheet['copies_grouped'])} of {sheet['copy_pairs']} pairs,"
            f" {sheet['copy_false_pairs']} false copy pairs",
            f"  groups merging two days of fighting: {sheet['groups_merging_days_of_fighting']}",
        ]
    )
