"""Actor mentions, the KB and role rules, with the real model (issue 2 item 5, issue 3)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import shared_data
from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Actor, Mention
from eventwire.resolve.actors import actors_for_token
from eventwire.resolve.actors.kb import index, parse_date
from eventwire.resolve.actors.people import holder, office_on

SEED = shared_data.SEED
SEED_DATE = date(2024, 8, 19)


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_actors_v1", "eventwire_coref_v1"])


def analyse(nlp: Language, text: str, day: date | None = SEED_DATE) -> Doc:
    return nlp(make_doc(nlp, text, "test", day))


def mention_at(doc: Doc, surface: str, nth: int = 0) -> Mention:
    """The mention covering the nth occurrence of `surface` in the text."""
    found = list(re.finditer(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", doc.text))
    start = found[nth].start()
    end = start + len(surface)
    for mention in doc._.mentions:
        if (
            mention.actor.start is not None
            and mention.actor.start <= start
            and end <= (mention.actor.end or 0)
        ):
            return mention
    raise AssertionError(
        f"no mention covers {surface!r}: {[m.actor.entity_text for m in doc._.mentions]}"
    )


def token_of(doc: Doc, word: str, nth: int = 0) -> int:
    return [t.i for t in doc if t.text == word][nth]


def seed_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    return text.rsplit("\nRead also|", 1)[0]


@pytest.fixture(scope="module")
def seed(nlp: Language) -> Doc:
    shared_data.require()
    return analyse(nlp, seed_text())


def fields(actor: Actor) -> tuple[str | None, str | None, str | None]:
    return actor.code, actor.sector, actor.office


# --- the seed article -------------------------------------------------------------------


def test_seed_blinken_title_and_name_are_one_mention(seed: Doc) -> None:
    mention = mention_at(seed, "US Secretary of State, Antony Blinken")
    assert mention.actor.entity_text == "US Secretary of State, Antony Blinken"
    assert mention.actor.name == "Antony Blinken"
    assert fields(mention.actor) == ("USA", "GOV", "Secretary of State")
    (actor,) = actors_for_token(seed, token_of(seed, "Secretary"))
    assert actor.name == "Antony Blinken"


def test_seed_netanyahu_and_herzog(seed: Doc) -> None:
    netanyahu = mention_at(seed, "Israeli Prime Minister Benjamin Netanyahu").actor
    assert (netanyahu.name, *fields(netanyahu)) == (
        "Benjamin Netanyahu",
        "ISR",
        "GOV",
        "Prime Minister",
    )
    herzog = mention_at(seed, "the Israeli President Isaac Herzog").actor
    assert (herzog.name, *fields(herzog)) == ("Isaac Herzog", "ISR", "GOV", "President")


def test_seed_eight_office_holders(seed: Doc) -> None:
    actors = actors_for_token(seed, token_of(seed, "personalities"))
    assert len(actors) == 8
    ambassador = [a for a in actors if a.office == "Ambassador to Israel"]
    assert [fields(a) for a in ambassador] == [("USA", "GOV", "Ambassador to Israel")]
    others = [a for a in actors if a.office != "Ambassador to Israel"]
    assert len(others) == 7 and all((a.code, a.sector) == ("ISR", "GOV") for a in others)
    assert mention_at(seed, "Chief-of-Staff to the Prime Minister").kind == "role"
    assert mention_at(seed, "the Minister of Strategic Affairs").actor.code == "ISR"


@pytest.mark.parametrize(
    ("surface", "nth", "code", "sector"),
    [
        ("Hamas", 0, "PSE", "REB"),
        ("Israel", 1, "ISR", "GOV"),
        ("Egypt", 0, "EGY", "GOV"),
        ("Washington", 0, "USA", "GOV"),
        ("American", 0, "USA", "GOV"),
        ("Egyptian", 0, "EGY", "GOV"),
        ("Qatari", 0, "QAT", "GOV"),
        ("The US", 0, "USA", "GOV"),
        ("Iran", 0, "IRN", "GOV"),
        ("Hizballah", 0, "LBN", "REB"),
        ("Hizballah", 1, "LBN", "REB"),
        ("US forces", 0, "USA", "MIL"),
        ("the State Department", 0, "USA", "GOV"),
        ("the Israeli Prime Minister's Office", 0, "ISR", "GOV"),
    ],
)
def test_seed_countries_groups_and_roles(
    seed: Doc, surface: str, nth: int, code: str, sector: str
) -> None:
    actor = mention_at(seed, surface, nth).actor
    assert (actor.code, actor.sector) == (code, sector)


def test_seed_coreference(seed: Doc) -> None:
    herzog_full = mention_at(seed, "the Israeli President Isaac Herzog")
    index_of = seed._.mentions.index
    for word, nth in (("He", 0), ("He", 1), ("he", 0), ("He", 2)):
        mention = seed._.mentions[
            next(n for n, m in enumerate(seed._.mentions) if m.start == token_of(seed, word, nth))
        ]
        assert mention.actor.name == "Isaac Herzog", (word, nth)
        assert mention.actor.resolution == "coref" and mention.actor.mention_text == word
        assert mention.antecedent == index_of(herzog_full)
    his = mention_at(seed, "his")
    assert his.actor.name == "Antony Blinken" and his.actor.resolution == "coref"
    assert mention_at(seed, "its").actor.code == "USA"
    for short, full in (("Blinken", "Antony Blinken"), ("Herzog", "Isaac Herzog")):
        later = mention_at(seed, short, 2 if short == "Blinken" else 1)
        assert later.actor.name == full and later.actor.resolution == "coref"
    assert mention_at(seed, "Netanyahu", 1).actor.resolution == "coref"


def test_seed_mentions_are_sorted_offsets_exact_and_focus(seed: Doc) -> None:
    mentions = seed._.mentions
    for before, after in zip(mentions, mentions[1:], strict=False):
        assert before.end <= after.start
    for mention in mentions:
        actor = mention.actor
        assert actor.start is not None and actor.end is not None
        assert seed.text[actor.start : actor.end] == actor.entity_text
    assert seed._.focus_country == "ISR"


# --- sentences of our own ---------------------------------------------------------------

OWN = [
    # (text, surface, code, sector, office-or-None)
    (
        "The protesters were dispersed by Egyptian riot police near the court.",
        "Egyptian riot police",
        "EGY",
        "COP",
        None,
    ),
    (
        "Police arrested 20 protesters in Cairo, the Egyptian Interior Ministry said.",
        "the Egyptian Interior Ministry",
        "EGY",
        "GOV",
        None,
    ),
    (
        "Israeli troops raided the camp and Palestinian militants opened fire.",
        "Palestinian militants",
        "PSE",
        "REB",
        None,
    ),
    (
        "Houthi rebels fired missiles at a tanker, the US military said.",
        "the US military",
        "USA",
        "MIL",
        None,
    ),
    (
        "Houthi rebels fired missiles at a tanker, the US military said.",
        "Houthi rebels",
        "YEM",
        "REB",
        None,
    ),
    ("Turkish President Recep Tayyip Erdogan criticised Sweden.", "Sweden", "SWE", "GOV", None),
    ("The Kremlin rejected the accusations.", "The Kremlin", "RUS", "GOV", None),
    ("Beijing warned Washington against selling arms to Taiwan.", "Beijing", "CHN", "GOV", None),
    ("The Pentagon said it had deployed two destroyers.", "The Pentagon", "USA", "MIL", None),
    ("NATO condemned the missile strike.", "NATO", "IGO", "MIL", None),
    ("The European Union imposed new sanctions on Iran.", "The European Union", "EUR", None, None),
    (
        "UN Secretary-General Antonio Guterres urged restraint.",
        "UN Secretary-General Antonio Guterres",
        "UNO",
        "GOV",
        "Secretary-General",
    ),
    (
        "The Saudi crown prince received the Iranian foreign minister.",
        "the Iranian foreign minister",
        "IRN",
        "GOV",
        "foreign minister",
    ),
    (
        "Moroccan diplomats met their Algerian counterparts in Geneva.",
        "Moroccan diplomats",
        "MAR",
        "GOV",
        None,
    ),
    (
        "An army spokesman said the operation was over.",
        "An army spokesman",
        None,
        "MIL",
        "army spokesman",
    ),
    (
        "Unidentified gunmen killed three soldiers in northern Mali.",
        "Unidentified gunmen",
        None,
        "UAF",
        None,
    ),
    (
        "Opposition lawmakers walked out of the Kenyan parliament.",
        "the Kenyan parliament",
        "KEN",
        "LEG",
        None,
    ),
    (
        "Former US President Barack Obama met Chinese President Xi Jinping.",
        "Chinese President Xi Jinping",
        "CHN",
        "GOV",
        "President",
    ),
    (
        "A spokesman for Hamas said the talks had failed.",
        "A spokesman for Hamas",
        "PSE",
        "REB",
        "spokesman for Hamas",
    ),
    (
        "The Saudi-led coalition struck Houthi positions.",
        "The Saudi-led coalition",
        "SAU",
        "MIL",  # resolve/actors/data/agencies/world.yaml: the coalition's forces
        None,
    ),
    ("Hezbollah fighters attacked an Israeli army post.", "Hezbollah fighters", "LBN", "REB", None),
    (
        "Mohammed bin Abdulrahman Al Thani, Qatar's prime minister, said talks would resume.",
        "Qatar's prime minister",
        "QAT",
        "GOV",
        None,
    ),
    ("Palestinian refugees were moved to the south.", "Palestinian refugees", "PSE", "REF", None),
    (
        "Germany's defence minister Boris Pistorius visited the troops.",
        "Germany's defence minister Boris Pistorius",
        "DEU",
        "GOV",
        None,
    ),
]


@pytest.mark.parametrize(("text", "surface", "code", "sector", "office"), OWN)
def test_own_sentences(
    nlp: Language, text: str, surface: str, code: str | None, sector: str | None, office: str | None
) -> None:
    doc = analyse(nlp, text)
    actor = mention_at(doc, surface).actor
    assert (actor.code, actor.sector) == (code, sector)
    if office is not None:
        assert actor.office == office


def test_passive_agent_and_active_subject_resolve_through_their_heads(nlp: Language) -> None:
    doc = analyse(nlp, "Three journalists were detained by Iranian security forces on Monday.")
    (agent,) = actors_for_token(doc, token_of(doc, "forces"))
    assert (agent.code, agent.sector) == ("IRN", "COP")
    (patient,) = actors_for_token(doc, token_of(doc, "journalists"))
    assert patient.sector == "JRN"
    doc = analyse(nlp, "Egyptian mediators met Hamas officials in Cairo.")
    (subject,) = actors_for_token(doc, token_of(doc, "mediators"))
    assert subject.code == "EGY"


def test_former_office_holder_is_eli_by_date(nlp: Language) -> None:
    text = "Angela Merkel met Vladimir Putin."
    later = analyse(nlp, text, date(2024, 1, 10))
    assert mention_at(later, "Angela Merkel").actor.sector == "ELI"
    assert mention_at(later, "Vladimir Putin").actor.sector == "GOV"
    earlier = analyse(nlp, text, date(2019, 6, 1))
    merkel = mention_at(earlier, "Angela Merkel").actor
    assert (merkel.code, merkel.sector, merkel.office) == ("DEU", "GOV", "Chancellor")
    assert merkel.identifier_id == "Q567"


def test_office_is_picked_by_the_article_date(nlp: Language) -> None:
    text = "Israel Katz spoke to reporters."
    assert (
        mention_at(analyse(nlp, text, date(2024, 3, 1)), "Israel Katz").actor.office
        == "Foreign Minister"
    )
    assert (
        mention_at(analyse(nlp, text, date(2025, 3, 1)), "Israel Katz").actor.office
        == "Defense Minister"
    )


def test_without_a_date_the_latest_office_is_used(nlp: Language) -> None:
    actor = mention_at(analyse(nlp, "Donald Trump spoke.", None), "Donald Trump").actor
    assert (actor.code, actor.sector, actor.office) == ("USA", "GOV", "President")


def test_spacy_mislabels_do_not_hide_kb_entries(nlp: Language) -> None:
    doc = analyse(nlp, "Hizballah and Hezbollah and Hizbullah are one group; Blinken is a person.")
    assert {m.actor.name for m in doc._.mentions if m.kind == "group"} == {"Hezbollah"}
    assert mention_at(doc, "Blinken").actor.name == "Antony Blinken"


def test_nothing_actor_like_gives_an_empty_list(nlp: Language) -> None:
    doc = analyse(nlp, "The weather was warm and the market was busy.")
    assert actors_for_token(doc, token_of(doc, "weather")) == []
    assert actors_for_token(doc, 999) == []


def test_coordination_is_not_expanded(nlp: Language) -> None:
    doc = analyse(nlp, "Egypt and Jordan signed the deal.")
    assert [a.code for a in actors_for_token(doc, token_of(doc, "Egypt"))] == ["EGY"]
    assert [a.code for a in actors_for_token(doc, token_of(doc, "Jordan"))] == ["JOR"]


def test_a_group_of_members_names_the_members(nlp: Language) -> None:
    doc = analyse(nlp, "A group of Moroccan diplomats visited Rabat.")
    (actor,) = actors_for_token(doc, token_of(doc, "group"))
    assert (actor.code, actor.sector) == ("MAR", "GOV")


# --- the knowledge base -----------------------------------------------------------------


def test_partial_dates_stretch_to_their_period() -> None:
    assert parse_date("2019-07", upper=False) == date(2019, 7, 1)
    assert parse_date("2019-07", upper=True) == date(2019, 7, 31)
    assert parse_date("2020", upper=True) == date(2020, 12, 31)
    assert parse_date(None, upper=True) is None


def test_office_on_and_holder() -> None:
    people = {p.name: p for p in index().people}
    office, held = office_on(people["Antony Blinken"], date(2025, 6, 1))
    assert office is not None and office.title == "Secretary of State" and not held
    assert office_on(people["Antony Blinken"], date(2010, 1, 1)) == (None, False)
    iran = holder("IRN", "President", date(2024, 9, 1))
    assert iran is not None and iran.name == "Masoud Pezeshkian"
    assert holder("IRN", "President", date(2024, 6, 1)) is None  # interim period: nobody invented
    uk = holder("GBR", "foreign secretary", date(2024, 1, 1))
    assert uk is not None and uk.name == "David Cameron"


def test_every_person_has_a_source_and_well_formed_offices() -> None:
    for person in index().people:
        assert person.source, person.name
        for office in person.offices:
            assert office.role in {
                "head_of_state",
                "head_of_government",
                "foreign_minister",
                "defence_minister",
                "other",
            }
            if office.start and office.end:
                assert office.start <= office.end, person.name
        if person.qid:
            assert person.qid.startswith("Q") and person.qid[1:].isdigit()
