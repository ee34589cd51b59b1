"""The REST API in process (FastAPI TestClient) over a DuckDB store coded from the samples."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import subprocess
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from eventwire.cli import main as cli_main
from eventwire.output import CSV_COLUMNS
from eventwire.serve.app import Limits, create_app
from eventwire.store import open_store
from eventwire.store.base import Store

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SAMPLE_INPUTS = [
    SAMPLES / "corpus.jsonl",
    SAMPLES / "text" / "blinken-cairo-visit.txt",
    SAMPLES / "text" / "tbilisi-protests.txt",
    SAMPLES / "text" / "kharkiv-missile-strike.txt",
]
JSON = {"accept": "application/json"}
HTML = {"accept": "text/html,application/xhtml+xml"}
STATIC = ROOT / "src" / "eventwire" / "serve" / "static"
TEMPLATES = ROOT / "src" / "eventwire" / "serve" / "templates"


def client_for(store: Store, token: str | None = None, limits: Limits | None = None) -> Any:
    """A TestClient over an app; starlette warns about httpx vs httpx2, which is irrelevant."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient(create_app(store, token=token, limits=limits))


@pytest.fixture(scope="module")
def db_path(module_store_url: str) -> str:
    """Each back-end (DuckDB file, PostgreSQL) holding a few coded sample articles (issue 6)."""
    args = ["ingest", *map(str, SAMPLE_INPUTS), "--db", module_store_url, "--jobs", "1"]
    assert cli_main(args) == 0
    return module_store_url


@pytest.fixture(scope="module")
def store(db_path: str) -> Iterator[Store]:
    opened = open_store(db_path, read_only=True)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def client(store: Store) -> Any:
    return client_for(store)


def get_json(client: Any, url: str, status: int = 200) -> Any:
    response = client.get(url, headers=JSON)
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    return response.json()


def all_events(client: Any, query: str = "") -> list[dict[str, Any]]:
    sep = "&" if query else ""
    return get_json(client, f"/events?{query}{sep}limit=500")["events"]


def parties(record: dict[str, Any]) -> list[dict[str, Any]]:
    return list(record["actor"]) + list(record["recipient"])


# --- events: filters, paging, sorting -------------------------------------------------------------


def test_events_total_matches_store(client: Any, store: Store) -> None:
    body = get_json(client, "/events")
    assert body["total"] == store.counts()["events"] > 20
    assert len(body["events"]) == 50 == body["limit"]


def test_paging_is_disjoint_and_complete(client: Any) -> None:
    total = get_json(client, "/events")["total"]
    ids: list[str] = []
    for offset in range(0, total, 7):
        page = get_json(client, f"/events?limit=7&offset={offset}&sort=-date")["events"]
        ids += [r["id"] for r in page]
    assert len(ids) == total == len(set(ids))


@pytest.mark.parametrize(
    ("query", "check"),
    [
        ("type=CONSULT", lambda r: r["event"] == ["CONSULT"]),
        ("type=assault", lambda r: r["event"] == ["ASSAULT"]),
        ("country=USA", lambda r: any(p["code"] == "USA" for p in parties(r))),
        ("sector=GOV", lambda r: any(p["sector"] == "GOV" for p in parties(r))),
        ("factuality=reported", lambda r: r["factuality"] == "reported"),
        ("text=ceasefire", lambda r: "ceasefire" in r["text_info"]["sentence_text"].lower()),
        (
            "actor=blinken",
            lambda r: any("blinken" in (p["name"] or "").lower() for p in parties(r)),
        ),
        ("place_country=UKR", lambda r: (r["event_loc"] or {}).get("country_code") == "UKR"),
    ],
)
def test_filters_keep_only_matching_events(client: Any, query: str, check: Any) -> None:
    found = all_events(client, query)
    everything = all_events(client)
    assert found, f"nothing for {query}"
    assert all(check(r) for r in found)
    assert len(found) == sum(1 for r in everything if check(r))


def test_place_and_mode_filters(client: Any) -> None:
    everything = all_events(client)
    place = next(r["event_loc"]["resolved_place"] for r in everything if r["event_loc"])
    found = all_events(client, f"place={place.lower()}")
    assert found and all(place.lower() in r["event_loc"]["resolved_place"].lower() for r in found)
    mode = next(m for r in everything for m in r["mode"])
    with_mode = all_events(client, f"mode={mode}")
    assert with_mode and all(mode in r["mode"] for r in with_mode)


