"""Every PLOVER type from sentences written for these tests, plus factuality and syntax cases."""

from __future__ import annotations

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.extraction.lexicon import PLOVER_TYPES, build_lexicon, load_lexicon, parse_entry
from eventwire.nlp.pipeline import load_pipeline
from eventwire.records import Frame

# sentence|type|mode ("-" = any)|actor head texts|recipient head texts (comma lists)
CASE_TABLE = """
Egypt agreed to host a new round of negotiations next month.|AGREE|-|Egypt|
Japan's government pledged to send 500 tonnes of rice to Sudan.|AGREE|-|government|Sudan
Moldova and Romania reached an agreement on electricity exports.|SUPPORT|-|Moldova,Romania|
The Chinese premier will visit Kenya in May.|AGREE|-|premier|Kenya
Chancellor Olaf Scholz met with President Andrzej Duda in Warsaw.|CONSULT|-|Scholz|Duda
Prime Minister Narendra Modi arrived in Tokyo for a two-day visit.|CONSULT|visit|Modi|Tokyo
Brazil's president spoke by phone with his counterpart.|CONSULT|phone|president|counterpart
The African Union praised Ghana for the peaceful election.|SUPPORT|-|Union|Ghana
Spain formally recognized the State of Palestine.|SUPPORT|-|Spain|State
Canada and Mexico signed a trade agreement on Friday.|SUPPORT|-|Canada,Mexico|
The military government lifted the curfew in the capital.|CONCEDE|-|government|
The prime minister apologized to the families of the victims.|CONCEDE|-|minister|families
President Mirziyoyev pardoned 300 prisoners.|CONCEDE|-|Mirziyoyev|prisoners
Ukraine extradited two suspects to Poland.|COOPERATE|-|Ukraine|Poland
Kenyan police cooperated with Interpol to dismantle the network.|COOPERATE|-|police|Interpol
South Korea shared intelligence with Japan on the missile launch.|COOPERATE|-|Korea|Japan
The World Bank approved a $500 million loan for Pakistan.|AID|-|Bank|Pakistan
Germany sent humanitarian aid to Turkey after the earthquake.|AID|-|Germany|Turkey
The United States donated two million vaccine doses to Ghana.|AID|-|States|Ghana
The rebels released 12 hostages on Sunday.|RETREAT|release|rebels|hostages
Russian troops withdrew from the city of Kherson.|RETREAT|withdraw|troops|
The defence minister resigned after the scandal.|RETREAT|resign|minister|
The UN chief urged Israel to release the prisoners.|REQUEST|yield|chief|Israel
Opposition leaders called on the president to resign.|REQUEST|change|leaders|president
Ukraine asked Germany for more air defence systems.|REQUEST|-|Ukraine|Germany
Beijing accused Washington of interfering in its internal affairs.|ACCUSE|allege|Beijing|Washington
Germany and France condemned the coup.|ACCUSE|disapprove|Germany,France|
Prosecutors opened an investigation into the mayor of Lyon.|ACCUSE|investigate|Prosecutors|mayor
Hamas rejected the Egyptian proposal.|REJECT|-|Hamas|
The president refused to meet the opposition leaders.|REJECT|meet|president|leaders
Serbia said it will not recognize Kosovo.|REJECT|-|Serbia|Kosovo
North Korea threatened to attack South Korea.|THREATEN|violence|Korea|Korea
Turkey warned that it would expel the Dutch ambassador.|THREATEN|expel|Turkey|
The union threatened a general strike if wages are not raised.|THREATEN|restrict|union|
Thousands of farmers protested in Paris against the new tax.|PROTEST|demo|farmers|
Doctors went on strike in Nairobi over unpaid salaries.|PROTEST|strike|Doctors|
Students staged a sit-in outside the ministry.|PROTEST|demo|Students|
The European Union imposed sanctions on five Russian officials.|SANCTION|discontinue|Union|officials
Lithuania expelled two Belarusian diplomats.|SANCTION|expel|Lithuania|
A court in Istanbul sentenced the journalist to two years in jail.|SANCTION|convict|court|journalist
Niger recalled its ambassador from France.|SANCTION|withdraw|Niger|France
Russia deployed additional troops to the border with Finland.|MOBILIZE|troops|Russia|
China sent two warships to the disputed waters.|MOBILIZE|weapons|China|
Hundreds of riot police were deployed in the capital.|MOBILIZE|police|police|
Police arrested three opposition activists in Minsk.|COERCE|arrest|Police|activists
The government imposed a curfew in the northern province.|COERCE|curfew|government|
Authorities deported 200 migrants to Libya.|COERCE|deport|Authorities|migrants
Gunmen killed four villagers in northern Burkina Faso.|ASSAULT|firearms|Gunmen|villagers
Israeli air strikes hit Gaza City overnight.|ASSAULT|aerial|Israeli|City
Militants launched a rocket attack on the town of Sderot.|ASSAULT|heavy-weapons|Militants|town
"""


