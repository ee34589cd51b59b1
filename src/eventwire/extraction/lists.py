"""Lists of parties the parser attaches oddly: colon lists and 'Title, Name and Name'."""

from __future__ import annotations

from spacy.tokens import Token

from eventwire.extraction.lexicon import Lexicon
from eventwire.nlp.sentences import sentence_span

LIST_SEPARATORS = frozenset({",", ";"})
HEAD_POS = frozenset({"NOUN", "PROPN", "PRON"})
SKIP_LEADING = frozenset({"CCONJ", "DET", "PUNCT"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


def _segments(tokens: list[Token]) -> list[list[Token]]:
    """Split on commas/semicolons, dropping the 'and' of ', and' and leading determiners."""
    segs: list[list[Token]] = [[]]
    for t in tokens:
        if t.text in LIST_SEPARATORS:
            segs.append([])
        else:
            segs[-1].append(t)
    out = []
    for seg in segs:
        while seg and seg[0].pos_ in SKIP_LEADING:
            seg = seg[1:]
        if seg:
            out.append(seg)
    return out


def _segment_head(seg: list[Token]) -> Token | None:
    """The first noun of a segment whose syntactic head lies outside it."""
    inside = {t.i for t in seg}
    for t in seg:
        if (t.head.i not in inside or t.head is t) and t.pos_ in HEAD_POS:
            return t
    return None


def colon_list(tok: Token) -> list[Token] | None:
    """'personalities: the Minister of X, Chief-of-Staff to Y, and Z' -> [Minister, Chief, Z].

    The parser hangs list items off each other (appos of appos, pobj of earlier items, even
    off another clause), so the items are read from the surface: the words after a colon
    that directly follows the argument, split at commas, up to the end of the sentence.
    """
    doc = tok.doc
    child = next((c for c in tok.children if c.text == ":" and c.i > tok.i), None)
    colon_i = child.i if child is not None else tok.right_edge.i + 1
    if colon_i >= len(doc) or doc[colon_i].text != ":":
        return None  # checked first: most arguments have no colon, and tok.sent is costly
    _, sent_end = sentence_span(doc, tok.i)
    if colon_i >= sent_end:
        return None
    tokens = [t for t in doc[colon_i + 1 : sent_end] if not t.is_space]
    while tokens and tokens[-1].is_punct:
        tokens.pop()
    if any(t.tag_ in FINITE_TAGS for t in tokens):
        return None  # a clause after the colon, not a list of parties
    heads = [h for seg in _segments(tokens) if (h := _segment_head(seg)) is not None]
    return heads if len(heads) > 1 else None


def merge_title_items(items: list[Token], lex: Lexicon) -> list[Token]:
    """'US Secretary of State, Antony Blinken and Netanyahu': title and name are one party."""
    if len(items) < 2:
        return items
    doc = items[0].doc
    out: list[Token] = []
    for i, item in enumerate(items):
        nxt = items[i + 1] if i + 1 < len(items) else None
        if (
            nxt is not None
            and item.ent_type_ != "PERSON"
            and lex.in_set("titles", item.lemma_.lower())
            and nxt.ent_type_ == "PERSON"
            and doc[nxt.left_edge.i - 1].text == ","
            and not any(t.dep_ == "cc" for t in doc[item.i : nxt.left_edge.i])
        ):
            continue
        out.append(item)
    return out