def test_wildcards_in_substring_filters_are_literal(client: Any) -> None:
    assert get_json(client, "/events?actor=%25")["total"] == 0
    assert get_json(client, "/events?place=_")["total"] == 0
    assert get_json(client, "/actors?q=%25")["actors"] == []


def test_date_range_filter(client: Any) -> None:
    dated = sorted(r["date"] for r in all_events(client) if r["date"])
    low, high = dated[len(dated) // 4], dated[3 * len(dated) // 4]
    found = all_events(client, f"from={low}&to={high}")
    assert found
    assert all(low <= r["date"] <= high for r in found)
    assert len(found) == sum(1 for d in dated if low <= d <= high)


def test_actor_key_filter_matches_profile(client: Any) -> None:
    top = get_json(client, "/actors")["actors"][0]
    found = all_events(client, f"actor_key={top['key']}")
    profile = get_json(client, f"/actors/{top['key']}")
    assert len(found) == profile["n_events"] == top["n_events"]


@pytest.mark.parametrize("sort", ["date", "-date"])
def test_sort_by_date_puts_unknown_dates_last(client: Any, sort: str) -> None:
    dates = [r["date"] for r in all_events(client, f"sort={sort}")]
    known = [d for d in dates if d]
    assert dates[: len(known)] == known  # nulls last
    assert known == sorted(known, reverse=sort.startswith("-"))


def test_sort_by_confidence(client: Any) -> None:
    scores = [r["confidence"] for r in all_events(client, "sort=-confidence")]
    assert scores == sorted(scores, reverse=True)


# --- errors ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "param"),
    [
        ("from=2024-13-01", "from"),
        ("to=yesterday", "to"),
        ("from=2024-05-02&to=2024-05-01", "to"),
        ("type=FOO", "type"),
        ("country=US", "country"),
        ("factuality=maybe", "factuality"),
        ("sort=random", "sort"),
        ("limit=501", "limit"),
        ("limit=0", "limit"),
        ("offset=-1", "offset"),
        ("text=" + "x" * 201, "text"),
        ("text=--", "text"),  # issue 6: text search matches words; no word is an error
        ("mode=drop;table", "mode"),
    ],
)
def test_bad_parameters_are_422_with_a_message(client: Any, query: str, param: str) -> None:
    body = get_json(client, f"/events?{query}", status=422)
    assert body["param"] == param
    assert body["message"]


def test_bad_date_message_says_the_format(client: Any) -> None:
    body = get_json(client, "/events?from=2024-02-30", status=422)
    assert "YYYY-MM-DD" in body["message"]


def test_bad_parameter_in_a_browser_is_an_html_page(client: Any) -> None:
    response = client.get("/events?from=nope", headers=HTML)
    assert response.status_code == 422
    assert "text/html" in response.headers["content-type"]
    assert "YYYY-MM-DD" in response.text


def test_unknown_things_are_404(client: Any) -> None:
    assert get_json(client, "/events/nope", status=404)["message"]
    assert get_json(client, "/articles/nope", status=404)["message"]
    assert get_json(client, "/actors/Nobody%20Atall", status=404)["message"]


def test_unknown_format_is_422(client: Any) -> None:
    assert get_json(client, "/events?format=xml", status=422)["param"] == "format"


# --- one handler, several renderings --------------------------------------------------------------


def test_html_and_json_from_the_same_url(client: Any) -> None:
    page = client.get("/events?type=CONSULT", headers=HTML)
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    as_json = client.get("/events.json?type=CONSULT", headers=HTML).json()
    by_param = client.get("/events?type=CONSULT&format=json", headers=HTML).json()
    by_accept = get_json(client, "/events?type=CONSULT")
    assert as_json == by_param == by_accept
    for record in as_json["events"][:5]:
        assert record["id"] in page.text


def test_empty_form_fields_mean_no_filter(client: Any) -> None:
    blank = get_json(client, "/events?type=&actor=&from=&to=&country=")
    assert blank["total"] == get_json(client, "/events")["total"]


