"""A drop-in for the model's attribute_ruler that gives the same token attributes faster.

spaCy's AttributeRuler runs a Matcher of ~180 patterns over every token; in en_core_web_sm
that costs about a sixth of the whole model's time. Nearly all its patterns are
one or two plain token tests, so each distinct token signature (lower, tag, dep, ...) is
matched once, cached, and the same rule attributes are written with spaCy's own setter in
spaCy's order. Models whose patterns use anything else keep spaCy's component.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any

from spacy.language import Language
from spacy.pipeline import AttributeRuler
from spacy.tokens import Doc
from spacy.tokens._retokenize import set_token_attrs

# Matcher token keys this drop-in understands, and the Token property holding each value.
TOKEN_PROPS: dict[str, str] = {
    "ORTH": "orth_",
    "TEXT": "text",
    "LOWER": "lower_",
    "NORM": "norm_",
    "TAG": "tag_",
    "POS": "pos_",
    "DEP": "dep_",
    "IS_SPACE": "is_space",
    "IS_PUNCT": "is_punct",
    "IS_DIGIT": "is_digit",
}
CACHE_LIMIT = 200_000  # distinct token signatures kept; a long run stays bounded


class Unsupported(ValueError):
    """The ruler uses a pattern feature this drop-in does not reproduce exactly."""


@dataclass(frozen=True)
class Rule:
    """One matcher pattern of one ruler entry: its tests per token and where it writes."""

    entry: int  # the ruler's attribute id: later entries win, as in spaCy
    tests: tuple[tuple[tuple[int, Check], ...], ...]  # per pattern token: (slot, test) pairs
    index: int  # which token of the matched span gets the attributes


@dataclass(frozen=True)
class Info:
    """What one token signature matches: one-token entries, multi-token pattern starts,
    and the (multi-token pattern, position) tests it passes."""

    entries: tuple[int, ...]
    starts: tuple[int, ...]
    positions: frozenset[tuple[int, int]]


@dataclass(frozen=True)
class Check:
    """One attribute test as the Matcher reads it: a value set ("in": equality or IN), an
    excluded set ("not_in") or a regex search; sets let a slot be indexed by value."""

    kind: str
    members: frozenset[Any] = frozenset()
    pattern: str = ""

    def __call__(self, got: Any) -> bool:
        if self.kind == "in":
            return got in self.members
        if self.kind == "not_in":
            return got not in self.members
        return re.search(self.pattern, got) is not None


def value_test(value: Any) -> Check:
    """The Matcher's semantics for one attribute value: equality, IN, NOT_IN or REGEX."""
    if isinstance(value, (str, bool)):
        return Check("in", frozenset([value]))
    if isinstance(value, dict) and len(value) == 1:
        ((op, arg),) = value.items()
        if op in ("IN", "NOT_IN") and isinstance(arg, list):
            return Check(op.lower(), frozenset(arg))
        if op == "REGEX" and isinstance(arg, str):
            re.compile(arg)  # a bad pattern fails here, at load time
            return Check("regex", pattern=arg)
    raise Unsupported(f"pattern value {value!r}")


def compile_rules(ruler: AttributeRuler) -> tuple[list[Rule], tuple[str, ...]]:
    """Every pattern as tests over a fixed tuple of token properties (the signature)."""
    slots: dict[str, int] = {}
    rules: list[Rule] = []
    for entry, spec in enumerate(ruler.patterns):
        spec_any: dict[str, Any] = dict(spec)
        for pattern in spec_any["patterns"]:
            tokens = tuple(_token_tests(token, slots) for token in pattern)
            if not tokens:
                raise Unsupported("empty pattern")
            rules.append(Rule(entry, tokens, int(spec_any.get("index", 0))))
    return rules, tuple(slots)


