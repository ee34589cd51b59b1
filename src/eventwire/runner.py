"""Code a stream of articles, in process or in worker processes, keeping input order.

Memory stays flat however long the stream: articles go out in chunks, at most a few chunks
per worker are in flight, and a worker is replaced after EVENTWIRE_WORKER_CHUNKS chunks
(config.py), so what its caches gather does not grow with the corpus. An article that
crashes the pipeline becomes a Skipped.
"""

from __future__ import annotations

import gc
import multiprocessing as mp
import os
import sys
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from itertools import islice
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any, NamedTuple

from eventwire.config import settings
from eventwire.nlp.extensions import ext
from eventwire.records import Article, Event, Skipped

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

CHUNK_SIZE = 32  # articles per task sent to a worker
INFLIGHT_PER_JOB = 2  # chunks queued per worker: keeps workers busy, memory bounded
# a worker killed mid-chunk (OOM killer, segfault) never answers: give up on its chunk after this
CHUNK_TIMEOUT = float(os.environ.get("EVENTWIRE_CHUNK_TIMEOUT", "900"))
# Coding makes millions of short-lived objects while the model's stay put; Python's default
# young-generation threshold (700) re-scans far too often. ~4 % less CPU.
GC_THRESHOLDS = (50_000, 20, 100)

Sentences = list[tuple[int, int]]
Proposals = list[dict[str, Any]]  # KB proposals (resolve/actors/learn.py)
Result = tuple[list[Event], Sentences, Proposals] | str  # coded output, or the error message
Loader = Callable[[str | None], "Language"]


class Coded(NamedTuple):
    """One coded article: its events, its sentence spans (character offsets), KB proposals."""

    article: Article
    events: list[Event]
    sentences: Sentences
    kb_proposals: Sequence[dict[str, Any]] = ()


def default_jobs() -> int:
    """All cores by default: coding is CPU-bound."""
    return os.cpu_count() or 1


def default_loader(model: str | None) -> Language:
    """The full eventwire pipeline, loaded once per process."""
    from eventwire.nlp.pipeline import cached_pipeline

    return cached_pipeline(model)


def _sentences(doc: Doc) -> Sentences:
    """Sentence spans; a pipeline without a parser/senter gives one span for the text."""
    if not doc.has_annotation("SENT_START"):
        return [(0, len(doc.text))] if doc.text else []
    from eventwire.nlp.sentences import sentence_bounds  # cached by the components

    out: Sentences = []
    for start, end in sentence_bounds(doc):
        last = doc[end - 1]
        out.append((doc[start].idx, last.idx + len(last)))
    return out


def _result(doc: Doc) -> Result:
    return list(ext(doc, "events") or []), _sentences(doc), list(ext(doc, "kb_proposals") or [])


def _error(exc: BaseException) -> str:
    """One short line: the skip message must fit on one line of stderr."""
    message = " ".join(str(exc).split()) or "no message"
    return f"pipeline error: {type(exc).__name__}: {message[:300]}"


def _code_alone(nlp: Language, article: Article) -> Result:
    """Retry one article on its own so one bad article does not sink its batch."""
    from eventwire.nlp.pipeline import make_doc

    try:
        return _result(nlp(make_doc(nlp, article.text, article.id, article.date)))
    except Exception as exc:  # any failure becomes a Skipped, the run goes on
        return _error(exc)


def code_chunk(
    nlp: Language, articles: list[Article], batch_size: int = CHUNK_SIZE
) -> list[Result]:
    """Code a chunk with nlp.pipe; if anything fails, code its articles one by one."""
    from eventwire.nlp.pipeline import make_doc

    try:
        docs = [make_doc(nlp, a.text, a.id, a.date) for a in articles]
        return [_result(doc) for doc in nlp.pipe(docs, batch_size=batch_size)]
    except Exception:
        return [_code_alone(nlp, a) for a in articles]


def _coded(item: Article | Skipped, results: Iterator[Result]) -> Coded | Skipped:
    """Pair an input item with its result, in input order."""
    if isinstance(item, Skipped):
        return item
    result = next(results)
    if isinstance(result, str):
        return Skipped(item.id, result, item.origin)
    return Coded(item, result[0], result[1], result[2])


