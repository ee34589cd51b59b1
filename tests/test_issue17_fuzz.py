"""Fuzzing the readers, the coder and the API (issue 17): random bytes, random and malformed
HTML, random JSONL lines and random Unicode text are each coded or skipped with a reason,
never an exception, and every character span of a record lies inside its article's text;
every request schemathesis derives from the app's own OpenAPI answers below 500, with the
write token and without it. The real model codes what the readers let through."""

from __future__ import annotations

import codecs
import json
import os
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from hypothesis.errors import FailedHealthCheck, Unsatisfiable

from eventwire.api import extract_text
from eventwire.ingest import article_from_text, read_inputs
from eventwire.output import article_records
from eventwire.records import Article, Skipped
from eventwire.runner import code_chunk, default_loader
from live_server import serving

TALLY: Counter[str] = Counter()
# EVENTWIRE_FUZZ_SCALE=10 tries ten times the examples (a long hunt, not for every run)
SCALE = float(os.environ.get("EVENTWIRE_FUZZ_SCALE", "1"))
# CI explores the same examples every run (no flaky red); a developer's run explores anew
FUZZ = settings(
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
NEWS_LINE = (
    "Israel launched an attack against Hamas in Gaza on Monday . Blinken met with Israeli "
    "President Isaac Herzog in Jerusalem , police said . Protesters marched through Nairobi "
    "demanding the minister resign after troops fired on them . The talks \u2014 held in "
    "Z\u00fcrich \u2014 ended ; Russia accused Ukraine of shelling Kherson"
)
WORDS = NEWS_LINE.split()
ODD = st.sampled_from(
    ["\u200b", "\u202e", "\u0301", "\ufeff", "\u00a0", "\t", "\r\n", "\n\n", "\U0001f525", "\x00"]
)
WORD = st.sampled_from(WORDS)
# mostly news words (so events are found and their spans checked), some odd characters
NEWSY = st.lists(st.one_of(WORD, WORD, WORD, st.text(max_size=6), ODD), min_size=3, max_size=60)
NEWSY = NEWSY.map(" ".join)
STORIES = (
    "Israel launched an attack against Hamas in Gaza on Monday.",
    "Blinken met with Israeli President Isaac Herzog in Jerusalem on Tuesday.",
    "Police fired tear gas at protesters in Nairobi, officials said.",
    "Russia accused Ukraine of shelling Kherson; Kyiv denied it.",
    "Turkish troops withdrew from the border after the talks in Z\u00fcrich.",
)


@st.composite
def mangled_stories(draw: st.DrawFn) -> str:
    """Real news sentences with odd characters and random text pushed in at random places."""
    text = " ".join(draw(st.lists(st.sampled_from(STORIES), min_size=1, max_size=5)))
    for _ in range(draw(st.integers(0, 8))):
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.one_of(ODD, st.text(max_size=4))) + text[at:]
    return text


TEXT = st.one_of(NEWSY, mangled_stories(), st.text(max_size=300))
CODECS = ("utf-8", "utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "koi8-r", "utf-8-sig")
TAGS = ("p", "div", "span", "article", "nav", "footer", "script", "style", "a", "table", "td")


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    _nested,
    max_leaves=12,
)


@pytest.fixture(scope="module", autouse=True)
def tally() -> Iterator[Counter[str]]:
    """Counts of inputs tried and of crashes, printed for the issue's note (pytest -s)."""
    yield TALLY
    print("\nfuzz tally:", dict(sorted(TALLY.items())))


def _spans(node: Any) -> Iterator[tuple[int, int]]:
    """Every (start, end) pair anywhere in a record."""
    if isinstance(node, dict):
        for first, last in (("start", "end"), ("trigger_start", "trigger_end")):
            if isinstance(node.get(first), int) and isinstance(node.get(last), int):
                yield node[first], node[last]
        for value in node.values():
            yield from _spans(value)
    elif isinstance(node, list):
        for value in node:
            yield from _spans(value)


