"""PLOVER contexts (military, diplomatic, economic, ...) from a keyword lexicon file.

One dict lookup per token gives a document's contexts (doc._.contexts); an event then adds
what its own sentence, its modes and its parties' sectors point to (event_contexts).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from spacy.attrs import LEMMA, LOWER, POS
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Doc, Span

from eventwire.nlp.doctext import doc_memo

DATA_FILE = Path(__file__).parent / "data" / "contexts.yaml"
STRONG, WEAK = 2, 1
CONTENT_POS = frozenset({"NOUN", "PROPN", "ADJ", "VERB"})
CONTENT_POS_IDS = frozenset(POS_IDS[p] for p in CONTENT_POS)  # int compare, no string decode

Phrase = tuple[tuple[str, ...], str, int]  # (following words, context, points)


@dataclass(frozen=True)
class ContextLexicon:
    """Word and phrase indexes of the context lexicon."""

    words: Mapping[str, tuple[tuple[str, int], ...]]  # word -> ((context, points), ...)
    phrases: Mapping[str, tuple[Phrase, ...]]  # first word -> phrases starting with it
    names: tuple[str, ...]
    min_points: int
    document_points: int
    tokens_per_point: int
    max_document: int
    mode_contexts: Mapping[str, tuple[str, ...]]
    sector_contexts: Mapping[str, tuple[str, ...]]


def _add_word(index: dict[str, list[tuple[str, int]]], word: str, context: str, pts: int) -> None:
    entries = index.setdefault(word.lower(), [])
    if all(c != context for c, _ in entries):
        entries.append((context, pts))


def build_context_lexicon(raw: Mapping[str, Any]) -> ContextLexicon:
    """Index the parsed YAML; phrases are keyed by their first word."""
    words: dict[str, list[tuple[str, int]]] = {}
    phrases: dict[str, list[Phrase]] = {}
    for context, spec in raw["contexts"].items():
        for key, pts in (("strong", STRONG), ("words", WEAK)):
            for word in spec.get(key) or []:
                _add_word(words, str(word), context, pts)
        for text in spec.get("phrases") or []:
            first, *rest = str(text).lower().split()
            phrases.setdefault(first, []).append((tuple(rest), context, STRONG))
    return ContextLexicon(
        words={w: tuple(v) for w, v in words.items()},
        phrases={w: tuple(v) for w, v in phrases.items()},
        names=tuple(raw["contexts"]),
        min_points=int(raw["min_points"]),
        document_points=int(raw["document_points"]),
        tokens_per_point=int(raw["tokens_per_point"]),
        max_document=int(raw["max_document_contexts"]),
        mode_contexts={k: tuple(v) for k, v in (raw.get("mode_contexts") or {}).items()},
        sector_contexts={k: tuple(v) for k, v in (raw.get("sector_contexts") or {}).items()},
    )


@lru_cache(maxsize=1)
def load_context_lexicon(path: str | None = None) -> ContextLexicon:
    """Read and index the lexicon once per process."""
    with open(path or DATA_FILE, encoding="utf-8") as fh:
        return build_context_lexicon(yaml.safe_load(fh))


Row = tuple[int, str, str]  # (POS id, lowercased lemma, lowercase form) of one token
_WORDS: dict[tuple[int, int], tuple[str, str]] = {}  # (lemma id, lower id) -> their strings
_WORDS_MAX = 500_000


def _rows(tokens: Span | Doc) -> list[Row]:
    """(POS, lemma, form) per token from int ids: strings decoded once per distinct word.

    A whole Doc's rows are kept on it; its sentences (scored per event) are slices of them.
    """
    if isinstance(tokens, Doc):
        memo = doc_memo(tokens)
        cached: list[Row] | None = memo.get("context_rows")
        if cached is None:
            cached = memo["context_rows"] = _decode(
                tokens, tokens.to_array([POS, LEMMA, LOWER]).tolist()
            )
        return cached
    doc_rows: list[Row] | None = doc_memo(tokens.doc).get("context_rows")
    if doc_rows is not None:
        return doc_rows[tokens.start : tokens.end]
    # a sentence of a Doc not scored whole: a whole-doc array would cost more than it saves
    return _decode(tokens.doc, [(t.pos, t.lemma, t.lower) for t in tokens])


def _decode(doc: Doc, ids: list[Any]) -> list[Row]:
    strings = doc.vocab.strings
    if len(_WORDS) > _WORDS_MAX:
        _WORDS.clear()
    rows: list[Row] = []
    for pos, lem, low in ids:
        words = _WORDS.get((lem, low))
        if words is None:
            words = _WORDS[(lem, low)] = (strings[lem].lower(), strings[low])
        rows.append((pos, *words))
    return rows


def _phrase_at(rows: list[Row], i: int, rest: tuple[str, ...]) -> bool:
    end = i + 1 + len(rest)
    if end > len(rows):
        return False
    return all(w in rows[i + 1 + k][1:] for k, w in enumerate(rest))


def score(tokens: Span | Doc, lex: ContextLexicon) -> Counter[str]:
    """Points per context over a run of tokens (a sentence or a whole document)."""
    points: Counter[str] = Counter()
    words, phrases = lex.words, lex.phrases
    rows = _rows(tokens)
    for i, (pos, lemma, lower) in enumerate(rows):
        if pos not in CONTENT_POS_IDS:
            continue
        hits = words.get(lemma) or words.get(lower)
        if hits:
            for context, pts in hits:
                points[context] += pts
        for rest, context, pts in phrases.get(lemma, ()):
            if _phrase_at(rows, i, rest):
                points[context] += pts
    return points


def document_contexts(doc: Doc, lex: ContextLexicon | None = None) -> list[str]:
    """Contexts whose points reach the bar for the document's length, strongest first."""
    lex = lex or load_context_lexicon()
    points = score(doc, lex)
    bar = max(lex.document_points, len(doc) // lex.tokens_per_point)
    ranked = sorted((c for c, p in points.items() if p >= bar), key=lambda c: (-points[c], c))
    return ranked[: lex.max_document]


def annotate_contexts(doc: Doc) -> None:
    """Pipeline step: doc._.contexts, the document-level contexts."""
    doc._.contexts = document_contexts(doc)


def sentence_contexts(sent: Span, lex: ContextLexicon | None = None) -> list[str]:
    """Contexts one sentence is about on its own (min_points within the sentence)."""
    lex = lex or load_context_lexicon()
    points = score(sent, lex)
    return sorted((c for c, p in points.items() if p >= lex.min_points), key=lambda c: -points[c])


def event_contexts(
    event_type: str,
    modes: Sequence[str],
    sectors: Iterable[str | None],
    sentence: Span,
    document: Sequence[str],
    sentence_ctx: Sequence[str] | None = None,
) -> list[str]:
    """An event's contexts: implied by its modes and parties, its sentence, then the document.

    sentence_ctx is sentence_contexts(sentence) when the caller already has it (one per sentence).
    """
    lex = load_context_lexicon()
    out: list[str] = []
    for mode in modes:
        out += lex.mode_contexts.get(f"{event_type}/{mode}", ())
    for sector in sectors:
        if sector:
            out += lex.sector_contexts.get(sector, ())
    out += sentence_contexts(sentence, lex) if sentence_ctx is None else sentence_ctx
    out += document
    return list(dict.fromkeys(out))
