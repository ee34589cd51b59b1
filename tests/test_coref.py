"""In-article coreference: pronouns, short names and definite titles (issue 3 item 3)."""

from __future__ import annotations

from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Mention
from eventwire.resolve.actors import actors_for_token

DAY = date(2024, 8, 19)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_actors_v1", "eventwire_coref_v1"])


def analyse(nlp: Language, text: str, day: date | None = DAY) -> Doc:
    return nlp(make_doc(nlp, text, "coref-test", day))


def at(doc: Doc, word: str, nth: int = 0) -> Mention:
    """The mention that starts at the nth token spelled `word`."""
    index = [t.i for t in doc if t.text == word][nth]
    for mention in doc._.mentions:
        if mention.start <= index < mention.end:
            return mention
    raise AssertionError(f"no mention at {word!r}")


def test_subject_pronoun_takes_the_previous_subject(nlp: Language) -> None:
    doc = analyse(
        nlp, "Emmanuel Macron met Olaf Scholz in Paris. He said Europe must stand together."
    )
    he = at(doc, "He")
    assert he.actor.name == "Emmanuel Macron"
    assert he.actor.resolution == "coref" and he.actor.mention_text == "He"
    assert doc._.mentions[he.antecedent or 0].actor.name == "Emmanuel Macron"
    assert he.actor.start == doc.text.index("He ")


def test_possessive_takes_the_subject_of_its_clause(nlp: Language) -> None:
    doc = analyse(nlp, "Antony Blinken met Isaac Herzog during his visit to the region.")
    assert at(doc, "his").actor.name == "Antony Blinken"


def test_pronoun_chain_across_several_sentences(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "Sergey Lavrov arrived in Ankara on Monday. He met Hakan Fidan. "
        "The talks, he added, had been useful. He then flew home.",
    )
    assert {at(doc, "He", n).actor.name for n in (0, 1)} == {"Sergey Lavrov"}
    assert at(doc, "he").actor.name == "Sergey Lavrov"


def test_country_subject_does_not_capture_he(nlp: Language) -> None:
    doc = analyse(nlp, "Isaac Herzog spoke to reporters. Israel, he said, would defend itself.")
    assert at(doc, "he").actor.name == "Isaac Herzog"


def test_they_wants_a_plural_or_an_organisation(nlp: Language) -> None:
    doc = analyse(nlp, "Benjamin Netanyahu accused Hamas of stalling. They rejected the claim.")
    assert at(doc, "They").actor.name == "Hamas"
    doc = analyse(nlp, "Police dispersed the protesters. They had gathered outside the ministry.")
    assert at(doc, "They").actor.sector in {"CVL", "COP"}


def test_its_wants_a_country_or_organisation_not_a_person(nlp: Language) -> None:
    doc = analyse(nlp, "Sergey Lavrov said Russia would defend its interests.")
    assert at(doc, "its").actor.code == "RUS"
    assert at(doc, "its").actor.name == "Russia"


def test_unresolvable_pronoun_gives_no_actor(nlp: Language) -> None:
    doc = analyse(nlp, "She said the weather would improve.")
    she = [t.i for t in doc if t.text == "She"][0]
    assert actors_for_token(doc, she) == []


def test_surname_after_full_name(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "Israeli Defense Minister Yoav Gallant visited the border. "
        "Gallant said the army was ready.",
    )
    later = at(doc, "Gallant", 1)
    assert later.actor.name == "Yoav Gallant" and later.actor.resolution == "coref"
    assert later.actor.office == "Defense Minister"


def test_surname_of_an_unknown_person(nlp: Language) -> None:
    doc = analyse(
        nlp, "Opposition leader Maria Lopez led the march. Lopez said the protests would go on."
    )
    later = at(doc, "Lopez", 1)
    assert later.actor.name == "Maria Lopez" and later.actor.resolution == "coref"
    assert later.actor.sector == "OPP"


def test_definite_title_to_the_earlier_holder(nlp: Language) -> None:
    doc = analyse(
        nlp, "Mahmoud Abbas condemned the raid. The president said Israel bore responsibility."
    )
    title = at(doc, "president")
    assert title.actor.name == "Mahmoud Abbas" and title.actor.resolution == "coref"


def test_definite_title_with_a_country_skips_other_countries(nlp: Language) -> None:
    doc = analyse(
        nlp,
        "Joe Biden called Benjamin Netanyahu on Friday. "
        "The Israeli Prime Minister later met the cabinet.",
    )
    assert at(doc, "Prime").actor.name == "Benjamin Netanyahu"


def test_definite_title_falls_back_to_the_kb_holder_on_the_date(nlp: Language) -> None:
    doc = analyse(nlp, "The Iranian president warned Washington.", date(2024, 9, 1))
    actor = at(doc, "president").actor
    assert (actor.name, actor.code, actor.sector) == ("Masoud Pezeshkian", "IRN", "GOV")


def test_the_group_refers_to_the_earlier_group(nlp: Language) -> None:
    doc = analyse(nlp, "Boko Haram attacked a village in Borno. The group later released a video.")
    group = at(doc, "group")
    assert group.actor.name == "Boko Haram" and group.actor.resolution == "coref"


def test_its_forces_take_the_owner_country(nlp: Language) -> None:
    doc = analyse(nlp, "The Syrian army or its allied forces shelled the village.")
    assert at(doc, "forces").actor.code == "SYR"
