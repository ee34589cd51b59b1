"""Checks that turn unusable input into a clear skip reason instead of garbage events.

Encoding decision: input must be UTF-8 (a UTF-8 BOM is fine; UTF-16 is accepted only with
its BOM). There is deliberately no cp1252/Latin-1 fallback: a guessed encoding silently
garbles names that actor resolution depends on, and a wrong guess (Latin-2, KOI8-R...)
cannot be told apart from a right one. Such files are skipped with the offending byte and
its offset, so the user can convert them (e.g. `iconv -f cp1252 -t utf-8`).
"""

from __future__ import annotations

import codecs
import re
from datetime import date, datetime
from email.utils import parsedate_to_datetime
from functools import lru_cache
from pathlib import Path

import yaml

STOPWORDS_FILE = Path(__file__).with_name("stopwords.yaml")
# control characters that do not occur in text (tab, newlines, form feed are fine)
CONTROL_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")
BINARY_SAMPLE = 8192
BINARY_CONTROL_SHARE = 0.05
WORD = re.compile(r"[^\W\d_]+")
LANGUAGE_SAMPLE = 20_000  # characters looked at by the English check
MIN_WORDS = 8  # shorter texts (headlines, captions) are accepted as they are
SHORT_TEXT_WORDS = 40  # below this, a low English share alone is not enough to reject
MIN_ENGLISH_SHARE = 0.1
MIN_FOREIGN_SHARE = 0.1
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def binary_reason(data: bytes) -> str | None:
    """Say why bytes are not text: NUL bytes or many control characters."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in data:
        return "binary content (NUL bytes)"
    sample = data[:BINARY_SAMPLE]
    controls = len(CONTROL_BYTES.findall(sample))
    if sample and controls / len(sample) > BINARY_CONTROL_SHARE:
        return f"binary content ({controls} control bytes in the first {len(sample)})"
    return None


@lru_cache(maxsize=1)
def stopwords() -> tuple[frozenset[str], frozenset[str]]:
    """English and other-language function words, loaded once per process."""
    data = yaml.safe_load(STOPWORDS_FILE.read_text(encoding="utf-8"))
    return frozenset(data["english"]), frozenset(data["other"])


def english_share(text: str) -> tuple[float, float, int]:
    """Shares of English and of foreign evidence among the words, and the word count."""
    english, other = stopwords()
    words = WORD.findall(text[:LANGUAGE_SAMPLE])
    if not words:
        return 0.0, 0.0, 0
    n_english = n_foreign = 0
    for word in words:
        lower = word.lower()
        if lower in english:
            n_english += 1
        elif word == lower and (lower in other or not word.isascii()):
            n_foreign += 1  # capitalised words are names ("Erdoğan", "Bogotá"): no evidence
    return n_english / len(words), n_foreign / len(words), len(words)


def language_reason(text: str) -> str | None:
    """Reject text that is clearly not English; short English headlines must pass."""
    share, foreign, n_words = english_share(text)
    if n_words < MIN_WORDS or share >= MIN_ENGLISH_SHARE:
        return None
    if n_words < SHORT_TEXT_WORDS and foreign < MIN_FOREIGN_SHARE:
        return None
    return f"not English (English stopword share {share:.2f})"


def parse_date(value: object) -> date | None:
    """A date from an ISO or RFC 2822 string; None when it does not parse (never guessed)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if ISO_DATE.match(text):
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(text).date()
    except (TypeError, ValueError, IndexError):
        return None