def _code_and_check(articles: list[Article]) -> None:
    """Code with the session's pipeline: no pipeline error, every span inside its text."""
    if not articles:
        return
    for article, result in zip(articles, code_chunk(default_loader(None), articles), strict=True):
        TALLY["articles coded"] += 1
        if isinstance(result, str):
            TALLY["crashes"] += 1
        assert not isinstance(result, str), f"crash on {article.text[:200]!r}: {result}"
        text = article.text
        for start, end in result[1]:
            assert 0 <= start <= end <= len(text)
        _check_records(article_records(article, result[0]), text)


def _read_all(path: Path, kind: str) -> list[Article | Skipped]:
    """Read one file; every item an Article with text or a Skipped with a reason."""
    TALLY[f"{kind} inputs"] += 1
    try:
        items = list(read_inputs([str(path)], max_chars=20_000))
    except Exception:
        TALLY["crashes"] += 1
        raise
    # every file gives an article or a skip, but a JSONL file of blank lines holds no record
    assert items or (path.suffix == ".jsonl" and not path.read_bytes().strip())
    for item in items:
        if isinstance(item, Skipped):
            TALLY[f"{kind} skipped"] += 1
            assert item.reason.strip() and item.origin
        else:
            TALLY[f"{kind} articles"] += 1
            assert isinstance(item, Article) and item.text.strip() and item.encoding
    return items


def _articles(items: list[Article | Skipped]) -> list[Article]:
    return [item for item in items if isinstance(item, Article)]


@settings(FUZZ, max_examples=int(150 * SCALE))
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".txt", ".html", ".jsonl", ""]))
def test_issue17_random_bytes_are_read_or_skipped(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("bytes") / f"doc{suffix}"
    path.write_bytes(data)
    _read_all(path, "bytes")


@st.composite
def html_pages(draw: st.DrawFn) -> bytes:
    """A page from news words and markup, often broken: unclosed, truncated, mislabelled."""
    parts: list[str] = []
    if draw(st.booleans()):
        parts.append("<!DOCTYPE html>")
    label = draw(st.sampled_from([*CODECS, "bogus-42", "", "utf-7"]))
    parts.append(f'<html><head><meta charset="{label}"><title>{draw(TEXT)}</title></head><body>')
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(TAGS))
        attr = draw(st.sampled_from(["", ' class="x"', " id='<'", ' href="javascript:x"', " a"]))
        closing = draw(st.sampled_from([f"</{tag}>", "", "</p", "<!--", "]]>", "</html>"]))
        parts.append(f"<{tag}{attr}>{draw(TEXT)}{closing}")
    page = "".join(parts)
    if draw(st.booleans()):
        page = page[: draw(st.integers(0, len(page)))]
    codec = draw(st.sampled_from(CODECS))
    return codecs.encode(page, codec, errors="replace")


@settings(FUZZ, max_examples=int(80 * SCALE))
@given(page=html_pages(), suffix=st.sampled_from([".html", ".txt", ""]))
def test_issue17_random_html_is_coded_or_skipped(
    tmp_path_factory: pytest.TempPathFactory, page: bytes, suffix: str
) -> None:
    path = tmp_path_factory.mktemp("html") / f"page{suffix}"
    path.write_bytes(page)
    _code_and_check(_articles(_read_all(path, "html")))


@st.composite
def jsonl_lines(draw: st.DrawFn) -> bytes:
    """One line: a record of odd fields, any JSON, broken JSON, huge numbers, deep nesting."""
    record = {
        "id": draw(st.one_of(st.text(max_size=10), st.integers(), JSON_VALUES)),
        draw(st.sampled_from(["text", "html", "body"])): draw(st.one_of(TEXT, JSON_VALUES)),
        "date": draw(st.one_of(st.text(max_size=12), st.sampled_from(["2024-02-30", "x"]))),
    }
    good = {"id": draw(st.text(max_size=10)), "text": draw(mangled_stories()), "date": "2024-08-19"}
    line = draw(
        st.one_of(
            st.just(json.dumps(good, ensure_ascii=draw(st.booleans()))),
            st.just(json.dumps(record, ensure_ascii=draw(st.booleans()))),
            JSON_VALUES.map(json.dumps),
            st.just(json.dumps(record)[: draw(st.integers(0, 40))]),
            st.integers(1, 6000).map(lambda n: '{"id": ' + "7" * n + "}"),
            st.integers(1, 200_000).map(lambda n: "[" * n),
            st.text(max_size=80),
        )
    )
    codec = draw(st.sampled_from(["utf-8", "utf-8", "cp1252", "latin-1", "utf-16"]))
    raw = codecs.encode(line, codec, errors="replace")
    return raw.replace(b"\n", b" ")