def _token_tests(token: dict[Any, Any], slots: dict[str, int]) -> tuple[tuple[int, Check], ...]:
    tests = []
    for key, value in token.items():
        prop = TOKEN_PROPS.get(key.upper()) if isinstance(key, str) else None
        if prop is None:  # OP, extension attributes, comparisons, other keys
            raise Unsupported(f"pattern key {key!r}")
        slot = slots.setdefault(prop, len(slots))
        tests.append((slot, value_test(value)))
    return tuple(tests)


class FastAttributeRuler:
    """Applies a compiled AttributeRuler; results are identical to spaCy's component."""

    def __init__(self, ruler: AttributeRuler) -> None:
        self.rules, props = compile_rules(ruler)
        self.attrs = list(ruler.attrs)
        self.signature = attrgetter(*props) if len(props) > 1 else _one(props)
        self.singles = [r for r in self.rules if len(r.tests) == 1]
        self.spans = [r for r in self.rules if len(r.tests) > 1]
        self.index_of = {rule.entry: rule.index for rule in self.rules}
        self.cache: dict[Any, Info] = {}
        self.slots = _SlotMasks(self.singles, self.spans, len(props))

    def __call__(self, doc: Doc) -> Doc:
        for entry, target in self.matches(doc):
            set_token_attrs(doc[target], self.attrs[entry])
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        """spaCy's Language.pipe hands batches to components that have this method."""
        for doc in docs:
            yield self(doc)

    def matches(self, doc: Doc) -> list[tuple[int, int]]:
        """(entry, token index) pairs in spaCy's order: by entry, then by span start."""
        found: list[tuple[int, int, int]] = []
        infos = [self._info(self.signature(token)) for token in doc]
        for start, info in enumerate(infos):
            found.extend((entry, start, start + 1) for entry in info.entries)
            for number in info.starts:
                found.extend(self._span_match(number, start, infos))
        found.sort()
        return [(entry, self._target(entry, start, end)) for entry, start, end in found]

    def _span_match(
        self, number: int, start: int, infos: Sequence[Info]
    ) -> list[tuple[int, int, int]]:
        """The multi-token pattern `number` whose first token test passes at `start`."""
        rule = self.spans[number]
        end = start + len(rule.tests)
        if end > len(infos):
            return []
        if all((number, k) in infos[start + k].positions for k in range(1, len(rule.tests))):
            return [(rule.entry, start, end)]
        return []

    def _target(self, entry: int, start: int, end: int) -> int:
        index = self.index_of[entry]
        target = start + index if index >= 0 else end + index
        if not start <= target < end:
            raise ValueError(f"attribute rule {entry}: index {index} outside its match")
        return target

    def _info(self, key: Any) -> Info:
        """What one token signature matches; computed once per signature."""
        info = self.cache.get(key)
        if info is None:
            if len(self.cache) >= CACHE_LIMIT:
                self.cache.clear()
            info = self.cache[key] = self._evaluate(key)
        return info

    def _evaluate(self, values: tuple[Any, ...]) -> Info:
        entries: list[int] = []
        positions: set[tuple[int, int]] = set()
        for entry, number, k in self.slots.passing(values):
            if entry >= 0:
                entries.append(entry)
            else:
                positions.add((number, k))
        return Info(
            entries=tuple(entries),
            starts=tuple(n for n in range(len(self.spans)) if (n, 0) in positions),
            positions=frozenset(positions),
        )


