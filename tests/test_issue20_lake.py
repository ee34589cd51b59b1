"""The lake's parts that need no Java (issue 20): units read as ingest reads, the partition
function codes as extract codes, records revive into the Events they came from."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire.ingest import read_inputs
from eventwire.ingest.checks import parse_date
from eventwire.lake import layout
from eventwire.lake.partition import Options, code_partition
from eventwire.lake.revive import article_from_row, event_from_record
from eventwire.lake.schema import UNDATED, coded_schema
from eventwire.lake.units import plan_units, read_unit
from eventwire.nlp.pipeline import cached_pipeline
from eventwire.output import article_records, event_to_plover
from eventwire.runner import code_articles

SAMPLES = Path(__file__).resolve().parents[1] / "samples"


def write_articles_parquet(path: Path) -> Path:
    """The sample corpus as a Parquet of articles, plus a row without text and one without id."""
    rows = [json.loads(line) for line in (SAMPLES / "corpus.jsonl").read_text().splitlines()]
    for row in rows:
        row["date"] = parse_date(row.get("date"))  # a typed date32 column
    rows.append({"id": "no-text", "text": None, "date": None, "url": None})
    rows.append({"id": None, "text": rows[0]["text"] + " Talks went on.", "date": None})
    table = pa.Table.from_pylist(rows)
    pq.write_table(table, path, row_group_size=3)
    return path


def _items(paths: list[str], size: int) -> list[object]:
    return [item for unit in plan_units(paths, size) for item in read_unit(unit, None, 200_000)]


@pytest.mark.parametrize("size", [1, 2, 64])
def test_issue20_units_read_exactly_what_ingest_reads(tmp_path: Path, size: int) -> None:
    jsonl = tmp_path / "mixed.jsonl"
    lines = (SAMPLES / "corpus.jsonl").read_text().splitlines()
    jsonl.write_text("\n\n".join(lines[:3]) + "\n{broken\n" + lines[3], encoding="utf-8")
    parquet = write_articles_parquet(tmp_path / "articles.parquet")
    paths = [str(SAMPLES / "text"), str(SAMPLES / "bad"), str(jsonl), str(parquet), "nowhere.txt"]
    expected = list(read_inputs(paths))
    assert _items(paths, size) == expected
    assert any(getattr(i, "origin", "") == f"{jsonl}:7" for i in expected)  # line numbers kept
    rows = len((SAMPLES / "corpus.jsonl").read_text().splitlines()) + 2
    assert any(getattr(i, "id", "") == f"articles:{rows}" for i in expected)  # row number id


def test_issue20_jsonl_units_cut_at_newlines_and_count_lines(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(b'{"id": 1}\n{"id": 2}\n\n{"id": 4}')  # no newline at the end
    units = plan_units([str(path)], 2)
    assert [(u.start, u.stop, u.first_line) for u in units] == [(0, 20, 1), (20, 30, 3)]
    assert [u.seq for u in units] == [0, 1]


def _coded_rows(paths: list[str], options: Options) -> list[dict[str, object]]:
    units = plan_units(paths, 4)
    batch = pa.RecordBatch.from_pylist([u.row() for u in units])
    return [row for out in code_partition([batch], options) for row in out.to_pylist()]


def test_issue20_a_partition_codes_records_identical_to_extract(tmp_path: Path) -> None:
    paths = [str(SAMPLES / "corpus.jsonl"), str(SAMPLES / "bad")]
    rows = _coded_rows(paths, Options())
    records = [e["record"] for row in rows for e in row["events"]]
    expected = [
        json.dumps(r, ensure_ascii=False)
        for item in code_articles(read_inputs(paths), jobs=1)
        if hasattr(item, "events")
        for r in article_records(item.article, item.events)
    ]
    assert records == expected and len(records) > 20
    skipped = [(r["article_id"], r["reason"]) for r in rows if r["status"] == "skipped"]
    assert ("empty", "empty text") in skipped and len(skipped) == 7
    assert pa.Table.from_pylist(rows, schema=coded_schema()).num_rows == len(rows)
    dated = [r for r in rows if r["status"] == "coded"]
    assert all(r["date"] == r["article_date"].isoformat() for r in dated if r["article_date"])
    events = [e for r in rows for e in r["events"]]
    assert {e["date"] for e in events if e["event_date"] is None} <= {UNDATED}


@Language.component("test_issue20_bomb")
def bomb(doc: Doc) -> Doc:
    """Crashes on one marked article, as a pipeline bug would."""
    if "KABOOM" in doc.text:
        raise RuntimeError("bomb went off")
    return doc


def bomb_loader(model: str | None) -> Language:
    """The real pipeline with the bomb in front (module-level: picklable)."""
    from eventwire.nlp.pipeline import load_pipeline

    nlp = load_pipeline(model)
    nlp.add_pipe("test_issue20_bomb", first=True)
    return nlp


def test_issue20_one_crashing_article_is_skipped_and_the_rest_are_coded(tmp_path: Path) -> None:
    corpus = tmp_path / "c.jsonl"
    lines = (SAMPLES / "corpus.jsonl").read_text().splitlines()
    bad = {"id": "kaboom", "date": "2024-05-01", "text": "Ministers met in Oslo. KABOOM said."}
    corpus.write_text("\n".join([lines[0], json.dumps(bad), lines[1]]) + "\n", encoding="utf-8")
    rows = _coded_rows([str(corpus)], Options(loader=bomb_loader))
    assert [r["status"] for r in rows] == ["coded", "skipped", "coded"]
    assert rows[1]["reason"] == "pipeline error: RuntimeError: bomb went off"
    assert rows[1]["date"] == "2024-05-01"  # a pipeline skip keeps its article's date
    assert rows[0]["events"] and rows[2]["events"]


def test_issue20_records_revive_into_the_events_they_came_from() -> None:
    nlp = cached_pipeline()
    rows = _coded_rows([str(SAMPLES / "text"), str(SAMPLES / "html")], Options())
    assert nlp is cached_pipeline()  # loaded once in this process, however many partitions
    checked = 0
    for row in rows:
        article, spans = article_from_row(row)
        assert spans == [(s["start"], s["end"]) for s in row["sentences"]]
        for event in row["events"]:
            record = json.loads(event["record"])
            assert event_to_plover(event_from_record(record), article) == record
            checked += 1
    assert checked > 50


def test_issue20_leftovers_of_a_killed_run_and_moved_partitions_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("events/.spark-staging-1/x", "events/_temporary/0", "articles/date=x/batch=k"):
        (tmp_path / name).mkdir(parents=True)
    for name in ("events/date=2024-01-01/batch=k", "events/date=2024-01-02/batch=k"):
        (tmp_path / name).mkdir(parents=True)
    (tmp_path / "events/date=2024-01-02/batch=other").mkdir(parents=True)
    layout.clear_leftovers(tmp_path)
    assert sorted(p.name for p in (tmp_path / "events").iterdir()) == [
        "date=2024-01-01",
        "date=2024-01-02",
    ]
    assert layout.drop_stale(tmp_path, "events", "k", {"2024-01-01"}) == ["2024-01-02"]
    assert (tmp_path / "events/date=2024-01-02/batch=other").is_dir()  # another input set's
    monkeypatch.chdir(SAMPLES.parent)
    assert layout.batch_key(["samples"]) == layout.batch_key([str(SAMPLES)])
    assert layout.batch_key(["samples"]) != layout.batch_key(["samples", "samples/bad"])
