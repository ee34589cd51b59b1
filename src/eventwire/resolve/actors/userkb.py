"""The user KB layer: imported and learned entries in one JSONL file, merged over the shipped KB.

Each line is one record (a plain dict, see `docs` in importers.py):
  {"kind": "person" | "org" | "country", "name", "aliases", "country", "sector", "qid",
   "offices": [{"title", "role", "start", "end", "sector", "code", "qid"}],
   "source": file name or "learned", "resolution": "kb" | "learned", ...}
The file lives at $EVENTWIRE_KB, else $EVENTWIRE_CACHE/kb.jsonl, else ~/.cache/eventwire/kb.jsonl.
It is read once per process; `reload()` drops every cache built from it.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

Record = dict[str, Any]
ENV = "EVENTWIRE_KB"


def kb_path() -> Path:
    """Where the user layer lives: an explicit file, else the eventwire cache directory."""
    explicit = os.environ.get(ENV)
    if explicit:
        return Path(explicit)
    root = os.environ.get("EVENTWIRE_CACHE")
    base = Path(root) if root else Path.home() / ".cache" / "eventwire"
    return base / "kb.jsonl"


def read_records(path: Path | None = None) -> list[Record]:
    """Every record of the file, in file order; a missing file is an empty layer."""
    target = path or kb_path()
    if not target.exists():
        return []
    out: list[Record] = []
    with open(target, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{target}:{number}: not a JSON record ({exc})") from exc
            if isinstance(item, dict) and item.get("name"):
                out.append(item)
    return out


@lru_cache(maxsize=1)
def records() -> tuple[Record, ...]:
    """The layer as this process sees it (read once)."""
    return tuple(read_records())


def write_records(items: Iterable[Record], path: Path | None = None) -> Path:
    """Replace the file atomically, so a coding process never reads half a file."""
    target = path or kb_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".kb-", suffix=".jsonl", dir=target.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
    os.replace(tmp, target)
    return target


def replace_source(new: list[Record], source: str, path: Path | None = None) -> Path:
    """Import: the records of one source file replace what an earlier import of it left."""
    kept = [r for r in read_records(path) if r.get("source") != source]
    return write_records(kept + new, path)


def add_learned(new: list[Record], path: Path | None = None) -> Path:
    """Accepted proposals: a name already learned gains the new offices and evidence."""
    items = read_records(path)
    learned = {
        r["name"].lower(): r
        for r in items
        if r.get("resolution") == "learned" and r.get("kind") == "person"
    }
    for record in new:
        old = learned.get(record["name"].lower())
        if old is None:
            items.append(record)
            learned[record["name"].lower()] = record
            continue
        have = {(o.get("title"), o.get("code")) for o in old["offices"]}
        old["offices"] += [o for o in record["offices"] if (o["title"], o["code"]) not in have]
        old["proposals"] = sorted(set(old.get("proposals", [])) | set(record["proposals"]))
        old["evidence"] = old.get("evidence", []) + record["evidence"]
    return write_records(items, path)


def reload() -> None:
    """Forget everything built from the KB files (tests, long-lived servers after an import)."""
    from eventwire.resolve.actors import kb, lexicon, people

    records.cache_clear()
    kb.index.cache_clear()
    lexicon.lexicon.cache_clear()
    people.holder.cache_clear()
    people.by_name.cache_clear()
    people.by_country.cache_clear()
