"""`eventwire explain`: why a text gave the records it gave (parse, triggers, rules, model).

Normal runs keep no trace. Here the text is coded once with doc._.trace set (the classifier
step records its scores and decisions there), and the trigger composition of frames.py is
replayed step by step on the parsed Doc, so every candidate that did not become a frame says
which step set it aside and why. tests/test_explain.py checks the replay matches frames.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span

from eventwire.extraction.arguments import find_roles
from eventwire.extraction.factuality import sentence_reporters
from eventwire.extraction.frames import (
    AGENTLESS_NOMINAL_TYPES,
    CORE_DEPS,
    _background,
    _natural_cause,
    _participle_modifier,
    build_frame,
)
from eventwire.extraction.lexicon import NO_EVENT, Lexicon, load_lexicon
from eventwire.extraction.matching import Candidate, sentence_candidates
from eventwire.extraction.oblique import has_place_or_time
from eventwire.nlp.sentences import sentences
from eventwire.records import Article

Step = Callable[[list[Candidate], Lexicon], None]


@dataclass
class CandidateTrace:
    """One lexicon match and what became of it."""

    sentence: int
    token: int
    phrase: str
    entry: str
    lexicon_type: str
    event_type: str
    modes: list[str]
    outcome: str = "frame"  # frame | set aside | no frame
    reason: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Replay:
    """Candidates of one sentence and the steps that settled them."""

    cands: list[Candidate]
    traces: list[CandidateTrace] = field(default_factory=list)


def _phrase(cand: Candidate) -> str:
    doc = cand.token.doc
    return " ".join(doc[i].text for i in sorted(cand.span))


def _mark_none(cands: list[Candidate], lex: Lexicon) -> None:
    for cand in cands:
        if cand.event_type == NO_EVENT:
            cand.absorbed = True


def _steps() -> list[tuple[str, Step]]:
    """frames.sentence_candidates_composed, one named step at a time (same order)."""
    from eventwire.extraction import compose

    return [
        ("light verb", compose.compose_light_verbs),
        ("no-event entry", _mark_none),
        ("governor", compose.attach_governors),
        ("charge", compose.absorb_charges),
        ("topic", lambda cands, lex: compose.absorb_topics(cands)),
        ("nested duplicate", lambda cands, lex: compose.merge_nested(cands)),
    ]


def _why(step: str, cand: Candidate, cands: list[Candidate]) -> str:
    """A readable reason for a candidate a step set aside."""
    others = [c for c in cands if c is not cand]
    if step == "light verb":
        host = next((c for c in others if c.anchor is cand.token), None)
        if host is not None:
            return f"light verb carrying '{host.token.text}' ({host.event_type})"
        part = next((c for c in others if cand.token.i in c.span), None)
        if part is not None:
            return f"part of the trigger phrase '{_phrase(part)}'"
        return "absorbed by a light-verb phrase"
    if step == "no-event entry":
        return f"blocked by the no-event (NONE) lexicon entry '{cand.entry.text}'"
    if step == "governor":
        gov = next((c for c in others if cand in c.nested), None)
        if gov is not None:
            return f"content of '{gov.token.text}' ({gov.event_type}): one event, not two"
        if cand.entry.params.get("needs") == "nested":
            return "a governor with no event to govern"
        return "inside the condition of a threat or promise"
    if step == "charge":
        return "a charge or suspicion ('accused of', 'suspected of'), not a separate event"
    if step == "topic":
        return "the topic of another trigger (what was condemned, welcomed or rejected)"
    parent = cand.merged_into
    where = f"'{parent.token.text}'" if parent is not None else "another trigger"
    return f"the same event as {where} ({cand.event_type}), merged"


def replay_sentence(sent: Span, index: int, lex: Lexicon) -> Replay:
    """Re-run trigger matching and composition on one parsed sentence, recording each step."""
    replay = Replay(cands=sentence_candidates(sent, lex))
    by_id: dict[int, CandidateTrace] = {}
    for cand in replay.cands:
        trace = CandidateTrace(
            sentence=index,
            token=cand.token.i,
            phrase=_phrase(cand),
            entry=cand.entry.text,
            lexicon_type=cand.entry.event_type,
            event_type=cand.event_type,
            modes=list(cand.modes),
        )
        by_id[id(cand)] = trace
        replay.traces.append(trace)
    if not replay.cands:
        return replay
    for name, step in _steps():
        before = {id(c) for c in replay.cands if c.absorbed or c.merged_into is not None}
        step(replay.cands, lex)
        for cand in replay.cands:
            if id(cand) in before or not (cand.absorbed or cand.merged_into is not None):
                continue
            trace = by_id[id(cand)]
            trace.outcome, trace.reason = "set aside", f"{name}: {_why(name, cand, replay.cands)}"
    for cand in replay.cands:
        by_id[id(cand)].event_type = cand.event_type
    _frame_outcomes(replay, sent, index, lex, by_id)
    return replay


def rejection_reason(cand: Candidate, lex: Lexicon) -> str:
    """Why frames.keep() refused a settled candidate."""
    if cand.is_nominal:
        if cand.event_type not in AGENTLESS_NOMINAL_TYPES:
            return "no actor: an event noun needs a party ('talks between X and Y')"
        if cand.token.dep_ not in CORE_DEPS:
            return "no actor, and the noun is not a main argument of its clause"
        if not has_place_or_time(cand):
            return "no actor, and no place or time says it happened"
        if _background(cand):
            return "a reference back ('the attack'), not a new event"
        return "no actor"
    if _natural_cause(cand, lex):
        return "a natural cause (flood, fire, storm) is the subject: nobody did it"
    if _participle_modifier(cand):
        return "a descriptive participle ('US-backed', 'ousted'): a description, not an event"
    return "no actor or recipient found in the parse"


def _frame_outcomes(
    replay: Replay, sent: Span, index: int, lex: Lexicon, by_id: dict[int, CandidateTrace]
) -> None:
    reporters = sentence_reporters(sent, lex)
    for cand in replay.cands:
        trace = by_id[id(cand)]
        if trace.outcome != "frame":
            continue
        frame = build_frame(cand, replay.cands, index, lex, reporters)
        if frame is None:
            trace.outcome, trace.reason = "no frame", rejection_reason(cand, lex)
        else:
            trace.event_type = frame.event_type
            trace.modes = list(frame.mode)
            trace.reason = frame.rule
            if not find_roles(cand, lex).agents and frame.agents:
                trace.reason += " (actor: the speaker who said it)"


def token_rows(doc: Doc) -> list[dict[str, Any]]:
    """The parse: one row per token."""
    return [
        {
            "i": t.i,
            "text": t.text,
            "lemma": t.lemma_,
            "pos": t.pos_,
            "tag": t.tag_,
            "dep": t.dep_,
            "head": t.head.i,
            "ent": f"{t.ent_iob_}-{t.ent_type_}" if t.ent_type_ else "",
        }
        for t in doc
        if not t.is_space
    ]


def mention_rows(doc: Doc) -> list[dict[str, Any]]:
    """Actor mentions the resolver found, with what they resolved to."""
    rows = []
    for m in doc._.mentions or []:
        a = m.actor
        rows.append(
            {
                "text": doc[m.start : m.end].text,
                "kind": m.kind,
                "name": a.name or a.entity_text,
                "code": a.code,
                "sector": a.sector,
                "office": a.office,
                "resolution": a.resolution,
            }
        )
    return rows


def explain_doc(doc: Doc, article: Article) -> dict[str, Any]:
    """The whole report for a Doc coded with doc._.trace set."""
    from eventwire.cameo import cameo_info
    from eventwire.output import article_records

    lex = load_lexicon()
    candidates = []
    for index, sent in enumerate(sentences(doc)):
        candidates += [t.as_dict() for t in replay_sentence(sent, index, lex).traces]
    records = article_records(article, doc._.events or [])
    for record in records:
        record["cameo"] = cameo_info(record)
    return {
        "text": doc.text,
        "sentences": [s.text for s in sentences(doc)],
        "tokens": token_rows(doc),
        "mentions": mention_rows(doc),
        "contexts": list(doc._.contexts or []),
        "candidates": candidates,
        "model": list(doc._.trace or []),
        "records": records,
        "merged": _merged_frames(doc),
    }


def _merged_frames(doc: Doc) -> list[str]:
    """Frames that did not become a record of their own: a duplicate of another in the sentence."""
    starts = {e.trigger_start for e in doc._.events or []}
    out = []
    for frame in doc._.frames or []:
        span = doc[frame.trigger_start : frame.trigger_end]
        if span.start_char not in starts:
            out.append(
                f"{frame.event_type} '{span.text}' (sentence {frame.sentence}): same type, "
                "sentence and parties as an earlier record, merged into it"
            )
    return out


def explain_text(
    text: str, article_date: date | None = None, nlp: Language | None = None
) -> dict[str, Any]:
    """Code one text with tracing on and explain every decision."""
    from eventwire.nlp.pipeline import cached_pipeline, make_doc

    nlp = nlp or cached_pipeline()
    article = Article(id="explain", text=text, date=article_date, origin="explain")
    doc = make_doc(nlp, text, article.id, article_date)
    doc._.trace = []
    doc = nlp(doc)
    return explain_doc(doc, article)
