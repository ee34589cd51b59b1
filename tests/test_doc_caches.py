"""Issue 5 (pipeline speed): the per-Doc caches and shortcuts give exactly what they replace."""

from __future__ import annotations

import copy
import pickle
from dataclasses import replace

import pytest

from eventwire.extraction.classifier import doc_forms, form
from eventwire.extraction.contexts import _rows, load_context_lexicon, score
from eventwire.nlp.doctext import doc_ents, doc_memo
from eventwire.nlp.extensions import _ATTRS, ext
from eventwire.nlp.pipeline import cached_pipeline
from eventwire.nlp.sentences import sentences
from eventwire.records import Actor, EventDate, Place, updated
from eventwire.resolve.actors.lexicon import _head_role, head_role

TEXT = (
    "Israeli Prime Minister Benjamin Netanyahu met US Secretary of State Antony Blinken in "
    "Jerusalem on Monday. Hamas fighters attacked an army post near Gaza, the military said. "
    "Protesters rallied in Cairo, and police fired tear gas."
)


@pytest.fixture(scope="module")
def doc():  # type: ignore[no-untyped-def]
    return cached_pipeline(None)(TEXT)


def test_ext_reads_what_underscore_reads(doc) -> None:  # type: ignore[no-untyped-def]
    """Issue 5: ext(doc, name) is doc._.name for every eventwire attribute, set or not."""
    for name in _ATTRS:
        assert ext(doc, name) is getattr(doc._, name)
    assert ext(doc, "mentions")  # the pipeline set it


def test_updated_is_dataclasses_replace() -> None:
    """Issue 5: the fast copy builds the object dataclasses.replace builds."""
    actor = Actor(entity_text="Hamas", name="Hamas", code="PSE", sector="REB", start=3)
    for record, changes in (
        (actor, {"code": "ISR", "start": 1, "end": 2}),
        (actor, {}),
        (Place(extracted_place="Gaza", country_code="PSE"), {"source": "prep"}),
        (EventDate(date="2024-01-02", precision="day"), {"start": 4, "end": 9}),
    ):
        fast, slow = updated(record, **changes), replace(record, **changes)  # type: ignore[type-var]
        assert fast == slow and fast is not record and type(fast) is type(slow)
        assert vars(fast) == vars(slow)
    assert actor.code == "PSE"  # the original is untouched


def test_doc_ents_and_memo(doc) -> None:  # type: ignore[no-untyped-def]
    """Issue 5: cached entities equal doc.ents; the memo survives pickling as an empty cache."""
    assert [(e.start, e.end, e.label_) for e in doc_ents(doc)] == [
        (e.start, e.end, e.label_) for e in doc.ents
    ]
    assert doc_ents(doc) is doc_ents(doc)
    clone = pickle.loads(pickle.dumps(doc))
    assert doc_memo(clone) == {}
    assert [(e.start, e.end) for e in doc_ents(clone)] == [(e.start, e.end) for e in doc.ents]
    assert copy.deepcopy(doc_memo(doc)) == {}


def test_head_role_memo_matches_direct_lookup(doc) -> None:  # type: ignore[no-untyped-def]
    """Issue 5: the memoised role lookup answers as the uncached one, hits and misses alike."""
    for i in range(len(doc)):
        for end in (i + 1, min(i + 2, len(doc))):
            assert head_role(doc, i, end) == _head_role(doc, i, end)
            assert head_role(doc, i, end) == _head_role(doc, i, end)  # second call: memo


def test_classifier_forms_match_tokens(doc) -> None:  # type: ignore[no-untyped-def]
    """Issue 5: the per-Doc form array is form() of each token; skips are punctuation/space."""
    forms, skip = doc_forms(doc)
    assert forms == [form(t) for t in doc]
    assert skip == [t.is_punct or t.is_space for t in doc]


def test_sentence_context_rows_are_doc_slices(doc) -> None:  # type: ignore[no-untyped-def]
    """Issue 5: a sentence scored after its Doc reads the same rows as one scored alone."""
    lex = load_context_lexicon()
    fresh = cached_pipeline(None)(TEXT)
    alone = [score(s, lex) for s in sentences(fresh)]  # before the Doc's rows exist
    alone_rows = [_rows(s) for s in sentences(fresh)]
    score(fresh, lex)
    assert [score(s, lex) for s in sentences(fresh)] == alone
    assert [_rows(s) for s in sentences(fresh)] == alone_rows
