"""Query speed of the web API on a big store: `python benchmarks/query_bench.py [--events N]`.

Builds a DuckDB file of N synthetic events (default 1,000,000; bulk-loaded through Arrow),
then times filtered API requests to the app served by uvicorn on a loopback port (HTTP,
routing, SQL, JSON; one kept-alive connection) and reports p50/p95 per query kind and overall,
and the p95 over queries of each query's median (the shared machine's passing stalls left
out). Target: p95 < 50 ms for the event searches.

Sentences come from a word-bigram model of news stories (benchmarks/news_text.py), so free-text
searches meet a real vocabulary; text queries are words, phrases, rare names and typed prefixes,
alone (paged from the word index) or with an event type (still the index) or a country (through
the events). After the bulk load, the store's own writer builds the word index of issue 6 the
way ingest leaves it (sorted runs plus an unsorted tail), and the reads run on that; a file
from older code gets its index brought up to date by a writer before the reads.

Articles arrive in publication order, as a news feed is ingested, and events are dated from
their article (most on the day or a few days before, 5% earlier episodes, 10% undated), so
the file is roughly in date order like a live store. `--shuffle` builds the worst case: an
archive loaded in random date order, where newest-first pages cannot skip row groups.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import functools
import gc
import http.client
import itertools
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import duckdb
import pyarrow as pa

from eventwire.output import plover_table
from eventwire.store import open_store
from eventwire.store.duckdb_store import DDL, SCHEMAS
from eventwire.store.search import search_values

sys.path.insert(0, str(Path(__file__).parent))
from news_text import NewsText, default_paths  # noqa: E402

EVENTS_PER_ARTICLE = 10
START = dt.date(2015, 1, 1)
DAYS = 3650
SECTORS = ["GOV", "MIL", "REB", "CVL", "COP", "OPP", "JUD", "LEG", "BUS", "MED", "NGO", "EDU"]
FACTS = ["asserted"] * 6 + ["reported"] * 3 + ["negated", "planned", "hypothetical"]
WORDS = [
    "the",
    "minister",
    "said",
    "forces",
    "troops",
    "talks",
    "border",
    "ceasefire",
    "aid",
    "convoy",
    "city",
    "officials",
    "government",
    "opposition",
    "protest",
    "election",
    "police",
    "court",
    "sanctions",
    "agreement",
    "attack",
    "region",
    "village",
    "capital",
    "envoy",
    "summit",
    "peace",
    "rebels",
    "army",
    "spokesman",
    "statement",
]


class World:
    """The synthetic cast: countries, actors and places with Zipf popularity (rank k ~ 1/k),
    so the most covered country has ~17% of parties and the busiest actor ~11% of mentions,
    as in news coverage."""

    def __init__(self, rng: random.Random) -> None:
        import pycountry

        self.rng = rng
        self.news = NewsText(random.Random(rng.random()), default_paths())
        self.countries = [c.alpha_3 for c in pycountry.countries][:180]
        rng.shuffle(self.countries)
        self.types = list(plover_table()["types"])
        self.modes = {t: list(i["modes"]) for t, i in plover_table()["types"].items()}
        self.actors = [
            (f"Person {i:04d} {rng.choice(WORDS).title()}", self.pick(self.countries),
             rng.choice(SECTORS))
            for i in range(5000)
        ]  # fmt: skip
        self.places = [
            (f"Town {i:04d}", self.pick(self.countries), rng.uniform(-50, 65),
             rng.uniform(-170, 175))
            for i in range(3000)
        ]  # fmt: skip

    def pick(self, items: list[Any]) -> Any:
        """Popular items first (Zipf): a few actors and places get many events, as in news."""
        weights = _zipf(len(items))
        return self.rng.choices(items, cum_weights=weights)[0]

    def party(self) -> dict[str, Any]:
        if self.rng.random() < 0.6:
            name, code, sector = self.pick(self.actors)
            return {"name": name, "code": code, "sector": sector, "entity_text": name}
        code, sector = self.pick(self.countries), self.rng.choice(SECTORS)
        return {"name": None, "code": code, "sector": sector, "entity_text": f"{sector.lower()}s"}


@functools.lru_cache(maxsize=8)
def _zipf(n: int) -> list[float]:
    """Cumulative Zipf weights for n ranked items."""
    return list(itertools.accumulate(1 / k for k in range(1, n + 1)))


def _entity(p: dict[str, Any], start: int) -> dict[str, Any]:
    return {
        "code": p["code"],
        "sector": p["sector"],
        "entity_text": p["entity_text"],
        "identifier_id": None,
        "identifier_text": None,
        "office": None,
        "name": p["name"],
        "resolution": "kb" if p["name"] else "role",
        "start": start,
        "end": start + len(p["entity_text"]),
    }


def _published(article: int, n_articles: int, rng: random.Random | None) -> dt.date:
    """When an article appeared: news is ingested as it is published, so publication dates
    follow ingest order; `rng` (the --shuffle layout) spreads them at random instead."""
    if rng is not None:
        return START + dt.timedelta(days=rng.randrange(DAYS))
    return START + dt.timedelta(days=article * DAYS // max(1, n_articles))


def _event_day(rng: random.Random, published: dt.date) -> dt.date | None:
    """An event's date as resolved from its article: 10% undated, 5% an earlier episode
    (anniversaries, trials, background), else the publication day or a few days before."""
    draw = rng.random()
    if draw < 0.10:
        return None
    if draw < 0.15:
        return START + dt.timedelta(days=rng.randrange(max(1, (published - START).days)))
    return max(START, published - dt.timedelta(days=min(30, int(rng.expovariate(0.5)))))


def _event(
    world: World, article: int, seq: int, published: dt.date
) -> tuple[dict[str, Any], list[dict], str]:
    """One synthetic event row, its parties and its sentence."""
    rng = world.rng
    etype = world.pick(world.types)
    actor = world.party()
    recipient = world.party() if rng.random() < 0.7 else None
    day = _event_day(rng, published)
    place, country, lat, lon = world.pick(world.places)
    modes = [rng.choice(world.modes[etype])] if world.modes[etype] and rng.random() < 0.3 else []
    body = world.news.sentence().rstrip(".!?;:, ")
    sentence = f"{actor['entity_text']} met {body} in {place}."
    trigger_start = len(actor["entity_text"]) + 1
    eid = f"{article:08x}{seq:04x}{rng.getrandbits(48):012x}"
    record = {
        "id": eid,
        "date": day.isoformat() if day else None,
        "actor": [_entity(actor, 0)],
        "recipient": [_entity(recipient, 40)] if recipient else [],
        "event": [etype],
        "mode": modes,
        "event_loc": {
            "extracted_place": place,
            "resolved_place": place,
            "lat": lat,
            "lon": lon,
            "country_code": country,
        },
        "text_info": {
            "sequence": seq,
            "start": 0,
            "end": len(sentence),
            "sentence_text": sentence,
            "trigger_start": trigger_start,
            "trigger_end": trigger_start + 3,
        },
        "article_id": f"a{article}",
        "factuality": rng.choice(FACTS),
        "trigger": "met",
        "confidence": round(rng.random(), 2),
        "decided_by": "rule",
        "rule": f"lexicon:{etype}:v meet",
        "date_info": {"precision": "day" if day else "unknown", "text": None},
    }
    row = {
        "id": eid, "article_hash": f"{article:064x}", "article_id": f"a{article}", "seq": seq,
        "type": etype, "modes": modes, "date": day, "factuality": record["factuality"],
        "sentence_idx": seq, "trigger": "met", "trigger_start": trigger_start,
        "trigger_end": trigger_start + 3, "confidence": record["confidence"], "decided_by": "rule",
        "place": place, "place_country": country, "lat": lat, "lon": lon,
        "record": json.dumps(record),
    }  # fmt: skip
    parties = [("actor", actor)] + ([("recipient", recipient)] if recipient else [])
    search = [(r, p["name"], p["code"], p["sector"], p["entity_text"]) for r, p in parties]
    row.update(search_values(search, sentence))  # what the store writes at ingest
    actors = [
        {"event_id": eid, "role": role, "position": i, "name": p["name"], "code": p["code"],
         "sector": p["sector"], "office": None, "text": p["entity_text"],
         "resolution": "kb" if p["name"] else "role", "identifier_id": None}
        for i, (role, p) in enumerate(parties)
    ]  # fmt: skip
    return row, actors, sentence


def _batches(
    n_events: int, seed: int, shuffle: bool = False, size: int = 50_000
) -> Iterator[dict[str, list[dict]]]:
    world = World(random.Random(seed))
    order = random.Random(seed + 2) if shuffle else None
    tables: dict[str, list[dict]] = {"articles": [], "sentences": [], "events": [], "actors": []}
    now = dt.datetime(2025, 1, 1)
    n_articles = (n_events + EVENTS_PER_ARTICLE - 1) // EVENTS_PER_ARTICLE
    for article in range(n_articles):
        texts = []
        published = _published(article, n_articles, order)
        for seq in range(min(EVENTS_PER_ARTICLE, n_events - article * EVENTS_PER_ARTICLE)):
            row, actors, sentence = _event(world, article, seq, published)
            tables["events"].append(row)
            tables["actors"] += actors
            start = sum(len(t) + 1 for t in texts)
            tables["sentences"].append(
                {"article_hash": row["article_hash"], "idx": seq, "start_char": start,
                 "end_char": start + len(sentence), "text": sentence}
            )  # fmt: skip
            texts.append(sentence)
        tables["articles"].append(
            {"article_id": f"a{article}", "hash": f"{article:064x}", "title": f"Article {article}",
             "date": published, "url": None, "source": "synthetic", "origin": "bench",
             "text": " ".join(texts), "n_words": sum(len(t.split()) for t in texts),
             "ingested_at": now}
        )  # fmt: skip
        if len(tables["events"]) >= size:
            yield tables
            tables = {name: [] for name in tables}
    if tables["events"]:
        yield tables


def layout_name(n_events: int, shuffle: bool) -> str:
    """What a bench file holds; a file built by another generator or layout is rebuilt."""
    return f"v3 {n_events} {'shuffled' if shuffle else 'chronological'}"


def stored_layout(path: Path) -> str | None:
    """The layout a bench file was built with (None: an older generator)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        row = con.execute("SELECT layout FROM bench_layout").fetchone()
        return str(row[0]) if row else None
    except duckdb.CatalogException:
        return None
    finally:
        con.close()


