"""Places: gazetteer build/open, toponym resolution, datelines and event locations."""

from __future__ import annotations

import json
import math
import multiprocessing
from datetime import date
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import shared_data
from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.records import Frame, Place
from eventwire.resolve.places import (
    Gazetteer,
    annotate_places,
    event_location,
    gazetteer_path,
    open_gazetteer,
    resolve_place,
)
from eventwire.resolve.places.gazetteer import ensure_gazetteer, norm_key

SEED = shared_data.SEED
DEV = Path(__file__).resolve().parent / "data" / "places_dates_dev.jsonl"


def km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2, dl = math.radians(lat1), math.radians(lat2), math.radians(lon2 - lon1)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_places_v1", "eventwire_dates_v1"])


def parse(nlp: Language, text: str, day: date | None = date(2024, 8, 19)) -> Doc:
    return nlp(make_doc(nlp, text, "t", day))


# --- toponym resolution -------------------------------------------------------------------

TOPONYMS = [
    # (name, context, resolved_place, ISO3, resolution)
    ("Egypt", (), "Egypt", "EGY", "country"),  # not Goodyear, Arizona (alternate name "Egypt")
    ("Egypt", ("USA",), "Egypt", "EGY", "country"),
    ("Israel", (), "Israel", "ISR", "country"),
    ("Israeli", (), "Israel", "ISR", "country"),  # demonym
    ("US", (), "United States", "USA", "country"),
    ("U.S.", (), "United States", "USA", "country"),
    ("Britain", (), "United Kingdom", "GBR", "country"),
    ("the Palestinian territories", (), "Palestinian Territory", "PSE", "country"),
    ("Burma", (), "Myanmar", "MMR", "country"),
    ("Congo", (), "Democratic Republic of the Congo", "COD", "country"),
    ("Ivory Coast", (), "Ivory Coast", "CIV", "country"),
    ("Georgia", (), "Georgia", "GEO", "country"),
    ("Georgia", ("USA",), "Georgia", "USA", "province"),
    ("Georgia", ("USA", "GEO"), "Georgia", "GEO", "country"),
    ("Gaza", (), "Gaza", "PSE", "city"),
    ("Gaza Strip", (), "Gaza Strip", "PSE", "region"),
    ("the Gaza Strip", (), "Gaza Strip", "PSE", "region"),
    ("northern Gaza", (), "Gaza", "PSE", "city"),
    ("West Bank", (), "West Bank", "PSE", "region"),
    ("Donbas", (), "Donbas", "UKR", "region"),
    ("Crimea", (), "Crimea", "UKR", "region"),
    ("Sahel", (), "Sahel", None, "region"),
    ("Kurdistan", (), "Kurdistan", "IRQ", "region"),
    ("Middle East", (), "Middle East", None, "region"),
    ("Washington", (), "Washington", "USA", "city"),
    ("Jerusalem", (), "Jerusalem", "ISR", "city"),
    ("Tel Aviv", (), "Tel Aviv", "ISR", "city"),
    ("Kiev", (), "Kyiv", "UKR", "city"),
    ("Kherson", (), "Kherson", "UKR", "city"),
    ("Kherson region", (), "Kherson", "UKR", "province"),
    ("Kursk region", (), "Kursk Oblast", "RUS", "province"),
    ("New York", (), "New York City", "USA", "city"),
    ("Texas", (), "Texas", "USA", "province"),
    ("Paris", ("USA",), "Paris", "FRA", "city"),
    ("Tripoli", (), "Tripoli", "LBY", "city"),
    ("Tripoli", ("LBN",), "Tripoli", "LBN", "city"),
    ("Hyderabad", ("PAK",), "Hyderabad", "PAK", "city"),
    ("Punjab", ("IND",), "Punjab", "IND", "province"),
    ("Borno State", (), "Borno State", "NGA", "province"),
    ("Tigray", (), "Tigray", "ETH", "province"),
    ("Mosul", (), "Mosul", "IRQ", "city"),
    ("Hodeidah", (), "Al Ḩudaydah", "YEM", "city"),  # aliases.tsv
    ("Geneva", ("USA",), "Geneva", "CHE", "city"),
    ("Pokrovsk", (), "Pokrovsk", "UKR", "city"),
    ("Anbar", (), "Al Anbar", "IRQ", "province"),  # Arabic article dropped
    ("KYIV", (), "Kyiv", "UKR", "city"),
    ("São Paulo", (), "São Paulo", "BRA", "city"),
    ("Sao Paulo", (), "São Paulo", "BRA", "city"),
]


