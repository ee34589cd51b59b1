"""The trigger lexicon (data/triggers.yaml), parsed once per process into dict indexes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

import yaml

DATA_FILE = Path(__file__).parent / "data" / "triggers.yaml"

PLOVER_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
NO_EVENT = "NONE"  # entries that block a more general trigger ("declined to comment")
DEFAULT_CONF = {"v": 0.7, "n": 0.6, "a": 0.6}


@dataclass(frozen=True)
class Entry:
    """One lexicon line: a head lemma plus the dependents that must be present."""

    kind: str  # v | n | a
    head: str
    event_type: str
    modes: tuple[str, ...] = ()
    particle: str | None = None
    objs: frozenset[str] | None = None  # a non-subject child with one of these lemmas
    mods: tuple[frozenset[str], ...] = ()  # compound/amod children of a noun head
    prep: frozenset[str] | None = None  # a preposition child (of head or object)
    pobjs: frozenset[str] | None = None  # that preposition's object lemma
    flags: frozenset[str] = frozenset()
    params: Mapping[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def specificity(self) -> int:
        """More required dependents = a more specific, preferred match."""
        return (
            len(self.mods)
            + (self.particle is not None)
            + (self.objs is not None)
            + (self.prep is not None)
            + (self.pobjs is not None)
            + ("objkind" in self.params)
            + ("subjkind" in self.params)
            + ("ctx" in self.params)
        )

    @property
    def confidence(self) -> float:
        return float(self.params.get("conf", DEFAULT_CONF[self.kind]))

    def has(self, flag: str) -> bool:
        return flag in self.flags


@dataclass
class Lexicon:
    """Everything the extractor reads from the data file, indexed for O(1) lookups."""

    verbs: dict[str, list[Entry]]
    nouns: dict[str, list[Entry]]
    adjs: dict[str, list[Entry]]
    types: dict[str, dict[str, Any]]
    nested_modes: dict[str, dict[str, str]]
    conflict_types: frozenset[str]
    light_verbs: frozenset[str]
    occurrence_verbs: frozenset[str]
    participation_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    modal_governors: dict[str, frozenset[str]]
    nominal_modality: dict[str, frozenset[str]]
    mode_cues: dict[str, dict[str, str]]
    sets: dict[str, frozenset[str]]
    size: int = 0
    verb_vocab: frozenset[str] = frozenset()  # every verb lemma the lexicon mentions
    verb_forms: dict[str, str] = field(default_factory=dict)  # 'retook' -> 'retake'
    # (lemma hash, lower hash) -> may a token with these strings match any entry? (matching.py)
    key_cache: dict[tuple[int, int], bool] = field(default_factory=dict, repr=False, compare=False)

    def in_set(self, name: str, lemma: str) -> bool:
        return lemma in self.sets.get(name, frozenset())

    @cached_property
    def trigger_keys(self) -> frozenset[str]:
        """Every head word of any entry: a token none of whose keys is here cannot match."""
        return frozenset(self.verbs) | frozenset(self.nouns) | frozenset(self.adjs)

    @cached_property
    def hyphen_tails(self) -> frozenset[str]:
        """What may follow a hyphen in a head ('fire' of 'cease-fire'): the token's lemma."""
        return frozenset(
            key[i + 1 :] for key in self.trigger_keys for i, ch in enumerate(key) if ch == "-"
        )


def _alternatives(text: str, sets: Mapping[str, frozenset[str]]) -> frozenset[str]:
    """'a/b/@set' -> {a, b, *set}; underscores stand for spaces inside one lemma slot."""
    out: set[str] = set()
    for alt in text.split("/"):
        if alt.startswith("@"):
            if alt[1:] not in sets:
                raise ValueError(f"unknown word set {alt}")
            out |= sets[alt[1:]]
        elif alt:
            out.add(alt.lower())
    return frozenset(out)


def _split_flags(text: str) -> tuple[frozenset[str], dict[str, str]]:
    flags, params = set(), {}
    for f in text.split():
        key, eq, val = f.partition("=")
        if eq:
            params[key] = val
        else:
            flags.add(key)
    return frozenset(flags), params


