"""A memo in front of the model's lemmatizer: same lemmas, each form worked out once.

spaCy's rule lemmatizer caches only some of its answers and builds a MorphAnalysis per token
to look them up; a news corpus repeats the same (form, POS, morphology) triples endlessly.
Reading them for the whole Doc as one array and remembering every answer makes the step
several times cheaper; the answers themselves still come from spaCy's code.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import cast

from spacy.attrs import LEMMA, MORPH, ORTH, POS
from spacy.language import Language
from spacy.pipeline import Lemmatizer
from spacy.tokens import Doc
from thinc.types import Ints2d

from eventwire.nlp.attrs import replace_in_place

CACHE_LIMIT = 500_000  # distinct (form, POS, morphology) triples kept
PURE_MODES = ("rule", "lookup")  # modes whose answer depends on form, POS and morphology only


class MemoLemmatizer:
    """Sets each token's lemma exactly as the wrapped spaCy lemmatizer would."""

    def __init__(self, lemmatizer: Lemmatizer) -> None:
        self.inner = lemmatizer
        self.cache: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        table = doc.to_array([ORTH, POS, MORPH, LEMMA])
        lemmas = table[:, 3].copy()
        for i, (orth, pos, morph, lemma) in enumerate(table.tolist()):
            if not lemma:  # lemmas the attribute ruler set stay (overwrite is off)
                lemmas[i] = self._lemma(doc, i, (orth, pos, morph))
        doc.from_array([LEMMA], cast(Ints2d, lemmas.reshape(-1, 1)))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """spaCy's Language.pipe hands batches to components that have this method."""
        for doc in docs:
            yield self(doc)

    def _lemma(self, doc: Doc, i: int, key: tuple[int, int, int]) -> int:
        value = self.cache.get(key)
        if value is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            text = self.inner.lemmatize(doc[i])[0]
            value = self.cache[key] = int(doc.vocab.strings.add(text))
        return value


def can_wrap(nlp: Language, name: str = "lemmatizer") -> bool:
    """True for spaCy's own lemmatizer in a mode whose answers can be remembered."""
    lemmatizer = nlp.get_pipe(name) if name in nlp.pipe_names else None
    return (
        isinstance(lemmatizer, Lemmatizer)
        and lemmatizer.mode in PURE_MODES
        and not lemmatizer.overwrite
    )


@Language.factory("eventwire_lemmatizer_v1", default_config={"source": "lemmatizer"})
def make_memo_lemmatizer(nlp: Language, name: str, source: str) -> MemoLemmatizer:
    """Built around the model's own lemmatizer (still in the pipeline when this is added)."""
    lemmatizer = nlp.get_pipe(source)
    if not isinstance(lemmatizer, Lemmatizer):
        raise TypeError(f"{source!r} is not a spaCy Lemmatizer")
    return MemoLemmatizer(lemmatizer)


def swap_lemmatizer(nlp: Language, name: str = "lemmatizer") -> bool:
    """Put the memo where the model's lemmatizer was; False (unchanged) if it can't."""
    if not can_wrap(nlp, name):
        return False
    replace_in_place(nlp, name, "eventwire_lemmatizer_v1")
    return True