def test_event_view(client: Any) -> None:
    first = all_events(client)[0]
    body = get_json(client, f"/events/{first['id']}")
    assert body["event"] == first
    page = client.get(f"/events/{first['id']}", headers=HTML).text
    assert "hl-trigger" in page


# --- articles -------------------------------------------------------------------------------------


def test_article_list_and_detail(client: Any, store: Store) -> None:
    listing = get_json(client, "/articles")
    assert listing["total"] == store.counts()["articles"] == len(listing["articles"])
    item = max(listing["articles"], key=lambda a: a["n_events"])
    detail = get_json(client, f"/articles/{item['hash']}")
    assert len(detail["events"]) == item["n_events"]
    assert {r["article_id"] for r in detail["events"]} == {detail["article_id"]}
    starts = [s["start"] for s in detail["sentences"]]
    assert starts == sorted(starts)
    for record in detail["events"]:
        sentence = detail["sentences"][record["text_info"]["sequence"]]
        info = record["text_info"]
        assert sentence["start"] <= info["trigger_start"] < info["trigger_end"] <= sentence["end"]
    by_id = get_json(client, f"/articles/{detail['article_id']}")
    assert by_id["hash"] == detail["hash"]


def test_article_page_highlights_the_record_spans(client: Any) -> None:
    detail = get_json(client, "/articles/blinken-cairo-visit")
    page = client.get("/articles/blinken-cairo-visit", headers=HTML).text
    assert page.count('class="ev t-') == len(detail["events"])
    first = detail["events"][0]
    trigger = detail["text"][
        first["text_info"]["trigger_start"] : first["text_info"]["trigger_end"]
    ]
    assert f">{trigger}</mark>" in page
    for kind in ("hl-actor", "hl-recipient", "hl-place", "hl-date"):
        assert kind in page.split('<div class="srow', 1)[1], kind


def test_article_search(client: Any) -> None:
    titled = [a for a in get_json(client, "/articles")["articles"] if a["title"]]
    word = titled[0]["title"].split()[0]
    found = get_json(client, f"/articles?q={word.lower()}")["articles"]
    assert titled[0]["hash"] in {a["hash"] for a in found}
    assert all(word.lower() in (a["title"] or a["article_id"]).lower() for a in found)


# --- actors, places, stats, network ---------------------------------------------------------------


def test_actor_profile(client: Any) -> None:
    profile = get_json(client, "/actors/Antony%20Blinken")
    assert profile["codes"][0]["code"] == "USA"
    assert any(o["office"] == "Secretary of State" for o in profile["offices"])
    assert profile["counterparts"] and all(c["n"] >= 1 for c in profile["counterparts"])
    assert all(any("Blinken" in (p["name"] or "") for p in parties(r)) for r in profile["events"])
    html = client.get("/actors/Antony%20Blinken", headers=HTML)
    assert html.status_code == 200 and "Secretary of State" in html.text


def test_actor_search(client: Any) -> None:
    found = get_json(client, "/actors?q=blink")["actors"]
    assert [a["key"] for a in found] == ["Antony Blinken"]


def test_stats_agree_with_the_store(client: Any, store: Store) -> None:
    stats = get_json(client, "/stats")
    assert stats["by_type"] == store.events_by_type()
    assert stats["total"] == sum(stats["by_type"].values())
    assert sum(row["n"] for row in stats["by_period_type"]) == stats["dated"]
    consult = get_json(client, "/stats?type=CONSULT")
    assert consult["by_type"] == {"CONSULT": stats["by_type"]["CONSULT"]}
    assert get_json(client, "/stats?bucket=month")["bucket"] == "month"
    assert get_json(client, "/stats?bucket=hour", status=422)["param"] == "bucket"


def test_places_have_coordinates(client: Any) -> None:
    places = get_json(client, "/places")["places"]
    assert places
    assert all(-90 <= p["lat"] <= 90 and -180 <= p["lon"] <= 180 and p["n"] >= 1 for p in places)


def actor_key(entity: dict[str, Any]) -> str:
    """The store's actor key, in Python: name, else 'CODE SECTOR', else the text."""
    label = " ".join(str(entity[k]) for k in ("code", "sector") if entity.get(k))
    return entity.get("name") or label or entity["entity_text"]