def _names(field: str) -> set[str]:
    return {w.strip() for w in field.split(",") if w.strip()}


def _case(line: str) -> tuple[str, str, str | None, set[str], set[str]]:
    text, event_type, mode, agents, patients = (f.strip() for f in line.split("|"))
    return text, event_type, None if mode == "-" else mode, _names(agents), _names(patients)


CASES = [_case(line) for line in CASE_TABLE.strip().splitlines()]


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_frames_v1"])


def words(doc: Doc, heads: list[int]) -> set[str]:
    return {doc[i].text for i in heads}


def frames_of(nlp: Language, text: str, event_type: str) -> tuple[Doc, list[Frame]]:
    doc = nlp(text)
    return doc, [f for f in doc._.frames if f.event_type == event_type]


def test_cases_cover_every_type_three_times() -> None:
    counts = {t: sum(1 for c in CASES if c[1] == t) for t in PLOVER_TYPES}
    assert all(n >= 3 for n in counts.values()), counts


@pytest.mark.parametrize(("text", "event_type", "mode", "agents", "patients"), CASES)
def test_event_type(
    nlp: Language,
    text: str,
    event_type: str,
    mode: str | None,
    agents: set[str],
    patients: set[str],
) -> None:
    doc, frames = frames_of(nlp, text, event_type)
    assert frames, f"no {event_type} in {[(f.event_type, f.rule) for f in doc._.frames]}"
    ok = [
        f
        for f in frames
        if agents <= words(doc, f.agents)
        and patients <= words(doc, f.patients)
        and (mode is None or mode in f.mode)
    ]
    described = [(f.mode, words(doc, f.agents), words(doc, f.patients)) for f in frames]
    assert ok, f"{event_type} frames {described} lack {mode} {agents} {patients}"


@pytest.mark.parametrize(
    ("text", "event_type", "factuality", "reporter"),
    [
        ("Russia did not attack the convoy.", "ASSAULT", "negated", None),
        ("The foreign ministers never met in Geneva.", "CONSULT", "negated", None),
        ("The army could launch an offensive against the rebels.", "ASSAULT", "hypothetical", None),
        ("If talks fail, the two sides might meet again in Doha.", "CONSULT", "hypothetical", None),
        ("The army will deploy more troops to the border next week.", "MOBILIZE", "planned", None),
        # PLOVER: a future meeting is a promise to meet (AGREE), asserted now
        ("The Chinese foreign minister will visit Brazil next week.", "AGREE", "asserted", None),
        ("Macron is expected to meet Sunak in Paris.", "AGREE", "asserted", None),
        (
            "Iraqi forces arrested an Islamic State commander, the interior ministry said.",
            "COERCE",
            "reported",
            "ministry",
        ),
        (
            "According to local officials, rebels abducted 20 students.",
            "ASSAULT",
            "reported",
            "officials",
        ),
        ("The army, he added, shelled the village overnight.", "ASSAULT", "reported", "he"),
        (
            "The minister said police would not arrest the protesters.",
            "COERCE",
            "negated",
            "minister",
        ),
        ("Police arrested ten protesters in Kampala on Friday.", "COERCE", "asserted", None),
    ],
)
def test_factuality(
    nlp: Language, text: str, event_type: str, factuality: str, reporter: str | None
) -> None:
    doc, frames = frames_of(nlp, text, event_type)
    assert frames, f"no {event_type}: {[(f.event_type, f.rule) for f in doc._.frames]}"
    frame = frames[0]
    assert frame.factuality == factuality
    assert (doc[frame.reporter].text if frame.reporter is not None else None) == reporter


