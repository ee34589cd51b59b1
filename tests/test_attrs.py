"""Issues 2 and 5 (pipeline speed): the fast attribute ruler and lemmatizer annotate exactly
like the model's own components."""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc

from eventwire.bench import load_articles, sample_files, samples_dir
from eventwire.config import settings
from eventwire.nlp.attrs import FastAttributeRuler, can_replace, swap_attribute_ruler
from eventwire.nlp.lemmas import swap_lemmatizer
from eventwire.nlp.pipeline import load_pipeline

# Contractions, slang and spacing that the model's multi-token and regex patterns target.
TRICKY = [
    "I'd say y'all don't know nothin' about it. We ain't gonna go, 'cause it's   late.",
    "He won't. She'd've come. I'm sure they're here, aren't they? So be it.\n\nThe end.",
    "Whether or not the talks succeed, officials said that they will not have done it.",
    "Is it true that the minister has had to resign, as he did in 2019 and 2021?",
]


def _annotations(doc: Doc) -> list[tuple[object, ...]]:
    return [
        (t.tag_, t.pos_, str(t.morph), t.lemma_, t.dep_, t.head.i, t.ent_iob_, t.ent_type_)
        for t in doc
    ]


@pytest.fixture(scope="module")
def models() -> tuple[Language, Language]:
    stock = spacy.load(settings().model)
    fast = spacy.load(settings().model)
    assert swap_attribute_ruler(fast)
    assert swap_lemmatizer(fast)
    return stock, fast


def test_same_annotations_as_spacy(models: tuple[Language, Language]) -> None:
    stock, fast = models
    texts = [a.text for a in load_articles(sample_files(samples_dir()))] + TRICKY
    tokens = 0
    for ours, theirs in zip(fast.pipe(texts), stock.pipe(texts), strict=True):
        assert _annotations(ours) == _annotations(theirs), ours.text[:80]
        tokens += len(ours)
    assert tokens > 5_000


def test_pipeline_uses_it_in_place_of_the_model_ruler() -> None:
    names = load_pipeline(components=[]).pipe_names
    assert "eventwire_attribute_ruler_v1" in names
    assert "attribute_ruler" not in names
    assert "lemmatizer" not in names
    assert names.index("eventwire_attribute_ruler_v1") < names.index("eventwire_lemmatizer_v1")


def test_patterns_it_cannot_reproduce_keep_spacy() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": "a"}, {"LOWER": "b", "OP": "?"}]], {"TAG": "X"})
    assert not can_replace(nlp)
    assert not swap_attribute_ruler(nlp)
    assert "attribute_ruler" in nlp.pipe_names


def test_lemmatizer_modes_it_cannot_remember_keep_spacy() -> None:
    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "rule", "overwrite": True})
    assert not swap_lemmatizer(nlp)
    assert "lemmatizer" in nlp.pipe_names


def test_later_rules_win_and_index_picks_the_token() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    assert isinstance(ruler, AttributeRuler)
    ruler.add([[{"LOWER": {"IN": ["new", "old"]}}, {"LOWER": "york"}]], {"TAG": "NNP"}, index=-1)
    ruler.add([[{"LOWER": "york"}]], {"TAG": "FIRST"})
    ruler.add([[{"ORTH": {"REGEX": "^Y"}}]], {"TAG": "LAST", "LEMMA": "york"})
    fast = FastAttributeRuler(ruler)
    for text in ("new york and old York", "York, new york"):
        expected = ruler(nlp.make_doc(text))
        got = fast(nlp.make_doc(text))
        assert [(t.tag_, t.lemma_) for t in got] == [(t.tag_, t.lemma_) for t in expected]