def build(path: Path, n_events: int, seed: int = 7, shuffle: bool = False) -> float:
    """Bulk-load the synthetic store through Arrow; seconds taken."""
    started = time.perf_counter()
    con = duckdb.connect(str(path))
    con.execute("SET enable_progress_bar = false")
    con.execute(DDL)
    done = 0
    for tables in _batches(n_events, seed, shuffle):
        con.begin()
        for name, rows in tables.items():
            batch = pa.Table.from_pylist(rows, schema=SCHEMAS[name])
            con.register("batch", batch)
            con.execute(
                f"INSERT INTO {name} ({', '.join(SCHEMAS[name].names)}) SELECT * FROM batch"
            )
            con.unregister("batch")
        con.commit()
        done += len(tables["events"])
        print(f"\r  loaded {done:,} events", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    con.close()
    print(f"  loaded in {time.perf_counter() - started:.1f} s; indexing words", file=sys.stderr)
    open_store(path).close()  # the writer indexes what it finds unindexed, as ingest does
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE bench_layout AS SELECT ? AS layout", [layout_name(n_events, shuffle)])
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - started


def queries(rng: random.Random, world: World) -> dict[str, list[str]]:
    """Realistic filtered requests, several parameter values per kind."""

    def some(make: Any, n: int = 12) -> list[str]:
        return [make() for _ in range(n)]

    def month() -> str:
        day = START + dt.timedelta(days=rng.randrange(DAYS - 31))
        return f"from={day}&to={day + dt.timedelta(days=30)}"

    return {
        "latest (no filter)": some(lambda: "/events.json"),
        "type": some(lambda: f"/events.json?type={rng.choice(world.types)}"),
        "country": some(lambda: f"/events.json?country={world.pick(world.countries)}"),
        "actor substring": some(lambda: f"/events.json?actor={rng.randrange(5000):04d}"),
        "date range (month)": some(lambda: f"/events.json?{month()}"),
        "type+country+month": some(
            lambda: (
                f"/events.json?type={world.pick(world.types)}"
                f"&country={world.pick(world.countries)}&{month()}"
            )
        ),
        "place": some(lambda: f"/events.json?place=town {world.rng.randrange(3000):04d}"),
        "text: word": some(lambda: f"/events.json?text={quote(world.news.word())}"),
        "text: phrase": some(lambda: f"/events.json?text={quote(world.news.phrase())}"),
        "text: name": some(lambda: f"/events.json?text={quote(world.news.name())}"),
        "text: typed prefix": some(lambda: f"/events.json?text={quote(world.news.fragment())}"),
        "text: phrase+type": some(
            lambda: f"/events.json?text={quote(world.news.phrase())}&type={world.pick(world.types)}"
        ),
        "text: word+country": some(
            lambda: (
                f"/events.json?text={quote(world.news.word())}"
                f"&country={world.pick(world.countries)}"
            )
        ),
        "sector+factuality": some(
            lambda: f"/events.json?sector={rng.choice(SECTORS)}&factuality={rng.choice(FACTS)}"
        ),
        "deep page (offset 5000)": some(lambda: "/events.json?offset=5000&sort=date"),
        "actor profile": some(lambda: f"/actors/{quote(world.pick(world.actors)[0])}.json"),
        "stats by type (country)": some(
            lambda: f"/stats.json?country={world.pick(world.countries)}"
        ),
        "network (type)": some(lambda: f"/network.json?type={rng.choice(world.types)}"),
    }


Timings = dict[str, list[list[float]]]  # kind -> per query (URL), its ms in each round


def measure(db: Path, rounds: int, seed: int) -> Timings:
    """Milliseconds of each request, per query kind and query (a warm-up pass first)."""
    open_store(db).close()  # a writer brings an older file's word index up to date, as ingest
    store = open_store(db, read_only=True)
    world = World(random.Random(seed))
    plan = queries(random.Random(seed + 1), world)
    del world  # a server holds no text model: its millions of objects would slow every GC pass
    gc.collect()
    timings: Timings = {kind: [[] for _ in urls] for kind, urls in plan.items()}
    with serving(store) as port:
        client = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # kept alive
        for urls in plan.values():  # warm the caches the way a running server would be
            _get(client, urls[0])
        for _ in range(rounds):
            for kind, urls in plan.items():
                for i, url in enumerate(urls):
                    started = time.perf_counter()
                    _get(client, url)
                    timings[kind][i].append((time.perf_counter() - started) * 1000)
        client.close()
    store.close()
    return timings


@contextlib.contextmanager
def serving(store: Any) -> Iterator[int]:
    """The API served by uvicorn on a loopback port, as `eventwire serve` runs it (view cache
    off, so that every request does its work); yields the port."""
    import uvicorn

    from eventwire.serve.app import create_app

    config = uvicorn.Config(create_app(store, cache_seconds=0), port=0, log_level="warning")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    try:
        yield int(server.servers[0].sockets[0].getsockname()[1])
    finally:
        server.should_exit = True
        thread.join()


def _get(client: http.client.HTTPConnection, url: str) -> bytes:
    client.request("GET", quote(url, safe="/?&=%+,:"))  # spaces left in a few generated URLs
    response = client.getresponse()
    body = response.read()
    assert response.status == 200, (url, body[:300])
    return body


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    )


