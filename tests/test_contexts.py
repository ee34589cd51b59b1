"""Document and event contexts from the keyword lexicon; PLOVER modes for every type."""

from __future__ import annotations

import pytest
import yaml
from spacy.language import Language

from eventwire.extraction.contexts import (
    build_context_lexicon,
    document_contexts,
    event_contexts,
    load_context_lexicon,
    score,
)
from eventwire.extraction.lexicon import load_lexicon
from eventwire.nlp.pipeline import COMPONENTS, load_pipeline, make_doc
from eventwire.nlp.sentences import sentences
from eventwire.output import plover_table

REQUIRED = (
    "military",
    "diplomatic",
    "economic",
    "terrorism",
    "human_rights",
    "election",
    "humanitarian",
    "migration",
    "health",
    "legal",
)

ARTICLE = (
    "Voters in the north went to the polls on Sunday in a presidential election marred by "
    "low turnout. Observers from the electoral commission said the ballot count would take "
    "three days. Opposition candidates complained of fraud at several polling stations. "
    "Soldiers guarded the polling stations in the capital."
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def test_lexicon_has_the_required_contexts() -> None:
    lex = load_context_lexicon()
    assert set(REQUIRED) <= set(lex.names)
    assert "eventwire_contexts_v1" in COMPONENTS


def test_document_contexts_need_repeated_evidence(nlp: Language) -> None:
    doc = nlp(make_doc(nlp, ARTICLE, "a", None))
    assert doc._.contexts[0] == "election"
    assert "military" not in doc._.contexts  # one word about soldiers is not the story
    assert document_contexts(nlp("The river flows slowly to the sea.")) == []


def test_lemmas_phrases_and_pos_filter(nlp: Language) -> None:
    lex = load_context_lexicon()
    points = score(nlp("Amnesty International said human rights abuses continued."), lex)
    assert points["human_rights"] >= 4
    assert score(nlp("According to the report, it was quiet."), lex)["diplomatic"] == 0


def test_event_contexts_add_sentence_mode_and_sector(nlp: Language) -> None:
    doc = nlp(make_doc(nlp, ARTICLE, "a", None))
    last = sentences(doc)[-1]
    got = event_contexts("MOBILIZE", ["troops"], ["MIL"], last, doc._.contexts)
    assert got[0] == "military" and "election" in got
    assert len(got) == len(set(got))
    cyber = event_contexts("COERCE", ["cyber"], [], sentences(doc)[0], [])
    assert cyber[0] == "cyber"


def test_records_carry_their_contexts(nlp: Language) -> None:
    text = "Hackers linked to the army attacked the computer systems of the health ministry."
    doc = nlp(make_doc(nlp, text, "a", None))
    assert doc._.events
    for event in doc._.events:
        assert "health" in event.context


def test_bad_lexicon_entries_are_caught() -> None:
    raw = yaml.safe_load(
        "min_points: 2\ndocument_points: 4\ntokens_per_point: 100\nmax_document_contexts: 3\n"
        "contexts:\n  x:\n    strong: [war]\n    phrases: ['air force']\n"
    )
    lex = build_context_lexicon(raw)
    assert lex.words["war"] == (("x", 2),) and lex.phrases["air"][0][0] == ("force",)
    with pytest.raises(KeyError):
        build_context_lexicon({"contexts": {}})


def test_every_plover_mode_can_be_produced() -> None:
    """plover.md §1: each type's modes come out of the trigger lexicon somewhere."""
    lex = load_lexicon()
    emitted: dict[str, set[str]] = {}
    for index in (lex.verbs, lex.nouns, lex.adjs):
        for entries in index.values():
            for entry in entries:
                emitted.setdefault(entry.event_type, set()).update(entry.modes)
    for table in (lex.mode_cues, lex.nested_modes):
        for event_type, values in table.items():
            emitted.setdefault(event_type, set()).update(values.values())
    for event_type, info in plover_table()["types"].items():
        missing = set(info["modes"]) - emitted.get(event_type, set())
        assert not missing, f"{event_type} lacks modes {sorted(missing)}"
