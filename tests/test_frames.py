"""The seed article (../shared/examples/seed-article.txt): the frames behind every must row."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import shared_data
from eventwire.nlp.pipeline import load_pipeline
from eventwire.records import Frame

SEED = shared_data.SEED


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_frames_v1"])


@pytest.fixture(scope="module")
def doc(nlp: Language) -> Doc:
    shared_data.require()
    lines = SEED.read_text(encoding="utf-8").splitlines()
    text = "\n".join(line for line in lines if not line.startswith("Read also"))
    return nlp(text)


def texts(doc: Doc, heads: list[int]) -> list[str]:
    return [doc[i].text for i in heads]


def sentence_of(doc: Doc, words: str) -> int:
    for index, sent in enumerate(doc.sents):
        if words in sent.text:
            return index
    raise AssertionError(f"no sentence contains {words!r}")


def only(frames: list[Frame], what: str) -> Frame:
    assert len(frames) == 1, f"expected one {what}, got {frames}"
    return frames[0]


def typed(doc: Doc, event_type: str, sentence: int) -> list[Frame]:
    return [f for f in doc._.frames if f.event_type == event_type and f.sentence == sentence]


def test_private_meeting_is_reciprocal_consult_reported_by_the_office(doc: Doc) -> None:
    frame = only(typed(doc, "CONSULT", sentence_of(doc, "private meeting")), "meeting")
    assert doc[frame.trigger].text == "meeting"
    agents = texts(doc, frame.agents)
    assert len(agents) == 2 and agents[1] == "Netanyahu" and agents[0] in ("Secretary", "Blinken")
    assert frame.patients == [] and frame.reciprocal
    assert frame.factuality in ("reported", "asserted")
    assert frame.reporter is not None and doc[frame.reporter].text == "Office"


def test_expanded_session_lists_the_eight_office_holders_and_is_planned(doc: Doc) -> None:
    frame = only(typed(doc, "CONSULT", sentence_of(doc, "expanded session")), "session")
    assert texts(doc, frame.agents) == [
        "Minister",
        "Chief",
        "Director",
        "Secretary",
        "Advisor",
        "Coordinator",
        "Ambassador",
        "Spokesman",
    ]
    assert frame.factuality == "planned"


def test_three_day_visit_by_blinken_to_egypt_and_israel(doc: Doc) -> None:
    frames = typed(doc, "CONSULT", sentence_of(doc, "three-day visit"))
    frame = only([f for f in frames if doc[f.trigger].text == "visit"], "visit")
    assert "visit" in frame.mode
    assert texts(doc, frame.agents) == ["Blinken"]
    assert texts(doc, frame.patients) == ["Egypt", "Israel"]
    assert frame.factuality == "asserted"


def test_blinken_met_with_herzog(doc: Doc) -> None:
    sentence = sentence_of(doc, "met with")
    frame = only(typed(doc, "CONSULT", sentence), "meeting with Herzog")
    assert doc[frame.trigger_start : frame.trigger_end].text == "met with"
    assert texts(doc, frame.agents) == ["Blinken"]
    assert texts(doc, frame.patients) == ["Herzog"]
    assert frame.factuality == "asserted"


def test_hamas_launched_an_attack_against_israel(doc: Doc) -> None:
    frame = only(typed(doc, "ASSAULT", sentence_of(doc, "launched an attack")), "attack")
    assert doc[frame.trigger_start : frame.trigger_end].text == "launched an attack against"
    assert texts(doc, frame.agents) == ["Hamas"]
    assert texts(doc, frame.patients) == ["Israel"]
    assert frame.factuality == "asserted"


def test_case_of_terror_in_tel_aviv_is_an_attack_reported_by_he(doc: Doc) -> None:
    frame = only(typed(doc, "ASSAULT", sentence_of(doc, "case of terror")), "case of terror")
    assert doc[frame.trigger_start : frame.trigger_end].text == "case of terror"
    assert frame.agents == []
    assert frame.factuality == "reported"
    assert frame.reporter is not None and doc[frame.reporter].text == "He"


def test_no_frames_from_referring_to_attacks_or_fight_against_terror(doc: Doc) -> None:
    referring = sentence_of(doc, "referring to the recent")
    assert [f for f in doc._.frames if f.sentence == referring] == []
    assert not any(doc[f.trigger].text == "fight" for f in doc._.frames)


def test_should_rows_support_request_threaten_mobilize(doc: Doc) -> None:
    support = typed(doc, "SUPPORT", sentence_of(doc, "US-backed"))
    assert {"American", "Egyptian", "Qatari"} <= {t for f in support for t in texts(doc, f.agents)}
    request = typed(doc, "REQUEST", sentence_of(doc, "cease-fire"))
    assert any("yield" in f.mode and texts(doc, f.agents) == ["He"] for f in request)
    threat = only(typed(doc, "THREATEN", sentence_of(doc, "if necessary")), "threat")
    assert "violence" in threat.mode and texts(doc, threat.agents) == ["US"]
    assert {"Iran", "Hizballah"} <= set(texts(doc, threat.patients))
    assert threat.factuality == "hypothetical"
    mobilize = only(typed(doc, "MOBILIZE", sentence_of(doc, "positioned")), "positioning")
    assert "troops" in mobilize.mode and texts(doc, mobilize.agents) == ["forces"]


def test_every_frame_points_into_its_sentence(doc: Doc) -> None:
    sents = list(doc.sents)
    assert doc._.frames
    for frame in doc._.frames:
        sent = sents[frame.sentence]
        assert sent.start <= frame.trigger_start <= frame.trigger < frame.trigger_end <= sent.end
        assert frame.decided_by == "rule" and frame.rule.startswith("lexicon:")
        assert 0.0 < frame.confidence < 1.0
