"""Code a gold file with the real pipeline and score it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.evaluate.gold import GoldItem, gold_hash, read_gold
from eventwire.evaluate.score import Record, Tally, score_item, summarize
from eventwire.records import Article


def _articles(items: list[GoldItem]) -> Iterator[Article]:
    for item in items:
        yield Article(id=item.id, text=item.text, date=item.date, origin=item.id)


def predict(
    items: list[GoldItem], jobs: int = 1, model: str | None = None
) -> dict[str, list[Record]]:
    """Records per gold id, coded exactly as `eventwire extract` would code them."""
    from eventwire.output import event_to_plover
    from eventwire.runner import Coded, code_articles

    found: dict[str, list[Record]] = {item.id: [] for item in items}
    for result in code_articles(_articles(items), jobs=jobs, model=model):
        if isinstance(result, Coded):
            found[result.article.id] = [event_to_plover(e, result.article) for e in result.events]
    return found


def evaluate_file(
    path: str | Path,
    jobs: int = 1,
    model: str | None = None,
    errors: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """One gold file in, the full score sheet out (JSON-able)."""
    items = list(read_gold(path, limit=limit))
    preds = predict(items, jobs=jobs, model=model)
    tally = Tally()
    for item in items:
        score_item(tally, item, preds[item.id], keep_errors=errors)
    sheet = summarize(tally)
    sheet["file"] = str(path)
    sheet["gold_hash"] = gold_hash(path)
    sheet["items"] = len(items)
    sheet["limit"] = limit
    return sheet
