"""Store one coded article the way every writer does: articles, KB proposals, event groups.

`eventwire ingest`, the feed watcher (watch/) and the server share it, so an article stored by
any of them is the same rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

from eventwire.records import Skipped

if TYPE_CHECKING:
    from eventwire.runner import Coded
    from eventwire.store.base import Store

Outcome = Literal["coded", "already", "skipped"]


@contextmanager
def linking(store: Store, enabled: bool = True) -> Iterator[Any]:
    """Copy and event groups (store/groups.py) written beside the articles, unless disabled."""
    if not enabled:
        yield None
        return
    from eventwire.store.groups import GroupWriter

    with GroupWriter(store) as writer:
        writer.backfill()
        yield writer


def store_coded(store: Store, links: Any, item: Coded | Skipped) -> Outcome:
    """Write one coded article (or record a skip); 'already' when its content was stored."""
    if isinstance(item, Skipped):
        store.add_skipped(item)
        return "skipped"
    if not store.add_article(item.article, item.events, item.sentences):
        return "already"
    if links is not None:
        links.add(item.article, item.events)
    if item.kb_proposals:
        store.add_kb_proposals(item.kb_proposals)
    return "coded"
