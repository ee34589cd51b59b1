"""Code a gold file with the real pipeline and score it, strictly (and leniently beside)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from eventwire.evaluate import errors as miss
from eventwire.evaluate import linking, strict
from eventwire.evaluate import score as lenient
from eventwire.evaluate.gold import GoldItem, gold_hash, read_gold_set
from eventwire.records import Article

Record = dict[str, Any]


def _articles(items: list[GoldItem]) -> Iterator[Article]:
    for item in items:
        yield Article(
            id=item.id, text=item.text, date=item.date, origin=item.id, source=item.source
        )


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


def mention_texts(model: str | None) -> miss.MentionTexts:
    """The actor mentions the pipeline sees in a text (words of the span, name and office)."""

    def seen(item: GoldItem) -> list[str]:
        from eventwire.nlp.extensions import ext
        from eventwire.nlp.pipeline import cached_pipeline, make_doc

        nlp = cached_pipeline(model)
        doc = nlp(make_doc(nlp, item.text, item.id, item.date))
        out = []
        for m in ext(doc, "mentions") or []:
            actor = m.actor
            out.append(f"{doc[m.start : m.end].text} {actor.name or ''} {actor.office or ''}")
        return out

    return seen


def evaluate_file(
    path: str | Path,
    jobs: int = 1,
    model: str | None = None,
    errors: int = 0,
    limit: int | None = None,
) -> dict[str, Any]:
    """One gold file in, the score sheet out (JSON-able): strict figures, lenient beside."""
    items = read_gold_set(path, limit=limit)
    preds = predict(items, jobs=jobs, model=model)
    tally, loose = strict.StrictTally(), lenient.Tally()
    for item in items:
        strict.score_item(tally, item, preds[item.id])
        lenient.score_item(loose, item, preds[item.id])
    sheet = strict.summarize(tally)
    sheet["lenient"] = lenient.summarize(loose)
    sheet["events_gold"] = len(tally.pairs)
    sheet["events_predicted"] = sum(len(p) for p in preds.values())
    if errors:
        misses = miss.collect(items, preds, mention_texts(model))
        sheet["miss_steps"] = miss.step_counts(misses)
        sheet["errors"] = misses[:errors]
    else:
        sheet["miss_steps"], sheet["errors"] = {}, []
    if linking.has_groups(items):
        sheet["linking"] = linking.score_groups(items, preds)
    sheet["file"] = str(path)
    sheet["gold_hash"] = gold_hash(path)
    sheet["items"] = len(items)
    sheet["limit"] = limit
    return sheet
