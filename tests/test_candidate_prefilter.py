"""Issue 5 (pipeline speed): the key prefilter and per-sentence contexts change no output."""

from __future__ import annotations

import pytest
from spacy.language import Language

from eventwire.extraction.contexts import event_contexts, sentence_contexts
from eventwire.extraction.lexicon import load_lexicon
from eventwire.extraction.matching import match_token, sentence_candidates
from eventwire.nlp.pipeline import load_pipeline

SENTENCES = [
    "Rebels retook the town on Sunday after troops withdrew, the army said.",
    "The two sides agreed to a cease-fire and will hold talks in Cairo next week.",
    "Police arrested dozens of protesters who had staged a sit-in outside parliament.",
    "The minister visited Paris, where she met with her French counterpart.",
    "Workers went on strike and blocked the main road, demanding higher wages.",
    "Washington imposed sanctions on the company, and later lifted them.",
    "The government carried out air strikes, killing at least 12 people.",
    "He was not expected to sign the peace deal unless the rebels disarmed.",
]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=[])


def _full_scan(sent: object) -> list[tuple[int, str, str]]:
    lex = load_lexicon()
    found = [match_token(tok, lex) for tok in sent]  # type: ignore[attr-defined]
    return [(c.token.i, c.event_type, c.entry.text) for c in found if c is not None]


def test_issue_5_prefiltered_candidates_equal_the_full_scan(nlp: Language) -> None:
    lex = load_lexicon()
    seen = 0
    for text in SENTENCES:
        doc = nlp(text)
        for sent in doc.sents:
            got = [(c.token.i, c.event_type, c.entry.text) for c in sentence_candidates(sent, lex)]
            assert got == _full_scan(sent), text
            seen += len(got)
    assert seen >= len(SENTENCES)  # the sentences do hold triggers


def test_issue_5_prefilter_keeps_hyphen_and_irregular_forms(nlp: Language) -> None:
    lex = load_lexicon()
    doc = nlp(SENTENCES[0] + " " + SENTENCES[1])
    words = {c.token.lower_ for s in doc.sents for c in sentence_candidates(s, lex)}
    assert {"retook", "fire"} <= words


def test_issue_5_event_contexts_with_precomputed_sentence_contexts(nlp: Language) -> None:
    for text in SENTENCES:
        sent = next(iter(nlp(text).sents))
        given = sentence_contexts(sent)
        for args in (("ASSAULT", ["aerial"], ["MIL"]), ("PROTEST", [], [None])):
            plain = event_contexts(*args, sent, ["economic"])
            assert event_contexts(*args, sent, ["economic"], given) == plain
