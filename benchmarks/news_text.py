"""Realistic news sentences and search queries for benchmarks, from a word-bigram model.

A toy vocabulary makes full-text search timings meaningless (every word matches everything),
so `NewsText` learns word-to-word transitions from real-looking news stories and generates
new sentences with a realistic Zipf vocabulary, plus the kinds of queries people type.
Default training text: the MIT-licensed synthetic NGEC stories in ../shared/data if present,
else the project's own CC0 samples. Everything is drawn from the caller's `random.Random`,
so a seed fixes the output. `python benchmarks/news_text.py` prints samples and a timing.
"""

from __future__ import annotations

import json
import re
import time
from array import array
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from random import Random
from typing import TypeVar

T = TypeVar("T")
REPO = Path(__file__).resolve().parents[1]
MAX_TOKENS = 45
END = 0
TOKEN = re.compile(r"\$?\d+(?:[.,:]\d+)*%?(?:-\w+)*|\w+(?:['’.-]\w+)*|[^\w\s\"“”()\[\]{}]")
SENTENCE_BREAK = re.compile(r"(?<=[.!?])[\"”’]?\s+(?=[\"“]?[A-Z0-9])")
NO_SPACE_BEFORE = {",", ".", ";", ":", "!", "?", "%", "…"}
WORD_RANKS = (50, 3000)
_CONNECTORS = "of the and with in on for from against at by over"
_STOPWORDS = """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each few
    for from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just me more most my myself no nor not now of off on once only or
    other our ours ourselves out over own same she should so some such than that the their
    theirs them themselves then there these they this those through to too under until up
    upon very was we were what when where which while who whom why will with would you your
    yours yourself said says told according while however since amid among within without
    also many much another every several across around"""
CONNECTORS = frozenset(_CONNECTORS.split())  # may sit inside a three-word phrase
STOPWORDS = frozenset(_STOPWORDS.split())


def default_paths() -> list[Path]:
    """The synthetic NGEC stories (4,500, ~0.9 M words) if present, else the CC0 samples."""
    ngec = REPO / ".." / "shared" / "data" / "ngec-synthetic-stories.jsonl"
    if ngec.is_file():
        return [ngec]
    return [REPO / "samples" / "corpus.jsonl", *sorted((REPO / "samples" / "text").glob("*.txt"))]


def read_texts(paths: Sequence[Path]) -> Iterator[str]:
    """Article texts: the "text" field of JSONL records (others skipped), or whole .txt files."""
    for path in paths:
        if path.suffix != ".jsonl":
            yield path.read_text(encoding="utf-8")
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line) if line.strip() else None
            if isinstance(record, dict) and isinstance(record.get("text"), str):
                yield record["text"]


def split_sentences(text: str) -> Iterator[list[str]]:
    """Token lists of the sentences of a text; skips scraper share bars ("a | b")."""
    for paragraph in text.splitlines():
        if "|" in paragraph:
            continue
        for sentence in SENTENCE_BREAK.split(paragraph):
            tokens = TOKEN.findall(sentence)
            if len(tokens) >= 3:
                yield tokens


def is_content(word: str, min_letters: int = 4) -> bool:
    """A topical word a person would search for: alphabetic, long enough, not a function word."""
    return len(word) >= min_letters and word.isalpha() and word.lower() not in STOPWORDS


def is_name(word: str) -> bool:
    """Looks like a proper name: Capitalised, then lower case (not an acronym or all caps)."""
    return len(word) >= 3 and word.isalpha() and word[0].isupper() and word[1:].islower()


