"""Summary tables: the counts behind actor profiles, stats and the network, kept at ingest.

Each table holds, per key, how many events (or party rows) have it; a flush adds the counts of
the articles it writes in the same transaction (`refresh`, scoped to their hashes), and a
migration fills them once from every stored event (store/migrations.py). Reads then sum a
few thousand rows instead of scanning a million events (store/aggregates.py, store/actors.py).
The same INSERT ... SELECT runs on DuckDB and PostgreSQL; ORDER BY the keys makes two
PostgreSQL writers lock rows in the same order.

Unknown values are stored as sentinels, because keys cannot be NULL: NODAY for an undated
event, '' for a missing place country, code, sector or office (so a code stored as '' reads
as none).
"""

from __future__ import annotations

from typing import Any

from eventwire.store.dialect import Dialect
from eventwire.store.search import element_code, element_key
from eventwire.store.where import actor_key_sql

NODAY = "0001-01-01"
DAY = f"coalesce(e.date, DATE '{NODAY}')"
MONTH = f"coalesce(CAST(date_trunc('month', e.date) AS DATE), DATE '{NODAY}')"
PLACE = "coalesce(e.place_country, '')"


def split(column: str) -> str:
    """SQL: the elements of a SEP-delimited set column, one row each (in a SELECT list)."""
    return f"unnest(string_to_array({column}, chr(31)))"


# table -> (key columns with types, summed columns with types); MERGE: columns not summed
TABLES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "summary_days": (("event_day DATE", "type VARCHAR", "place VARCHAR"), ("n BIGINT",)),
    "summary_party_days": (
        ("code VARCHAR", "event_day DATE", "type VARCHAR", "place VARCHAR"),
        ("n BIGINT",),
    ),
    "summary_code_pairs": (
        ("code VARCHAR", "other VARCHAR", "event_day DATE", "type VARCHAR", "place VARCHAR"),
        ("n BIGINT",),
    ),
    "summary_pairs": (
        ("source VARCHAR", "target VARCHAR", "event_day DATE", "type VARCHAR"),
        ("n BIGINT", "source_code VARCHAR", "target_code VARCHAR"),
    ),
    "summary_type_months": (("event_month DATE", "type VARCHAR"), ("n BIGINT",)),
    "summary_place_types": (("place VARCHAR", "type VARCHAR"), ("n BIGINT",)),
    "summary_party_months": (
        ("code VARCHAR", "event_month DATE", "type VARCHAR"),
        ("n BIGINT",),
    ),
    "summary_party_places": (("code VARCHAR", "place VARCHAR", "type VARCHAR"), ("n BIGINT",)),
    "summary_pair_codes": (("code VARCHAR", "other VARCHAR", "type VARCHAR"), ("n BIGINT",)),
    "summary_pair_totals": (
        ("source VARCHAR", "target VARCHAR", "type VARCHAR"),
        ("n BIGINT", "source_code VARCHAR", "target_code VARCHAR"),
    ),
    "summary_actor_months": (
        ("actor_key VARCHAR", "event_month DATE", "type VARCHAR"),
        ("n BIGINT",),
    ),
    "summary_actor_parts": (
        ("actor_key VARCHAR", "code VARCHAR", "sector VARCHAR", "office VARCHAR"),
        ("n_rows BIGINT", "n_events BIGINT", "first_day DATE", "last_day DATE"),
    ),
    "summary_counterparts": (("actor_key VARCHAR", "other VARCHAR", "role VARCHAR"), ("n BIGINT",)),
    "summary_counterpart_codes": (
        ("actor_key VARCHAR", "other VARCHAR", "code VARCHAR"),
        ("n BIGINT",),
    ),
}
MERGE = {
    "source_code": "greatest",
    "target_code": "greatest",
    "first_day": "least",
    "last_day": "greatest",
}


def ddl() -> str:
    """CREATE TABLE of every summary table (portable types)."""
    out = []
    for table, (keys, sums) in TABLES.items():
        names = ", ".join(k.split()[0] for k in keys)
        columns = ", ".join(f"{c} NOT NULL" for c in keys) + ", " + ", ".join(sums)
        out.append(f"CREATE TABLE IF NOT EXISTS {table} ({columns}, PRIMARY KEY ({names}));")
    return "\n".join(out)


