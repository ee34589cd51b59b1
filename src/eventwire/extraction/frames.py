"""Pipeline step: triggers + parse -> doc._.frames (event type, mode, argument heads)."""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from eventwire.extraction.arguments import (
    Roles,
    clause_subjects,
    find_roles,
)
from eventwire.extraction.compose import (
    absorb_charges,
    absorb_topics,
    attach_governors,
    compose_light_verbs,
    merge_nested,
)
from eventwire.extraction.factuality import Modality, clause_anchor, modality, sentence_reporters
from eventwire.extraction.lexicon import NO_EVENT, Lexicon, load_lexicon
from eventwire.extraction.matching import Candidate, sentence_candidates, word_ids
from eventwire.extraction.modes import frame_modes
from eventwire.extraction.oblique import has_place_or_time
from eventwire.extraction.retype import retype
from eventwire.nlp.sentences import sentences
from eventwire.records import Frame

AGENTLESS_NOMINAL_TYPES = frozenset({"ASSAULT", "PROTEST"})
AGENTLESS_VERB_TYPES = frozenset({"ASSAULT", "PROTEST", "COERCE"})
BACKGROUND_DETS = frozenset({"the", "this", "these", "those", "such"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass"})
DUMMY_SUBJECTS = frozenset({"it", "they"})
CORE_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "attr", "ROOT", "appos", "conj", "npadvmod"})
DESCRIPTOR_TYPES = frozenset({"SUPPORT", "AID", "COOPERATE"})
CONTENT_PREPS = frozenset({"to", "with"})


def find_frames(doc: Doc) -> None:
    """Set doc._.frames: every event trigger in the doc with its parties and factuality."""
    lex = load_lexicon()
    frames: list[Frame] = []
    ids = word_ids(doc)
    for index, sent in enumerate(sentences(doc)):
        frames.extend(sentence_frames(sent, index, lex, ids))
    doc._.frames = frames


def sentence_candidates_composed(
    sent: Span, lex: Lexicon, ids: list[tuple[int, int]] | None = None
) -> list[Candidate]:
    """Candidates after light verbs, governors, charges and nested duplicates are settled."""
    cands = sentence_candidates(sent, lex, ids)
    if cands:
        compose_light_verbs(cands, lex)
        for cand in cands:
            if cand.event_type == NO_EVENT:
                cand.absorbed = True
        attach_governors(cands, lex)
        absorb_charges(cands, lex)
        absorb_topics(cands)
        merge_nested(cands)
    return cands


def sentence_frames(
    sent: Span, index: int, lex: Lexicon, ids: list[tuple[int, int]] | None = None
) -> list[Frame]:
    """Frames of one sentence, in text order (ids: word_ids of the doc, computed once)."""
    cands = sentence_candidates_composed(sent, lex, ids)
    if not cands:
        return []
    reporters = sentence_reporters(sent, lex)
    frames = []
    for cand in cands:
        if cand.absorbed or cand.merged_into is not None:
            continue
        frame = build_frame(cand, cands, index, lex, reporters)
        if frame is not None:
            frames.append(frame)
    return frames


def _merged_roles(cand: Candidate, cands: list[Candidate], lex: Lexicon) -> tuple[Roles, list[str]]:
    """Own roles, plus agents and modes of the nouns merged into this trigger."""
    roles = find_roles(cand, lex)
    extra_modes: list[str] = []
    for child in cands:
        if child.merged_into is not cand:
            continue
        child_roles = find_roles(child, lex)
        if not roles.agents:
            roles.agents = [a for a in child_roles.agents if a not in roles.patients]
        if cand.event_type == "ASSAULT":
            extra_modes += frame_modes(child, lex)
    if cand.nested and not roles.patients and cand.event_type != "REQUEST":
        # "threatened to shell Haifa" -> Haifa; but whom a request asks is not its content
        nested = find_roles(cand.nested[0], lex)
        roles.patients = [p for p in nested.patients if p not in roles.agents]
    elif cand.entry.has("gov") and not roles.patients and cand.event_type != "REQUEST":
        roles.patients = [p for p in _content_parties(cand) if p not in roles.agents]
    if cand.event_type in ("ACCUSE", "REJECT", "SUPPORT"):
        roles.patients = _doers_for_events(roles.patients, cands, lex)
    return roles, extra_modes


def _content_parties(cand: Candidate) -> list[Token]:
    """'offered to hand over to Britain two suspects': a promise's content verb is no trigger,
    but whom it goes to is still the recipient."""
    verb = cand.anchor or cand.token
    out: list[Token] = []
    for xcomp in (c for c in verb.children if c.dep_ == "xcomp" and c.pos_ == "VERB"):
        for c in xcomp.children:
            if c.dep_ in ("prep", "dative") and c.lower_ in CONTENT_PREPS:
                out += [o for o in c.children if o.dep_ == "pobj"]
    return out


def _doers_for_events(patients: list[Token], cands: list[Candidate], lex: Lexicon) -> list[Token]:
    """'condemned Israel's strike': the recipient is Israel, not the strike."""
    by_token = {c.token.i: c for c in cands}
    out: list[Token] = []
    for p in patients:
        event = by_token.get(p.i)
        doers = find_roles(event, lex).agents if event is not None else []
        out.extend(doers or ([] if event is not None else [p]))
    return out


