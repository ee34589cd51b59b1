"""The word index of a DuckDB file: what makes a text search skip the sentence scan.

See store/textsearch.py for what a search means. Tables:
- `text_postings` (term, rid, pos): one row per word or common-word pair of each event's
  sentence (`rid` is the event's rowid: DuckDB rows are never deleted here). It is a few
  runs, each sorted by term, so DuckDB's min/max zone maps let a lookup read one row group
  per run instead of the whole table;
- `text_postings_tail`: postings of the latest flushes, unsorted; at TAIL_ROWS it becomes one
  more sorted run, and after MAX_RUNS runs the whole index is rewritten as one (an LSM tree
  of two levels: ingest never sorts more than the tail, lookups never read more than
  MAX_RUNS + 1 places);
- `text_terms` (term, df): every term of the sorted runs with its posting count, sorted by
  term and rebuilt at each merge; `text_terms_tail` (term, df): counts of the tail's terms.
  Read at query time to expand a query word into the stored words it matches and to pick
  the cheapest plan;
- `text_index_state` (runs, indexed_rows): how many sorted runs `text_postings` holds, and
  the rowid up to which events are indexed. Postings are written after the events commit
  (uncommitted rows have no final rowid), in a transaction of their own; a writer that opens
  the file indexes whatever a crash or older code left behind, and until then a search scans
  the unindexed rows beside its index lookup, so no event is ever missed.

A search whose rarest unit has more than DENSE_FACTOR * sqrt(events) postings (a common word)
scans `sentence_words` instead: its matches are dense, so the scan stops early.

Each posting also carries its event's date and type (never changed once stored): a covering
index for the commonest searches, text maybe narrowed by dates and an event type, newest or
oldest first, which page and count their matches from the postings without a pass over the
million events (`TextIndex.page`). The stored terms are held in memory, read again when the
index changes (store/duckdb_vocab.py), so planning costs no query.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.store import textsearch
from eventwire.store.dialect import DUCKDB
from eventwire.store.duckdb_vocab import Found, Vocabulary, merged
from eventwire.store.filters import EventFilter
from eventwire.store.textsearch import NOTHING, Unit
from eventwire.store.where import conditions, event_conditions

Fetch = Callable[[str, list[Any]], list[tuple[Any, ...]]]

TAIL_ROWS = 1_000_000  # postings kept unsorted before they become a sorted run
MAX_RUNS = 8  # sorted runs before the index is rewritten as one
MAX_TERMS = 500  # stored words one query word may expand to before the scan is cheaper
DENSE_FACTOR = 50  # a unit with more than DENSE_FACTOR * sqrt(events) postings is "dense"
BACKFILL_CHUNK = 100_000  # events per pass when an older file's index is built
PLAN_CACHE = 256  # text plans remembered per store, keyed by the store's size
PAGE_SORTS = {"-date": "DESC", "date": "ASC"}  # sorts a page of postings can follow

DDL = """
CREATE TABLE IF NOT EXISTS text_terms (term VARCHAR NOT NULL, df BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS text_terms_tail (term VARCHAR NOT NULL, df BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS text_postings (term VARCHAR NOT NULL, rid BIGINT NOT NULL,
    pos INTEGER NOT NULL, date DATE, type VARCHAR);
CREATE TABLE IF NOT EXISTS text_postings_tail (term VARCHAR NOT NULL, rid BIGINT NOT NULL,
    pos INTEGER NOT NULL, date DATE, type VARCHAR);
CREATE VIEW IF NOT EXISTS text_postings_all AS
    SELECT term, rid, pos, date, type FROM text_postings UNION ALL
    SELECT term, rid, pos, date, type FROM text_postings_tail;
"""
# The index as its first version wrote it (postings without date, type): rebuilt.
DROP = """
DROP VIEW IF EXISTS text_postings_all; DROP TABLE IF EXISTS text_postings;
DROP TABLE IF EXISTS text_postings_tail; DROP TABLE IF EXISTS text_terms;
DROP TABLE IF EXISTS text_terms_tail; DROP TABLE IF EXISTS text_index_state;
"""
STATE = """
CREATE TABLE text_index_state (runs INTEGER NOT NULL, indexed_rows BIGINT NOT NULL);
INSERT INTO text_index_state VALUES (0, 0);
"""
POSTINGS = pa.schema(
    [
        ("term", pa.string()),
        ("rid", pa.int64()),
        ("pos", pa.int32()),
        ("date", pa.date32()),
        ("type", pa.string()),
    ]
)
TERMS = pa.schema([("term", pa.string()), ("n", pa.int64())])
TERMS_OF_RUNS = (
    "CREATE OR REPLACE TABLE text_terms AS SELECT term, count(*)::BIGINT AS df"
    " FROM text_postings GROUP BY term ORDER BY term"
)
SORTED = "ORDER BY term, rid, pos"


# an event's rowid, sentence_words, date and type
IndexRow = tuple[int, str | None, dt.date | None, str | None]


def postings_table(rows: Sequence[IndexRow]) -> tuple[pa.Table, Counter[str]]:
    """The postings of events' rows, and how many each term got."""
    terms: list[str] = []
    rids: list[int] = []
    positions: list[int] = []
    dates: list[dt.date | None] = []
    types: list[str | None] = []
    for rid, stored, day, kind in rows:
        for term, pos in textsearch.postings(stored):
            terms.append(term)
            rids.append(rid)
            positions.append(pos)
            dates.append(day)
            types.append(kind)
    table = pa.table([terms, rids, positions, dates, types], schema=POSTINGS)
    return table, Counter(terms)


@dataclass(frozen=True)
class TextPlan:
    """How a text search runs: its SQL condition on events, at most how many events it
    matches (index plans), and the SELECT of its matches' (rid, date, type) from the postings
    alone (when the index holds every event)."""

    condition: str
    params: list[Any]
    bound: int | None = None
    matches: str | None = None


class TextIndex:
    """The word index of a DuckDB connection: written after each flush, read to plan searches."""

    def __init__(self, con: duckdb.DuckDBPyConnection, read_only: bool, fetch: Fetch) -> None:
        self._con = con
        self.read_only = read_only
        self._fetch = fetch
        self.enabled = False  # the file has the index (a read-only open of an older file not)
        # (events, indexed events, postings in runs, postings in the tail), see _text_state
        self._state: tuple[int, int, int, int] | None = None
        self._plans: dict[tuple[str, tuple[int, int, int, int]], TextPlan] = {}
        self._vocabularies: dict[str, tuple[Any, Vocabulary]] = {}  # table -> (version, words)

    def open(self) -> None:
        """Find the index; a writer creates it (or rebuilds an older layout) and indexes
        what is not yet indexed; a reader of an older layout scans."""
        self._plans, self._vocabularies = {}, {}
        layout = self._text_layout()
        if layout != "current" and not self.read_only:
            self._con.begin()
            self._con.execute(DROP)
            self._con.execute(DDL)
            self._con.execute(STATE)
            self._con.commit()
            layout = "current"
        self.enabled = layout == "current"
        if self.enabled and not self.read_only:
            self.index_new_events()

    def _text_layout(self) -> str:
        """'none', 'uncovered' (the first layout, postings without date and type) or 'current'."""
        rows = self._con.execute(
            "SELECT count(*) FILTER (WHERE table_name = 'text_index_state'),"
            " count(*) FILTER (WHERE table_name = 'text_postings' AND column_name = 'type')"
            " FROM information_schema.columns"
        ).fetchall()
        state, covering = rows[0]
        return "none" if not state else "current" if covering else "uncovered"

    def index_new_events(self) -> None:
        """Index every committed event past the watermark, a chunk per transaction."""
        self._state = None
        while True:
            done = int(
                self._con.execute("SELECT indexed_rows FROM text_index_state").fetchall()[0][0]
            )
            rows = self._con.execute(
                "SELECT rowid, sentence_words, date, type FROM events WHERE rowid >= ?"
                " ORDER BY rowid LIMIT ?",
                [done, BACKFILL_CHUNK],
            ).fetchall()
            if not rows:
                self._state = None  # also what a search read meanwhile
                return
            self._con.begin()
            try:
                self._append_postings(rows)
                self._con.execute(
                    "UPDATE text_index_state SET indexed_rows = ?", [int(rows[-1][0]) + 1]
                )
                self._merge_tail()
                self._con.commit()
            except BaseException:
                self._con.rollback()
                raise

    def _append_postings(self, rows: Sequence[IndexRow]) -> None:
        table, counts = postings_table(rows)
        if not table.num_rows:
            return
        self._con.register("batch_postings", table)
        terms = pa.table([list(counts), list(counts.values())], schema=TERMS)
        self._con.register("batch_terms", terms)
        try:
            self._con.execute("INSERT INTO text_postings_tail SELECT * FROM batch_postings")
            self._con.execute("INSERT INTO text_terms_tail SELECT * FROM batch_terms")
        finally:
            self._con.unregister("batch_postings")
            self._con.unregister("batch_terms")

    def _merge_tail(self) -> None:
        """A full tail becomes a sorted run; too many runs become one (see the module doc)."""
        tail = int(self._con.execute("SELECT count(*) FROM text_postings_tail").fetchall()[0][0])
        if tail < TAIL_ROWS:
            return
        runs = int(self._con.execute("SELECT runs FROM text_index_state").fetchall()[0][0])
        if runs + 1 > MAX_RUNS:
            self._con.execute(
                f"CREATE TABLE text_postings_new AS SELECT * FROM text_postings_all {SORTED}"
            )
            self._con.execute("DROP TABLE text_postings")
            self._con.execute("ALTER TABLE text_postings_new RENAME TO text_postings")
            runs = 0
        else:
            self._con.execute(
                f"INSERT INTO text_postings SELECT * FROM text_postings_tail {SORTED}"
            )
        self._con.execute("DELETE FROM text_postings_tail")
        self._con.execute("DELETE FROM text_terms_tail")
        self._con.execute(TERMS_OF_RUNS)
        self._con.execute("UPDATE text_index_state SET runs = ?", [runs + 1])

    # --- reading ----------------------------------------------------------------------------

    def sql(self, text: str) -> tuple[str, list[Any]]:
        """The cheapest exact condition for a text search: the index, or the scan."""
        if not self.enabled or not textsearch.words(text):
            return textsearch.scan_condition(text, DUCKDB)
        plan = self._text_plan(text)
        return plan.condition, plan.params

    def bound(self, text: str) -> int | None:
        """At most how many events a text search matches, when its index plan knows (the
        postings of its rarest unit); None when it scans."""
        if not self.enabled or not textsearch.words(text):
            return None
        return self._text_plan(text).bound

    def page(self, f: EventFilter, limit: int, offset: int) -> tuple[list[Any], int] | None:
        """The page keys and exact total of a search by text (maybe dates and a type) alone,
        from the postings; None when it needs the events (other filters, sorts or a scan)."""
        direction = PAGE_SORTS.get(f.sort)
        if direction is None or not f.text or not self.enabled:
            return None
        if conditions(replace(f, text=None, date_from=None, date_to=None, type=None), DUCKDB)[0]:
            return None
        plan = self._text_plan(f.text)
        if plan.bound == 0:
            return [], 0
        if plan.matches is None:
            return None
        narrow = EventFilter(type=f.type, date_from=f.date_from, date_to=f.date_to)
        clauses, narrowing = event_conditions(narrow, DUCKDB)  # the events' own meaning
        values = [*plan.params, *narrowing]
        where = "".join(
            f" {'AND' if i else 'WHERE'} {c.replace('e.', 'm.')}" for i, c in enumerate(clauses)
        )
        rows = self._fetch(
            f"SELECT m.rid, count(*) OVER () FROM ({plan.matches}) m{where}"
            f" ORDER BY m.date {direction} NULLS LAST, m.rid LIMIT ? OFFSET ?",
            [*values, limit, offset],
        )
        if rows or not offset:
            return [r[0] for r in rows], int(rows[0][1]) if rows else 0
        total = self._fetch(f"SELECT count(*) FROM ({plan.matches}) m{where}", values)
        return [], int(total[0][0])

    def _text_plan(self, text: str) -> TextPlan:
        """The plan of a search, remembered while the store and its index stay the same."""
        state = self._text_state()
        key = (textsearch.query_text(text), state)
        plans = self._plans
        if key not in plans:  # a page asks more than once (bound, probe, top-N); a UI again
            if len(plans) >= PLAN_CACHE:
                plans.clear()  # (not popping the oldest: a request thread may be adding one)
            plans[key] = self._plan(textsearch.words(text), text, state)
        return plans[key]

    def _text_state(self) -> tuple[int, int, int, int]:
        """(events, indexed events, postings in runs, in the tail): fixed for a read-only
        open (no other writer may open the file meanwhile); a writer forgets it when it
        writes (`index_new_events`)."""
        state = self._state
        if state is None:
            row = self._fetch(
                "SELECT (SELECT count(*) FROM events),"
                " (SELECT indexed_rows FROM text_index_state),"
                " (SELECT count(*) FROM text_postings), (SELECT count(*) FROM text_postings_tail)",
                [],
            )[0]
            state = self._state = (int(row[0]), int(row[1]), int(row[2]), int(row[3]))
        return state

    def _plan(self, tokens: list[str], text: str, state: tuple[int, int, int, int]) -> TextPlan:
        events, indexed = state[:2]
        plan = textsearch.units(tokens)
        terms = self._unit_terms(plan, state)
        if any(not found for found in terms):
            return TextPlan(NOTHING, [], 0)
        costs = [sum(df for _, df in found) for found in terms]
        dense = DENSE_FACTOR * math.sqrt(max(events, 1))
        if min(costs) > dense or any(len(f) > MAX_TERMS for f in terms):
            return TextPlan(*textsearch.scan_condition(text, DUCKDB))
        order = sorted(range(len(plan)), key=costs.__getitem__)
        joins, params = _postings_sql([plan[i] for i in order], [terms[i] for i in order])
        inner = f"SELECT DISTINCT p0.rid FROM {joins}"
        if indexed >= events:
            matches = f"SELECT DISTINCT p0.rid, p0.date, p0.type FROM {joins}"
            return TextPlan(f"e.rowid IN ({inner})", params, min(costs), matches)
        late, values = textsearch.scan_condition(text, DUCKDB)  # rows a writer has yet to index
        condition = f"(e.rowid IN ({inner}) OR (e.rowid >= {indexed} AND {late}))"
        return TextPlan(condition, params + values)

    def _unit_terms(self, plan: list[Unit], state: tuple[int, int, int, int]) -> list[Found]:
        """The stored terms (with their posting counts) each unit matches."""
        runs = self._vocabulary("text_terms", state[2])  # grows at every merge
        tail = self._vocabulary("text_terms_tail", state[2:])  # grows between merges
        return [merged(runs.match(u, MAX_TERMS), tail.match(u, MAX_TERMS)) for u in plan]

    def _vocabulary(self, table: str, version: Any) -> Vocabulary:
        """The stored words of the runs or the tail, read again when their postings change."""
        known = self._vocabularies.get(table)
        if known is None or known[0] != version:
            rows = self._fetch(f"SELECT term, sum(df) FROM {table} GROUP BY term ORDER BY term", [])
            known = self._vocabularies[table] = (version, Vocabulary(rows))
        return known[1]


def _in(column: str, unit: Unit, found: Found) -> tuple[str, list[Any]]:
    """Which postings a unit's terms own: one term, a range of terms, or a list of them."""
    if len(found) == 1:
        return f"{column} = ?", [found[0][0]]
    if unit.kind == "prefix":  # the same terms, read as a range (no list to hash)
        return unit.condition(column)
    return f"{column} IN ({', '.join('?' * len(found))})", [term for term, _ in found]


def _postings_sql(plan: list[Unit], terms: list[Found]) -> tuple[str, list[Any]]:
    """`text_postings_all p0 JOIN ... WHERE ...`: the postings where every unit's postings
    line up, rarest unit first."""
    joins, params = [], []
    for i, (unit, found) in enumerate(zip(plan[1:], terms[1:], strict=True), start=1):
        match, values = _in(f"p{i}.term", unit, found)
        shift = unit.offset - plan[0].offset
        joins.append(
            f" JOIN text_postings_all p{i} ON p{i}.rid = p0.rid"
            f" AND p{i}.pos = p0.pos + ({shift}) AND {match}"
        )
        params += values
    where, values = _in("p0.term", plan[0], terms[0])
    # DISTINCT (the caller's): with it DuckDB hashes the matches and probes the events, not
    # the other way round (hashing a million events' rows: 20-50x slower)
    return f"text_postings_all p0{''.join(joins)} WHERE {where}", params + values
