"""Load the spaCy model and add eventwire's components in dependency order."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from datetime import date
from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import eventwire.nlp.components  # noqa: F401  (registers the factories)
from eventwire.config import settings
from eventwire.nlp.attrs import swap_attribute_ruler
from eventwire.nlp.doctext import remember_text
from eventwire.nlp.lemmas import swap_lemmatizer

# actors and places first (coref and frames read them), events last (it assembles all).
COMPONENTS: tuple[str, ...] = (
    "eventwire_actors_v1",
    "eventwire_places_v1",
    "eventwire_dates_v1",
    "eventwire_coref_v1",
    "eventwire_frames_v1",
    "eventwire_classify_v1",
    "eventwire_contexts_v1",
    "eventwire_events_v1",
)


def load_pipeline(model: str | None = None, components: Sequence[str] = COMPONENTS) -> Language:
    """The model is a setting so users with plain en_core_web_sm can run it too."""
    nlp = spacy.load(model or settings().model)
    if settings().fast_model_steps:  # same annotations in less time; kept if not exact
        swap_attribute_ruler(nlp)
        swap_lemmatizer(nlp)
    for name in components:
        nlp.add_pipe(name, last=True)
    return nlp


# A short article that reaches every component (title and name, places, dates, a pronoun,
# triggers): coding it once at load time reads the lexicons, KB and gazetteer with the model,
# not while the first real article is on the clock.
WARM_UP_TEXT = (
    "GENEVA, March 3 - The French foreign minister met Iran's president in Geneva on Monday "
    "and said he would visit Tehran next week. Protesters marched in Paris on Tuesday, and "
    "police arrested 12 people."
)


def warm_up(nlp: Language) -> None:
    """Code WARM_UP_TEXT once so lazily loaded data is in memory before real work starts."""
    with suppress(Exception):  # best effort: a real article would fail (and be skipped) alike
        nlp(make_doc(nlp, WARM_UP_TEXT, "warm-up", date(2024, 3, 4)))
    with suppress(Exception):
        _warm_dateparser()
    with suppress(Exception):
        _warm_places()


def _warm_places() -> None:
    """The gazetteer's country rows take one scan (~0.5 s): read them before workers fork."""
    from eventwire.resolve.places.gazetteer import open_gazetteer

    open_gazetteer().country("FRA")


def _warm_dateparser() -> None:
    """dateparser builds its locale and time-zone regexes on first use (~0.4 s of CPU): do it
    at load time, so forked workers inherit them instead of each paying mid-run."""
    from dateparser.date import DateDataParser

    DateDataParser(languages=["en"]).get_date_data("3 March 2024")


@lru_cache(maxsize=4)
def cached_pipeline(model: str | None = None) -> Language:
    """One pipeline per process, warmed up: loading costs about a second."""
    nlp = load_pipeline(model)
    warm_up(nlp)
    return nlp


def make_doc(nlp: Language, text: str, article_id: str, article_date: date | None) -> Doc:
    """A tokenised Doc carrying the article context our components need."""
    doc = nlp.make_doc(text)
    remember_text(doc, text)
    doc._.article_id = article_id
    doc._.article_date = article_date
    return doc
