"""The Doc's text, kept once per Doc: spaCy rebuilds `doc.text` from every token per access.

make_doc stores the article text it tokenised (the tokenizer never changes characters, so it
is exactly doc.text); a Doc made elsewhere gets its text computed once on first use.
"""

from __future__ import annotations

from typing import Any

from spacy.tokens import Doc, Span

_KEY = "eventwire_text"


def remember_text(doc: Doc, text: str) -> None:
    """Record the text a Doc was tokenised from."""
    doc.user_data[_KEY] = [len(doc), text]


def doc_text(doc: Doc) -> str:
    """doc.text, computed at most once per Doc."""
    cached = doc.user_data.get(_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    text = doc.text
    remember_text(doc, text)
    return text


_MEMO_KEY = "eventwire_memo"


class _Memo(dict[str, Any]):
    """Per-Doc cache of derived values; pickles and copies as empty (values are rebuilt)."""

    def __reduce__(self) -> tuple[type[_Memo], tuple[()]]:
        return (_Memo, ())

    def __deepcopy__(self, memo: dict[int, Any]) -> _Memo:
        return _Memo()


def doc_memo(doc: Doc) -> dict[str, Any]:
    """A dict that lives as long as the Doc (reset if its tokens change): per-doc caches."""
    cached = doc.user_data.get(_MEMO_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]  # type: ignore[no-any-return]
    memo = _Memo()
    doc.user_data[_MEMO_KEY] = [len(doc), memo]
    return memo


def doc_ents(doc: Doc) -> tuple[Span, ...]:
    """doc.ents, built once per Doc: spaCy rebuilds every entity Span per access."""
    memo = doc_memo(doc)
    ents: tuple[Span, ...] | None = memo.get("ents")
    if ents is None:
        ents = memo["ents"] = tuple(doc.ents)
    return ents
