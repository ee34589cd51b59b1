"""Retrain the shipped event-type classifier (src/eventwire/extraction/model/classifier.json).

Deterministic: same data, same model, same weights. Training data:
- training/sentences/*.jsonl: sentences written by the eventwire project, one PLOVER type
  (or NONE) each; training/heldout.jsonl is never trained on (tests/test_classifier.py uses it);
- optionally the lead sentence of each synthetic story in ngec-synthetic-stories.jsonl
  (MIT, NGEC; read from ../shared/data, never copied into the repo), at a lower weight.
The human-labelled dev sets (plover-gsr-dev, plv-train-dev) are never read here.

    .venv/bin/python scripts/train_classifier.py [--no-synthetic] [--out PATH]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from eventwire.extraction.classifier import (
    MODEL_FILE,
    NONE_LABEL,
    encode_weights,
    features,
    model_from_payload,
)
from eventwire.extraction.lexicon import PLOVER_TYPES

REPO = Path(__file__).resolve().parents[1]
SENTENCES = REPO / "training" / "sentences"
HELDOUT = REPO / "training" / "heldout.jsonl"
SYNTHETIC = REPO.parent / "shared" / "data" / "ngec-synthetic-stories.jsonl"
FORBIDDEN = ("plover-gsr-dev", "plv-train-dev")
LABELS = (*PLOVER_TYPES, NONE_LABEL)
MIN_COUNT = 2
SYNTHETIC_WEIGHT = 0.35
SYNTHETIC_PER_TYPE = 160
L2 = 1e-4
EPOCHS = 400
LEARNING_RATE = 0.05
PRUNE_BELOW = 0.02


@dataclass
class Example:
    text: str
    label: str
    weight: float


def read_jsonl(path: Path) -> Iterator[dict[str, object]]:
    if any(name in path.name for name in FORBIDDEN):
        raise SystemExit(f"refusing to train on an evaluation set: {path}")
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield json.loads(line)


def own_examples() -> list[Example]:
    """The project's written sentences, in file order."""
    out = []
    for path in sorted(SENTENCES.glob("*.jsonl")):
        for row in read_jsonl(path):
            out.append(Example(str(row["text"]), str(row["type"]), 1.0))
    return out


def synthetic_stories(
    path: Path, per_type: int
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(story text, label) of single-label stories: the first per_type of each type for
    training, every 4th of the rest for validation."""
    taken: Counter[str] = Counter()
    train, rest = [], []
    for row in read_jsonl(path):
        events = row.get("events") or []
        labels = {e["event_type"] for e in events}  # type: ignore[index,union-attr]
        if len(labels) != 1:
            continue
        label = labels.pop()
        if label not in LABELS:
            continue
        taken[label] += 1
        item = (str(row["text"])[:600], label)
        if taken[label] <= per_type:
            train.append(item)
        elif taken[label] % 4 == 0:
            rest.append(item)
    return train, rest


def lead_sentences(nlp: object, stories: list[tuple[str, str]], weight: float) -> list[Example]:
    """The first sentence of each story carries its event more often than not."""
    out = []
    texts = (text for text, _ in stories)
    for doc, (_, label) in zip(nlp.pipe(texts, batch_size=64), stories, strict=True):  # type: ignore[attr-defined]
        first = next(iter(doc.sents)).text.strip()
        if len(first.split()) >= 6:
            out.append(Example(first, label, weight))
    return out


def featurize(nlp: object, examples: list[Example]) -> list[list[str]]:
    docs = nlp.pipe((e.text for e in examples), batch_size=64)  # type: ignore[attr-defined]
    return [features(doc[:]) for doc in docs]


def build_matrix(feats: list[list[str]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Sparse rows as (row index, column index) pairs; repeated features count once."""
    rows, cols = [], []
    for r, bag in enumerate(feats):
        for c in sorted({vocab[f] for f in bag if f in vocab}):
            rows.append(r)
            cols.append(c)
    return np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64)


@dataclass
class Params:
    """Training settings; the defaults produce the shipped weights."""

    l2: float = L2
    epochs: int = EPOCHS
    learning_rate: float = LEARNING_RATE
    min_count: int = MIN_COUNT
    prune_below: float = PRUNE_BELOW


