"""PLOVER's tense rules: promised cooperation is AGREE, announced conflict is THREATEN, ..."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from eventwire.extraction.arguments import Roles
from eventwire.extraction.factuality import Modality, chain_aux, condition_marks
from eventwire.extraction.lexicon import Lexicon
from eventwire.extraction.matching import Candidate
from eventwire.extraction.modes import nested_mode

FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
OBLIGATION_AUX = frozenset({"must", "should"})
PROMISED_TO_AGREE = frozenset({"SUPPORT", "COOPERATE", "AID"})
JOINT_WORDS = frozenset({"joint", "combined", "bilateral", "trilateral", "multinational"})
ALREADY_VERBAL = frozenset({"REJECT", "THREATEN", "ACCUSE", "REQUEST", "AGREE"})
THREAT_EXCLUDED = frozenset({"MOBILIZE"})
FAILURE_GOVERNORS = frozenset({"fail"})


@dataclass
class Coding:
    """The final type, modes, factuality and parties of a frame."""

    event_type: str
    modes: list[str]
    factuality: str
    roles: Roles
    rule: str = ""


def _said(mod: Modality) -> str:
    return "reported" if mod.reporter is not None else "asserted"


def _as(cand: Candidate, new_type: str, lex: Lexicon) -> list[str]:
    """Modes of the new verbal event, read off the original one."""
    mode = nested_mode(new_type, cand, lex)
    return [mode] if mode else []


def retype(
    cand: Candidate, anchor: Token, roles: Roles, mod: Modality, modes: list[str], lex: Lexicon
) -> Coding:
    """Apply the future/negation/condition/obligation rules to one coded trigger."""
    kind = cand.event_type
    coding = Coding(kind, modes, mod.factuality, roles)
    if kind == "MOBILIZE" and _joint_exercise(cand, anchor, roles, lex):
        kind, modes = "COOPERATE", []
        coding = Coding(kind, modes, mod.factuality, roles, "joint-exercise")
    if kind in ALREADY_VERBAL or not roles.agents:
        return _obligation(cand, anchor, coding, mod, lex)
    aux = chain_aux(anchor)
    marks = condition_marks(anchor)
    conflict = kind in lex.conflict_types and kind not in THREAT_EXCLUDED
    if mod.factuality == "negated" and aux & FUTURE_AUX and not conflict:
        return Coding("REJECT", _as(cand, "REJECT", lex), _said(mod), roles, "future-refusal")
    if mod.factuality == "negated" and not conflict and _failed(anchor):
        return Coding("REJECT", _as(cand, "REJECT", lex), _said(mod), roles, "failed-cooperation")
    if "unless" in marks or (conflict and "if" in marks):
        return Coding("THREATEN", _as(cand, "THREATEN", lex), _said(mod), roles, "conditional")
    if mod.factuality == "planned":
        if kind in PROMISED_TO_AGREE or (kind == "CONSULT" and not cand.is_nominal):
            return Coding("AGREE", [], _said(mod), roles, "future-cooperation")
        if kind == "RETREAT":
            return Coding("CONCEDE", modes, _said(mod), roles, "future-retreat")
        if conflict:
            return Coding(
                "THREATEN", _as(cand, "THREATEN", lex), _said(mod), roles, "future-conflict"
            )
    return _obligation(cand, anchor, coding, mod, lex)


def _failed(anchor: Token) -> bool:
    """'failed to reach agreement': a cooperation that did not happen is a rejection."""
    return anchor.dep_ == "xcomp" and anchor.head.lemma_.lower() in FAILURE_GOVERNORS


def _joint_exercise(cand: Candidate, anchor: Token, roles: Roles, lex: Lexicon) -> bool:
    """Drills held by two forces, or 'with' a partner, are COOPERATE (PLOVER), not MOBILIZE.

    A partner found after a 'with' joins the actors and the frame turns reciprocal."""
    words = [t for t in (cand.token, cand.obj) if t is not None]
    if not any(lex.in_set("exercises", t.lemma_.lower()) for t in words):
        return False
    partners = [
        o
        for host in {anchor, *words}
        for c in host.children
        if c.dep_ == "prep" and c.lower_ == "with"
        for o in c.children
        if o.dep_ == "pobj"
    ]
    joint = any(c.lower_ in JOINT_WORDS for t in words for c in t.children)
    if not (partners or joint or len(roles.agents) > 1):
        return False
    roles.agents += [p for p in partners if p not in roles.agents]
    roles.reciprocal = True
    return True


def _obligation(
    cand: Candidate, anchor: Token, coding: Coding, mod: Modality, lex: Lexicon
) -> Coding:
    """'X said Y must do Z' is X asking Y: REQUEST by the speaker."""
    if mod.reporter is None or not (chain_aux(anchor) & OBLIGATION_AUX):
        return coding
    if mod.reporter in coding.roles.agents or coding.event_type == "REQUEST":
        return coding
    roles = Roles(agents=[mod.reporter], patients=list(coding.roles.agents))
    return Coding("REQUEST", _as(cand, "REQUEST", lex), "asserted", roles, "obligation")
