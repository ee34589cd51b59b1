"""Pipeline step: the trained classifier re-reads each frame's clause; the best evidence decides.

Rules see the structure, the model sees the wording. The type of a frame stays the rule's
when the rule is confident, or when the model agrees (which raises the confidence); the model
retypes a frame only when the rule is weak and the model is sure. Arguments always stay
those read off the parse. Frame.decided_by says "rule", "model" or "rule+model", and
Frame.rule gets the model's reading appended, so every record can say why.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from spacy.tokens import Doc, Span, Token

from eventwire.extraction.classifier import NONE_LABEL, Model, features, load_model
from eventwire.extraction.factuality import sentence_reporters
from eventwire.extraction.frames import build_frame
from eventwire.extraction.lexicon import NO_EVENT, Entry, Lexicon, load_lexicon
from eventwire.extraction.matching import Candidate, lemma, sentence_candidates
from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentences
from eventwire.records import Frame

WEAK_RULE = 0.5  # rule confidence below this is weak: the model may retype the frame
OVERRIDE = 0.85  # model probability needed to retype a weak frame
AGREE_MIN = 0.3  # model probability for the rule's type that counts as agreement
AGREE_BOOST = 0.4  # share of the model's probability added to an agreed frame's confidence
DISAGREE_CUT = 0.1  # confidence taken from a frame the model reads as something else
NEW_FRAME = 0.7  # model probability needed to propose a frame where the rules found none
NEW_FRAME_MIN_TOKENS = 6
MODEL_FRAME_CONF = 0.45  # confidence of a frame only the model saw, before its probability
CLAUSE_DEPS = frozenset({"ccomp", "xcomp"})
LIGHT_DEPS = frozenset({"dobj", "nsubjpass", "attr", "oprd"})
# retypes the rules make on purpose (tense, condition, obligation): the model does not undo them
STRUCTURAL_RULES = ("future-", "conditional", "obligation")


@dataclass(frozen=True)
class Decision:
    """What the combination rule settled for one frame."""

    event_type: str
    decided_by: str
    confidence: float
    model_type: str
    model_prob: float
    rule_prob: float


def frame_window(doc: Doc, frame: Frame) -> Span:
    """The words the model reads: the trigger's clause (a light verb's, for event nouns)."""
    tok = doc[frame.trigger]
    if (
        tok.pos_ in ("NOUN", "PROPN")
        and tok.dep_ in LIGHT_DEPS
        and tok.head.pos_ in ("VERB", "AUX")
    ):
        tok = tok.head
    return doc[tok.left_edge.i : tok.right_edge.i + 1]


def _top(probs: np.ndarray, labels: tuple[str, ...]) -> tuple[str, float]:
    best = int(np.argmax(probs))
    return labels[best], float(probs[best])


def combine(
    rule_type: str, rule_conf: float, probs: np.ndarray, labels: tuple[str, ...], structural: bool
) -> Decision:
    """The combination rule: rule when confident, model when the rule is weak, both = surer."""
    model_type, model_prob = _top(probs, labels)
    rule_prob = float(probs[labels.index(rule_type)]) if rule_type in labels else 0.0
    if rule_prob >= AGREE_MIN or model_type == rule_type:
        conf = rule_conf + AGREE_BOOST * rule_prob * (1.0 - rule_conf)
        return Decision(rule_type, "rule+model", _clip(conf), model_type, model_prob, rule_prob)
    weak = rule_conf < WEAK_RULE and not structural
    if weak and model_type != NONE_LABEL and model_prob >= OVERRIDE:
        conf = 0.5 * rule_conf + 0.5 * model_prob - 0.1
        return Decision(model_type, "model", _clip(conf), model_type, model_prob, rule_prob)
    conf = rule_conf - DISAGREE_CUT * (model_prob - rule_prob)
    return Decision(rule_type, "rule", _clip(conf), model_type, model_prob, rule_prob)


def _clip(conf: float) -> float:
    return round(min(0.99, max(0.05, conf)), 3)


@lru_cache(maxsize=1)
def valid_modes() -> dict[str, frozenset[str]]:
    """PLOVER modes per type (data/plover.yaml): a retyped frame keeps only valid ones."""
    from eventwire.output import plover_table

    return {t: frozenset(info["modes"]) for t, info in plover_table()["types"].items()}


def apply(frame: Frame, decision: Decision) -> None:
    """Write a decision onto its frame; the model's reading goes into the rule string."""
    reading = f"model:{decision.model_type}={decision.model_prob:.2f}"
    if decision.event_type != frame.event_type:
        allowed = valid_modes().get(decision.event_type, frozenset())
        frame.mode = [m for m in frame.mode if m in allowed]
        reading += f" over {frame.event_type}"
        frame.event_type = decision.event_type
    frame.rule = f"{frame.rule} [{reading}]" if frame.rule else f"[{reading}]"
    frame.decided_by = decision.decided_by
    frame.confidence = decision.confidence