@pytest.mark.parametrize(("name", "context", "resolved", "iso3", "resolution"), TOPONYMS)
def test_resolve_place(
    name: str, context: tuple[str, ...], resolved: str, iso3: str | None, resolution: str
) -> None:
    place = resolve_place(name, context)
    assert place is not None, name
    assert (place.resolved_place, place.country_code, place.resolution) == (
        resolved,
        iso3,
        resolution,
    )
    assert place.extracted_place == name
    assert place.lat is not None and place.lon is not None


@pytest.mark.parametrize("name", ["Blinken", "Hizballah", "xyzzy", "", "the"])
def test_unknown_names_resolve_to_nothing(name: str) -> None:
    assert resolve_place(name) is None


def test_place_fields_for_a_city() -> None:
    place = resolve_place("Jerusalem")
    assert isinstance(place, Place)
    assert place.geonameid == 281184
    assert place.feature_code == "PPLC" and place.province == "Jerusalem"
    assert km(place.lat or 0, place.lon or 0, 31.77, 35.22) < 5


def test_norm_key_folds_case_accents_and_the() -> None:
    assert norm_key("The Hague") == norm_key("hague")
    assert norm_key("Tel-Aviv") == "tel aviv"
    assert norm_key("Ḩudaydah") == "hudaydah"


# --- the gazetteer file -------------------------------------------------------------------


def test_gazetteer_is_one_compact_file_that_answers_lookups() -> None:
    """Open and lookup speed are measured by benchmarks/gazetteer_bench.py, not asserted here."""
    path = ensure_gazetteer()
    assert path == gazetteer_path() and path.stat().st_size < 60_000_000
    gaz = Gazetteer(path)
    rows = gaz.lookup("jerusalem")
    assert any(r.kind == "city" and r.country == "ISR" for r in rows)
    assert gaz.lookup("name12345") == [] or all(r.country for r in gaz.lookup("name12345"))
    gaz.close()


def test_open_gazetteer_is_one_connection_per_process() -> None:
    assert open_gazetteer() is open_gazetteer()


def _build_in(path: str) -> int:
    gaz = Gazetteer(ensure_gazetteer(Path(path)))
    return len(gaz.lookup("jerusalem"))


@pytest.mark.slow
def test_two_processes_build_once_without_collision(tmp_path: Path) -> None:
    target = tmp_path / "gaz.sqlite"
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        counts = pool.map(_build_in, [str(target), str(target)])
    assert counts[0] == counts[1] > 0
    assert not list(tmp_path.glob(".gazetteer-*"))  # no temp file left behind


# --- documents ------------------------------------------------------------------------------


@pytest.mark.usefixtures("seed_file")
def test_seed_places(nlp: Language) -> None:
    doc = parse(nlp, SEED.read_text(encoding="utf-8"))
    found = {(pm.place.resolved_place, pm.place.country_code) for pm in doc._.places}
    for expected in [("Jerusalem", "ISR"), ("Tel Aviv", "ISR"), ("Egypt", "EGY")]:
        assert expected in found
    assert ("Israel", "ISR") in found and ("Gaza", "PSE") in found
    jerusalem = next(pm.place for pm in doc._.places if pm.place.resolved_place == "Jerusalem")
    assert km(jerusalem.lat or 0, jerusalem.lon or 0, 31.77, 35.22) < 5
    assert doc.text[jerusalem.start or 0 : jerusalem.end or 0] == "Jerusalem"
    assert doc._.dateline is None


@pytest.mark.parametrize(
    ("text", "place", "iso3"),
    [
        ("JERUSALEM (Reuters) - Israeli troops raided a camp on Thursday.", "Jerusalem", "ISR"),
        ("NAIROBI, Kenya - Police fired tear gas at protesters on Tuesday.", "Nairobi", "KEN"),
        ("GAZA CITY, March 3 (AP) - Strikes killed 12 people overnight.", "Gaza", "PSE"),
        ("WASHINGTON — The Senate passed the bill.", "Washington", "USA"),
        ("Kyiv (AFP) - Drones hit the city overnight.", "Kyiv", "UKR"),
    ],
)
def test_datelines(nlp: Language, text: str, place: str, iso3: str) -> None:
    doc = parse(nlp, text)
    assert doc._.dateline is not None
    assert (doc._.dateline.resolved_place, doc._.dateline.country_code) == (place, iso3)
    starts = [pm.start for pm in doc._.places]
    assert starts[0] == 0 and len(starts) == len(set(starts))  # the dateline once


