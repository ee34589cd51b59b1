"""One schema version: a file of each older layout is refused read-only and migrated by
`eventwire migrate` (or any writer), answering as it did."""

from __future__ import annotations

import pytest

from eventwire.cli import main as cli_main
from eventwire.store import StoreError, migrations, open_store, search, summaries
from eventwire.store.base import Store
from test_store import _spans, _types, corpus

SEARCHES = [
    {"actor": "marta"},
    {"actor": "ARGENTINE ENV"},
    {"actor": "%"},
    {"country": "arg"},
    {"sector": "REB"},
    {"actor_key": "Marta Rios"},
    {"actor_key": "ARG GOV"},
    {"actor_key": "PER EDU"},
    {"text": "fuel tax"},
    {"text": "FUEL TAX", "type": "CONSULT"},
    {"mode": "visit"},
]
KEYS = ["Marta Rios", "ARG GOV", "PER EDU", "nobody"]


def _answers(store: Store) -> list[object]:
    """What the older layouts used to answer too: searches, stats, network and profiles."""
    found: list[object] = [_types(store, **f) for f in SEARCHES]  # type: ignore[arg-type]
    found += [store.event_stats(), store.actor_network()]
    return found + [store.actor_profile(k) for k in KEYS]


def _write_older(url: str, version: int) -> None:
    """Turn a current store into the layout `version` had: no schema_version row and no
    summary tables (2), and before that no search columns (1)."""
    with open_store(url) as s:
        run = s.run  # type: ignore[attr-defined]
        for table in (*summaries.TABLES, "schema_version"):
            run(f"DROP TABLE {table}")
        if version < 2:
            for column in search.COLUMNS:
                run(f"ALTER TABLE events DROP COLUMN {column}")
        assert migrations.version(s) == version  # type: ignore[arg-type]


@pytest.mark.parametrize("version", [1, 2])
def test_issue16_older_layouts_are_refused_read_only_then_migrated(
    store_url: str, version: int, capsys: pytest.CaptureFixture[str]
) -> None:
    with open_store(store_url) as s:
        for article, events in corpus():
            s.add_article(article, events, _spans(article))
        s.flush()
        expected = _answers(s)
    assert expected[3] == ["CONSULT"] and expected[-1] is None and expected[-4] is not None
    _write_older(store_url, version)
    with pytest.raises(StoreError, match="eventwire migrate"):
        open_store(store_url, read_only=True)
    assert cli_main(["migrate", "--db", store_url]) == 0
    assert "up to date" in capsys.readouterr().err
    with open_store(store_url, read_only=True) as migrated:
        assert migrations.version(migrated) == migrations.VERSION  # type: ignore[arg-type]
        assert _answers(migrated) == expected


def test_issue16_a_fresh_store_has_the_current_version(store_url: str) -> None:
    with open_store(store_url) as s:
        assert migrations.version(s) == migrations.VERSION  # type: ignore[arg-type]
    with open_store(store_url, read_only=True) as s:
        assert s.count_events() == 0
