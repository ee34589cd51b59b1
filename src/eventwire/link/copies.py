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


_WORD_IDS: dict[str, int] = {}  # word -> 64-bit hash: news repeats its vocabulary
_MAX_WORDS = 500_000
_MULT, _MIX1, _MIX2 = 0x100000001B3, 0xFF51AFD7ED558CCD, 0xC4CEB9FE1A85EC53


def _word_id(word: str) -> int:
    found = _WORD_IDS.get(word)
    if found is None:
        if len(_WORD_IDS) >= _MAX_WORDS:
            _WORD_IDS.clear()
        digest = hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest()
        found = _WORD_IDS[word] = int.from_bytes(digest, "little")
    return found


def shingle_hashes(text: str, size: int = SHINGLE) -> Any:
    """32-bit hashes of the text's distinct lower-cased word n-grams (a text shorter than one
    shingle is one shingle): each word hashed once (BLAKE2b), each n-gram by a polynomial
    over its words' hashes and a 64-bit finaliser, all in numpy."""
    import numpy as np

    words = _WORD.findall(text.lower())
    if not words:
        return np.zeros(0, dtype=np.uint32)
    ids = np.fromiter(map(_word_id, words), dtype=np.uint64, count=len(words))
    width = min(size, len(ids))
    count = len(ids) - width + 1
    mult = np.uint64(_MULT)
    h = np.zeros(count, dtype=np.uint64)
    for k in range(width):
        h = h * mult + ids[k : k + count]
    h ^= h >> np.uint64(33)
    h *= np.uint64(_MIX1)
    h ^= h >> np.uint64(33)
    h *= np.uint64(_MIX2)
    h ^= h >> np.uint64(33)
    return np.unique((h >> np.uint64(32)).astype(np.uint32))


def _as_int(value: Any) -> int:
    """The hash function MinHash calls on our shingles, which are already hashes."""
    return int(value)


@lru_cache(maxsize=1)
def _empty() -> Any:
    """An empty MinHash to copy: drawing the permutations costs more than hashing a text."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME, hashfunc=_as_int)


def signature(text: str) -> Any:
    """The MinHash of a text's shingles (datasketch.MinHash)."""
    found = _empty().copy()
    found.update_batch(shingle_hashes(text))
    return found


def to_bytes(minhash: Any) -> bytes:
    """A signature as stored (store/groups.py): its hash values, little-endian uint64."""
    return bytes(minhash.hashvalues.astype("<u8").tobytes())


def from_bytes(data: bytes) -> Any:
    """A stored signature back as a MinHash."""
    import numpy as np
    from datasketch import MinHash

    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    return MinHash(num_perm=NUM_PERM, seed=SEED, hashvalues=values, scheme=SCHEME, hashfunc=_as_int)


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

    def drop_before(self, day: dt.date) -> None:
        """Forget articles published before `day` (undated ones stay): a long run stays flat."""
        old = [k for k, d in self._days.items() if d is not None and d < day]
        for key in old:
            self._lsh.remove(key)
            del self._groups[key], self._signatures[key], self._days[key]

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