def _selects(scope: str) -> dict[str, str]:
    """The SELECT of each table's rows from the events matching `scope` (SQL over `e`)."""
    k = element_key
    c = element_code
    pairs = (
        f"SELECT p.rid, {k('p.av')} AS s, {c('p.av')} AS sc, {k('p.rv')} AS t, {c('p.rv')} AS tc,"
        " p.day, p.type FROM ("
        f"SELECT a.rid, a.av, {split('a.rk')} AS rv, a.day, a.type FROM ("
        f"SELECT e.id AS rid, {split('e.actor_keys')} AS av, e.recipient_keys AS rk,"
        f" {DAY} AS day, e.type FROM events e WHERE {scope}) a WHERE a.av <> '') p"
        " WHERE p.rv <> ''"
    )
    sides = " UNION ALL ".join(
        f"SELECT DISTINCT m.id AS rid, '{other}' AS role, {k('m.v')} AS mine, m.theirs FROM ("
        f"SELECT e.id, {split(f'e.{me}_keys')} AS v, e.{other}_keys AS theirs"
        f" FROM events e WHERE {scope} AND e.{other}_keys IS NOT NULL) m WHERE m.v <> ''"
        for me, other in (("actor", "recipient"), ("recipient", "actor"))
    )
    facing = (
        f"SELECT f.rid, f.role, f.mine, {k('f.v')} AS other, {c('f.v')} AS code FROM ("
        f"SELECT q.rid, q.role, q.mine, q.theirs, {split('q.theirs')} AS v FROM ({sides}) q) f"
        " WHERE f.v <> '' AND strpos(f.theirs, chr(31) || f.mine || chr(30)) = 0"
    )
    keys = (
        f"SELECT e.id AS rid, {split(_both_keys())} AS v, {MONTH} AS month, e.type"
        f" FROM events e WHERE {scope}"
    )
    codes = (
        f"SELECT {split('e.party_codes')} AS code, e.party_codes AS codes, {DAY} AS day,"
        f" {MONTH} AS month, e.type, {PLACE} AS place FROM events e WHERE {scope}"
    )
    code_pairs = (
        f"SELECT u.code, {split('u.codes')} AS other, u.day, u.type, u.place FROM ({codes}) u"
        " WHERE u.code <> ''"
    )

    def pair_groups(kind: str, groups: str) -> str:
        return (
            f"SELECT z.s, z.t, {kind}, count(DISTINCT z.rid), max(z.sc), max(z.tc)"
            f" FROM ({pairs}) z WHERE z.s <> z.t GROUP BY {groups}"
        )

    return {
        "summary_days": f"SELECT {DAY}, e.type, {PLACE}, count(*) FROM events e WHERE {scope}"
        " GROUP BY 1, 2, 3",
        "summary_party_days": f"SELECT u.code, u.day, u.type, u.place, count(*) FROM ({codes}) u"
        " WHERE u.code <> '' GROUP BY 1, 2, 3, 4",
        "summary_code_pairs": "SELECT w.code, w.other, w.day, w.type, w.place, count(*)"
        f" FROM ({code_pairs}) w WHERE w.other <> '' AND w.other <> w.code"
        " GROUP BY 1, 2, 3, 4, 5",
        "summary_type_months": f"SELECT {MONTH}, e.type, count(*) FROM events e WHERE {scope}"
        " GROUP BY 1, 2",
        "summary_place_types": f"SELECT {PLACE}, e.type, count(*) FROM events e WHERE {scope}"
        " GROUP BY 1, 2",
        "summary_party_months": f"SELECT u.code, u.month, u.type, count(*) FROM ({codes}) u"
        " WHERE u.code <> '' GROUP BY 1, 2, 3",
        "summary_party_places": f"SELECT u.code, u.place, u.type, count(*) FROM ({codes}) u"
        " WHERE u.code <> '' GROUP BY 1, 2, 3",
        "summary_pair_codes": "SELECT w.code, w.other, w.type, count(*)"
        f" FROM ({code_pairs}) w WHERE w.other <> '' AND w.other <> w.code GROUP BY 1, 2, 3",
        # type '' holds the pairs of every type
        "summary_pair_totals": pair_groups("z.type", "z.s, z.t, z.type")
        + " UNION ALL "
        + pair_groups("''", "z.s, z.t"),
        "summary_pairs": "SELECT z.s, z.t, z.day, z.type, count(DISTINCT z.rid), max(z.sc),"
        f" max(z.tc) FROM ({pairs}) z WHERE z.s <> z.t GROUP BY 1, 2, 3, 4",
        "summary_actor_months": f"SELECT {k('u.v')}, u.month, u.type, count(DISTINCT u.rid)"
        f" FROM ({keys}) u WHERE u.v <> '' GROUP BY 1, 2, 3",
        "summary_actor_parts": f"SELECT {actor_key_sql('x')} AS k, coalesce(x.code, ''),"
        " coalesce(x.sector, ''), coalesce(x.office, ''), count(*), count(DISTINCT x.event_id),"
        " min(e.date), max(e.date) FROM actors x JOIN events e ON e.id = x.event_id"
        f" WHERE x.role IN ('actor', 'recipient') AND {scope} AND {actor_key_sql('x')} IS NOT NULL"
        " GROUP BY 1, 2, 3, 4",
        "summary_counterparts": "SELECT g.mine, g.other, g.role, count(DISTINCT g.rid)"
        f" FROM ({facing}) g WHERE g.other <> '' GROUP BY 1, 2, 3",
        "summary_counterpart_codes": "SELECT g.mine, g.other, g.code, count(*)"
        f" FROM ({facing}) g WHERE g.other <> '' GROUP BY 1, 2, 3",
    }


def _both_keys() -> str:
    """SQL: an event's actor and recipient key sets as one SEP-delimited string."""
    return "coalesce(e.actor_keys, '') || coalesce(e.recipient_keys, '')"


def _upsert(table: str, select: str) -> str:
    keys, sums = TABLES[table]
    key_names = [k.split()[0] for k in keys]
    sum_names = [s.split()[0] for s in sums]
    merged = ", ".join(
        f"{s} = {MERGE[s]}({table}.{s}, excluded.{s})"
        if s in MERGE
        else f"{s} = {table}.{s} + excluded.{s}"
        for s in sum_names
    )
    order = ", ".join(str(i + 1) for i in range(len(key_names)))
    return (
        f"INSERT INTO {table} ({', '.join(key_names + sum_names)}) {select} ORDER BY {order}"
        f" ON CONFLICT ({', '.join(key_names)}) DO UPDATE SET {merged}"
    )


def refresh_sql(dialect: Dialect, hashes: list[str] | None) -> list[tuple[str, list[Any]]]:
    """The statements that add the events of these articles (None: every event) to the
    summaries, with their parameters."""
    if hashes is None:
        scope, params = "TRUE", []
    else:
        scope, params = f"e.article_hash = ANY({dialect.param})", [list(hashes)]
    out = []
    for table, select in _selects(scope).items():
        out.append((_upsert(table, select), params * select.count(dialect.param)))
    return out
