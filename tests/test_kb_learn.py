"""A KB that learns: proposals while coding, the store table, and review/accept/reject."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from spacy.language import Language

from eventwire.cli import main
from eventwire.nlp.pipeline import load_pipeline, make_doc
from eventwire.resolve.actors import userkb
from eventwire.resolve.actors.learn import office_words
from eventwire.store import open_store

DAY = date(2024, 3, 4)
FIRST = (
    "Karim Benhaddou, the foreign minister of Algeria, arrived in Tunis on Monday for talks.\n"
    "Benhaddou said both countries would sign a border agreement.\n"
)
SECOND = (
    "Algerian Foreign Minister Karim Benhaddou met Tunisian officials in Tunis on Tuesday.\n"
    "Israeli President Isaac Herzog also spoke to reporters.\n"
)
THIRD = "Lina Moravec, Slovakia's defence minister, inspected the troops on Friday.\n"
LATER = "Karim Benhaddou criticised the new sanctions on Wednesday.\n"


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline(components=["eventwire_actors_v1", "eventwire_coref_v1"])


def proposals(nlp: Language, text: str, day: date | None = DAY) -> list[dict[str, Any]]:
    doc = nlp(make_doc(nlp, text, "learn-test", day))
    found: list[dict[str, Any]] = doc._.kb_proposals
    return found


# --- proposals while coding --------------------------------------------------------------------


def test_apposition_with_of_country(nlp: Language) -> None:
    (item,) = proposals(nlp, FIRST)
    assert (item["name"], item["country"], item["office"]) == (
        "Karim Benhaddou",
        "DZA",
        "Foreign Minister",
    )
    assert (item["kind"], item["pattern"], item["role"]) == (
        "new",
        "apposition",
        "foreign_minister",
    )
    assert (item["article_id"], item["article_date"]) == ("learn-test", "2024-03-04")
    assert item["sentence"].startswith("Karim Benhaddou, the foreign minister of Algeria")


def test_title_before_name(nlp: Language) -> None:
    found = proposals(nlp, SECOND)
    assert [(p["name"], p["country"], p["office"], p["pattern"]) for p in found] == [
        ("Karim Benhaddou", "DZA", "Foreign Minister", "title")
    ]  # Herzog is in the KB as President on that day: nothing to learn


def test_possessive_apposition(nlp: Language) -> None:
    (item,) = proposals(nlp, THIRD)
    assert (item["name"], item["country"], item["office"]) == (
        "Lina Moravec",
        "SVK",
        "Defence Minister",
    )


def test_known_person_with_another_office(nlp: Language) -> None:
    text = "Israeli Energy Minister Israel Katz said the pipeline would open."
    (item,) = proposals(nlp, text, date(2023, 6, 1))
    assert (item["name"], item["office"], item["kind"]) == (
        "Israel Katz",
        "Energy Minister",
        "office",
    )
    assert proposals(nlp, "Israeli Defense Minister Israel Katz spoke.", date(2025, 2, 1)) == []


@pytest.mark.parametrize(
    "text",
    [
        "Former Algerian Foreign Minister Karim Benhaddou gave a lecture.",  # ELI, not an office
        "Hamas leader Khalil Varda spoke in Doha.",  # a generic title says too little
        "Foreign Minister Karim Benhaddou arrived in Tunis.",  # no country in the text
    ],
)
def test_no_proposal(nlp: Language, text: str) -> None:
    assert proposals(nlp, text) == []


def test_office_words() -> None:
    assert office_words("foreign minister of Egypt") == "Foreign Minister"
    assert office_words("Minister of Foreign Affairs of the United States") == (
        "Minister of Foreign Affairs"
    )
    assert office_words("defence minister") == "Defence Minister"


# --- the store ---------------------------------------------------------------------------------


def test_store_keeps_proposals(tmp_path: Path) -> None:
    rows = [
        {"name": "A B", "country": "DZA", "office": "X", "article_date": "2024-03-04"},
        {"name": "C D", "country": "TUN", "office": "Y", "article_date": None},
    ]
    with open_store(tmp_path / "p.duckdb") as store:
        store.add_kb_proposals(rows)
        stored = store.kb_proposals()
        assert [(p["name"], p["status"], p["article_date"]) for p in stored] == [
            ("A B", "pending", "2024-03-04"),
            ("C D", "pending", None),
        ]
        assert store.set_kb_proposals_status([stored[0]["id"]], "rejected") == 1
        assert [p["name"] for p in store.kb_proposals()] == ["C D"]
        with pytest.raises(ValueError):
            store.set_kb_proposals_status([stored[0]["id"]], "maybe")
    with open_store(tmp_path / "p.duckdb", read_only=True) as store:
        assert [p["name"] for p in store.kb_proposals("rejected")] == ["A B"]


# --- the whole flow from the command line ------------------------------------------------------


@pytest.fixture
def flow(tmp_path: Path) -> Iterator[dict[str, Path]]:
    """Articles on disk, a database and a KB file of the test's own."""
    paths = {"db": tmp_path / "t.duckdb", "kb": tmp_path / "kb.jsonl"}
    for name, text in (("a1", FIRST), ("a2", SECOND), ("a3", THIRD), ("later", LATER)):
        paths[name] = tmp_path / f"{name}.txt"
        paths[name].write_text(text, encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv(userkb.ENV, str(paths["kb"]))
        userkb.reload()
        yield paths
    userkb.reload()


def _extract(path: Path, kb: Path) -> list[dict[str, Any]]:
    """`eventwire extract` in a new process: accepted entries are used from then on."""
    env = dict(os.environ, EVENTWIRE_KB=str(kb))
    command = [sys.executable, "-m", "eventwire", "extract", str(path), "--date", "2024-03-06"]
    done = subprocess.run(
        [*command, "--jobs", "1", "-q"], env=env, capture_output=True, text=True, check=True
    )
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


@pytest.mark.slow
def test_ingest_review_accept_reject(
    flow: dict[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    db, kb = str(flow["db"]), flow["kb"]
    files = [str(flow["a1"]), str(flow["a2"]), str(flow["a3"])]
    assert main(["ingest", *files, "--date", "2024-03-04", "--db", db, "--jobs", "1"]) == 0
    capsys.readouterr()

    assert main(["kb", "review", "--db", db]) == 0
    review = capsys.readouterr().out
    assert "Karim Benhaddou — 2 proposal(s) [new]" in review
    assert "DZA Foreign Minister ×2" in review and "Lina Moravec — 1 proposal(s)" in review
    assert "Karim Benhaddou, the foreign minister of Algeria, arrived in Tunis" in review

    assert main(["kb", "review", "--db", db, "--json"]) == 0
    stored = json.loads(capsys.readouterr().out)
    ids: dict[str, list[int]] = {}
    for item in stored:
        ids.setdefault(item["name"], []).append(item["id"])

    assert main(["kb", "accept", str(ids["Karim Benhaddou"][0]), "--db", db]) == 0
    assert "accepted Karim Benhaddou (DZA Foreign Minister)" in capsys.readouterr().out
    assert main(["kb", "reject", str(ids["Lina Moravec"][0]), "--db", db]) == 0
    assert "rejected 1 proposal(s)" in capsys.readouterr().out
    assert main(["kb", "accept", "9999", "--db", db]) == 1

    assert main(["kb", "review", "--db", db]) == 0
    assert "no pending proposals" in capsys.readouterr().out  # the twin was accepted too
    (record,) = userkb.read_records(kb)
    assert (record["name"], record["resolution"], record["proposals"]) == (
        "Karim Benhaddou",
        "learned",
        sorted(ids["Karim Benhaddou"]),
    )

    (event,) = _extract(flow["later"], kb)
    (actor,) = event["actor"]
    assert (actor["name"], actor["code"], actor["sector"], actor["office"]) == (
        "Karim Benhaddou",
        "DZA",
        "GOV",
        "Foreign Minister",
    )
    assert actor["resolution"] == "learned"