def test_passive_subject_is_recipient_and_by_phrase_is_actor(nlp: Language) -> None:
    doc, frames = frames_of(nlp, "Five journalists were arrested by security forces.", "COERCE")
    assert words(doc, frames[0].agents) == {"forces"}
    assert words(doc, frames[0].patients) == {"journalists"}


def test_coordinated_actors_and_multi_party_meeting_is_one_reciprocal_frame(
    nlp: Language,
) -> None:
    doc, frames = frames_of(
        nlp, "The foreign ministers of Kenya, Uganda and Tanzania met in Nairobi.", "CONSULT"
    )
    assert len(frames) == 1 and frames[0].reciprocal
    assert [doc[i].text for i in frames[0].agents] == ["Kenya", "Uganda", "Tanzania"]


def test_colon_list_gives_every_listed_party(nlp: Language) -> None:
    doc, frames = frames_of(
        nlp,
        "The summit brought together several leaders: the President of Kenya, the Prime "
        "Minister of Ethiopia, and the President of Somalia.",
        "CONSULT",
    )
    assert [doc[i].text for i in frames[0].agents] == ["President", "Minister", "President"]


@pytest.mark.parametrize(
    ("text", "event_type", "agents", "patients"),
    [
        (
            "Talks between Armenia and Azerbaijan resumed in Geneva.",
            "CONSULT",
            {"Armenia", "Azerbaijan"},
            set(),
        ),
        (
            "A three-day visit to Kenya by the Turkish president ended on Friday.",
            "CONSULT",
            {"president"},
            {"Kenya"},
        ),
        ("Israel's attack on the port killed five people.", "ASSAULT", {"Israel"}, {"people"}),
        ("Protests erupted in Lagos on Monday.", "PROTEST", set(), set()),
        ("The militia, which attacked the convoy, later withdrew.", "ASSAULT", {"militia"}, set()),
        ("The EU decided to impose sanctions on Belarus.", "SANCTION", {"EU"}, {"Belarus"}),
        ("Soldiers and rebels clashed near the border.", "ASSAULT", {"Soldiers", "rebels"}, set()),
    ],
)
def test_nominal_relative_and_control_arguments(
    nlp: Language, text: str, event_type: str, agents: set[str], patients: set[str]
) -> None:
    doc, frames = frames_of(nlp, text, event_type)
    assert frames, f"no {event_type}: {[(f.event_type, f.rule) for f in doc._.frames]}"
    assert any(
        words(doc, f.agents) == agents and patients <= words(doc, f.patients) for f in frames
    ), [(words(doc, f.agents), words(doc, f.patients)) for f in frames]


def test_governed_event_is_not_counted_twice(nlp: Language) -> None:
    doc = nlp("North Korea threatened to attack South Korea.")
    assert [f.event_type for f in doc._.frames] == ["THREATEN"]


def test_non_events_are_not_coded(nlp: Language) -> None:
    for text in (
        "The ministry declined to comment on the report.",
        "The company released a statement on Monday.",
        "Exports hit a record high in March.",
        "The ousted president lives in exile.",
    ):
        assert nlp(text)._.frames == [], text


def test_lexicon_is_large_and_covers_all_types() -> None:
    lex = load_lexicon()
    assert lex.size >= 500
    covered = {
        e.event_type for index in (lex.verbs, lex.nouns) for es in index.values() for e in es
    }
    assert set(PLOVER_TYPES) <= covered


def test_lexicon_rejects_bad_entries() -> None:
    with pytest.raises(ValueError):
        parse_entry("x meet", "CONSULT", {})
    with pytest.raises(ValueError):
        parse_entry("v meet >@nowhere", "CONSULT", {})
    raw = {
        "sets": {},
        "types": {},
        "nested_modes": {},
        "conflict_types": [],
        "light_verbs": [],
        "occurrence_verbs": [],
        "participation_verbs": [],
        "reporting_verbs": [],
        "modal_governors": {},
        "nominal_modality": {},
        "mode_cues": {},
        "triggers": {"DEMAND": ["v demand"]},
    }
    with pytest.raises(ValueError):
        build_lexicon(raw)
