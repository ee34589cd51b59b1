"""Syndicated copies: MinHash over word shingles, candidates from LSH (datasketch)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from eventwire.link import COPY_THRESHOLD

NUM_PERM = 128  # Jaccard estimates within ~0.04 (one s.d.), 1 KB a signature
SHINGLE = 5  # words per shingle: bylines and tails change few shingles, other reports many
SEED = 7  # fixed: the same text always gets the same signature
SCHEME = "affine32"  # datasketch's hashing scheme, stated so stored signatures stay comparable
COPY_DAYS = 7  # a copy is published within a week of its original (undated: among undated)
_WORD = re.compile(r"\w+")


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    """Lower-cased word n-grams; a text shorter than one shingle is its own shingle."""
    words = _WORD.findall(text.lower())
    if len(words) <= size:
        return {" ".join(words).encode("utf-8")} if words else set()
    return {" ".join(words[i : i + size]).encode("utf-8") for i in range(len(words) - size + 1)}


def hash32(data: bytes) -> int:
    """32-bit shingle hash (BLAKE2b): well mixed, as MinHash needs, and the same everywhere."""
    return int.from_bytes(hashlib.blake2b(data, digest_size=4).digest(), "little")


@lru_cache(maxsize=1)
def _empty() -> Any:
    """An empty MinHash to copy: drawing the permutations costs more than hashing a text."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=hash32)


def signature(text: str) -> Any:
    """The MinHash of a text's shingles (datasketch.MinHash)."""
    found = _empty().copy()
    found.update_batch(sorted(shingles(text)))
    return found


def to_bytes(minhash: Any) -> bytes:
    """A signature as stored (store/groups.py): its hash values, little-endian uint64."""
    return bytes(minhash.hashvalues.astype("<u8").tobytes())


def from_bytes(data: bytes) -> Any:
    """A stored signature back as a MinHash."""
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME, hashfunc=hash32)


def near(a: dt.date | None, b: dt.date | None) -> bool:
    """Publication dates close enough for one to be a copy of the other."""
    if a is None or b is None:
        return a is None and b is None
    return abs((a - b).days) <= COPY_DAYS


class CopyIndex:
    """Articles seen so far; a new one joins the copy group of its closest earlier copy."""

    def __init__(self, threshold: float = COPY_THRESHOLD) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self._lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        self._groups: dict[str, str] = {}  # article hash -> copy group (first article's hash)
        self._signatures: dict[str, Any] = {}
        self._days: dict[str, dt.date | None] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._groups

    def load(self, rows: Iterable[tuple[str, str, dt.date | None, bytes]]) -> None:
        """Stored articles (hash, copy group, publication date, signature bytes)."""
        for key, group, day, data in rows:
            if key not in self._groups:
                self._keep(key, group, day, from_bytes(data))

    def _keep(self, key: str, group: str, day: dt.date | None, minhash: Any) -> None:
        self._lsh.insert(key, minhash)
        self._groups[key] = group
        self._signatures[key] = minhash
        self._days[key] = day

    def add(self, key: str, text: str, day: dt.date | None = None) -> tuple[str, Any]:
        """(copy group, signature) of a new article; the group is its own hash when it is new.

        The best candidate published within COPY_DAYS wins, ties by the smaller group key:
        deterministic for one input, in one run or many."""
        if key in self._groups:
            return self._groups[key], self._signatures[key]
        minhash = signature(text)
        best: tuple[float, str] | None = None
        for other in self._lsh.query(minhash):
            if not near(day, self._days[other]):
                continue
            similarity = float(minhash.jaccard(self._signatures[other]))
            if similarity < self.threshold:
                continue
            group = self._groups[other]
            if best is None or (-similarity, group) < (-best[0], best[1]):
                best = (similarity, group)
        group = best[1] if best else key
        self._keep(key, group, day, minhash)
        return group, minhash

    def group(self, key: str) -> str | None:
        return self._groups.get(key)