def _background(cand: Candidate) -> bool:
    """'the recent terror attacks' as an object: a reference back, not a new event."""
    tok = cand.token
    if tok.dep_ in SUBJECT_DEPS:
        return False
    return any(c.dep_ == "det" and c.lower_ in BACKGROUND_DETS for c in tok.children)


def keep(cand: Candidate, roles: Roles, lex: Lexicon) -> bool:
    """A frame needs a participant, except attacks and protests said to happen somewhere."""
    if cand.is_nominal:
        if roles.agents:
            return True
        return (
            cand.event_type in AGENTLESS_NOMINAL_TYPES
            and cand.token.dep_ in CORE_DEPS
            and has_place_or_time(cand)
            and not _background(cand)
        )
    if _natural_cause(cand, lex):
        return False
    if _participle_modifier(cand):
        return bool(roles.agents) and cand.event_type in DESCRIPTOR_TYPES
    if roles.agents or roles.patients:
        return True
    return cand.event_type in AGENTLESS_VERB_TYPES and has_place_or_time(cand)


def _natural_cause(cand: Candidate, lex: Lexicon) -> bool:
    """'a fire that killed 19 people', 'the flood destroyed homes': no actor did it."""
    subj, _ = clause_subjects(cand.anchor or cand.token, lex)
    for s in subj:
        if lex.in_set("relative_pronouns", s.lower_) and s.head.dep_ == "relcl":
            s = s.head.head
        if lex.in_set("natural_causes", s.lemma_.lower()):
            return True
    return False


def _headline_clause(tok: Token) -> bool:
    """'Two soldiers killed in an ambush': a verbless sentence whose participle is its news."""
    if tok.tag_ != "VBN" or tok.dep_ != "acl":
        return False
    head = tok.head
    while head.dep_ == "conj" and head.head is not head:
        head = head.head
    return head.dep_ == "ROOT" and head.pos_ in ("NOUN", "PROPN", "NUM")


def _participle_modifier(cand: Candidate) -> bool:
    """'US-backed proposal', 'ousted president', 'the group blamed for': descriptions."""
    tok = cand.anchor or cand.token
    if cand.entry.params.get("pass") == "agent" or _headline_clause(tok):
        return False
    return (tok.tag_ == "VBN" and tok.dep_ in ("amod", "acl")) or (
        tok.tag_ == "VBG" and tok.dep_ == "amod"
    )


def _dummy_subject(anchor: Token, lex: Lexicon) -> bool:
    subj, subjpass = clause_subjects(anchor, lex)
    return any(s.lower_ in DUMMY_SUBJECTS for s in subj + subjpass)


def _span(cand: Candidate, lex: Lexicon, roles: Roles) -> tuple[int, int]:
    """Trigger phrase bounds, stretched to a recipient preposition right after it."""
    parties = {t.i for t in roles.agents}
    span = [i for i in cand.span if i not in parties] or [cand.token.i]
    start, end = min(span), max(span) + 1
    doc = cand.token.doc
    preps = set(lex.types[cand.event_type]["patients"]) | {"with", "between"}
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and nxt.dep_ == "prep" and nxt.lower_ in preps and nxt.head.i in cand.span:
        end += 1
    return start, end


def _confidence(cand: Candidate, roles: Roles, mod: Modality) -> float:
    conf = cand.entry.confidence
    if not roles.agents:
        conf -= 0.15
    if cand.nested:
        conf += 0.05
    if cand.is_nominal:
        conf -= 0.05
    return round(min(0.99, max(0.05, conf)), 3)


def build_frame(
    cand: Candidate,
    cands: list[Candidate],
    sentence: int,
    lex: Lexicon,
    reporters: list[tuple[Token, Token]],
) -> Frame | None:
    """One Frame for a settled candidate, or None when it has nobody to code."""
    roles, extra_modes = _merged_roles(cand, cands, lex)
    anchor = clause_anchor(cand, lex)
    mod = modality(cand, lex, reporters, anchor)
    said_it = mod.reporter is not None and _dummy_subject(anchor, lex)
    if not roles.agents and said_it and mod.reporter is not None:
        roles.agents = [mod.reporter]  # "Israel said it would retaliate"
    if not keep(cand, roles, lex):
        return None
    modes = frame_modes(cand, lex)
    modes += [m for m in extra_modes if m not in modes]
    coding = retype(cand, anchor, roles, mod, modes, lex)
    roles = coding.roles
    start, end = _span(cand, lex, roles)
    return Frame(
        event_type=coding.event_type,
        trigger=cand.token.i,
        trigger_start=start,
        trigger_end=end,
        sentence=sentence,
        mode=coding.modes,
        agents=[t.i for t in roles.agents],
        patients=[t.i for t in roles.patients],
        reciprocal=roles.reciprocal,
        factuality=coding.factuality,
        reporter=mod.reporter.i if mod.reporter is not None else None,
        confidence=_confidence(cand, roles, mod),
        rule=f"lexicon:{cand.event_type}:{cand.entry.text}"
        + (f"+{cand.nested[0].entry.text}" if cand.nested else "")
        + (f" ({coding.rule})" if coding.rule else ""),
        decided_by="rule",
    )
