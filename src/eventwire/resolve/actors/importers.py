"""`eventwire kb import`: read an actor file and put its entries into the user KB layer.

Formats: `petrarch` (PETRARCH/TABARI `.actors.txt` dictionaries) and `wikidata` (JSON
entities). Every record keeps its `source` (the file's name) and, when known, its QID; a
second import of the same file name replaces the first one's records.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from eventwire.resolve.actors import userkb
from eventwire.resolve.actors.userkb import Record

FORMATS = ("petrarch", "wikidata")


@dataclass
class Imported:
    """What an import did."""

    source: str
    path: Path
    kinds: Counter[str] = field(default_factory=Counter)
    offices: int = 0

    def summary(self) -> str:
        """One line for the terminal."""
        kinds = ", ".join(f"{n} {kind}" for kind, n in sorted(self.kinds.items())) or "nothing"
        return (
            f"imported {kinds} ({self.offices} dated offices) from {self.source} into {self.path}"
        )


def guess_format(path: Path) -> str:
    """JSON is Wikidata; anything else is read as an actor dictionary."""
    return "wikidata" if path.suffix.lower() in (".json", ".jsonl", ".ndjson") else "petrarch"


def read_file(path: Path, fmt: str | None = None) -> list[Record]:
    """The KB records a file holds, without writing anything."""
    chosen = fmt or guess_format(path)
    if chosen == "petrarch":
        from eventwire.resolve.actors.petrarch import read_petrarch

        return read_petrarch(path)
    if chosen == "wikidata":
        from eventwire.resolve.actors.wikidata import read_wikidata

        return read_wikidata(path)
    raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def import_file(path: str | Path, fmt: str | None = None, kb: Path | None = None) -> Imported:
    """Read the file and replace its earlier records in the user layer."""
    source = Path(path)
    if not source.exists():
        raise FileNotFoundError(f"no such file: {source}")
    records = read_file(source, fmt)
    written = userkb.replace_source(records, source.name, kb)
    result = Imported(source.name, written)
    for record in records:
        result.kinds[str(record["kind"])] += 1
        result.offices += len(record.get("offices", []))
    return result
