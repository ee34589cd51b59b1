"""The runner: input order kept, crashes become Skipped, streaming with worker processes."""

from __future__ import annotations

import os
from itertools import count, islice
from typing import Any

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from eventwire import extract, extract_articles, runner
from eventwire.nlp.pipeline import load_pipeline
from eventwire.output import validate_record
from eventwire.records import Article, Event, Skipped
from eventwire.runner import Coded, code_articles, default_jobs


@Language.component("test_probe_v1")
def probe(doc: Doc) -> Doc:
    """Stands in for eventwire's components: one event per sentence, a crash on BOOM."""
    if "BOOM" in doc.text:
        raise ValueError("probe exploded\non two lines")
    if "DIE" in doc.text:
        os._exit(3)  # a worker killed mid-article (OOM killer, segfault)
    doc._.events = [
        Event(
            "CONSULT",
            doc._.article_id,
            i,
            s.start_char,
            s.end_char,
            s[0].text,
            s[0].idx,
            s[0].idx + len(s[0]),
        )
        for i, s in enumerate(doc.sents)
    ]
    return doc


_CACHE: dict[Any, Language] = {}


def probe_loader(model: str | None) -> Language:
    """The real model and the probe; module-level so worker processes can unpickle it."""
    if model not in _CACHE:
        _CACHE[model] = load_pipeline(model, components=["test_probe_v1"])
    return _CACHE[model]


def _articles(n: int) -> list[Article | Skipped]:
    items: list[Article | Skipped] = []
    for i in range(n):
        if i == 3:
            items.append(Skipped("bad-3", "empty input", "bad-3.txt"))
        elif i == 5:
            items.append(Article("boom-5", "This one goes BOOM. Nothing else."))
        else:
            items.append(Article(f"a{i}", f"Delegates met in Geneva on day {i}. Talks went on."))
    return items


def _check(out: list[Coded | Skipped], n: int) -> None:
    assert len(out) == n
    for i, item in enumerate(out):
        if i == 3:
            assert item == Skipped("bad-3", "empty input", "bad-3.txt")
        elif i == 5:
            assert isinstance(item, Skipped) and item.article_id == "boom-5"
            assert (
                item.reason.startswith("pipeline error: ValueError")
                and "probe exploded" in item.reason
            )
        else:
            assert isinstance(item, Coded) and item.article.id == f"a{i}"
            assert [e.article_id for e in item.events] == [f"a{i}", f"a{i}"]
            assert [item.article.text[s:e] for s, e in item.sentences] == [
                f"Delegates met in Geneva on day {i}.",
                "Talks went on.",
            ]


def test_in_process_keeps_order_and_skips_crashes() -> None:
    # chunk_size 4 puts the crashing article in a chunk with good ones: they are still coded
    out = list(code_articles(_articles(11), jobs=1, loader=probe_loader, chunk_size=4))
    _check(out, 11)


@pytest.mark.slow
def test_two_workers_keep_order_and_skip_crashes() -> None:
    out = list(code_articles(_articles(23), jobs=2, loader=probe_loader, chunk_size=3))
    _check(out, 23)


@pytest.mark.slow
def test_workers_stream_an_endless_input() -> None:
    """An infinite generator: the runner must pull input lazily (bounded in-flight chunks)."""
    pulled = count()

    def endless() -> Any:
        for i in pulled:
            yield Article(f"n{i}", f"Ministers met on day {i}.")

    first = list(islice(code_articles(endless(), jobs=2, loader=probe_loader, chunk_size=4), 10))
    assert [c.article.id for c in first if isinstance(c, Coded)] == [f"n{i}" for i in range(10)]
    assert next(pulled) < 10 + 4 * (2 * 2 + 2)  # only a few chunks were read ahead


def test_only_skipped_inputs_never_load_a_model() -> None:
    def exploding_loader(model: str | None) -> Language:
        raise AssertionError("no article, no model")

    items = [Skipped("x", "empty input"), Skipped("y", "binary content")]
    assert list(code_articles(items, jobs=1, loader=exploding_loader)) == items


def test_in_process_coding_tunes_the_collector_then_restores_it() -> None:
    """Issue 5: fewer young-generation collections while coding, the caller's settings after."""
    import gc

    before = gc.get_threshold()
    stream = code_articles(_articles(3), jobs=1, loader=probe_loader)
    next(stream)
    assert gc.get_threshold() == runner.GC_THRESHOLDS != before
    list(stream)
    assert gc.get_threshold() == before