def parse_entry(line: str, event_type: str, sets: Mapping[str, frozenset[str]]) -> list[Entry]:
    """Parse 'KIND PATTERN [| modes] [; flags]' (grammar in the data file's header).

    A noun written 'modifier >head1/head2' or 'mod head1/head2' gives one entry per head.
    """
    body, _, flag_text = line.partition(";")
    body, _, mode_text = body.partition("|")
    kind, *tokens = body.split()
    if kind not in DEFAULT_CONF or not tokens:
        raise ValueError(f"bad lexicon entry: {line!r}")
    plain = [t for t in tokens if t[0] not in ">+"]
    objs = prep = pobjs = None
    for tok in tokens:
        if tok.startswith(">"):
            objs = _alternatives(tok[1:], sets)
        elif tok.startswith("+"):
            p, _, o = tok[1:].partition(":")
            prep = _alternatives(p, sets)
            pobjs = _alternatives(o, sets) if o else None
    particle = None
    if kind == "n":
        if objs is not None:  # "n joint >exercise/drill": modifier, then head alternatives
            heads, mod_texts, objs = sorted(objs), plain, None
        else:
            heads, mod_texts = sorted(_alternatives(plain[-1], sets)), plain[:-1]
        mods = tuple(_alternatives(m, sets) for m in mod_texts)
    else:
        head, _, part = plain[0].partition("_")
        heads, mods, particle = [head.lower()], (), part.replace("_", " ") or None
    flags, params = _split_flags(flag_text)
    modes = tuple(m.strip() for m in mode_text.split(",") if m.strip())
    return [
        Entry(
            kind=kind,
            head=head,
            event_type=event_type,
            modes=modes,
            particle=particle,
            objs=objs,
            mods=mods,
            prep=prep,
            pobjs=pobjs,
            flags=flags,
            params=params,
            text=body.strip(),
        )
        for head in heads
    ]


def _frozen(values: list[str]) -> frozenset[str]:
    return frozenset(v.lower() for v in values)


def build_lexicon(raw: Mapping[str, Any]) -> Lexicon:
    """Turn the parsed YAML into indexes; raises on unknown types or malformed lines."""
    sets = {name: _frozen(words) for name, words in raw["sets"].items()}
    lex = Lexicon(
        verbs={},
        nouns={},
        adjs={},
        types=dict(raw["types"]),
        nested_modes={k: dict(v) for k, v in raw["nested_modes"].items()},
        conflict_types=frozenset(raw["conflict_types"]),
        light_verbs=_frozen(raw["light_verbs"]),
        occurrence_verbs=_frozen(raw["occurrence_verbs"]),
        participation_verbs=_frozen(raw["participation_verbs"]),
        reporting_verbs=_frozen(raw["reporting_verbs"]),
        modal_governors={k: _frozen(v) for k, v in raw["modal_governors"].items()},
        nominal_modality={k: _frozen(v) for k, v in raw["nominal_modality"].items()},
        mode_cues={k: dict(v) for k, v in raw["mode_cues"].items()},
        sets=sets,
        verb_forms={k.lower(): v.lower() for k, v in (raw.get("verb_forms") or {}).items()},
    )
    index = {"v": lex.verbs, "n": lex.nouns, "a": lex.adjs}
    for event_type, lines in raw["triggers"].items():
        if event_type not in PLOVER_TYPES and event_type != NO_EVENT:
            raise ValueError(f"unknown PLOVER type {event_type}")
        for line in lines:
            for entry in parse_entry(line, event_type, sets):
                index[entry.kind].setdefault(entry.head, []).append(entry)
            lex.size += 1
    for entries in (*lex.verbs.values(), *lex.nouns.values(), *lex.adjs.values()):
        entries.sort(key=lambda e: (-e.specificity, -e.confidence))
    lex.verb_vocab = frozenset(lex.verbs) | {
        v.split("_")[0]
        for v in lex.light_verbs
        | lex.occurrence_verbs
        | lex.participation_verbs
        | lex.reporting_verbs
    }
    return lex


@lru_cache(maxsize=1)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Read and index the lexicon once per process."""
    with open(path or DATA_FILE, encoding="utf-8") as fh:
        return build_lexicon(yaml.safe_load(fh))
