"""Returns of people, agreements reached or failed, and where purpose-of-travel talks happen."""

from __future__ import annotations

import pytest
from spacy.language import Language

from eventwire.nlp.pipeline import load_pipeline


@pytest.fixture(scope="module")
def frames_nlp() -> Language:
    return load_pipeline(components=["eventwire_frames_v1"])


@pytest.fixture(scope="module")
def full_nlp() -> Language:
    return load_pipeline()


def types_of(nlp: Language, text: str) -> list[str]:
    return [f.event_type for f in nlp(text)._.frames]


@pytest.mark.parametrize(
    "text",
    [
        "Negotiators will return to Geneva next week for talks.",
        "The two delegations returned to Vienna on Monday for a meeting.",
        "Officials will go back to Doha for another round of negotiations.",
    ],
)
def test_issue5_people_returning_for_talks_is_consult_not_retreat(
    frames_nlp: Language, text: str
) -> None:
    """issue 5: a non-military return of people is no RETREAT/CONCEDE; the talks are CONSULT."""
    found = types_of(frames_nlp, text)
    assert "RETREAT" not in found and "CONCEDE" not in found, found
    assert "CONSULT" in found, found


def test_issue5_returning_people_alone_is_no_event(frames_nlp: Language) -> None:
    """issue 5: 'the delegation returned home' codes nothing."""
    assert types_of(frames_nlp, "The trade delegation returned to Tokyo on Friday.") == []


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Negotiators will return to Geneva next week for talks.", "Geneva"),
        ("The two delegations travelled to Vienna on Monday for a meeting.", "Vienna"),
    ],
)
def test_issue5_talks_take_the_destination_of_the_trip_as_location(
    full_nlp: Language, text: str, place: str
) -> None:
    """issue 5: 'return to Geneva for talks' happens in Geneva, not in the article focus."""
    doc = full_nlp(text)
    consult = [e for e in doc._.events if e.event_type == "CONSULT"]
    assert consult, [e.event_type for e in doc._.events]
    assert consult[0].location is not None
    assert consult[0].location.extracted_place == place


def test_returning_things_and_forces_is_still_retreat(frames_nlp: Language) -> None:
    """Returned objects ('dozens of coins') and troops going back to base stay RETREAT."""
    assert "RETREAT" in types_of(
        frames_nlp, "The museum returned dozens of looted coins to the embassy of Peru."
    )
    assert "RETREAT" in types_of(frames_nlp, "The rebels returned to their bases on Sunday.")


def test_failing_to_reach_agreement_is_reject(frames_nlp: Language) -> None:
    """A cooperation that did not happen ('failed to reach a deal') is a rejection."""
    assert types_of(frames_nlp, "The two parties failed to reach a deal on the budget.") == [
        "REJECT"
    ]


def test_truce_deal_is_agree_and_trade_deal_is_support(frames_nlp: Language) -> None:
    """A deal to stop fighting is a promise (AGREE); a finalised accord is SUPPORT."""
    assert types_of(frames_nlp, "The rival militias reached a ceasefire agreement.") == ["AGREE"]
    assert types_of(frames_nlp, "The factions agreed on Monday to a ceasefire proposal.") == [
        "AGREE"
    ]
    assert types_of(frames_nlp, "The two countries reached a deal on fishing quotas.") == [
        "SUPPORT"
    ]
