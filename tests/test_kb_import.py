"""`eventwire kb import`: PETRARCH dictionaries and Wikidata JSON into the user KB, end to end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language

from eventwire.cli import main
from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Actor
from eventwire.resolve.actors import userkb
from eventwire.resolve.actors.petrarch import parse_range, read_petrarch, split_code
from eventwire.resolve.actors.wikidata import read_wikidata

DATA = Path(__file__).resolve().parent / "data" / "kb"
PETRARCH = DATA / "sample.actors.txt"
ENTITYDATA = DATA / "sample-entitydata.json"
DUMP = DATA / "sample-dump.json"


@pytest.fixture(scope="module")
def kb_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Both sample files imported through the CLI into a KB file of this module's own."""
    path = tmp_path_factory.mktemp("kb") / "user.jsonl"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(userkb.ENV, str(path))
        assert main(["kb", "import", str(PETRARCH), "--format", "petrarch"]) == 0
        assert main(["kb", "import", str(ENTITYDATA), "--format", "wikidata"]) == 0
        userkb.reload()
        yield path
    userkb.reload()  # later modules see the shipped KB only


@pytest.fixture(scope="module")
def nlp(kb_file: Path) -> Language:
    return load_pipeline(components=["eventwire_actors_v1", "eventwire_coref_v1"])


def actor_named(nlp: Language, text: str, name: str, day: date | None) -> Actor:
    """The actor of the mention whose canonical name is `name`."""
    doc = nlp(make_doc(nlp, text, "kb-test", day))
    for mention in doc._.mentions:
        if mention.actor.name == name:
            return mention.actor
    found = [(m.actor.entity_text, m.actor.name) for m in doc._.mentions]
    raise AssertionError(f"no mention of {name}: {found}")


# --- the readers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("USAGOV", ("USA", "GOV")),
        ("RUSMED", ("RUS", "JRN")),
        ("DEUHLH", ("DEU", "MED")),
        ("SYRINS", ("SYR", "REB")),
        ("AFGSEP", ("AFG", "REB")),
        ("IGOUNOKFR", ("UNO", None)),
        ("IGOEUREEC", ("EUR", None)),
        ("IGOAFR", ("IGO", None)),
        ("AFRMED", (None, "JRN")),
        ("ROMGOV", ("ROU", "GOV")),
        ("NGOHRI", ("NGO", "SOC")),
    ],
)
def test_cameo_codes_map_to_plover(code: str, expected: tuple[str | None, str | None]) -> None:
    assert split_code(code) == expected


def test_date_restrictions() -> None:
    assert parse_range(">20090120") == (date(2009, 1, 20), None)
    assert parse_range("<20090120") == (None, date(2009, 1, 20))
    assert parse_range("20090120-20170120") == (date(2009, 1, 20), date(2017, 1, 20))
    assert parse_range("450703-470121") == (date(1945, 7, 3), date(1947, 1, 21))
    assert parse_range("180101-211231") == (date(2018, 1, 1), date(2021, 12, 31))
    with pytest.raises(ValueError):
        parse_range("2009")


def test_petrarch_records() -> None:
    records = {r["name"]: r for r in read_petrarch(PETRARCH)}
    velkor = records["Tomas Velkor"]
    assert velkor["kind"] == "person" and velkor["country"] == "RUS"
    assert velkor["aliases"] == ["T. Velkor"]
    assert [(o["sector"], o["start"], o["end"]) for o in velkor["offices"]] == [
        ("GOV", "2015-03-01", "2019-11-30"),
        ("MIL", "2020-01-01", None),
        ("ELI", None, None),  # the default code of the name line
    ]
    assert records["Southern Valley Brigades"]["sector"] == "REB"
    assert records["Southern Valley Brigades"]["aliases"] == ["SVB"]
    assert records["United Nations Lake Observer Mission"]["country"] == "UNO"
    assert records["Krasnogoria"]["kind"] == "country"
    assert "over two lines" not in json.dumps(records)
    assert records["Marguerite Oyelaran"]["offices"][0]["start"] == "2005-06-01"  # inline range
    assert {r["source"] for r in records.values()} == {"sample.actors.txt"}


