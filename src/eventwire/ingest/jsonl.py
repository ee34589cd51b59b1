"""Stream a JSONL corpus: one article per line, each bad line a Skipped with its line number."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from eventwire.ingest.build import Meta, build_article
from eventwire.ingest.checks import parse_date
from eventwire.ingest.decoding import decode_bytes
from eventwire.records import Article, Skipped

STRING_FIELDS = ("text", "html", "title", "url", "source")


def looks_like_jsonl(first_line: str) -> bool:
    """A JSONL corpus starts with a line that is a JSON object."""
    line = first_line.strip()
    return line.startswith("{") and line.endswith("}")


def _record_id(record: Any, fallback: str) -> str:
    """The record's own id (strings and integers), else "<stem>:<line>"."""
    if isinstance(record, dict):
        value = record.get("id")
        if isinstance(value, str) and value.strip():
            return value.strip()
        if isinstance(value, int) and not isinstance(value, bool):
            return str(value)
    return fallback


def _parse_line(raw: bytes) -> tuple[Any, str | None, str | None]:
    """The JSON value of one line and the codec that decoded it, or a reason it cannot be read."""
    decoded = decode_bytes(raw)  # a Windows-1252 line in a UTF-8 file is decoded, not lost
    if isinstance(decoded, str):
        return None, decoded, None
    line = decoded.text.rstrip("\r\n")
    try:
        return json.loads(line), None, decoded.encoding
    except json.JSONDecodeError as err:
        return None, f"invalid JSON: {err.msg} at column {err.colno}", None
    except ValueError as err:  # a 5,000-digit number passes Python's integer-string limit
        return None, f"invalid JSON: {str(err).split(';')[0]}", None
    except RecursionError:
        return None, "invalid JSON: nested too deeply", None


def _record_problem(record: Any) -> str | None:
    """Why a parsed line is not a usable article record, if it is not."""
    if not isinstance(record, dict):
        return f"not a JSON object (got {type(record).__name__})"
    for name in STRING_FIELDS:
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            return f"field '{name}' must be a string (got {type(value).__name__})"
    if not record.get("text") and not record.get("html"):
        has_field = "text" in record or "html" in record
        return "empty text" if has_field else "no 'text' or 'html' field"
    return None


def record_to_article(record: dict[str, Any], meta: Meta, max_chars: int) -> Article | Skipped:
    """One valid record -> Article; its own date/title/url/source beat the page's."""
    meta.date = parse_date(record.get("date"))
    meta.title = record.get("title") or None
    meta.url = record.get("url") or None
    meta.source = record.get("source") or None
    text = record.get("text")
    if text:
        return build_article(text, False, meta, max_chars)
    return build_article(record["html"], True, meta, max_chars)


def record_item(record: Any, reason: str | None, meta: Meta, max_chars: int) -> Article | Skipped:
    """One parsed record (a JSONL line, a Parquet row) -> Article, or Skipped saying why."""
    meta.id = _record_id(record, meta.id)
    reason = reason or _record_problem(record)
    if reason:
        return Skipped(article_id=meta.id, reason=reason, origin=meta.origin)
    return record_to_article(record, meta, max_chars)


def iter_jsonl(
    lines: Iterable[bytes],
    stem: str,
    origin: str,
    default_date: date | None,
    max_chars: int,
    first_line: int = 1,
) -> Iterator[Article | Skipped]:
    """Yield one Article or Skipped per non-blank line, reading one line at a time.

    first_line numbers the first of `lines` when they are a slice of a bigger file.
    """
    for number, raw in enumerate(lines, start=first_line):
        if not raw.strip():
            continue
        meta = Meta(id=f"{stem}:{number}", origin=f"{origin}:{number}", raw_format="jsonl")
        meta.default_date = default_date
        record, reason, meta.encoding = _parse_line(raw)
        yield record_item(record, reason, meta, max_chars)
