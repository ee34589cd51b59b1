"""Query speed of the web API on a big store: `python benchmarks/query_bench.py [--events N]`.

Builds a DuckDB file of N synthetic events (default 1,000,000; bulk-loaded through Arrow),
then times filtered API requests in process (FastAPI TestClient: routing, SQL, JSON) and
reports p50/p95 per query kind and overall. Target: p95 < 50 ms for the event searches.

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
import datetime as dt
import functools
import itertools
import json
import random
import statistics
import sys
import tempfile
import time
import warnings
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


def measure(db: Path, rounds: int, seed: int) -> dict[str, list[float]]:
    """Milliseconds per request, per query kind (a warm-up pass first)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from eventwire.serve.app import create_app

    open_store(db).close()  # a writer brings an older file's word index up to date, as ingest
    store = open_store(db, read_only=True)
    world = World(random.Random(seed))
    plan = queries(random.Random(seed + 1), world)
    timings: dict[str, list[float]] = {kind: [] for kind in plan}
    # One event loop for every request, as in a running server (a bare TestClient starts a
    # thread and a loop per request: ~5 ms that no deployment pays).
    with TestClient(create_app(store, cache_seconds=0)) as client:  # every request runs
        for urls in plan.values():  # warm the caches the way a running server would be
            client.get(urls[0])
        for _ in range(rounds):
            for kind, urls in plan.items():
                for url in urls:
                    started = time.perf_counter()
                    response = client.get(url)
                    timings[kind].append((time.perf_counter() - started) * 1000)
                    assert response.status_code == 200, (url, response.text[:300])
    store.close()
    return timings


def p95(values: list[float]) -> float:
    return (
        statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]
    )


# Event searches with structured filters: the target applies to these. Free text and the
# aggregate pages (profile, stats, network) are reported beside them.
OTHER = ("text", "actor profile", "stats", "network")


def report(timings: dict[str, list[float]]) -> dict[str, Any]:
    rows = {
        k: {"p50": statistics.median(v), "p95": p95(v), "n": len(v)} for k, v in timings.items()
    }
    searches = [t for k, v in timings.items() if not k.startswith(OTHER) for t in v]
    texts = [t for k, v in timings.items() if k.startswith("text") for t in v]
    print(f"{'query':<28}{'p50 ms':>9}{'p95 ms':>9}{'n':>6}")
    for kind, row in rows.items():
        print(f"{kind:<28}{row['p50']:>9.1f}{row['p95']:>9.1f}{row['n']:>6}")
    overall, median = p95(searches), statistics.median(searches)
    print(f"{'structured searches, all':<28}{median:>9.1f}{overall:>9.1f}{len(searches):>6}")
    text_p95, text_p50 = p95(texts), statistics.median(texts)
    print(f"{'free-text searches, all':<28}{text_p50:>9.1f}{text_p95:>9.1f}{len(texts):>6}")
    print(f"target p95 < 50 ms for structured searches: {'met' if overall < 50 else 'NOT met'}")
    print(f"target p95 < 50 ms for free-text searches: {'met' if text_p95 < 50 else 'NOT met'}")
    return {"queries": rows, "search_p95_ms": overall, "text_p95_ms": text_p95}


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
