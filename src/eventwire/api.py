"""The Python calls of `import eventwire`: code text or articles into PLOVER records.

Plain functions in a module of their own (the extraction steps live in eventwire.extraction,
so importing them never rebinds `eventwire.extract`). spaCy loads on the first call.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.records import Article, Skipped


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """Accept a date, a datetime or 'YYYY-MM-DD'; anything else is a caller error."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError as exc:
        raise ValueError(f"date must be YYYY-MM-DD, got {value!r}") from exc


def extract_text(
    text: str,
    date: dt.date | str | None = None,
    id: str = "text",  # noqa: A002 - the record field is called id
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """PLOVER records for one article's text; `date` anchors relative dates ('on Monday')."""
    from eventwire.ingest import article_from_text
    from eventwire.output import article_records
    from eventwire.records import Skipped
    from eventwire.runner import code_chunk, default_loader

    article = article_from_text(
        text, id=id, date=_as_date(date), title=title, url=url, source=source
    )
    if isinstance(article, Skipped):  # defensive: a checking reader may refuse the text
        raise ValueError(article.message())
    (result,) = code_chunk(default_loader(model), [article])
    if isinstance(result, str):
        raise RuntimeError(f"{id}: {result}")
    return article_records(article, result[0])


def extract(
    text: str,
    date: dt.date | str | None = None,
    id: str = "text",  # noqa: A002 - the record field is called id
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
    model: str | None = None,
) -> list[dict[str, Any]]:
    """PLOVER records for one article's text: the notebook call (same as extract_text)."""
    return extract_text(text, date, id, title, url, source, model)


def extract_articles(
    items: Iterable[Article | Skipped],
    jobs: int | None = 1,
    model: str | None = None,
    on_skip: Callable[[Skipped], None] | None = None,
) -> Iterator[dict[str, Any]]:
    """Records for many articles (e.g. from eventwire.ingest.read_inputs), streamed in order.

    Skipped inputs go to `on_skip` (default: ignored); jobs > 1 codes in worker processes.
    """
    from eventwire.output import article_records
    from eventwire.records import Skipped
    from eventwire.runner import code_articles

    for item in code_articles(items, jobs=jobs, model=model):
        if isinstance(item, Skipped):
            if on_skip is not None:
                on_skip(item)
            continue
        yield from article_records(item.article, item.events)