def _chunks(items: Iterable[Article | Skipped], size: int) -> Iterator[list[Article | Skipped]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _articles(chunk: list[Article | Skipped]) -> list[Article]:
    return [item for item in chunk if isinstance(item, Article)]


@contextmanager
def fewer_collections() -> Iterator[None]:
    """GC_THRESHOLDS while coding in the caller's process; its own settings come back after."""
    before = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        yield
    finally:
        gc.set_threshold(*before)


def _code_in_process(
    items: Iterable[Article | Skipped], model: str | None, loader: Loader, chunk_size: int
) -> Iterator[Coded | Skipped]:
    nlp: Language | None = None  # loaded on the first article: all-skipped runs stay fast
    with fewer_collections():
        for chunk in _chunks(items, chunk_size):
            articles = _articles(chunk)
            if articles and nlp is None:
                nlp = loader(model)
            results = iter(
                code_chunk(nlp, articles, chunk_size) if nlp is not None and articles else []
            )
            for item in chunk:
                yield _coded(item, results)


# --- worker processes ----------------------------------------------------------------------

_WORKER_NLP: Any = None


def _init_worker(loader: Loader, model: str | None) -> None:
    """Each worker loads the pipeline once (and, being ours, keeps GC_THRESHOLDS)."""
    global _WORKER_NLP
    gc.set_threshold(*GC_THRESHOLDS)
    _WORKER_NLP = loader(model)


def _work(articles: list[Article], batch_size: int) -> list[Result]:
    return code_chunk(_WORKER_NLP, articles, batch_size)


def start_method() -> str:
    """fork where the platform has it (workers start fast), else spawn; EVENTWIRE_MP_START wins."""
    wanted = os.environ.get("EVENTWIRE_MP_START")
    if wanted:
        return wanted
    return "fork" if sys.platform.startswith("linux") else "spawn"


def _collect(
    chunk: list[Article | Skipped], pending: AsyncResult[list[Result]] | None
) -> Iterator[Coded | Skipped]:
    try:
        results = iter(pending.get(CHUNK_TIMEOUT) if pending is not None else [])
    except mp.TimeoutError:
        lost = TimeoutError(f"no answer from the worker within {CHUNK_TIMEOUT:.0f} s")
        results = iter([_error(lost)] * len(_articles(chunk)))
    except Exception as exc:  # a lost worker task skips its chunk, not the run
        results = iter([_error(exc)] * len(_articles(chunk)))
    for item in chunk:
        yield _coded(item, results)


def _code_in_pool(
    items: Iterable[Article | Skipped],
    jobs: int,
    model: str | None,
    loader: Loader,
    chunk_size: int,
    worker_chunks: int,
) -> Iterator[Coded | Skipped]:
    context = mp.get_context(start_method())
    inflight: deque[tuple[list[Article | Skipped], AsyncResult[list[Result]] | None]] = deque()
    recycle = worker_chunks or None  # a fresh worker after this many chunks (0: never)
    pool_of = context.Pool(
        jobs, initializer=_init_worker, initargs=(loader, model), maxtasksperchild=recycle
    )
    with pool_of as pool:
        for chunk in _chunks(items, chunk_size):
            articles = _articles(chunk)
            task = pool.apply_async(_work, (articles, chunk_size)) if articles else None
            inflight.append((chunk, task))
            while len(inflight) > INFLIGHT_PER_JOB * jobs:
                yield from _collect(*inflight.popleft())
        while inflight:
            yield from _collect(*inflight.popleft())


def code_articles(
    items: Iterable[Article | Skipped],
    jobs: int | None = None,
    model: str | None = None,
    loader: Loader | None = None,
    chunk_size: int = CHUNK_SIZE,
    worker_chunks: int | None = None,
) -> Iterator[Coded | Skipped]:
    """Coded(article, events, sentences) or Skipped for every input item, in input order.

    jobs=None uses every core; jobs=1 codes in this process. `loader(model)` builds the
    pipeline (once per process); it must be a module-level function when jobs > 1. A worker
    is replaced after `worker_chunks` chunks (default EVENTWIRE_WORKER_CHUNKS; 0: never).
    """
    jobs = default_jobs() if jobs is None else max(1, jobs)
    loader = loader or default_loader
    if jobs == 1:
        return _code_in_process(items, model, loader, chunk_size)
    recycle = settings().worker_chunks if worker_chunks is None else worker_chunks
    return _code_in_pool(items, jobs, model, loader, chunk_size, recycle)
