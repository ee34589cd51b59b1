"""Doc extension attributes where eventwire's components leave their results."""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc

_ATTRS: dict[str, object] = {
    "article_id": None,
    "article_date": None,  # datetime.date | None: the base for relative dates
    "mentions": None,  # list[Mention]
    "places": None,  # list[PlaceMention]
    "dates": None,  # list[DateMention]
    "frames": None,  # list[Frame]
    "events": None,  # list[Event]
    "dateline": None,  # Place | None
    "focus_country": None,  # str | None: ISO3 the article is mostly about
    "contexts": None,  # list[str]: document-level PLOVER contexts (extract.contexts)
    "trace": None,  # list[dict] | None: set to [] to record decisions (eventwire explain)
    "kb_proposals": None,  # list[dict]: people/offices the KB could learn (resolve.actors.learn)
}


def register_extensions() -> None:
    """Idempotent: spaCy raises if an extension is set twice without force."""
    for name, default in _ATTRS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


_KEYS = {name: ("._.", name, None, None) for name in _ATTRS}  # spaCy's user_data key


def ext(doc: Doc, name: str) -> Any:
    """doc._.<name> without the Underscore object spaCy builds per access (~10 us each).

    Every attribute above defaults to None and has no getter, so the stored value (or None)
    is exactly what doc._.<name> returns.
    """
    data: dict[Any, Any] = doc.user_data  # spaCy types it dict[str, Any]; its keys are tuples
    return data.get(_KEYS[name])
