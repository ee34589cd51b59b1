"""The eventwire command: spaCy-free help, usage errors, `extract`/`ingest`/`events` wiring."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire import runner
from eventwire.cli import main
from eventwire.nlp.pipeline import load_pipeline
from eventwire.output import validate_record
from eventwire.records import Actor, Event

TEXT = "Foreign ministers from Peru and Chile met in Lima on Monday. They signed a trade pact."


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "eventwire", *args], capture_output=True, text=True, timeout=300
    )


HEAVY = "{'spacy', 'duckdb', 'pandas', 'pyarrow', 'thinc', 'torch', 'fastapi'}"


def test_import_and_help_are_instant_and_spacy_free() -> None:
    """No heavy import on the --help path: that is what keeps help instant (no timing here)."""
    for command in ([], ["extract"], ["ingest"], ["events"], ["bench"], ["eval"], ["kb"]):
        probe = (
            "import sys, contextlib, io\n"
            "from eventwire.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            "    try:\n"
            f"        main({[*command, '--help']!r})\n"
            "    except SystemExit:\n"
            "        pass\n"
            f"print(sorted({HEAVY} & set(sys.modules)))"
        )
        out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "[]", (command, out.stdout)
        done = run_cli(*command, "--help")
        assert done.returncode == 0, done.stderr
        assert "usage: eventwire" in done.stdout
    assert "--jobs" in run_cli("extract", "--help").stdout
    assert "--country" in run_cli("events", "--help").stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["extract", "a.txt", "--date", "2024/08/19"], "use YYYY-MM-DD"),
        (["extract", "a.txt", "--date", "2024-02-30"], "use YYYY-MM-DD"),
        (["ingest", "a.txt", "--jobs", "0"], "whole number >= 1"),
        (["events", "--from", "yesterday"], "use YYYY-MM-DD"),
        (["events", "--format", "xml"], "invalid choice"),
        (["extract"], "required"),
    ],
)
def test_usage_errors_exit_2_with_a_clear_message(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(args)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_events_without_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["events", "--db", str(tmp_path / "none.duckdb")]) == 1
    assert "eventwire ingest" in capsys.readouterr().err


# --- wiring, with the real model and a stand-in for the extraction components ----------------


@Language.component("test_cli_probe_v1")
def cli_probe(doc: Doc) -> Doc:
    """One CONSULT per sentence whose first noun chunk is the actor."""
    events = []
    for i, sent in enumerate(doc.sents):
        chunk = next(iter(sent.noun_chunks), sent[:1])
        actor = Actor(
            chunk.text, chunk.text, "PER", "GOV", start=chunk.start_char, end=chunk.end_char
        )
        verb = next((t for t in sent if t.pos_ == "VERB"), sent[0])
        events.append(
            Event(
                "CONSULT",
                doc._.article_id,
                i,
                sent.start_char,
                sent.end_char,
                verb.text,
                verb.idx,
                verb.idx + len(verb),
                actors=[actor],
            )
        )
    doc._.events = events
    return doc


@lru_cache(maxsize=2)
def probe_loader(model: str | None) -> Language:
    return load_pipeline(model, components=["test_cli_probe_v1"])


@pytest.fixture
def inputs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.setattr(runner, "default_loader", probe_loader)
    good = tmp_path / "lima.txt"
    good.write_text(TEXT, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    return [str(good), str(empty)]


def test_extract_writes_valid_records_and_names_skips(
    inputs: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["extract", *inputs, "--jobs", "1", "--date", "2024-03-04"]) == 0
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["article_id"] for r in records] == ["lima", "lima"]
    assert [r["text_info"]["sequence"] for r in records] == [0, 1]
    assert records[0]["actor"][0]["entity_text"] == "Foreign ministers"
    for record in records:
        validate_record(record)
    assert f"skipped empty ({inputs[1]}): " in err
    assert "2 read, 1 coded, 1 skipped; 2 events (CONSULT 2)" in err


def test_extract_to_a_file_as_json(inputs: list[str], tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    assert (
        main(["extract", inputs[0], "--jobs", "1", "--format", "json", "-o", str(target), "-q"])
        == 0
    )
    assert [r["trigger"] for r in json.loads(target.read_text("utf-8"))] == ["met", "signed"]


def test_ingest_is_idempotent_and_events_filters(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = str(tmp_path / "cli.duckdb")
    assert main(["ingest", *inputs, "--db", db, "--jobs", "1"]) == 0
    first = capsys.readouterr().out
    assert "articles read: 2" in first and "coded: 1" in first and "skipped: 1" in first
    assert "CONSULT    2" in first
    assert main(["ingest", *inputs, "--db", db, "--jobs", "1"]) == 0
    second = capsys.readouterr().out
    assert "coded: 0" in second and "already stored: 1" in second
    assert f"database {db}: 1 articles, 2 events, 1 skipped inputs" in second

    assert main(["events", "--db", db, "--format", "jsonl", "--text", "trade pact"]) == 0
    (only,) = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    assert only["trigger"] == "signed"
    assert main(["events", "--db", db, "--format", "csv", "--country", "per", "--limit", "1"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["trigger"] for r in rows] == ["met"]
    assert main(["events", "--db", db, "--actor", "ministers"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].startswith("DATE") and len(table) == 3
    assert main(["events", "--db", db, "--type", "ASSAULT", "--format", "jsonl"]) == 0
    assert capsys.readouterr().out == ""


# --- end to end with the real eventwire pipeline --------------------------------------------


def test_extract_end_to_end_with_the_full_pipeline(tmp_path: Path) -> None:
    pytest.importorskip("eventwire.extraction.assemble", exc_type=ImportError)
    try:
        load_pipeline()
    except ImportError as exc:
        pytest.skip(f"the full pipeline is not complete yet: {exc}")
    text = (
        "The Kenyan President William Ruto met with the Ethiopian Prime Minister in Nairobi on "
        "Monday. Police arrested 40 protesters in Addis Ababa."
    )
    article = tmp_path / "talks.txt"
    article.write_text(text, encoding="utf-8")
    done = run_cli("extract", str(article), "--date", "2024-03-06", "--jobs", "1")
    assert done.returncode == 0, done.stderr
    records = [json.loads(line) for line in done.stdout.splitlines()]
    for record in records:
        validate_record(record)
    types = [r["event"][0] for r in records]
    assert "CONSULT" in types and "COERCE" in types
    consult = records[types.index("CONSULT")]
    codes = {a["code"] for a in consult["actor"] + consult["recipient"]}
    assert {"KEN", "ETH"} <= codes
    assert consult["date"] == "2024-03-04"
    # the same from Python, as in a notebook
    from eventwire import extract

    again = extract(text, date="2024-03-06", id="talks")
    assert [(r["id"], r["event"], r["actor"]) for r in again] == [
        (r["id"], r["event"], r["actor"]) for r in records
    ]


def test_bench_reports_both_sides(
    inputs: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from eventwire.bench import load_articles, repeat_to

    copies = repeat_to(load_articles([Path(inputs[0])]), 5)
    assert len({a.content_hash for a in copies}) == 5  # every copy is stored, not deduplicated
    assert [a.id for a in copies] == ["lima", "lima#1", "lima#2", "lima#3", "lima#4"]

    assert main(["bench", "--articles", "6", "--jobs", "1", "--corpus", inputs[0], "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["articles"] == 6 and report["source_articles"] == 1
    (run,) = report["runs"]
    assert run["pipeline"]["articles"] == 6 and run["spacy"]["articles"] == 6
    ratio = run["pipeline"]["words_per_s"] / run["spacy"]["words_per_s"]
    assert run["ratio"] == pytest.approx(ratio, abs=0.01) and run["ratio"] > 0
    assert run["pipeline"]["peak_rss_mb"]["main"] > 50
