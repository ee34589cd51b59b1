"""The word index of a DuckDB file (issue 6): what makes a text search skip the sentence scan.

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

A search whose rarest unit has more than DENSE_SHARE of the events' postings (a common word)
scans `sentence_words` instead: its matches are dense, so the scan stops early.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from typing import Any

import duckdb
import pyarrow as pa

from eventwire.store import textsearch
from eventwire.store.textsearch import NOTHING, Unit

TAIL_ROWS = 1_000_000  # postings kept unsorted before they become a sorted run
MAX_RUNS = 8  # sorted runs before the index is rewritten as one
MAX_TERMS = 500  # stored words one query word may expand to before the scan is cheaper
DENSE_FACTOR = 50  # a unit with more than DENSE_FACTOR * sqrt(events) postings is "dense"
BACKFILL_CHUNK = 100_000  # events per pass when an older file's index is built
# A text search's SQL condition, its parameters and at most how many events it matches.
Plan = tuple[str, list[Any], int | None]
PLAN_CACHE = 256  # text plans remembered per store, keyed by the store's size

DDL = """
CREATE TABLE IF NOT EXISTS text_terms (term VARCHAR NOT NULL, df BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS text_terms_tail (term VARCHAR NOT NULL, df BIGINT NOT NULL);
CREATE TABLE IF NOT EXISTS text_postings (term VARCHAR NOT NULL, rid BIGINT NOT NULL,
    pos INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS text_postings_tail (term VARCHAR NOT NULL, rid BIGINT NOT NULL,
    pos INTEGER NOT NULL);
CREATE VIEW IF NOT EXISTS text_postings_all AS
    SELECT term, rid, pos FROM text_postings UNION ALL
    SELECT term, rid, pos FROM text_postings_tail;
"""
STATE = """
CREATE TABLE text_index_state (runs INTEGER NOT NULL, indexed_rows BIGINT NOT NULL);
INSERT INTO text_index_state VALUES (0, 0);
"""
POSTINGS = pa.schema([("term", pa.string()), ("rid", pa.int64()), ("pos", pa.int32())])
TERMS = pa.schema([("term", pa.string()), ("n", pa.int64())])
TERMS_OF_RUNS = (
    "CREATE OR REPLACE TABLE text_terms AS SELECT term, count(*)::BIGINT AS df"
    " FROM text_postings GROUP BY term ORDER BY term"
)
SORTED = "ORDER BY term, rid, pos"


def postings_table(rows: Sequence[tuple[int, str | None]]) -> tuple[pa.Table, Counter[str]]:
    """The postings of (rowid, sentence_words) rows, and how many each term got."""
    terms: list[str] = []
    rids: list[int] = []
    positions: list[int] = []
    for rid, stored in rows:
        for term, pos in textsearch.postings(stored):
            terms.append(term)
            rids.append(rid)
            positions.append(pos)
    table = pa.table([terms, rids, positions], schema=POSTINGS)
    return table, Counter(terms)


class TextIndex:
    """Mixin for DuckDBStore: writes the word index at flush and plans text searches."""

    _con: duckdb.DuckDBPyConnection
    read_only: bool
    text_index: bool = False  # the file has the index (a read-only open of an older file not)

    _state: tuple[int, int] | None = None  # (events, indexed events), see _text_state
    _plans: dict[tuple[str, int, int], Plan]

    def _fetch(self, sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
        raise NotImplementedError  # DuckDBStore's: a cursor of its own per query

    def _open_text_index(self) -> None:
        """Find the index; a writer creates it and indexes what is not yet indexed."""
        self._plans = {}
        if not self._has_text_index() and not self.read_only:
            self._con.begin()
            self._con.execute(DDL)
            self._con.execute(STATE)
            self._con.commit()
        self.text_index = self._has_text_index()
        if self.text_index and not self.read_only:
            self._index_new_events()

    def _has_text_index(self) -> bool:
        rows = self._con.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'text_index_state'"
        ).fetchall()
        return bool(rows[0][0])

    def _index_new_events(self) -> None:
        """Index every committed event past the watermark, a chunk per transaction."""
        self._state = None
        while True:
            done = int(
                self._con.execute("SELECT indexed_rows FROM text_index_state").fetchall()[0][0]
            )
            rows = self._con.execute(
                "SELECT rowid, sentence_words FROM events WHERE rowid >= ? ORDER BY rowid LIMIT ?",
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

    def _append_postings(self, rows: Sequence[tuple[int, str | None]]) -> None:
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

    def _text_sql(self, text: str, param: str) -> tuple[str, list[Any]]:
        """The cheapest exact condition for a text search: the index, or the scan."""
        tokens = textsearch.words(text)
        if not tokens:
            return NOTHING, []
        if not self.text_index:
            return textsearch.scan_condition(text, param)
        events, indexed = self._text_state()
        return self._cached_plan(tokens, text, events, indexed)[:2]

    def _text_bound(self, text: str) -> int | None:
        """At most how many events a text search matches, when its index plan knows (the
        postings of its rarest unit); None when it scans."""
        tokens = textsearch.words(text)
        if not tokens or not self.text_index:
            return None
        return self._cached_plan(tokens, text, *self._text_state())[2]

    def _cached_plan(self, tokens: list[str], text: str, events: int, indexed: int) -> Plan:
        key = (textsearch.query_text(text), events, indexed)
        plans = self._plans
        if key not in plans:  # a page asks more than once (bound, probe, top-N); a UI again
            if len(plans) >= PLAN_CACHE:
                plans.pop(next(iter(plans)))
            plans[key] = self._plan(tokens, text, events, indexed)
        return plans[key]

    def _text_state(self) -> tuple[int, int]:
        """(events, indexed events): fixed for a read-only DuckDB open (no other writer may
        open the file meanwhile); a writer forgets it when it writes (`_index_new_events`)."""
        state = self._state
        if state is None:
            events, indexed = self._fetch(
                "SELECT (SELECT count(*) FROM events), (SELECT indexed_rows FROM text_index_state)",
                [],
            )[0]
            state = self._state = (int(events), int(indexed))
        return state

    def _plan(self, tokens: list[str], text: str, events: int, indexed: int) -> Plan:
        plan = textsearch.units(tokens)
        terms = self._unit_terms(plan)
        if any(not found for found in terms):
            return NOTHING, [], 0
        costs = [sum(df for _, df in found) for found in terms]
        dense = DENSE_FACTOR * math.sqrt(max(events, 1))
        if min(costs) > dense or any(len(f) > MAX_TERMS for f in terms):
            return (*textsearch.scan_condition(text, "?"), None)
        order = sorted(range(len(plan)), key=costs.__getitem__)
        sql, params = _postings_sql([plan[i] for i in order], [terms[i] for i in order])
        if indexed >= events:
            return sql, params, min(costs)
        late, values = textsearch.scan_condition(text, "?")  # rows a writer has yet to index
        return f"({sql} OR (e.rowid >= {indexed} AND {late}))", params + values, None

    def _unit_terms(self, plan: list[Unit]) -> list[list[tuple[str, int]]]:
        """The stored terms (with their posting counts) each unit matches, in one query."""
        selects, params = [], []
        for i, unit in enumerate(plan):
            condition, values = unit.condition()
            for table in ("text_terms", "text_terms_tail"):
                selects.append(f"SELECT {i} AS u, term, df FROM {table} WHERE {condition}")
                params += values
        sql = f"SELECT u, term, sum(df) FROM ({' UNION ALL '.join(selects)}) GROUP BY u, term"
        found: list[list[tuple[str, int]]] = [[] for _ in plan]
        for i, term, df in self._fetch(sql, params):
            found[int(i)].append((str(term), int(df)))
        return found


def _in(column: str, found: list[tuple[str, int]]) -> tuple[str, list[Any]]:
    values = [term for term, _ in found]
    if len(values) == 1:
        return f"{column} = ?", values
    return f"{column} IN ({', '.join('?' * len(values))})", values


def _postings_sql(plan: list[Unit], terms: list[list[tuple[str, int]]]) -> tuple[str, list[Any]]:
    """`e.rowid IN (...)`: the rows where every unit's postings line up, rarest unit first."""
    joins, params = [], []
    for i, (unit, found) in enumerate(zip(plan[1:], terms[1:], strict=True), start=1):
        match, values = _in(f"p{i}.term", found)
        shift = unit.offset - plan[0].offset
        joins.append(
            f" JOIN text_postings_all p{i} ON p{i}.rid = p0.rid"
            f" AND p{i}.pos = p0.pos + ({shift}) AND {match}"
        )
        params += values
    where, values = _in("p0.term", terms[0])
    inner = f"SELECT DISTINCT p0.rid FROM text_postings_all p0{''.join(joins)} WHERE {where}"
    # DISTINCT: with it DuckDB hashes the matches and probes the events, not the other way
    # round (hashing a million events' rows: 20-50x slower)
    return f"e.rowid IN ({inner})", params + values
