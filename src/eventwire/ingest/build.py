"""Turn one document (bytes or text, plain or HTML) into an Article, or a Skipped saying why."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from eventwire.ingest.checks import binary_reason, language_reason
from eventwire.ingest.checks import parse_date as _parse_date
from eventwire.ingest.clean import clean_text
from eventwire.ingest.decoding import decode_bytes
from eventwire.ingest.htmlpage import extract_page
from eventwire.records import Article, Skipped

HTML_SNIFF = re.compile(r"<!doctype\s+html|<html[\s>]|<body[\s>]|<(p|div|article)[\s>]", re.I)
SNIFF_CHARS = 4096


@dataclass
class Meta:
    """What the caller knows about a document before reading it."""

    id: str
    origin: str
    raw_format: str  # text | html | jsonl
    date: dt.date | None = None  # given by the record itself: beats page metadata
    default_date: dt.date | None = None  # the CLI's --date: used only when nothing else gives one
    title: str | None = None
    url: str | None = None
    source: str | None = None
    encoding: str | None = None  # the codec that decoded the bytes


def as_date(value: dt.date | str | None) -> dt.date | None:
    """Accept a date or an ISO string from Python callers; a datetime becomes its date."""
    return _parse_date(value)


def looks_like_html(text: str) -> bool:
    """HTML if the start of the document has HTML document or paragraph tags."""
    return bool(HTML_SNIFF.search(text[:SNIFF_CHARS]))


def article_from_text(
    text: str,
    id: str = "text",
    date: dt.date | str | None = None,
    title: str | None = None,
    url: str | None = None,
    source: str | None = None,
) -> Article:
    """An Article from a Python string (eventwire.extract(text)), cleaned of boilerplate."""
    return Article(
        id=id,
        text=clean_text(text),
        title=title,
        date=as_date(date),
        url=url,
        source=source,
        origin=id,
        raw_format="text",
    )


def _skip(meta: Meta, reason: str) -> Skipped:
    return Skipped(article_id=meta.id, reason=reason, origin=meta.origin)


def build_article(raw: str, is_html: bool, meta: Meta, max_chars: int) -> Article | Skipped:
    """Clean and check decoded text; date precedence is record > page > --date > None."""
    if not raw.strip():
        return _skip(meta, "empty text")
    title, url, source = meta.title, meta.url, meta.source
    page_date: dt.date | None = None
    if is_html:
        page = extract_page(raw)
        text = page.text
        title, url, source = title or page.title, url or page.url, source or page.source
        page_date = page.date
        if not text:
            return _skip(meta, "no article text found in the HTML")
    else:
        text = clean_text(raw)
        if not text:
            return _skip(meta, "no text left after removing boilerplate")
    if len(text) > max_chars:
        return _skip(meta, f"too large ({len(text)} chars > limit {max_chars})")
    reason = language_reason(text)
    if reason:
        return _skip(meta, reason)
    return Article(
        id=meta.id,
        text=text,
        title=title,
        date=meta.date or page_date or meta.default_date,
        url=url,
        source=source,
        origin=meta.origin,
        raw_format=meta.raw_format,
        encoding=meta.encoding,
    )


def document_from_bytes(
    data: bytes, is_html: bool | None, meta: Meta, max_chars: int
) -> Article | Skipped:
    """Bytes of one document -> Article or Skipped; is_html=None means sniff the content."""
    if not data.strip():
        return _skip(meta, "empty text")
    reason = binary_reason(data)
    if reason:
        return _skip(meta, reason)
    decoded = decode_bytes(data)
    if isinstance(decoded, str):
        return _skip(meta, decoded)
    meta.encoding = decoded.encoding
    if is_html is None:
        is_html = looks_like_html(decoded.text)
        meta.raw_format = "html" if is_html else meta.raw_format
    return build_article(decoded.text, is_html, meta, max_chars)