def test_default_jobs_is_every_core() -> None:
    import os

    assert default_jobs() == (os.cpu_count() or 1)


@pytest.mark.slow
def test_a_dead_worker_skips_its_chunk_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runner, "CHUNK_TIMEOUT", 5.0)
    items = [Article(f"a{i}", f"Envoys met on day {i}.") for i in range(4)]
    items[1] = Article("dies", "This worker will DIE here.")
    out = list(code_articles(items, jobs=2, loader=probe_loader, chunk_size=1))
    assert [type(x).__name__ for x in out] == ["Coded", "Skipped", "Coded", "Coded"]
    assert "no answer from the worker within 5 s" in out[1].reason  # type: ignore[union-attr]


def test_public_api_codes_text_and_articles(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib
    import inspect

    import eventwire

    monkeypatch.setattr(runner, "default_loader", probe_loader)
    # loading the extraction subpackage must not hide the eventwire.extract() call
    importlib.import_module("eventwire.extraction.lexicon")
    assert eventwire.extract is extract and callable(eventwire.extract)
    assert inspect.isfunction(eventwire.extract)  # issue 16: a plain function, no module class
    assert eventwire.extract.__module__ == "eventwire.api"
    records = eventwire.extract("Envoys met in Bern. They agreed.", date="2024-02-01", id="bern")
    assert [r["text_info"]["sequence"] for r in records] == [0, 1]
    assert {r["article_id"] for r in records} == {"bern"}
    for record in records:
        validate_record(record)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        extract("Envoys met.", date="01/02/2024")
    skipped: list[Skipped] = []
    out = list(extract_articles(_articles(7), jobs=1, on_skip=skipped.append))
    assert [s.article_id for s in skipped] == ["bad-3", "boom-5"]
    assert sorted({r["article_id"] for r in out}) == ["a0", "a1", "a2", "a4", "a6"]


# --- speed paths must answer exactly like the plain spaCy calls they replace (issue 5) ------

_SPEED_TEXTS = (
    "  KYIV, March 3 (Reuters) - Ukraine's foreign minister met U.S. Secretary of State "
    "Antony Blinken on Monday.\n\nHe said talks would go on. Protesters marched in Kharkiv.",
    "GENEVA - Envoys met.Read more: other news",
    "",
)


def test_sentence_offsets_and_text_come_from_the_caches() -> None:
    """issue 5: runner sentences, mention and dateline text use cached bounds and text."""
    from eventwire.nlp.doctext import doc_text
    from eventwire.nlp.pipeline import cached_pipeline, make_doc
    from eventwire.resolve.places.annotate import _leading_text

    nlp = cached_pipeline()
    for text in _SPEED_TEXTS:
        doc = nlp(make_doc(nlp, text, "speed", None))
        assert doc_text(doc) == doc.text == text
        assert runner._sentences(doc) == [(s.start_char, s.end_char) for s in doc.sents]
        for n in (1, 14, 48):
            assert _leading_text(doc, n) == doc[: min(len(doc), n)].text
        for mention in doc._.mentions:
            span = doc[mention.start : mention.end]
            assert (mention.actor.start, mention.actor.end) == (span.start_char, span.end_char)
            assert mention.actor.entity_text == span.text
        bare = nlp.make_doc(text)  # not made by make_doc: the text is computed once
        assert doc_text(bare) == text


def test_glued_marker_prefilter_only_when_every_marker_needs_its_character() -> None:
    """issue 5: cut_glued skips lines without ':' or '|' only if no marker can match there."""
    from eventwire.ingest.clean import _glue_ends, clean_text, cut_glued, patterns

    assert patterns().glue_ends  # the shipped markers all end in ':' or '|'
    assert _glue_ends([r"read\s+more\s*:", r"also\s+read\s*\|"]) == frozenset(":|")
    assert _glue_ends([r"read\s+more\s*:", r"more\s+news"]) == frozenset()  # no end: search all
    assert _glue_ends([r"more\s+news|read\s*:"]) == frozenset()  # a top-level choice
    assert _glue_ends([r"[(]x\s*:"]) == frozenset()  # unbalanced: not sure
    assert cut_glued("Talks went on.Read more: other news") == "Talks went on."
    assert cut_glued("Talks went on. Read more about it") == "Talks went on. Read more about it"
    assert clean_text("Envoys met.\nRead also| Kyiv\n") == "Envoys met."
