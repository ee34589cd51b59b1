"""Decode, don't refuse (issue 17): legacy encodings, declared charsets, mojibake, and JSONL
lines that used to stop a run."""

from __future__ import annotations

import json
from pathlib import Path

from eventwire.ingest import read_inputs
from eventwire.ingest.decoding import declared_charset, decode_bytes
from eventwire.records import Article, Skipped

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
STORY = "Swiss Foreign Minister Ignazio Cassis met his Austrian counterpart in Zürich on Friday."


def test_issue17_a_windows_1252_file_is_coded_not_skipped() -> None:
    (article,) = read_inputs([str(SAMPLES / "encodings" / "latin1.txt")])
    assert isinstance(article, Article)
    assert "Zürich" in article.text


def test_issue17_the_declared_charset_decides(tmp_path: Path) -> None:
    page = (
        b'<html><head><meta charset="windows-1252"><title>Talks</title></head><body><p>'
        + STORY.encode("cp1252") * 3
        + b"</p></body></html>"
    )
    assert declared_charset(page) == "cp1252"
    path = tmp_path / "page.html"
    path.write_bytes(page)
    (article,) = read_inputs([str(path)])
    assert isinstance(article, Article) and "Zürich" in article.text


def test_issue17_mojibake_of_a_double_decode_is_repaired() -> None:
    twice = STORY.encode("utf-8").decode("latin-1").encode("utf-8")
    decoded = decode_bytes(twice)
    assert not isinstance(decoded, str)
    assert decoded.text == STORY and decoded.repaired


def test_issue17_bytes_that_are_no_text_are_skipped_with_the_reason() -> None:
    reason = decode_bytes(b"\xff\xfe\x00\xd8")  # a UTF-16 BOM, then a lone surrogate
    assert isinstance(reason, str) and "utf-16" in reason


def test_issue17_one_bad_jsonl_line_never_stops_the_run(tmp_path: Path) -> None:
    good = {"id": "ok", "text": STORY}
    lines = [
        '{"id": ' + "9" * 5000 + ', "text": "x"}',  # past Python's integer-string limit
        "[" * 100_000 + "]" * 100_000,  # nested past the recursion limit
        json.dumps({"id": "latin", "text": STORY}, ensure_ascii=False).encode("cp1252"),
        json.dumps(good),
    ]
    path = tmp_path / "corpus.jsonl"
    path.write_bytes(b"\n".join(x if isinstance(x, bytes) else x.encode() for x in lines))
    got = list(read_inputs([str(path)]))
    assert [type(g).__name__ for g in got] == ["Skipped", "Skipped", "Article", "Article"]
    skips = [g for g in got if isinstance(g, Skipped)]
    assert all(s.reason.startswith("invalid JSON") for s in skips)
    assert [s.origin for s in skips] == [f"{path}:1", f"{path}:2"]