class _SlotMasks:
    """Which pattern tokens a signature passes, as a bitwise AND of per-slot bit masks: each
    distinct value of each slot (a word, a tag) is tested once, not once per signature."""

    def __init__(self, singles: Sequence[Rule], spans: Sequence[Rule], n_slots: int) -> None:
        # one item per one-token pattern (entry, -1, 0) and per multi-token position (-1, n, k)
        tested: list[tuple[tuple[int, int, int], tuple[tuple[int, Check], ...]]] = [
            ((r.entry, -1, 0), r.tests[0]) for r in singles
        ]
        tested += [((-1, n, k), t) for n, r in enumerate(spans) for k, t in enumerate(r.tests)]
        self.items = [item for item, _ in tested]
        self.every = (1 << len(tested)) - 1
        self.free = [self.every] * n_slots  # items that do not test the slot
        self.hits: list[dict[Any, int]] = [{} for _ in range(n_slots)]  # "in" bits by value
        self.unless = [0] * n_slots  # "not_in" bits, cleared by the values in `excluded`
        self.excluded: list[dict[Any, int]] = [{} for _ in range(n_slots)]
        self.tests: list[list[tuple[int, list[Check]]]] = [[] for _ in range(n_slots)]  # others
        for i, (_, tests) in enumerate(tested):
            for slot in {slot for slot, _ in tests}:
                self.free[slot] &= ~(1 << i)
                self._index(slot, 1 << i, [t for s, t in tests if s == slot])
        self.cache: list[dict[Any, int]] = [{} for _ in range(n_slots)]

    def _index(self, slot: int, bit: int, checks: list[Check]) -> None:
        kind = checks[0].kind if len(checks) == 1 else "several"
        if kind in ("in", "not_in"):
            table = self.hits[slot] if kind == "in" else self.excluded[slot]
            for value in checks[0].members:
                table[value] = table.get(value, 0) | bit
            if kind == "not_in":
                self.unless[slot] |= bit
        else:
            self.tests[slot].append((bit, checks))

    def passing(self, values: tuple[Any, ...]) -> Iterator[tuple[int, int, int]]:
        """The items every test of which passes on `values`, in item order."""
        mask = self.every
        for slot, value in enumerate(values):
            mask &= self._mask(slot, value)
        while mask:
            low = mask & -mask
            mask ^= low
            yield self.items[low.bit_length() - 1]

    def _mask(self, slot: int, value: Any) -> int:
        cache = self.cache[slot]
        mask = cache.get(value)
        if mask is None:
            mask = self.free[slot] | self.hits[slot].get(value, 0)
            mask |= self.unless[slot] & ~self.excluded[slot].get(value, 0)
            for bit, tests in self.tests[slot]:
                if all(test(value) for test in tests):
                    mask |= bit
            if len(cache) >= CACHE_LIMIT:
                cache.clear()
            cache[value] = mask
        return mask


def _one(props: tuple[str, ...]) -> Callable[[Any], Any]:
    """attrgetter of one name returns a bare value; keep the key shape uniform."""
    if not props:
        return lambda token: ()
    get = attrgetter(props[0])
    return lambda token: (get(token),)


def can_replace(nlp: Language, name: str = "attribute_ruler") -> bool:
    """True when the model has an attribute ruler whose patterns compile exactly."""
    ruler = nlp.get_pipe(name) if name in nlp.pipe_names else None
    if not isinstance(ruler, AttributeRuler):
        return False
    try:
        compile_rules(ruler)
    except Unsupported:
        return False
    return True


@Language.factory("eventwire_attribute_ruler_v1", default_config={"source": "attribute_ruler"})
def make_fast_attribute_ruler(nlp: Language, name: str, source: str) -> FastAttributeRuler:
    """Built from the model's own ruler (still in the pipeline when this is added)."""
    ruler = nlp.get_pipe(source)
    if not isinstance(ruler, AttributeRuler):
        raise TypeError(f"{source!r} is not an AttributeRuler")
    return FastAttributeRuler(ruler)


def swap_attribute_ruler(nlp: Language, name: str = "attribute_ruler") -> bool:
    """Put the fast drop-in where the model's ruler was; False (unchanged) if it can't."""
    if not can_replace(nlp, name):
        return False
    replace_in_place(nlp, name, "eventwire_attribute_ruler_v1")
    return True


def replace_in_place(nlp: Language, name: str, factory: str) -> None:
    """Add `factory` built from component `name` (its config's `source`), then drop `name`."""
    nlp.add_pipe(factory, before=name, config={"source": name})
    nlp.remove_pipe(name)
