"""The Doc's text, kept once per Doc: spaCy rebuilds `doc.text` from every token per access.

make_doc stores the article text it tokenised (the tokenizer never changes characters, so it
is exactly doc.text); a Doc made elsewhere gets its text computed once on first use.
"""

from __future__ import annotations

from spacy.tokens import Doc

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