def test_network_edges_are_actor_to_recipient(client: Any) -> None:
    graph = get_json(client, "/network")
    ids = {n["id"] for n in graph["nodes"]}
    assert graph["edges"]
    for edge in graph["edges"]:
        assert edge["source"] in ids and edge["target"] in ids and edge["weight"] >= 1
    everything = all_events(client)
    for edge in graph["edges"][:5]:
        weight = sum(
            1
            for r in everything
            if edge["source"] in {actor_key(a) for a in r["actor"]}
            and edge["target"] in {actor_key(a) for a in r["recipient"]}
        )
        assert weight == edge["weight"], edge


def test_map_view(client: Any) -> None:
    body = get_json(client, "/map")
    assert sum(body["by_country"].values()) <= body["total"]
    page = client.get("/map", headers=HTML).text
    assert "/static/world/countries-110m.json" in page and 'id="map-numeric"' in page


# --- exports --------------------------------------------------------------------------------------


def test_csv_export_of_a_filtered_view(client: Any) -> None:
    total = get_json(client, "/events?country=USA")["total"]
    response = client.get("/events.csv?country=USA")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == total
    assert list(rows[0]) == list(CSV_COLUMNS)


def test_jsonl_export_ignores_paging_unless_asked(client: Any) -> None:
    total = get_json(client, "/events")["total"]
    lines = client.get("/events.jsonl").text.splitlines()
    assert len(lines) == total
    assert len(client.get("/events?format=jsonl&limit=3").text.splitlines()) == 3
    assert json.loads(lines[0])["id"]


def test_parquet_export(client: Any) -> None:
    import pyarrow.parquet as pq

    total = get_json(client, "/events?type=ASSAULT")["total"]
    response = client.get("/events.parquet?type=ASSAULT")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == total
    assert set(table.column("event").to_pylist()) == {"ASSAULT"}
    assert json.loads(table.column("record")[0].as_py())["event"] == ["ASSAULT"]


# --- writes: guarded ingest and the open paste-and-code page --------------------------------------

ARTICLE = {
    "text": "Chilean President Marta Rios met Argentine envoys in Santiago on Tuesday. "
    "Rebels attacked an army convoy near the border, the defence ministry said.",
    "date": "2024-05-02",
    "title": "A made-up test dispatch",
}


def test_read_only_server_refuses_writes(client: Any) -> None:
    response = client.post("/api/articles", json=ARTICLE)
    assert response.status_code == 403
    assert "EVENTWIRE_TOKEN" in response.json()["message"]


def test_ingest_needs_the_right_token(tmp_path: Path) -> None:
    with open_store(tmp_path / "w.duckdb") as writable:
        client = client_for(writable, token="s3cret")
        assert client.post("/api/articles", json=ARTICLE).status_code == 401
        bad = {"Authorization": "Bearer wrong"}
        assert client.post("/api/articles", json=ARTICLE, headers=bad).status_code == 401
        good = {"Authorization": "Bearer s3cret"}
        first = client.post("/api/articles", json=ARTICLE, headers=good)
        assert first.status_code == 200, first.text
        assert first.json()["stored"] == 1 and first.json()["articles"][0]["events"] >= 1
        again = client.post("/api/articles", json={"articles": [ARTICLE]}, headers=good)
        assert again.json()["stored"] == 0
        listing = get_json(client, "/articles")
        assert [a["title"] for a in listing["articles"]] == [ARTICLE["title"]]
        assert get_json(client, "/events")["total"] == first.json()["articles"][0]["events"]


def test_writes_refresh_cached_views(tmp_path: Path) -> None:
    with open_store(tmp_path / "c.duckdb") as writable:
        client = client_for(writable, token="t")
        assert get_json(client, "/stats")["total"] == 0  # now cached
        auth = {"Authorization": "Bearer t"}
        assert client.post("/api/articles", json=ARTICLE, headers=auth).status_code == 200
        assert get_json(client, "/stats")["total"] > 0