@settings(FUZZ, max_examples=int(60 * SCALE))
@given(lines=st.lists(jsonl_lines(), min_size=1, max_size=6))
def test_issue17_random_jsonl_lines_each_give_one_article_or_skip(
    tmp_path_factory: pytest.TempPathFactory, lines: list[bytes]
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / "corpus.jsonl"
    data = b"\n".join(lines)
    path.write_bytes(data)
    numbers = [n for n, line in enumerate(data.split(b"\n"), start=1) if line.strip()]
    TALLY["jsonl lines"] += len(numbers)
    if not numbers:
        return
    items = _read_all(path, "jsonl")
    assert [item.origin for item in items] == [f"{path}:{n}" for n in numbers]
    _code_and_check(_articles(items))


def _check_records(records: list[dict[str, Any]], text: str) -> None:
    for record in records:
        TALLY["records checked"] += 1
        for start, end in _spans(record):
            assert 0 <= start <= end <= len(text), (record, len(text))
        info = record["text_info"]
        assert info["sentence_text"] == text[info["start"] : info["end"]]


SURROGATES = st.lists(st.one_of(st.sampled_from(WORDS), st.sampled_from(["\ud800", "\udfff"])))


@settings(FUZZ, max_examples=int(60 * SCALE))
@given(text=st.one_of(TEXT, SURROGATES.map(" ".join)))
@example(text="Israel launched an attack against Hamas \ud800 in Gaza.")  # used to crash
def test_issue17_random_unicode_text_through_extract(text: str) -> None:
    TALLY["extract texts"] += 1
    try:
        records = extract_text(text, date="2024-08-19")
    except Exception:
        TALLY["crashes"] += 1
        raise
    _check_records(records, article_from_text(text).text)


# --- the API, over real HTTP on 127.0.0.1 --------------------------------------------------

TOKEN = "fuzz-t0ken"
SAMPLES = Path(__file__).resolve().parents[1] / "samples"


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample corpus in a store, served with writes on (token set) on 127.0.0.1."""
    from eventwire.cli import main as cli_main
    from eventwire.serve.app import create_app
    from eventwire.store import open_store

    path = tmp_path_factory.mktemp("api") / "samples.duckdb"
    inputs = [str(SAMPLES / name) for name in ("text", "html", "corpus.jsonl")]
    assert cli_main(["ingest", *inputs, "--db", str(path)]) == 0
    store = open_store(path)
    with serving(create_app(store, token=TOKEN)) as url:
        yield url
    store.close()


def test_issue17_no_generated_request_gets_a_5xx(api: str) -> None:
    """Valid and invalid requests for every operation, each with and without the token."""
    import requests
    import schemathesis
    from schemathesis import GenerationMode

    schema = schemathesis.openapi.from_url(f"{api}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 20
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                FUZZ,
                max_examples=int(12 * SCALE),
                suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.filter_too_much],
            )
            @given(case=operation.as_strategy(generation_mode=mode), with_token=st.booleans())
            def call(case: Any, with_token: bool) -> None:
                headers = {"Authorization": f"Bearer {TOKEN}"} if with_token else {}
                try:
                    response = case.call(base_url=api, headers=headers, timeout=60)
                except (requests.exceptions.InvalidHeader, UnicodeEncodeError, ValueError):
                    TALLY["api requests not sendable"] += 1  # refused by the client itself
                    return
                TALLY["api requests"] += 1
                TALLY[f"api {response.status_code // 100}xx"] += 1
                assert response.status_code < 500, (case.operation.label, case, response.text[:500])

            before = TALLY["api requests"] + TALLY["api requests not sendable"]
            try:
                call()
            except (Unsatisfiable, FailedHealthCheck):
                # no invalid request exists for it (no parameters, or any string is valid)
                if mode != GenerationMode.NEGATIVE or before != (
                    TALLY["api requests"] + TALLY["api requests not sendable"]
                ):
                    raise
                TALLY["api operations without an invalid request"] += 1
