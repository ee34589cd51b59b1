"""A small linear event-type classifier over the wording of a clause (weights ship in model/).

Features are lemma unigrams and bigrams (names and numbers replaced by their entity class,
so the model learns wording, not who was involved) plus the clause root with its objects.
The same `features` function is used by scripts/train_classifier.py, so training and
inference see the same thing. Scoring one clause is a few dict lookups and one numpy sum.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.attrs import ENT_TYPE, IS_PUNCT, IS_SPACE, LEMMA, LIKE_NUM
from spacy.tokens import Doc, Span, Token

from eventwire.nlp.doctext import doc_memo

MODEL_FILE = Path(__file__).parent / "model" / "classifier.json"
NONE_LABEL = "NONE"
NAME_ENTS = {
    "PERSON": "@per",
    "GPE": "@gpe",
    "LOC": "@gpe",
    "NORP": "@norp",
    "ORG": "@org",
    "FAC": "@fac",
}
NUMBER_ENTS = frozenset({"CARDINAL", "QUANTITY", "MONEY", "PERCENT", "ORDINAL"})
TIME_ENTS = frozenset({"DATE", "TIME"})
_FORM_ATTRS = [IS_PUNCT, IS_SPACE, ENT_TYPE, LIKE_NUM, LEMMA]
ROOT_CHILD_DEPS = frozenset(
    {"dobj", "prt", "prep", "xcomp", "ccomp", "dative", "attr", "acomp", "agent", "oprd"}
)


def form(tok: Token) -> str:
    """The word as the model sees it: a lemma, or the class of a name or number."""
    if tok.ent_type:  # the int id: no string decode for the many tokens outside entities
        word = _ent_form(tok.ent_type_)
        if word is not None:
            return word
    if tok.like_num:
        return "@num"
    return tok.lemma_.lower()


def features(span: Span) -> list[str]:
    """Unigrams, bigrams ('a b') and root features ('^meet', '^meet>with') of one clause."""
    forms, skip = doc_forms(span.doc)
    feats: list[str] = []
    prev = "<s>"
    for i in range(span.start, span.end):
        if skip[i]:
            continue
        word = forms[i]
        if word == prev and word[0] == "@":
            continue  # 'Antony Blinken' is one @per
        feats.append(word)
        feats.append(f"{prev} {word}")
        prev = word
    root = span.root
    head = forms[root.i]
    feats.append(f"^{head}")
    feats.append(f"^tag:{root.tag_}")
    for child in root.children:
        if child.dep_ in ROOT_CHILD_DEPS:
            feats.append(f"^{head}>{forms[child.i]}")
    return feats


def doc_forms(doc: Doc) -> tuple[list[str], list[bool]]:
    """form() of every token and whether features skip it (punctuation, space), once per Doc:
    the frame windows and the sentences the model reads overlap."""
    memo = doc_memo(doc)
    cached: tuple[list[str], list[bool]] | None = memo.get("classifier_forms")
    if cached is None:
        cached = memo["classifier_forms"] = _doc_forms(doc)
    return cached


def _doc_forms(doc: Doc) -> tuple[list[str], list[bool]]:
    """form() and the skip flag from one attribute array (no Token object per word)."""
    strings = doc.vocab.strings
    forms: list[str] = []
    skip: list[bool] = []
    for punct, space, ent, num, lem in doc.to_array(_FORM_ATTRS).tolist():
        skip.append(bool(punct or space))
        word = _ent_form(strings[ent]) if ent else None
        if word is None:
            word = "@num" if num else strings[lem].lower()
        forms.append(word)
    return forms, skip


def _ent_form(ent: str) -> str | None:
    """The class a name or number stands for; None for other entity types."""
    if ent in NAME_ENTS:
        return NAME_ENTS[ent]
    if ent in NUMBER_ENTS:
        return "@num"
    if ent in TIME_ENTS:
        return "@time"
    return None


@dataclass(frozen=True)
class Model:
    """Softmax regression: weights (features x labels) and one bias per label."""

    name: str
    labels: tuple[str, ...]
    index: dict[str, int]
    weights: np.ndarray
    bias: np.ndarray

    def label_index(self, label: str) -> int | None:
        try:
            return self.labels.index(label)
        except ValueError:
            return None

    def probabilities(self, feats: Iterable[str]) -> np.ndarray:
        """Label probabilities for one bag of features (unknown features are ignored)."""
        index = self.index
        rows = [index[f] for f in feats if f in index]
        logits = self.weights[rows].sum(axis=0) + self.bias if rows else self.bias.copy()
        logits = logits - logits.max()
        exp = np.exp(logits)
        out: np.ndarray = exp / exp.sum()
        return out

    def predict(self, span: Span) -> dict[str, float]:
        """Probabilities by label for one clause, for explanations and tests."""
        probs = self.probabilities(features(span))
        return {label: float(p) for label, p in zip(self.labels, probs, strict=True)}


def decode_weights(payload: dict[str, object]) -> np.ndarray:
    """int8 weights stored as base64 with one scale factor: small and exact to reload."""
    raw = base64.b64decode(str(payload["weights_b64"]))
    rows = len(payload["features"])  # type: ignore[arg-type]
    cols = len(payload["labels"])  # type: ignore[arg-type]
    matrix = np.frombuffer(raw, dtype=np.int8).reshape(rows, cols).astype(np.float32)
    scale = float(payload["scale"])  # type: ignore[arg-type]
    return matrix * np.float32(scale)


def encode_weights(weights: np.ndarray) -> tuple[str, float]:
    """The inverse of decode_weights: symmetric int8 quantisation."""
    peak = float(np.abs(weights).max()) or 1.0
    scale = peak / 127.0
    quantised = np.clip(np.rint(weights / scale), -127, 127).astype(np.int8)
    return base64.b64encode(quantised.tobytes()).decode("ascii"), scale


def model_from_payload(payload: dict[str, object]) -> Model:
    feats = [str(f) for f in payload["features"]]  # type: ignore[attr-defined]
    labels = tuple(str(x) for x in payload["labels"])  # type: ignore[attr-defined]
    return Model(
        name=str(payload.get("name", "classifier")),
        labels=labels,
        index={f: i for i, f in enumerate(feats)},
        weights=decode_weights(payload),
        bias=np.asarray(payload["bias"], dtype=np.float32),
    )


@lru_cache(maxsize=2)
def load_model(path: str | None = None) -> Model:
    """Read the shipped weights once per process."""
    with open(path or MODEL_FILE, encoding="utf-8") as fh:
        return model_from_payload(json.load(fh))
