"""Remove boilerplate lines (link teasers, share prompts, bylines) without touching the article.

The pipeline reports character offsets into the cleaned text, so cleaning only drops whole
lines, cuts a glued link teaser off the end of a line, strips trailing whitespace and
collapses runs of blank lines. Every other character is kept as it was.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

PATTERNS_FILE = Path(__file__).with_name("boilerplate.yaml")
# a glued "Read more: ..." counts only after the end of a sentence (or a closing quote)
SENTENCE_END = r"(?<=[.!?\"'”’)\]])"
# longer lines are article paragraphs, never boilerplate (also bounds the regex work)
MAX_BOILERPLATE_LINE = 400


@dataclass(frozen=True)
class Patterns:
    """The compiled boilerplate patterns, built once per process."""

    line: re.Pattern[str]
    line_cased: re.Pattern[str]
    glued: re.Pattern[str]


def _alternation(regexes: list[str]) -> str:
    return "|".join(f"(?:{r})" for r in regexes)


@lru_cache(maxsize=1)
def patterns() -> Patterns:
    """Load boilerplate.yaml once: cleaning runs per article and must stay cheap."""
    data = yaml.safe_load(PATTERNS_FILE.read_text(encoding="utf-8"))
    anywhere = _alternation(data["glued_anywhere"])
    after_sentence = _alternation(data["glued_after_sentence"])
    return Patterns(
        line=re.compile(_alternation(data["lines"]), re.IGNORECASE),
        line_cased=re.compile(_alternation(data["case_sensitive_lines"])),
        glued=re.compile(
            rf"(?:{anywhere})|{SENTENCE_END}[ \t]*(?:{after_sentence})", re.IGNORECASE
        ),
    )


def is_boilerplate(line: str) -> bool:
    """True when the whole line is a teaser, share prompt, byline, ad or similar."""
    stripped = line.strip()
    if not stripped or len(stripped) > MAX_BOILERPLATE_LINE:
        return False
    pats = patterns()
    return bool(pats.line.fullmatch(stripped) or pats.line_cased.fullmatch(stripped))


def cut_glued(line: str) -> str:
    """Drop a link teaser glued onto the end of a paragraph ("...threats.Read also| Kyiv ...")."""
    match = patterns().glued.search(line)
    if match is None or match.start() == 0:
        return line
    return line[: match.start()]


def clean_text(text: str) -> str:
    """Article text without boilerplate lines; kept characters are unchanged."""
    kept: list[str] = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = cut_glued(raw).rstrip()
        if is_boilerplate(line):
            continue
        if not line.strip():
            if kept and kept[-1]:
                kept.append("")
            continue
        kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept)