# Event searches with structured filters: the target applies to these. Free text and the
# aggregate pages (profile, stats, network) are reported beside them.
OTHER = ("text", "actor profile", "stats", "network")


def _figures(per_query: list[list[float]]) -> dict[str, float]:
    """p50/p95 over every request, and the p95 over queries of each query's median time:
    what 95% of queries take, with the shared machine's passing stalls left out."""
    every = [t for times in per_query for t in times]
    typical = [statistics.median(times) for times in per_query]
    return {
        "p50": statistics.median(every),
        "p95": p95(every),
        "query_p95": p95(typical),
        "n": len(every),
    }


def report(timings: Timings) -> dict[str, Any]:
    rows = {kind: _figures(per_query) for kind, per_query in timings.items()}
    groups = {
        "structured searches, all": [
            q for k, v in timings.items() if not k.startswith(OTHER) for q in v
        ],
        "free-text searches, all": [
            q for k, v in timings.items() if k.startswith("text") for q in v
        ],
    }
    totals = {name: _figures(per_query) for name, per_query in groups.items()}
    print(f"{'query':<28}{'p50 ms':>9}{'p95 ms':>9}{'query p95':>11}{'n':>6}")
    for kind, row in {**rows, **totals}.items():
        print(
            f"{kind:<28}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['query_p95']:>11.1f}"
            f"{row['n']:>6.0f}"
        )
    print("query p95: the p95 over queries of each one's median of the rounds")
    for name, row in totals.items():
        verdict = "met" if row["query_p95"] < 50 else "NOT met"
        print(
            f"target p95 < 50 ms, {name.split(',')[0]}: {verdict} by query"
            f" ({row['query_p95']:.1f} ms); over every request {row['p95']:.1f} ms"
        )
    structured, text = totals.values()
    return {
        "queries": rows,
        "search_p95_ms": structured["p95"],
        "search_query_p95_ms": structured["query_p95"],
        "text_p95_ms": text["p95"],
        "text_query_p95_ms": text["query_p95"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="keep/reuse the synthetic DuckDB file here")
    parser.add_argument("--rounds", type=int, default=3, help="passes over the query plan")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    parser.add_argument(
        "--shuffle",
        action="store_true",
        help="worst case: articles ingested in random date order (an archive loaded unsorted)",
    )
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.duckdb"
        layout = layout_name(args.events, args.shuffle)
        if db.exists() and stored_layout(db) != layout:
            print(f"{db} holds another layout: rebuilding it", file=sys.stderr)
            db.unlink()
        if not db.exists():
            print(f"building {args.events:,} synthetic events ({layout}) in {db}", file=sys.stderr)
            seconds = build(db, args.events, shuffle=args.shuffle)
            print(f"  built in {seconds:.1f} s", file=sys.stderr)
        figures = report(measure(db, args.rounds, seed=7))
        figures["events"], figures["layout"] = args.events, layout
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
