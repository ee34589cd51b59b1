"""CAMEO codes and the GDELT-style TSV from PLOVER records."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import Any

import shared_data
from eventwire.cameo import (
    actor_code,
    cameo_info,
    cameo_table,
    code_parts,
    event_code,
    global_event_id,
    write_cameo,
)
from eventwire.extraction.lexicon import PLOVER_TYPES
from eventwire.link.gdelt import EVENT_COLUMNS, event_row
from eventwire.output import FORMATS, plover_table, write_records

SEED = shared_data.SEED

# plover.md §2: the CAMEO root each PLOVER type comes from (SANCTION convict is CAMEO 116).
ROOTS = {
    "AGREE": {"03"},
    "CONSULT": {"04"},
    "SUPPORT": {"05"},
    "CONCEDE": {"08", "05"},
    "COOPERATE": {"06"},
    "AID": {"07"},
    "RETREAT": {"08"},
    "REQUEST": {"10"},
    "ACCUSE": {"09", "11"},
    "REJECT": {"12"},
    "THREATEN": {"13"},
    "PROTEST": {"14"},
    "SANCTION": {"16", "11"},
    "MOBILIZE": {"15"},
    "COERCE": {"17", "19"},
    "ASSAULT": {"17", "18", "19", "20"},
}


def record(**over: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "0123456789abcdef01234567",
        "date": "2024-08-19",
        "event": ["CONSULT"],
        "mode": ["visit"],
        "trigger": "visited",
        "quad_code": 1,
        "event_scale": 4.0,
        "actor": [{"code": "USA", "sector": "GOV", "name": "Antony Blinken"}],
        "recipient": [{"code": "EGY", "sector": None, "entity_text": "Egypt"}],
        "event_loc": {"resolved_place": "Cairo", "country_code": "EGY", "lat": 30.0, "lon": 31.2},
        "cite_info": {"url": "https://example.org/a"},
        "article_id": "a1",
    }
    base.update(over)
    return base


def test_every_type_and_mode_maps_into_its_cameo_root() -> None:
    table = cameo_table()
    for event_type in PLOVER_TYPES:
        spec = table.events[event_type]
        codes = [spec["default"], *(spec.get("modes") or {}).values()]
        codes += list((spec.get("triggers") or {}).values())
        for code in codes:
            assert code.isdigit() and 3 <= len(code) <= 4, (event_type, code)
            assert code[:2] in ROOTS[event_type], (event_type, code)
        modes = set(plover_table()["types"][event_type]["modes"])
        assert set(spec.get("modes") or {}) <= modes, event_type


def test_most_specific_code_wins() -> None:
    assert event_code("CONSULT", ["visit"], "visited") == "042"
    assert event_code("CONSULT", [], "hosted") == "043"
    assert event_code("CONSULT", [], "met with") == "040"
    assert event_code("ASSAULT", ["aerial", "targeted"], "struck") == "195"
    assert event_code("RETREAT", ["release"], "freed") == "0841"
    assert event_code("NOTATYPE") is None
    assert code_parts("0841") == ("0841", "084", "08")


def test_actor_codes_in_cameo_style() -> None:
    assert actor_code({"code": "USA", "sector": "GOV"}) == "USAGOV"
    assert actor_code({"code": "UNO", "sector": None}) == "IGOUNO"
    assert actor_code({"code": "ISR", "sector": "JRN"}) == "ISRMED"  # CAMEO's MED is media
    assert actor_code({"code": "SYR", "sector": "MED"}) == "SYRHLH"
    assert actor_code({"code": None, "sector": "UNK"}) == ""


def test_cameo_jsonl_keeps_the_plover_record() -> None:
    out = io.StringIO()
    write_cameo([record()], out)
    got = json.loads(out.getvalue())
    assert got["event"] == ["CONSULT"]
    assert got["cameo"]["event_code"] == "042" and got["cameo"]["root_name"] == "Consult"
    assert cameo_info(record())["actor_codes"] == ["USAGOV"]  # type: ignore[index]


def test_output_formats_include_cameo_and_gdelt() -> None:
    assert {"cameo", "gdelt", "gdelt-mentions"} <= set(FORMATS)
    out = io.StringIO()
    assert write_records([record(), record(event=["NOTATYPE"])], "gdelt", out) == 1
    cells = out.getvalue().rstrip("\n").split("\t")
    assert len(cells) == len(EVENT_COLUMNS) == 61
    assert cells[EVENT_COLUMNS.index("EventCode")] == "042"
    assert cells[EVENT_COLUMNS.index("GLOBALEVENTID")] == str(
        global_event_id("0123456789abcdef01234567")
    )


def test_reciprocal_events_pair_the_first_two_actors() -> None:
    rec = record(recipient=[], actor=[{"code": "USA"}, {"code": "ISR", "sector": "GOV"}])
    row = event_row(
        {"group_id": rec["id"], "record": rec, "n_mentions": 1, "n_sources": 1, "n_articles": 1}
    )
    assert row is not None and row["Actor2Code"] == "ISRGOV"


def test_extract_cli_writes_gdelt() -> None:
    shared_data.require()
    args = [sys.executable, "-m", "eventwire", "extract", str(SEED), "--jobs", "1", "-q"]
    out = subprocess.run(
        [*args, "--date", "2024-08-19", "--format", "gdelt"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = [line.split("\t") for line in out.splitlines()]  # GDELT 2.0: no header
    assert rows and all(len(r) == len(EVENT_COLUMNS) for r in rows)
    code, actor = EVENT_COLUMNS.index("EventCode"), EVENT_COLUMNS.index("Actor1Code")
    assert any(r[code] == "042" and r[actor] == "USAGOV" for r in rows)  # Blinken's visit
