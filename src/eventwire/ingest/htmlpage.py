"""Main text and metadata of a news web page, offline, via trafilatura (lxml as fallback)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

import lxml.html
import trafilatura
from lxml import etree

from eventwire.ingest.checks import parse_date
from eventwire.ingest.clean import clean_text

# publication dates only from the page's markup (meta tags, <time>, URL), never from
# the body text: a "© 2024" footer must not become an article date
DATE_PARAMS = {"extensive_search": False, "original_date": True}
# paragraphs outside these are the page's furniture in the lxml fallback
FURNITURE = ("nav", "header", "footer", "aside", "form", "script", "style", "noscript")

logging.getLogger("trafilatura").setLevel(logging.ERROR)
logging.getLogger("htmldate").setLevel(logging.ERROR)


@dataclass
class Page:
    """What a web page gives us: cleaned article text and its metadata."""

    text: str
    title: str | None = None
    date: date | None = None
    url: str | None = None
    source: str | None = None


def _drop_title_line(text: str, title: str | None) -> str:
    """trafilatura repeats the headline as the first line; it belongs in Article.title."""
    if not title:
        return text
    first, sep, rest = text.partition("\n")
    return rest if sep and first.strip() == title.strip() else text


def _fallback_paragraphs(html: str) -> str:
    """Text of <p> elements outside page furniture, when trafilatura finds no article."""
    try:
        root = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return ""
    kept: list[str] = []
    for para in root.iter("p"):
        if any(anc.tag in FURNITURE for anc in para.iterancestors()):
            continue
        text = " ".join(para.text_content().split())
        if text:
            kept.append(text)
    return "\n".join(kept)


def _str_or_none(value: object) -> str | None:
    """Metadata strings, with blanks as None."""
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def extract_page(html: str) -> Page:
    """The article of a web page, cleaned; Page.text is empty when there is none."""
    try:
        doc = trafilatura.bare_extraction(
            html,
            with_metadata=True,
            include_comments=False,
            include_tables=False,
            favor_precision=True,
            date_extraction_params=DATE_PARAMS,
        )
    except Exception:  # noqa: BLE001 - a broken page is skipped by the caller, never fatal
        doc = None
    if doc is None or isinstance(doc, dict):
        return Page(text=clean_text(_fallback_paragraphs(html)))
    title = _str_or_none(doc.title)
    text = clean_text(_drop_title_line(doc.text or "", title))
    if not text:
        text = clean_text(_fallback_paragraphs(html))
    return Page(
        text=text,
        title=title,
        date=parse_date(doc.date),
        url=_str_or_none(doc.url),
        source=_str_or_none(doc.sitename),
    )
