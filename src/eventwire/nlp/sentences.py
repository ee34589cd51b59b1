"""Sentence bounds computed once per Doc: `doc.sents` and `token.sent` rebuild them per call.

The bounds (token offsets, plain ints) live in doc.user_data, so they survive Doc
serialisation; Span objects are made on demand, which is cheap.
"""

from __future__ import annotations

from bisect import bisect_right

from spacy.tokens import Doc, Span

_KEY = "eventwire_sentence_starts"


def sentence_starts(doc: Doc) -> list[int]:
    """Token index of the first token of every sentence (doc.sents order)."""
    cached = doc.user_data.get(_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    starts = [s.start for s in doc.sents]
    doc.user_data[_KEY] = [len(doc), starts]
    return starts


def sentence_bounds(doc: Doc) -> list[tuple[int, int]]:
    """(start, end) token offsets of every sentence."""
    starts = sentence_starts(doc)
    return list(zip(starts, [*starts[1:], len(doc)], strict=False))


def sentences(doc: Doc) -> list[Span]:
    """list(doc.sents), from the cached bounds."""
    return [doc[start:end] for start, end in sentence_bounds(doc)]


def sentence_index(doc: Doc, i: int) -> int:
    """Index of the sentence that holds token i."""
    return bisect_right(sentence_starts(doc), i) - 1


def sentence_span(doc: Doc, i: int) -> tuple[int, int]:
    """(start, end) of the sentence that holds token i."""
    starts = sentence_starts(doc)
    k = bisect_right(starts, i) - 1
    return starts[k], starts[k + 1] if k + 1 < len(starts) else len(doc)


def sentence_of(doc: Doc, i: int) -> Span:
    """doc[i].sent, from the cached bounds."""
    start, end = sentence_span(doc, i)
    return doc[start:end]
