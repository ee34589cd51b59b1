"""Load the spaCy model and add eventwire's components in dependency order."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import eventwire.nlp.components  # noqa: F401  (registers the factories)
from eventwire.config import settings

# actors and places first (coref and frames read them), events last (it assembles all).
COMPONENTS: tuple[str, ...] = (
    "eventwire_actors_v1",
    "eventwire_places_v1",
    "eventwire_dates_v1",
    "eventwire_coref_v1",
    "eventwire_frames_v1",
    "eventwire_events_v1",
)


def load_pipeline(model: str | None = None, components: Sequence[str] = COMPONENTS) -> Language:
    """The model is a setting so users with plain en_core_web_sm can run it too."""
    nlp = spacy.load(model or settings().model)
    for name in components:
        nlp.add_pipe(name, last=True)
    return nlp


@lru_cache(maxsize=4)
def cached_pipeline(model: str | None = None) -> Language:
    """One pipeline per process: loading costs about a second."""
    return load_pipeline(model)


def make_doc(nlp: Language, text: str, article_id: str, article_date: date | None) -> Doc:
    """A tokenised Doc carrying the article context our components need."""
    doc = nlp.make_doc(text)
    doc._.article_id = article_id
    doc._.article_date = article_date
    return doc