@pytest.mark.parametrize(
    "text", ["US officials met in Paris on Monday.", "US - China trade talks resumed on Monday."]
)
def test_no_dateline_in_ordinary_opening(nlp: Language, text: str) -> None:
    assert parse(nlp, text)._.dateline is None


def test_context_picks_the_namesake(nlp: Language) -> None:
    doc = parse(nlp, "Lebanese protesters stormed a fuel depot in Tripoli on Saturday.")
    assert [pm.place.country_code for pm in doc._.places] == ["LBN"]
    doc = parse(nlp, "Voters in Atlanta, Georgia, waited for hours on Tuesday.")
    georgia = [pm.place for pm in doc._.places if pm.place.resolved_place == "Georgia"]
    assert georgia and georgia[0].country_code == "USA"


def test_misread_entities_are_recovered_where_a_place_is_expected(nlp: Language) -> None:
    doc = parse(nlp, "French unions marched in Lyon on May 1 against the pension reform.")
    assert [pm.place.resolved_place for pm in doc._.places] == ["Lyon"]
    doc = parse(nlp, "Russian forces launched missile strikes on Kyiv and Kharkiv early Thursday.")
    assert {pm.place.resolved_place for pm in doc._.places} >= {"Kyiv", "Kharkiv"}


def test_annotate_places_runs_on_a_plain_doc(nlp: Language) -> None:
    doc = nlp.make_doc("Nothing here.")
    annotate_places(doc)
    assert doc._.places == [] and doc._.dateline is None


# --- event locations ----------------------------------------------------------------------


def frame(doc: Doc, word: str, etype: str = "CONSULT", **kw: object) -> Frame:
    tok = next(t for t in doc if t.text == word)
    sentence = next(i for i, s in enumerate(doc.sents) if s.start <= tok.i < s.end)
    return Frame(etype, tok.i, tok.i, tok.i + 1, sentence, **kw)  # type: ignore[arg-type]


def idx(doc: Doc, word: str) -> int:
    return next(t.i for t in doc if t.text == word)


def test_location_from_nested_prepositional_phrase(nlp: Language) -> None:
    doc = parse(
        nlp, "Blinken and Netanyahu are having a meeting in Netanyahu's office in Jerusalem."
    )
    place = event_location(doc, frame(doc, "meeting"))
    assert place is not None and (place.resolved_place, place.source) == ("Jerusalem", "prep")


def test_location_of_a_visit_is_the_first_place_visited(nlp: Language) -> None:
    doc = parse(nlp, "A three-day visit to Egypt and Israel by Blinken is to push a ceasefire.")
    place = event_location(doc, frame(doc, "visit", patients=[idx(doc, "Egypt")]))
    assert place is not None and (place.country_code, place.source) == ("EGY", "prep")


def test_actor_places_are_not_locations(nlp: Language) -> None:
    doc = parse(nlp, "The United States Ambassador to Israel met the minister. Talks went well.")
    f = frame(doc, "met", agents=[idx(doc, "Ambassador")], patients=[idx(doc, "minister")])
    place = event_location(doc, f)
    assert place is None or place.source == "focus"


def test_recipient_place_locates_a_physical_event(nlp: Language) -> None:
    doc = parse(nlp, "Hamas launched an attack against Israel.")
    f = frame(doc, "attack", "ASSAULT", agents=[idx(doc, "Hamas")], patients=[idx(doc, "Israel")])
    place = event_location(doc, f)
    assert place is not None and (place.country_code, place.source) == ("ISR", "sentence")


def test_place_of_a_report_is_not_the_event_place(nlp: Language) -> None:
    doc = parse(nlp, "Officials said in Washington that rebels attacked a convoy near Goma.")
    f = frame(
        doc, "attacked", "ASSAULT", agents=[idx(doc, "rebels")], reporter=idx(doc, "Officials")
    )
    place = event_location(doc, f)
    assert place is not None and place.resolved_place == "Goma"


def test_dateline_then_focus(nlp: Language) -> None:
    doc = parse(nlp, "KHARTOUM (Reuters) - The two sides agreed to talk.")
    place = event_location(doc, frame(doc, "agreed", "AGREE"))
    assert place is not None and (place.resolved_place, place.source) == ("Khartoum", "dateline")
    doc = parse(nlp, "Talks began in Cairo on Monday. The sides agreed to meet again.")
    place = event_location(doc, frame(doc, "agreed", "AGREE"))
    assert place is not None and (place.resolved_place, place.source) == ("Cairo", "focus")
    doc = parse(nlp, "Israel and Hamas met. They agreed to talk.")
    doc._.focus_country = "QAT"
    place = event_location(doc, frame(doc, "agreed", "AGREE"))
    assert place is not None and (place.country_code, place.source) == ("QAT", "focus")


