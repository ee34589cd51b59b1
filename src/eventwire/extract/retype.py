"""PLOVER's tense rules: promised cooperation is AGREE, announced conflict is THREATEN, ..."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from eventwire.extract.arguments import Roles
from eventwire.extract.factuality import Modality, chain_aux, condition_marks
from eventwire.extract.lexicon import Lexicon
from eventwire.extract.matching import Candidate
from eventwire.extract.modes import nested_mode

FUTURE_AUX = frozenset({"will", "would", "shall", "'ll", "wo"})
OBLIGATION_AUX = frozenset({"must", "should"})
PROMISED_TO_AGREE = frozenset({"SUPPORT", "COOPERATE", "AID"})
ALREADY_VERBAL = frozenset({"REJECT", "THREATEN", "ACCUSE", "REQUEST", "AGREE"})
THREAT_EXCLUDED = frozenset({"MOBILIZE"})


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
    if kind in ALREADY_VERBAL or not roles.agents:
        return _obligation(cand, anchor, coding, mod, lex)
    aux = chain_aux(anchor)
    marks = condition_marks(anchor)
    conflict = kind in lex.conflict_types and kind not in THREAT_EXCLUDED
    if mod.factuality == "negated" and aux & FUTURE_AUX and not conflict:
        return Coding("REJECT", _as(cand, "REJECT", lex), _said(mod), roles, "future-refusal")
    if "unless" in marks or (conflict and "if" in marks):
        return Coding("THREATEN", _as(cand, "THREATEN", lex), _said(mod), roles, "conditional")
    if mod.factuality == "planned":
        if kind in PROMISED_TO_AGREE:
            return Coding("AGREE", [], _said(mod), roles, "future-cooperation")
        if kind == "RETREAT":
            return Coding("CONCEDE", modes, _said(mod), roles, "future-retreat")
        if conflict:
            return Coding(
                "THREATEN", _as(cand, "THREATEN", lex), _said(mod), roles, "future-conflict"
            )
    return _obligation(cand, anchor, coding, mod, lex)


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
