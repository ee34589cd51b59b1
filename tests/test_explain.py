"""`eventwire explain`: triggers, why candidates were set aside, model scores, records."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest
from spacy.language import Language

from eventwire.extraction.explain import explain_text, replay_sentence
from eventwire.extraction.explain_cli import render
from eventwire.extraction.frames import sentence_candidates_composed
from eventwire.extraction.lexicon import load_lexicon
from eventwire.nlp.pipeline import load_pipeline
from eventwire.nlp.sentences import sentences

TEXTS = (
    "Hamas launched an attack against Israel on October 7.",
    "The ministry declined to comment on the report.",
    "The United States urged Russia to release the detained journalists.",
    "Iran condemned the Israeli strike on its consulate and vowed to retaliate.",
    "Police said the drought destroyed crops, and the army clashed with rebels.",
)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


@pytest.fixture(scope="module")
def reports(nlp: Language) -> dict[str, dict[str, Any]]:
    return {text: explain_text(text, nlp=nlp) for text in TEXTS}


def by_phrase(report: dict[str, Any], word: str) -> dict[str, Any]:
    found = [c for c in report["candidates"] if word in c["phrase"].split()]
    assert found, f"no candidate with {word!r}: {report['candidates']}"
    return found[0]


def test_parse_and_mentions_are_shown(reports: dict[str, dict[str, Any]]) -> None:
    report = reports[TEXTS[0]]
    tokens = {t["text"]: t for t in report["tokens"]}
    assert tokens["launched"]["dep"] == "ROOT" and tokens["Hamas"]["ent"].endswith("ORG")
    assert any(m["text"] == "Hamas" for m in report["mentions"])


def test_light_verb_is_set_aside_for_its_noun(reports: dict[str, dict[str, Any]]) -> None:
    report = reports[TEXTS[0]]
    assert by_phrase(report, "attack")["outcome"] == "frame"
    (record,) = report["records"]
    assert record["event"] == ["ASSAULT"] and record["cameo"]["event_root_code"] == "18"


def test_no_event_entry_blocks(reports: dict[str, dict[str, Any]]) -> None:
    report = reports[TEXTS[1]]
    cand = by_phrase(report, "declined")
    assert cand["outcome"] == "set aside" and "NONE" in cand["reason"]
    assert report["records"] == []


def test_governed_event_is_content_not_a_second_event(reports: dict[str, dict[str, Any]]) -> None:
    report = reports[TEXTS[2]]
    release = by_phrase(report, "release")
    assert release["outcome"] == "set aside" and "governor" in release["reason"]
    assert [r["event"][0] for r in report["records"]] == ["REQUEST"]


def test_model_scores_and_decisions_are_listed(reports: dict[str, dict[str, Any]]) -> None:
    steps = reports[TEXTS[0]]["model"]
    classify = [s for s in steps if s["step"] == "classify"]
    assert classify and classify[0]["scores"][0][0] == "ASSAULT"
    assert classify[0]["decision"]["decided_by"] in ("rule", "rule+model", "model")
    quiet = reports[TEXTS[1]]["model"]
    assert quiet and quiet[0]["step"] == "propose"


def test_rejections_give_a_reason(reports: dict[str, dict[str, Any]]) -> None:
    for report in reports.values():
        for cand in report["candidates"]:
            assert cand["outcome"] in ("frame", "set aside", "no frame")
            assert cand["reason"], cand


def test_replay_matches_the_extractor(nlp: Language) -> None:
    """The replayed composition must settle the same candidates as frames.py does."""
    lex = load_lexicon()
    for text in TEXTS:
        doc = nlp(text)
        for index, sent in enumerate(sentences(doc)):
            kept = {
                c.token.i
                for c in sentence_candidates_composed(sent, lex)
                if not c.absorbed and c.merged_into is None
            }
            replay = replay_sentence(sent, index, lex)
            replayed = {t.token for t in replay.traces if t.outcome != "set aside"}
            assert replayed == kept, text


def test_text_rendering_has_every_section(reports: dict[str, dict[str, Any]]) -> None:
    text = render(reports[TEXTS[3]])
    for heading in ("PARSE", "ACTOR MENTIONS", "TRIGGERS", "MODEL", "RECORDS"):
        assert heading in text
    assert "PARSE" not in render(reports[TEXTS[3]], parse=False)


@pytest.mark.slow
def test_cli_explain_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "eventwire", "explain", TEXTS[0], "--json", "--date", "2024-08-19"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    report = json.loads(out)
    assert report["records"][0]["event"] == ["ASSAULT"]
    assert report["records"][0]["date"] == "2023-10-07"