def train(
    rows: np.ndarray,
    cols: np.ndarray,
    y: np.ndarray,
    w: np.ndarray,
    shape: tuple[int, int],
    params: Params,
) -> tuple[np.ndarray, np.ndarray]:
    """Full-batch Adam on weighted, L2-regularised softmax cross-entropy (deterministic)."""
    n_feats, n_labels = shape
    n = len(y)
    weights = np.zeros((n_feats, n_labels), dtype=np.float64)
    bias = np.zeros(n_labels, dtype=np.float64)
    target = np.zeros((n, n_labels))
    target[np.arange(n), y] = 1.0
    moments = [(np.zeros_like(p), np.zeros_like(p)) for p in (weights, bias)]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    share = w / w.sum()
    for step in range(1, params.epochs + 1):
        logits = np.zeros((n, n_labels))
        np.add.at(logits, rows, weights[cols])
        logits += bias
        logits -= logits.max(axis=1, keepdims=True)
        probs = np.exp(logits)
        probs /= probs.sum(axis=1, keepdims=True)
        delta = (probs - target) * share[:, None]
        grad_w = np.zeros_like(weights)
        np.add.at(grad_w, cols, delta[rows])
        grad_w += params.l2 * weights
        grads = (grad_w, delta.sum(axis=0))
        for param, grad, (m, v) in zip((weights, bias), grads, moments, strict=True):
            m *= beta1
            m += (1 - beta1) * grad
            v *= beta2
            v += (1 - beta2) * grad * grad
            m_hat = m / (1 - beta1**step)
            v_hat = v / (1 - beta2**step)
            param -= params.learning_rate * m_hat / (np.sqrt(v_hat) + eps)
    return weights, bias


def fit(bags: list[list[str]], examples: list[Example], params: Params) -> dict[str, object]:
    """Vocabulary, training and pruning; returns the JSON payload of the model file."""
    counts = Counter(f for bag in bags for f in set(bag))
    names = sorted(f for f, c in counts.items() if c >= params.min_count)
    vocab = {f: i for i, f in enumerate(names)}
    rows, cols = build_matrix(bags, vocab)
    y = np.asarray([LABELS.index(e.label) for e in examples])
    w = np.asarray([e.weight for e in examples])
    weights, bias = train(rows, cols, y, w, (len(vocab), len(LABELS)), params)
    keep = np.abs(weights).max(axis=1) >= params.prune_below
    blob, scale = encode_weights(weights[keep].astype(np.float32))
    return {
        "name": "eventwire-linear-v1",
        "labels": list(LABELS),
        "features": [f for f, k in zip(names, keep, strict=True) if k],
        "scale": scale,
        "weights_b64": blob,
        "bias": [round(float(b), 5) for b in bias],
    }


def accuracy(payload: dict[str, object], bags: list[list[str]], labels: list[str]) -> float:
    """Share of examples whose top label is right, with the weights as shipped (int8)."""
    model = model_from_payload(payload)
    hits = sum(
        model.labels[int(np.argmax(model.probabilities(bag)))] == label
        for bag, label in zip(bags, labels, strict=True)
    )
    return hits / len(labels) if labels else 0.0


def load_examples(
    nlp: object, synthetic: Path | None, per_type: int, weight: float
) -> tuple[list[Example], list[Example], list[str]]:
    """Training examples, synthetic validation examples, and the list of sources used."""
    examples = own_examples()
    sources = ["training/sentences (written by eventwire)"]
    validation: list[Example] = []
    if synthetic is not None and synthetic.exists():
        train_stories, rest = synthetic_stories(synthetic, per_type)
        examples += lead_sentences(nlp, train_stories, weight)
        validation = lead_sentences(nlp, rest, 1.0)
        sources.append("ngec-synthetic-stories.jsonl lead sentences (MIT, NGEC)")
    elif synthetic is not None:
        print(f"note: {synthetic} not found; training on own sentences only", file=sys.stderr)
    return examples, validation, sources


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--no-synthetic", action="store_true", help="own sentences only")
    parser.add_argument("--synthetic", type=Path, default=SYNTHETIC, help="NGEC stories file")
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    args = parser.parse_args(argv)

    import spacy

    from eventwire.config import settings

    nlp = spacy.load(settings().model)
    synthetic = None if args.no_synthetic else args.synthetic
    examples, validation, sources = load_examples(
        nlp, synthetic, SYNTHETIC_PER_TYPE, SYNTHETIC_WEIGHT
    )
    bags = featurize(nlp, examples)
    payload = fit(bags, examples, Params())
    payload["trained_on"] = sources
    payload["examples"] = len(examples)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(payload, separators=(",", ":")) + "\n", encoding="utf-8")

    held = [Example(str(r["text"]), str(r["type"]), 1.0) for r in read_jsonl(HELDOUT)]
    held_acc = accuracy(payload, featurize(nlp, held), [e.label for e in held])
    val_acc = accuracy(payload, featurize(nlp, validation), [e.label for e in validation])
    print(f"examples {len(examples)}, features {len(payload['features'])}")  # type: ignore[arg-type]
    print(f"held-out accuracy {held_acc:.3f} ({len(held)} own sentences)")
    print(f"synthetic validation accuracy {val_acc:.3f} ({len(validation)} lead sentences)")
    print(f"wrote {args.out} ({args.out.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