@pytest.mark.usefixtures("seed_file")
def test_seed_event_locations(nlp: Language) -> None:
    doc = parse(nlp, SEED.read_text(encoding="utf-8"))
    sents = list(doc.sents)

    def at(sentence: int, word: str) -> int:
        return next(t.i for t in sents[sentence] if t.text == word)

    session = Frame("CONSULT", at(1, "session"), at(1, "session"), at(1, "session") + 1, 1)
    session.agents = [at(1, "Ambassador")]
    assert event_location(doc, session).resolved_place == "Jerusalem"  # type: ignore[union-attr]
    terror = Frame("ASSAULT", at(6, "terror"), at(6, "terror"), at(6, "terror") + 1, 6)
    terror.reporter = at(6, "He")
    place = event_location(doc, terror)
    assert place is not None and (place.resolved_place, place.country_code) == ("Tel Aviv", "ISR")
    met = Frame("CONSULT", at(4, "met"), at(4, "met"), at(4, "met") + 1, 4)
    met.agents, met.patients = [at(4, "Blinken")], [at(4, "President")]
    place = event_location(doc, met)
    assert place is not None and (place.country_code, place.source) == ("ISR", "focus")


# --- the written dev set --------------------------------------------------------------------


def _crude_frame(doc: Doc, event_type: str) -> Frame:
    """The main verb as trigger: enough to measure places and dates without the extractor."""
    root = next(iter(doc.sents)).root
    if root.pos_ not in ("VERB", "AUX"):  # "Thousands protested in ..." parsed as a noun phrase
        root = next((c for c in root.children if c.dep_ in ("acl", "relcl")), root)
    if root.lemma_ == "say":
        root = next((c for c in root.children if c.dep_ == "ccomp"), root)
    if root.lemma_ in ("begin", "start"):
        root = next((c for c in root.children if c.dep_ == "xcomp"), root)
    agents = [c.i for c in root.children if c.dep_ == "nsubj"]
    patients = [c.i for c in root.children if c.dep_ in ("dobj", "nsubjpass")]
    for prep in (c for c in root.children if c.dep_ == "prep" and c.lower_ in ("with", "against")):
        patients += [g.i for g in prep.children if g.dep_ == "pobj"]
    planned = any(c.lower_ in ("will", "would") for c in root.children)
    return Frame(
        event_type, root.i, root.i, root.i + 1, 0, agents=agents, patients=patients,
        factuality="planned" if planned else "asserted",
    )  # fmt: skip


def test_dev_set_format() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 150 and len({r["id"] for r in rows}) == len(rows)
    for row in rows:
        event = row["events"][0]
        assert event["event_type"] and event["location"]["country"] != ""
        assert -90 <= event["location"]["lat"] <= 90 and -180 <= event["location"]["lon"] <= 180
        date.fromisoformat(event["date"])


def test_dev_set_scores(nlp: Language) -> None:
    from eventwire.resolve.dates import event_date

    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    country = near = dated = 0
    for row in rows:
        day = date.fromisoformat(row["date"]) if row["date"] else None
        doc = parse(nlp, row["text"], day)
        gold = row["events"][0]
        f = _crude_frame(doc, gold["event_type"])
        place, when = event_location(doc, f), event_date(doc, f)
        loc = gold["location"]
        country += place is not None and place.country_code == loc["country"]
        near += (
            place is not None and km(place.lat or 0, place.lon or 0, loc["lat"], loc["lon"]) <= 25
        )
        dated += when.date == gold["date"]
    n = len(rows)
    print(f"dev: country {country / n:.3f}, <=25 km {near / n:.3f}, date {dated / n:.3f}")
    assert country / n >= 0.95 and near / n >= 0.85 and dated / n >= 0.95


def test_country_rows_from_one_scan_match_by_id() -> None:
    """Issue 5 (speed): country() reads every country row in one scan; each is the row by_id
    gives for the lowest place id of that ISO3 code, as the per-call query did."""
    from eventwire.resolve.places.gazetteer import open_gazetteer

    gaz = open_gazetteer()
    sql = "SELECT country, min(id) FROM places WHERE kind = 'country' GROUP BY country"
    rows = sorted(gaz._db.execute(sql).fetchall())
    assert len(rows) > 200
    for iso3, place_id in rows[::10]:
        assert gaz.country(iso3) == gaz.by_id(place_id), iso3
    assert gaz.country("XXX") is None