def test_ingest_rejects_bad_bodies(tmp_path: Path) -> None:
    with open_store(tmp_path / "w.duckdb") as writable:
        limits = Limits(ingest_bytes=2000, ingest_articles=2)
        client = client_for(writable, token="t", limits=limits)
        auth = {"Authorization": "Bearer t"}
        assert client.post("/api/articles", content=b"{nope", headers=auth).status_code == 400
        assert client.post("/api/articles", json={"title": "x"}, headers=auth).status_code == 422
        many = {"articles": [ARTICLE] * 3}
        assert client.post("/api/articles", json=many, headers=auth).status_code == 413
        huge = {"text": "word " * 1000}
        assert client.post("/api/articles", json=huge, headers=auth).status_code == 413
        bad_date = {**ARTICLE, "date": "02/05/2024"}
        answer = client.post("/api/articles", json=bad_date, headers=auth)
        assert answer.status_code == 422 and answer.json()["param"] == "date"


def test_code_page_codes_without_storing(client: Any, store: Store) -> None:
    before = store.counts()["events"]
    response = client.post("/code", json=ARTICLE, headers=JSON)
    assert response.status_code == 200, response.text
    body = response.json()
    assert {"CONSULT", "ASSAULT"} <= {r["event"][0] for r in body["events"]}
    assert body["date"] == "2024-05-02"
    assert store.counts()["events"] == before
    fragment = client.post("/code?format=html", json=ARTICLE, headers=HTML)
    assert "hl-trigger" in fragment.text and 'class="ev t-' in fragment.text


def test_code_page_limits(store: Store) -> None:
    client = client_for(store, limits=Limits(code_chars=100))
    assert client.post("/code", json={"text": "x" * 101}).status_code == 413
    assert client.post("/code", json={"text": "  "}).status_code == 422
    assert (
        client.post("/code", content=b"x" * 5000).status_code == 413
    )  # body cap: 4 x chars + 4 KB
    assert client.get("/code", headers=HTML).status_code == 200


PROPOSAL = {
    "name": "Ana Velarde",
    "country": "PER",
    "office": "Foreign Minister",
    "role": "foreign_minister",
    "sector": "GOV",
    "kind": "title",
    "pattern": "title-name",
    "mention": "Peruvian Foreign Minister Ana Velarde",
    "article_id": "made-up-1",
    "article_date": "2024-05-02",
    "sentence": "Peruvian Foreign Minister Ana Velarde arrived in Quito.",
}


def test_kb_review_is_guarded(client: Any) -> None:
    assert client.post("/kb/proposals/1/accept").status_code == 403