class NewsText:
    """Word-bigram model of news text; generates sentences and free-text search queries."""

    def __init__(self, rng: Random, paths: Sequence[Path]) -> None:
        """Train on `paths`; all later draws use `rng`, so a seed fixes every output."""
        self._rng = rng
        self._ids: dict[str, int] = {"": END}
        self._words: list[str] = [""]
        self._flat = array("I")  # every training sentence's token ids, each followed by END
        self._initial: Counter[int] = Counter()
        for text in read_texts(paths):
            for tokens in split_sentences(text):
                self._flat.append(END)
                self._flat.extend(self._id(token) for token in tokens)
                self._initial[self._flat[len(self._flat) - len(tokens)]] += 1
        self._flat.append(END)
        if len(self._flat) < 2:
            raise ValueError(f"no training text in {[str(p) for p in paths]}")
        self._build_chain()
        self._build_queries()

    def _id(self, token: str) -> int:
        """Intern a token so the chain works on small ints instead of strings."""
        found = self._ids.get(token)
        if found is None:
            found = self._ids[token] = len(self._words)
            self._words.append(token)
        return found

    def _build_chain(self) -> None:
        """Per-token successor lists (with repeats, so a uniform pick is frequency-weighted)."""
        flat = self._flat
        self._succ: list[list[int]] = [[] for _ in self._words]
        for here, after in zip(flat, flat[1:], strict=False):
            if here != END:
                self._succ[here].append(after)
        self._starts = [after for here, after in zip(flat, flat[1:], strict=False) if here == END]
        self._starts = [tok for tok in self._starts if tok != END]
        self._piece = [w if w in NO_SPACE_BEFORE else " " + w for w in self._words]

    def _build_queries(self) -> None:
        """Pools for each query kind, ordered deterministically (frequency, then spelling)."""
        counts = Counter(self._flat)
        lower = [w for w in self._words if w.islower() and is_content(w)]
        ranked = sorted(lower, key=lambda w: (-counts[self._ids[w]], w))
        low, high = WORD_RANKS
        low = min(low, len(ranked) // 4)
        self._topical = ranked[low:high] or ranked
        long_words = [w for w in ranked if len(w) >= 8 and counts[self._ids[w]] >= 2]
        self._long = long_words[: high - low] or ["negotiations"]
        seen_lower = {w.lower() for w in lower}
        self._names = sorted(
            w
            for w in self._words
            if is_name(w)
            and w.lower() not in seen_lower
            and w.lower() not in STOPWORDS
            and counts[self._ids[w]] - self._initial[self._ids[w]] >= 1
            and counts[self._ids[w]] <= 10
        ) or ["Kazan"]
        self._phrase_starts = array("I", self._find_phrases())

    def _find_phrases(self) -> Iterator[int]:
        """Positions (times 4, plus length) of "content content" or "content of/with/.. content"."""
        flat, words = self._flat, self._words
        content = [is_content(w, 3) for w in words]
        linking = [w.lower() in CONNECTORS for w in words]
        for pos in range(len(flat) - 2):
            if not content[flat[pos]]:
                continue
            if content[flat[pos + 1]]:
                yield pos * 4 + 2
            elif linking[flat[pos + 1]] and content[flat[pos + 2]]:
                yield pos * 4 + 3

    def sentence(self) -> str:
        """One new sentence: a real sentence start, then bigram steps until an end or 45 tokens."""
        rand, succ, piece = self._rng.random, self._succ, self._piece
        starts = self._starts
        tok = starts[int(rand() * len(starts))]
        out = [self._words[tok]]
        for _ in range(MAX_TOKENS - 1):
            nxt = succ[tok]
            tok = nxt[int(rand() * len(nxt))]
            if tok == END:
                break
            out.append(piece[tok])
        else:
            out.append(".")  # cut off at MAX_TOKENS: still end like a sentence
        return "".join(out)

    def word(self) -> str:
        """A topical content word (frequency ranks ~50-3000): typical one-word searches."""
        return self._pick(self._topical)

    def phrase(self) -> str:
        """Two or three adjacent training words, content at both ends ("prime minister")."""
        code = self._pick(self._phrase_starts)
        pos, length = divmod(code, 4)
        text = " ".join(self._words[t] for t in self._flat[pos : pos + length])
        return text.lower() if self._rng.random() < 0.5 else text

    def name(self) -> str:
        """A rare capitalised word seen mid-sentence and never in lower case: a name or place."""
        return self._pick(self._names)

    def fragment(self) -> str:
        """The first 5-8 letters of a long content word, as typed into a search-as-you-type box."""
        word = self._pick(self._long)
        return word[: self._rng.randint(5, min(8, len(word) - 1))]

    def _pick(self, pool: Sequence[T]) -> T:
        """Uniform choice with the shared rng (same draws as the sentence generator)."""
        return pool[int(self._rng.random() * len(pool))]


def _demo() -> None:
    """Print samples of each output and the CPU time of 200,000 sentences."""
    news = NewsText(Random(1), default_paths())
    for _ in range(5):
        print(news.sentence())
    for kind in (news.word, news.phrase, news.name, news.fragment):
        print(f"{kind.__name__}: {[kind() for _ in range(3)]}")
    start = time.process_time()
    words = sum(len(news.sentence().split()) for _ in range(200_000))
    took = time.process_time() - start
    print(f"200,000 sentences ({words / 200_000:.1f} words each): {took:.2f} s CPU")


if __name__ == "__main__":
    _demo()
