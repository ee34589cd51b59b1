"""Event search pages with a capped total (issue 6), portable SQL for DuckDB and PostgreSQL.

An exact total costs a second full scan of the filter columns for every request (20-40 ms on
a million events, 300 ms for a sentence substring), even when the page itself needs only the
newest rows. Like most search UIs, a search now counts up to COUNT_CAP matches exactly and
reports "at least" beyond; without filters the exact count is cheap and always given.

One query (the probe) reads at most `need + 1` matches: when they are all there, it orders
them and counts them in the same pass, so a narrow search scans once; otherwise the matches
are many, and a top-N query over the whole set finds the page quickly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from eventwire.store.query import Row
from eventwire.store.query import filters_or_all as _filters
from eventwire.store.reads_actors import ActorReads

if TYPE_CHECKING:
    from eventwire.store.base import EventFilter

COUNT_CAP = 10_000  # matches counted exactly; a search with more reports "at least"
DEFAULT_PAGE = 50


@dataclass
class SearchPage:
    """A page of records and how many events match: exactly, or at least `total`."""

    events: list[dict[str, Any]]
    total: int
    exact: bool


def _probe_order(filters: EventFilter) -> str:
    """The sort of `filters` over the probe's columns (subquery `s`)."""
    from eventwire.store.base import order_clause

    return order_clause(filters, "s.tb").replace("a.id", "s.aid").replace("e.", "s.")


class PagedReads(ActorReads):
    """Mixin: pages of event searches, their totals and the records of a page."""

    page_key: str = "e.id"  # what a page query returns to look records up (DuckDB: e.rowid)
    by_key: str = ""  # SQL of (page_key, record) by a list of keys; "" = event_records
    inline_records: bool = False  # a top-N may select the records themselves (DuckDB)

    def _records_by_key(self, keys: list[Any]) -> list[dict[str, Any]]:
        """Records in the order of `keys` (values of `page_key`)."""
        if not self.by_key:
            return self.event_records(keys)
        found: dict[Any, Any] = dict(self._fetch(self.by_key, [list(keys)])) if keys else {}
        return [self._record(found[k]) for k in keys if k in found]

    def _event_sql(self, filters: EventFilter, column: str = "e.record") -> tuple[str, list[Any]]:
        from eventwire.store.base import order_clause

        order = order_clause(filters, self.tiebreak)
        where, params = self._where(filters)
        join = " JOIN articles a ON a.hash = e.article_hash" if "a." in order else ""
        return f"SELECT {column} FROM events e{join}{where} ORDER BY {order}", params

    def _page_keys(self, f: EventFilter) -> list[Any]:
        """The page's keys by a top-N over every match (no JSON read, no late columns)."""
        sql, params = self._event_sql(f, self.page_key)
        p = self.placeholder
        sql += f" LIMIT {p} OFFSET {p}"
        params += [_limit(f), _offset(f)]
        return [r[0] for r in self._fetch(sql, params)]

    def _probe(self, f: EventFilter, need: int) -> list[Row]:
        """The page of the first `need + 1` matches, each row with how many were read."""
        where, params = self._where(f)
        ingest = f.sort == "ingest"
        join = " JOIN articles a ON a.hash = e.article_hash" if ingest else ""
        inner = (
            f"SELECT {self.page_key} AS pk, {self.tiebreak} AS tb, e.date, e.type,"
            f" e.confidence, e.seq{', a.id AS aid' if ingest else ''}"
            f" FROM events e{join}{where} LIMIT {self.placeholder}"
        )
        p = self.placeholder
        sql = (
            f"SELECT s.pk, count(*) OVER () FROM ({inner}) s"
            f" ORDER BY {_probe_order(f)} LIMIT {p} OFFSET {p}"
        )
        return self._fetch(sql, [*params, need + 1, _limit(f), _offset(f)])

    def _page_records(self, f: EventFilter) -> list[dict[str, Any]]:
        """The records of the page that a top-N over every match finds."""
        if not self.inline_records:
            return self._records_by_key(self._page_keys(f))
        sql, params = self._event_sql(f, "e.record")  # 1-2 ms cheaper than a second query
        p = self.placeholder
        rows = self._fetch(f"{sql} LIMIT {p} OFFSET {p}", [*params, _limit(f), _offset(f)])
        return [self._record(value) for (value,) in rows]

    def event_page(self, filters: EventFilter | None = None) -> list[dict[str, Any]]:
        """One page of records: `limit` (default 50), `offset` and `sort` of the filter."""
        return self._page_records(_filters(filters))

    def search_page(self, filters: EventFilter | None = None, cap: int | None = None) -> SearchPage:
        """A page of records and how many events match (exactly up to `cap`, see above)."""
        cap = COUNT_CAP if cap is None else cap
        f = _filters(filters)
        where, _params = self._where(f)
        if not where:  # the whole table: its row count is cheap
            return SearchPage(self._page_records(f), self.count_events(f), True)
        page = self._text_page(f, _limit(f), _offset(f)) if f.text else None
        if page is not None:  # text, maybe dates and a type: paged from a word index
            return SearchPage(self._records_by_key(page[0]), page[1], True)
        need = max(cap, _offset(f) + _limit(f) + 1)
        bound = self._text_bound(f.text) if f.text else None
        if bound is not None:  # few matches known from the word index: count them all
            need = max(need, bound)
        rows = self._probe(f, need)
        if not rows and not f.offset:
            return SearchPage([], 0, True)
        if rows and int(rows[0][1]) <= need:
            return SearchPage(self._records_by_key([r[0] for r in rows]), int(rows[0][1]), True)
        if not rows:  # past the last match (or none): count them, capped
            found = self._capped_count(f, need)
            return SearchPage([], min(found, need), found <= need)
        return SearchPage(self._page_records(f), need, False)

    def _capped_count(self, f: EventFilter, need: int) -> int:
        """How many events match, reading at most `need + 1` of them."""
        where, params = self._where(f)
        sql = f"SELECT count(*) FROM (SELECT 1 FROM events e{where} LIMIT {self.placeholder}) c"
        return int(self._one(sql, [*params, need + 1]) or 0)

    def count_events(self, filters: EventFilter | None = None) -> int:
        where, params = self._where(_filters(filters))
        return int(self._one(f"SELECT count(*) FROM events e{where}", params) or 0)


def _limit(f: EventFilter) -> int:
    return int(f.limit if f.limit is not None else DEFAULT_PAGE)


def _offset(f: EventFilter) -> int:
    return max(0, int(f.offset))
