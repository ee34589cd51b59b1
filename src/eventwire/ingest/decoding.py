"""Bytes to text the way news archives need it: BOM, then the charset the page declares, then
UTF-8, then detection (charset-normalizer); mojibake from a double decode is repaired (ftfy).
Only bytes that no decoding turns into text are refused, with that reason."""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
DECLARED = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"""
    rb"""|<\?xml[^>]+encoding\s*=\s*["']([A-Za-z0-9_.\-]+)""",
    re.IGNORECASE,
)
HEAD_BYTES = 4096
LATIN_FAMILY = ("cp125", "iso8859", "latin", "mac_", "cp850", "cp437")
# WHATWG: pages labelled Latin-1 or ASCII are decoded as windows-1252 by every browser
LABEL_ALIASES = {
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "x-sjis": "shift_jis",
}


@dataclass
class Decoded:
    """Text and the encoding that produced it ('utf-8', 'windows-1252', ...)."""

    text: str
    encoding: str
    repaired: bool = False


def declared_charset(data: bytes) -> str | None:
    """The charset a page or XML file declares in its first bytes, if Python knows it."""
    found = DECLARED.search(data[:HEAD_BYTES])
    if found is None:
        return None
    label = (found.group(1) or found.group(2) or b"").decode("ascii", "ignore").lower()
    label = LABEL_ALIASES.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _repair(text: str) -> tuple[str, bool]:
    """'CafÃ©' (UTF-8 read as Latin-1 once already) back to 'Café'; other text untouched."""
    import ftfy

    fixed = ftfy.fix_encoding(text)
    return fixed, fixed != text


def _detect(data: bytes) -> Decoded | None:
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    best = matches.best()
    if best is None or best.encoding is None:
        return None
    # short English copy ("Zürich" the only non-ASCII byte) fits many code pages equally well:
    # take the archives' usual one when an equally clean reading allows it
    usual = any("cp1252" in m.could_be_from_charset and m.chaos <= best.chaos for m in matches)
    if usual or best.encoding.startswith(LATIN_FAMILY):
        try:
            return Decoded(data.decode("cp1252"), "cp1252")
        except UnicodeDecodeError:
            pass
    return Decoded(str(best), best.encoding)


def decode_bytes(data: bytes, declared: str | None = None) -> Decoded | str:
    """Decoded text, or the reason no decoding gives text. `declared`: an HTTP charset."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return Decoded(data.decode(codec), codec.replace("-sig", ""))
            except UnicodeDecodeError as err:
                return f"not valid {codec} after its byte-order mark (offset {err.start})"
    try:
        text, repaired = _repair(data.decode("utf-8"))
        return Decoded(text, "utf-8", repaired)
    except UnicodeDecodeError:
        pass
    for label in (declared, declared_charset(data)):
        if label:
            try:
                return Decoded(data.decode(label), label)
            except (UnicodeDecodeError, LookupError):
                continue
    found = _detect(data)
    if found is None:
        return "no text encoding fits these bytes (not UTF-8, none declared, none detected)"
    return found
