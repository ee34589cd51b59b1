"""The summary tables kept at ingest answer stats, the network and actor profiles exactly as
counting over the events does (store/scans.py), on real coded news and on both back-ends."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from eventwire.cli import main as cli_main
from eventwire.store import aggregates, open_store, scans
from eventwire.store.aggregates import NETWORK_FILTERS, STATS_FILTERS, summarised
from eventwire.store.base import EventFilter, Store
from test_api import SAMPLE_INPUTS


@pytest.fixture(scope="module")
def store(module_store_url: str) -> Iterator[Store]:
    """Sample articles ingested in small batches, so the summaries are added to many times."""
    args = ["ingest", *map(str, SAMPLE_INPUTS), "--db", module_store_url, "--jobs", "1"]
    assert cli_main(args) == 0
    opened = open_store(module_store_url, read_only=True)
    yield opened
    opened.close()


def _filters(store: Store) -> list[EventFilter]:
    events = list(store.events())
    types = sorted({e["event"][0] for e in events})[:4]
    codes = sorted({p["code"] for e in events for p in e["actor"] + e["recipient"] if p["code"]})
    places = sorted({(e.get("event_loc") or {}).get("country_code") or "" for e in events} - {""})
    days = sorted(dt.date.fromisoformat(e["date"]) for e in events if e.get("date"))
    middle = days[len(days) // 2]
    out = [EventFilter(), EventFilter(date_from=middle), EventFilter(date_to=middle)]
    out += [EventFilter(type=t) for t in types] + [EventFilter(type=types[0].lower() + " ")]
    out += [EventFilter(country=c) for c in codes[:6]] + [EventFilter(country="zzz")]
    out += [EventFilter(place_country=c) for c in places[:3]]
    out += [EventFilter(country=codes[0], type=types[0], date_from=days[0], date_to=middle)]
    out += [EventFilter(type=t, date_from=days[0], date_to=days[-1]) for t in types[:2]]
    return out


def test_issue16_stats_from_summaries_equal_the_scan(store: Store) -> None:
    filters = _filters(store)
    assert all(summarised(f, STATS_FILTERS) for f in filters)
    assert store.event_stats()["total"] == store.count_events() > 20
    for f in filters:
        for bucket in (None, "day", "week", "month", "year"):
            want = aggregates.stats_from(scans.ScanCounts(), store, f, bucket)
            assert store.event_stats(f, bucket) == want, (f, bucket)
    assert any(store.event_stats(f)["by_actor_country"] for f in filters if f.country)


def test_issue16_network_from_summaries_equals_the_scan(store: Store) -> None:
    filters = [f for f in _filters(store) if summarised(f, NETWORK_FILTERS)]
    assert len(filters) > 5
    for f in filters:
        for limit in (3, 60):
            want = aggregates.graph(scans.network_scan(store, f, limit))
            assert store.actor_network(f, limit) == want, (f, limit)
    assert store.actor_network()["edges"]


def test_issue16_profiles_from_summaries_equal_the_scan(store: Store) -> None:
    keys = [a["key"] for a in store.actor_list(limit=60)]
    keys += ["nobody", "", "A\x1fB", "USA GOV"]
    found = 0
    for key in keys:
        want = scans.profile_scan(store, key)
        assert store.actor_profile(key) == want, key
        found += want is not None and bool(want["counterparts"])
    assert found > 5


def test_issue16_filters_the_summaries_do_not_keep_are_counted_over_events(
    store: Store,
) -> None:
    f = EventFilter(text="the", sector="GOV")
    assert not summarised(f, STATS_FILTERS)
    assert store.event_stats(f)["total"] == store.count_events(f)