def test_kb_review_over_http(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EVENTWIRE_KB", str(tmp_path / "kb.jsonl"))
    with open_store(tmp_path / "kb.duckdb") as writable:
        writable.add_kb_proposals([PROPOSAL, {**PROPOSAL, "article_id": "made-up-2"}])
        writable.add_kb_proposals([{**PROPOSAL, "name": "Rui Dantas", "country": "BRA"}])
        writable.flush()
        client = client_for(writable, token="t")
        pending = get_json(client, "/kb/proposals")["proposals"]
        assert sorted(p["name"] for p in pending) == ["Ana Velarde", "Ana Velarde", "Rui Dantas"]
        page = client.get("/kb/proposals", headers=HTML)
        assert "Ana Velarde" in page.text and 'data-kb="accept"' in page.text
        ana = next(p["id"] for p in pending if p["name"] == "Ana Velarde")
        assert client.post(f"/kb/proposals/{ana}/accept").status_code == 401
        auth = {"Authorization": "Bearer t"}
        done = client.post(f"/kb/proposals/{ana}/accept", headers=auth)
        assert done.status_code == 200, done.text
        assert len(done.json()["ids"]) == 2  # the pending twin goes with it
        assert "Ana Velarde" in (tmp_path / "kb.jsonl").read_text()
        left = get_json(client, "/kb/proposals")["proposals"]
        assert [p["name"] for p in left] == ["Rui Dantas"]
        assert client.post(f"/kb/proposals/{left[0]['id']}/reject", headers=auth).status_code == 200
        assert (
            get_json(client, "/kb/proposals?status=rejected")["proposals"][0]["name"]
            == "Rui Dantas"
        )
        assert client.post("/kb/proposals/999/accept", headers=auth).status_code == 404
        assert get_json(client, "/kb/proposals?status=maybe", status=422)["param"] == "status"


# --- the app itself -------------------------------------------------------------------------------


def test_openapi_documents_the_filters(client: Any) -> None:
    schema = get_json(client, "/openapi.json")
    names = {p["name"] for p in schema["paths"]["/events"]["get"]["parameters"]}
    assert {"type", "mode", "actor", "country", "sector", "place", "from", "to"} <= names
    assert {"factuality", "text", "limit", "offset", "sort"} <= names
    assert "/articles/{key}" in schema["paths"] and "/stats" in schema["paths"]


def test_server_start_does_not_import_spacy(db_path: str) -> None:
    code = (
        "import sys, warnings\n"
        "warnings.simplefilter('ignore')\n"
        "from fastapi.testclient import TestClient\n"
        "from eventwire.serve.app import app_from_env\n"
        f"app = app_from_env({str(db_path)!r})\n"
        "c = TestClient(app)\n"
        "for url in ('/', '/events', '/map', '/code', '/actors'):\n"
        "    assert c.get(url, headers={'accept': 'text/html'}).status_code == 200, url\n"
        "assert 'spacy' not in sys.modules, 'spacy imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_ui_assets_are_bundled_no_cdn(client: Any) -> None:
    for name in ("app.css", "app.js", "timeline.js", "network.js", "map.js", "code.js"):
        assert client.get(f"/static/{name}").status_code == 200, name
    assert client.get("/static/world/countries-110m.json").json()["type"] == "Topology"
    for path in [*STATIC.rglob("*.js"), *STATIC.rglob("*.css"), *TEMPLATES.glob("*.html")]:
        text = path.read_text(encoding="utf-8")
        for marker in ('src="http', "src='http", 'href="http', "@import", "cdn.", "googleapis"):
            assert marker not in text, f"{path.name} loads something from the network: {marker}"


def test_serve_command_is_registered() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "eventwire", "serve", "--help"], capture_output=True, text=True
    )
    assert done.returncode == 0 and "--token-env" in done.stdout


def test_dates_in_json_are_iso(client: Any) -> None:
    article = get_json(client, "/articles")["articles"][0]
    if article["date"]:
        dt.date.fromisoformat(article["date"])


def test_search_total_is_capped_and_pages_match_top_n(
    client: Any, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """issue 6: a filtered search counts up to a cap, then reports a lower bound that still
    promises a next page; the one-pass page (probe) equals the top-N page for every sort."""
    import dataclasses

    from eventwire.store.base import SORTS, EventFilter

    base = EventFilter(factuality="asserted")
    n = store.count_events(base)
    assert n > 6
    for sort in SORTS:
        f = dataclasses.replace(base, sort=sort, limit=4, offset=1)
        page = store.search_page(f)
        assert (page.total, page.exact) == (n, True)
        assert page.events == store.event_page(f), sort

    def page(cap: int, **kw: Any) -> tuple[int, bool, int]:
        found = store.search_page(dataclasses.replace(base, **kw), cap=cap)
        return found.total, found.exact, len(found.events)

    assert page(3, limit=2) == (3, False, 2)
    assert page(n, limit=2) == (n, True, 2)
    assert page(n - 1, limit=2) == (n - 1, False, 2)
    assert page(1, limit=2, offset=n - 3) == (n, True, 2)
    assert page(1, limit=2, offset=n - 1) == (n, True, 1)
    assert page(1, limit=2, offset=n + 5) == (n, True, 0)
    assert page(1, limit=2, offset=n - 4) == (n - 1, False, 2)  # more than offset + limit
    assert page(3, factuality="asserted", text="zzqx") == (0, True, 0)
    assert page(3, factuality=None, limit=2) == (store.counts()["events"], True, 2)  # no filter
    body = get_json(client, "/events?factuality=asserted")
    assert (body["total"], body["total_exact"]) == (n, True)
    assert (
        "total_exact"
        in client.get("/openapi.json").json()["paths"]["/events"]["get"]["description"]
    )
    monkeypatch.setattr("eventwire.store.paging.COUNT_CAP", 3)
    html = client.get("/events?factuality=asserted&limit=2", headers={"accept": "text/html"}).text
    assert '<b id="total">3+</b>' in html and "of 3+</span>" in html  # "at least" in the UI
