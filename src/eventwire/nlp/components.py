"""spaCy factories for eventwire's steps; the logic lives in extraction/ and resolve/."""

from __future__ import annotations

from collections.abc import Callable

from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp.extensions import register_extensions

register_extensions()


def _component(step: Callable[[Doc], None]) -> Callable[[Doc], Doc]:
    def run(doc: Doc) -> Doc:
        step(doc)
        return doc

    return run


@Language.factory("eventwire_actors_v1")
def make_actors(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.resolve.actors import annotate_mentions

    return _component(annotate_mentions)


@Language.factory("eventwire_places_v1")
def make_places(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.resolve.places import annotate_places

    return _component(annotate_places)


@Language.factory("eventwire_dates_v1")
def make_dates(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.resolve.dates import annotate_dates

    return _component(annotate_dates)


@Language.factory("eventwire_coref_v1")
def make_coref(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.resolve.coref import resolve_coreference

    return _component(resolve_coreference)


@Language.factory("eventwire_frames_v1")
def make_frames(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.extraction.frames import find_frames

    return _component(find_frames)


@Language.factory("eventwire_classify_v1")
def make_classify(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.extraction.classify import classify_frames

    return _component(classify_frames)


@Language.factory("eventwire_contexts_v1")
def make_contexts(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.extraction.contexts import annotate_contexts

    return _component(annotate_contexts)


@Language.factory("eventwire_events_v1")
def make_events(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    from eventwire.extraction.assemble import build_events

    return _component(build_events)