def top_scores(probs: np.ndarray, labels: tuple[str, ...], n: int = 3) -> list[tuple[str, float]]:
    """The n likeliest labels, for explanations."""
    order = np.argsort(-probs)[:n]
    return [(labels[i], round(float(probs[i]), 3)) for i in order]


def decide(doc: Doc, frame: Frame, model: Model) -> Decision:
    """Score one frame's clause and settle its type (recorded when doc._.trace is a list)."""
    window = frame_window(doc, frame)
    probs = model.probabilities(features(window))
    structural = any(tag in frame.rule for tag in STRUCTURAL_RULES)
    decision = combine(frame.event_type, frame.confidence, probs, model.labels, structural)
    trace = ext(doc, "trace")
    if trace is not None:
        trace.append(
            {
                "step": "classify",
                "sentence": frame.sentence,
                "trigger": frame.trigger,
                "window": window.text,
                "rule_type": frame.event_type,
                "rule_confidence": frame.confidence,
                "structural": structural,
                "scores": top_scores(probs, model.labels),
                "decision": decision.__dict__.copy(),
            }
        )
    return decision


def main_verb(sent: Span, lex: Lexicon) -> Token | None:
    """The verb a sentence is about: its root, or what a reporting root reports."""
    tok = sent.root
    for _ in range(2):
        if lemma(tok) not in lex.reporting_verbs:
            break
        comp = next((c for c in tok.children if c.dep_ in CLAUSE_DEPS), None)
        if comp is None:
            return None
        tok = comp
    return tok if tok.pos_ in ("VERB", "AUX") and tok.dep_ != "aux" else None


def _has_actor(doc: Doc, heads: list[int]) -> bool:
    from eventwire.resolve.actors import actors_for_token

    return any(actors_for_token(doc, i) for i in heads)


def model_frame(sent: Span, index: int, label: str, prob: float, lex: Lexicon) -> Frame | None:
    """A frame for a sentence only the model read as an event: type from the model, trigger
    at the main verb, arguments, modes and tense rules from the parse as for any trigger."""
    verb = main_verb(sent, lex)
    if verb is None:
        return None
    candidates = sentence_candidates(sent, lex)
    if any(c.event_type == NO_EVENT for c in candidates):
        return None  # the lexicon says this wording is no event ("declined to comment")
    conf = MODEL_FRAME_CONF + 0.3 * (prob - NEW_FRAME)
    entry = Entry(kind="v", head=lemma(verb), event_type=label, params={"conf": f"{conf:.3f}"})
    cand = Candidate(token=verb, entry=entry)
    frame = build_frame(cand, [cand], index, lex, sentence_reporters(sent, lex))
    if frame is None or not _has_actor(sent.doc, frame.agents):
        return None
    frame.rule = f"model:{label}={prob:.2f} (rules found no event)"
    frame.decided_by = "model"
    return frame


def propose_frames(doc: Doc, model: Model, covered: set[int]) -> list[Frame]:
    """Frames for sentences where the rules found nothing but the model is sure of an event."""
    lex = load_lexicon()
    trace = ext(doc, "trace")
    found: list[Frame] = []
    for index, sent in enumerate(sentences(doc)):
        if index in covered or len(sent) < NEW_FRAME_MIN_TOKENS:
            continue
        probs = model.probabilities(features(sent))
        label, prob = _top(probs, model.labels)
        frame = None
        if label != NONE_LABEL and prob >= NEW_FRAME:
            frame = model_frame(sent, index, label, prob, lex)
            if frame is not None:
                found.append(frame)
        if trace is not None:
            if label == NONE_LABEL:
                outcome = f"the model reads no event (NONE {prob:.2f})"
            elif prob < NEW_FRAME:
                outcome = f"{label} {prob:.2f} is below the bar for a new frame ({NEW_FRAME})"
            elif frame is None:
                outcome = "not proposed: no main verb, a NONE lexicon entry, or no actor"
            else:
                outcome = f"proposed a {frame.event_type} frame"
            trace.append(
                {
                    "step": "propose",
                    "sentence": index,
                    "scores": top_scores(probs, model.labels),
                    "outcome": outcome,
                }
            )
    return found


def classify_frames(doc: Doc) -> None:
    """Pipeline step between frames and events: every frame gets the model's second opinion,
    and sentences without a frame get a model-proposed one when the model is sure."""
    frames = list(ext(doc, "frames") or [])
    model = load_model()
    for frame in frames:
        apply(frame, decide(doc, frame, model))
    new = propose_frames(doc, model, {f.sentence for f in frames})
    if new:
        frames = sorted(frames + new, key=lambda f: (f.sentence, f.trigger_start))
    doc._.frames = frames