def test_petrarch_rejects_a_code_line_outside_a_record(tmp_path: Path) -> None:
    bad = tmp_path / "bad.actors.txt"
    bad.write_text("[USAGOV >20090120]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="line 1"):
        read_petrarch(bad)


def test_wikidata_layouts_agree() -> None:
    one = read_wikidata(ENTITYDATA)
    two = read_wikidata(DUMP)
    strip = [{k: v for k, v in r.items() if k != "source"} for r in one]
    assert strip == [{k: v for k, v in r.items() if k != "source"} for r in two]


def test_wikidata_records() -> None:
    records = {r["name"]: r for r in read_wikidata(ENTITYDATA)}
    assert "Minister of Foreign Affairs of Nigeria" not in records  # a position, not a person
    okafor = records["Leontyne Okafor-Baye"]
    assert (okafor["qid"], okafor["country"], okafor["aliases"]) == (
        "Q990001",
        "NGA",
        ["L. Okafor-Baye"],
    )
    (office,) = okafor["offices"]
    assert (office["title"], office["role"], office["code"], office["qid"]) == (
        "Minister of Foreign Affairs",
        "foreign_minister",
        "NGA",
        "Q990100",
    )
    (chancellor,) = records["Hartmut Esselbach"]["offices"]  # the deprecated claim is dropped
    assert (chancellor["title"], chancellor["start"], chancellor["end"]) == (
        "Chancellor",
        "1961-03",
        "1963",
    )
    (unknown,) = records["Ines Valdrada"]["offices"]
    assert (unknown["title"], unknown["qid"], unknown["code"]) == ("", "Q990999", "BRA")


# --- import, then code ------------------------------------------------------------------------


def test_import_writes_sources_and_replaces_on_reimport(kb_file: Path) -> None:
    records = userkb.read_records(kb_file)
    assert {r["source"] for r in records} == {"sample.actors.txt", "sample-entitydata.json"}
    before = len(records)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(userkb.ENV, str(kb_file))
        assert main(["kb", "import", str(PETRARCH)]) == 0  # format guessed from the name
    assert len(userkb.read_records(kb_file)) == before


@pytest.mark.parametrize(
    ("day", "sector"),
    [(date(2017, 5, 1), "GOV"), (date(2021, 3, 1), "MIL"), (date(2010, 1, 1), "ELI")],
)
def test_petrarch_person_is_coded_by_date(nlp: Language, day: date, sector: str) -> None:
    actor = actor_named(
        nlp, "Tomas Velkor said on Monday that talks would resume.", "Tomas Velkor", day
    )
    assert (actor.code, actor.sector, actor.resolution) == ("RUS", sector, "kb")


@pytest.mark.parametrize(
    ("day", "sector"),
    [(date(2019, 6, 1), "GOV"), (date(2023, 6, 1), "ELI"), (date(2012, 6, 1), None)],
)
def test_petrarch_term_inside_and_outside(nlp: Language, day: date, sector: str | None) -> None:
    text = "Heliodor Massena criticised the budget plan on Friday."
    actor = actor_named(nlp, text, "Heliodor Massena", day)
    assert (actor.code, actor.sector) == ("ITA", sector)


def test_petrarch_group_and_acronym(nlp: Language) -> None:
    text = "The Southern Valley Brigades shelled the town, and the SVB later withdrew."
    doc = nlp(make_doc(nlp, text, "kb-test", date(2016, 1, 1)))
    groups = [m.actor for m in doc._.mentions if m.actor.name == "Southern Valley Brigades"]
    assert [(a.code, a.sector) for a in groups] == [("SYR", "REB"), ("SYR", "REB")]


@pytest.mark.parametrize(
    ("day", "sector", "office"),
    [
        (date(2017, 2, 1), "GOV", "Minister of Foreign Affairs"),
        (date(2021, 2, 1), "ELI", "Minister of Foreign Affairs"),
        (date(2012, 2, 1), None, None),
    ],
)
def test_wikidata_person_is_coded_by_date(
    nlp: Language, day: date, sector: str | None, office: str | None
) -> None:
    text = "Leontyne Okafor-Baye met the delegation in Abuja."
    actor = actor_named(nlp, text, "Leontyne Okafor-Baye", day)
    assert (actor.code, actor.sector, actor.office) == ("NGA", sector, office)
    assert (actor.identifier_id, actor.identifier_text) == ("Q990001", "Leontyne Okafor-Baye")


def test_wikidata_known_position_and_partial_dates(nlp: Language) -> None:
    text = "Hartmut Esselbach addressed the Bundestag."
    inside = actor_named(nlp, text, "Hartmut Esselbach", date(1963, 12, 31))  # year precision
    after = actor_named(nlp, text, "Hartmut Esselbach", date(1964, 1, 1))
    before = actor_named(nlp, text, "Hartmut Esselbach", date(1961, 2, 28))  # month precision
    assert (inside.sector, inside.office) == ("GOV", "Chancellor")
    assert (after.sector, before.sector) == ("ELI", None)


def test_wikidata_unmapped_position_keeps_country(nlp: Language) -> None:
    text = "Ines Valdrada opened the summit."
    actor = actor_named(nlp, text, "Ines Valdrada", date(2014, 1, 1))
    assert (actor.code, actor.sector, actor.office) == ("BRA", "GOV", None)


def test_kb_list_shows_the_layer(kb_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["kb", "list", "--kb", str(kb_file), "--source", "sample-entitydata.json"]) == 0
    out = capsys.readouterr().out
    assert "Leontyne Okafor-Baye [NGA" in out and "Q990001" in out
    assert "Tomas Velkor" not in out
