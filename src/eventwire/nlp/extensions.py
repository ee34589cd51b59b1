"""Doc extension attributes where eventwire's components leave their results."""

from __future__ import annotations

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
