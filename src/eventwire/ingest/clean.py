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
# a lone surrogate (possible in a Python str, never in UTF-8) cannot be stored or hashed: it
# becomes U+FFFD, one character for one, so offsets stay put
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Patterns:
    """The compiled boilerplate patterns, built once per process."""

    line: re.Pattern[str]
    line_cased: re.Pattern[str]
    glued: re.Pattern[str]
    # every glued marker ends with one of these characters: a line without any is skipped
    # unsearched (most lines); empty when some marker does not, then every line is searched
    glue_ends: frozenset[str] = frozenset()


def _alternation(regexes: list[str]) -> str:
    return "|".join(f"(?:{r})" for r in regexes)


# a marker regex that ends in a literal '|' or ':' after optional spaces, e.g. 'read\s+more\s*:'
_ENDS_IN_LITERAL = re.compile(r"\\s\*(\\\||:)$")


def _top_level_choice(regex: str) -> bool:
    """Whether the regex has an unescaped '|' outside any group ('a|b\\s*:' may match 'a')."""
    depth, escaped = 0, False
    for char in regex:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        elif char == "|" and depth == 0:
            return True
    return depth != 0  # unbalanced (a bracket inside a class): not sure, so say yes


def _glue_ends(regexes: list[str]) -> frozenset[str]:
    """The last characters every marker must contain, or none if one marker has no such end."""
    ends = [_ENDS_IN_LITERAL.search(r) for r in regexes]
    if not ends or any(m is None for m in ends) or any(map(_top_level_choice, regexes)):
        return frozenset()
    return frozenset(m.group(1)[-1] for m in ends if m is not None)


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
        glue_ends=_glue_ends(data["glued_anywhere"] + data["glued_after_sentence"]),
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
    pats = patterns()
    if pats.glue_ends and not any(c in line for c in pats.glue_ends):
        return line
    match = pats.glued.search(line)
    if match is None or match.start() == 0:
        return line
    return line[: match.start()]


def clean_text(text: str) -> str:
    """Article text without boilerplate lines; kept characters are unchanged."""
    kept: list[str] = []
    text = LONE_SURROGATE.sub("\ufffd", text)
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
