"""General actor rules behind the issue-3 country/sector figures: coordination, ethnic groups,
titled people without a country, currencies (own sentences, not the dev set's)."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Mention
from eventwire.resolve.actors import actors_for_token

DAY = date(2024, 5, 6)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_actors_v1", "eventwire_coref_v1"])


def analyse(nlp: Language, text: str) -> Doc:
    return nlp(make_doc(nlp, text, "rules", DAY))


def head(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


def mention(doc: Doc, word: str) -> Mention:
    i = head(doc, word)
    return next(m for m in doc._.mentions if m.start <= i < m.end)


@pytest.mark.parametrize(
    ("text", "word", "codes", "sector"),
    [
        (
            "American and British diplomats met in Geneva on Monday.",
            "diplomats",
            ["USA", "GBR"],
            "GOV",
        ),
        ("U.S. and Russian negotiators will meet in Vienna.", "negotiators", ["USA", "RUS"], "GOV"),
        (
            "French, German and Italian troops will join the mission.",
            "troops",
            ["FRA", "DEU", "ITA"],
            "MIL",
        ),
        (
            "The foreign ministers of Egypt and Jordan met in Cairo.",
            "ministers",
            ["EGY", "JOR"],
            "GOV",
        ),
        (
            "Egyptian and Jordanian foreign ministers met in Amman.",
            "ministers",
            ["EGY", "JOR"],
            "GOV",
        ),
    ],
)
def test_coordinated_countries_give_one_actor_each(
    nlp: Language, text: str, word: str, codes: list[str], sector: str
) -> None:
    doc = analyse(nlp, text)
    actors = actors_for_token(doc, head(doc, word))
    assert [a.code for a in actors] == codes
    assert {a.sector for a in actors} == {sector}


def test_singular_head_or_separate_country_stays_one_actor(nlp: Language) -> None:
    doc = analyse(nlp, "Talks between Russia and Ukrainian officials resumed on Monday.")
    assert [a.code for a in actors_for_token(doc, head(doc, "officials"))] == ["UKR"]
    assert [a.code for a in actors_for_token(doc, head(doc, "Russia"))] == ["RUS"]
    doc = analyse(nlp, "The foreign minister of Egypt arrived in Amman.")
    assert [a.code for a in actors_for_token(doc, head(doc, "minister"))] == ["EGY"]


@pytest.mark.parametrize(
    ("text", "word", "code", "span"),
    [
        ("Ethnic Serbs in northern Kosovo protested on Sunday.", "Serbs", "KOS", "Ethnic Serbs"),
        (
            "Police clashed with the Hungarian minority in southern Slovakia.",
            "minority",
            "SVK",
            "the Hungarian minority",
        ),
        (
            "Ethnic Uzbeks marched through Osh, Kyrgyz officials said on Friday.",
            "Uzbeks",
            "KGZ",
            "Ethnic Uzbeks",
        ),
    ],
)
def test_ethnic_groups_take_the_country_they_live_in(
    nlp: Language, text: str, word: str, code: str, span: str
) -> None:
    found = mention(analyse(nlp, text), word)
    assert (found.actor.entity_text, found.actor.code) == (span, code)
    # civilians, qualified by their people since issue 14 (CVLsrb, CVLhun, CVLuzb)
    assert found.actor.sector is not None and found.actor.sector[:3] == "CVL"
    assert found.actor.ethnicity is not None


def test_ethnic_group_does_not_set_the_focus(nlp: Language) -> None:
    doc = analyse(nlp, "Police clashed with the Hungarian minority in southern Slovakia.")
    assert doc._.focus_country == "SVK"
    assert mention(doc, "Police").actor.code == "SVK"


def test_a_plain_demonym_group_keeps_its_own_country(nlp: Language) -> None:
    doc = analyse(nlp, "Albanians in Tirana celebrated the victory.")
    assert mention(doc, "Albanians").actor.code == "ALB"


def test_titled_person_without_country_takes_the_focus(nlp: Language) -> None:
    doc = analyse(
        nlp, "President Ilir Dakovic said the curfew in Tirana would be lifted on Friday."
    )
    actor = mention(doc, "Dakovic").actor
    assert (actor.code, actor.sector, actor.office) == ("ALB", "GOV", "President")
    doc = analyse(nlp, "Ousted President Ilir Dakovic left Albania on Friday.")
    assert (mention(doc, "Dakovic").actor.code, mention(doc, "Dakovic").actor.sector) == (
        "ALB",
        "ELI",
    )


def test_currency_is_not_an_actor(nlp: Language) -> None:
    doc = analyse(nlp, "The minister was accused of taking US $5 million from Haitian firms.")
    assert "USA" not in {m.actor.code for m in doc._.mentions}
    assert doc._.focus_country == "HTI"
