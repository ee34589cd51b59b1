"""eventwire: news articles in, PLOVER event records out (who did what to whom, when, where).

`import eventwire` is light: spaCy loads on the first call that codes text.
"""

from __future__ import annotations

import datetime as dt
import types
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eventwire.records import Article, Skipped

__all__ = ["extract", "extract_text", "extract_articles", "__version__"]


def __getattr__(name: str) -> Any:
    """The version comes from the installed metadata, read only when asked for."""
    if name == "__version__":
        from eventwire.output import coder_name

        return coder_name().split(" ", 1)[1]
    raise AttributeError(f"module 'eventwire' has no attribute {name!r}")


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


class _ExtractPackage(types.ModuleType):
    """`eventwire.extract` is both the extraction subpackage and the notebook call.

    Importing a subpackage rebinds the parent's attribute of the same name, so a plain
    function called `extract` would be replaced by the package as soon as the pipeline loads.
    Making the package callable keeps `eventwire.extract(text, date=...)` working always.
    """

    def __call__(
        self,
        text: str,
        date: dt.date | str | None = None,
        id: str = "text",  # noqa: A002
        title: str | None = None,
        url: str | None = None,
        source: str | None = None,
        model: str | None = None,
    ) -> list[dict[str, Any]]:
        """PLOVER records for one article's text (see eventwire.extract_text)."""
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


# The subpackage's __init__ is empty (no spaCy): importing it here costs nothing.
from eventwire import extract  # noqa: E402

extract.__class__ = _ExtractPackage
