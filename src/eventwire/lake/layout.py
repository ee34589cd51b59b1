"""Where a lake's files go, and the house-keeping that makes a rerun give the same files.

    DIR/events/date=YYYY-MM-DD/batch=KEY/part-*.parquet   (date=undated for no date)
    DIR/articles/date=.../batch=KEY/...                   (by article date)
    DIR/skipped/date=.../batch=KEY/...
    DIR/manifests/KEY.json                                (written last: the run finished)

KEY names the input set (a hash of the input paths), so a rerun of the same inputs replaces
its own partitions and leaves those of other input sets alone.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from eventwire.lake.schema import TABLES

MANIFESTS = "manifests"


def batch_key(paths: Sequence[str]) -> str:
    """The same inputs (wherever the command is run from) give the same key."""
    resolved = [p if p == "-" else os.path.abspath(p) for p in paths]
    return hashlib.sha256(json.dumps(resolved).encode("utf-8")).hexdigest()[:16]


def input_summary(paths: Sequence[str]) -> list[dict[str, Any]]:
    """Each input as given, with its size on disk (files and directories)."""
    out: list[dict[str, Any]] = []
    for path in paths:
        if os.path.isdir(path):
            files = [Path(root, name) for root, _, names in os.walk(path) for name in names]
            out.append(
                {"path": path, "kind": "directory", "files": len(files), "bytes": _size(files)}
            )
        elif os.path.isfile(path):
            out.append({"path": path, "kind": "file", "bytes": os.path.getsize(path)})
        else:
            out.append({"path": path, "kind": "missing"})
    return out


def _size(files: Iterable[Path]) -> int:
    return sum(f.stat().st_size for f in files if f.is_file())


def clear_leftovers(out: Path) -> None:
    """What a killed run leaves: Spark's staging and temporary directories."""
    for table in TABLES:
        root = out / table
        if not root.is_dir():
            continue
        for entry in root.iterdir():
            if entry.name.startswith((".spark-staging", "_temporary")):
                shutil.rmtree(entry, ignore_errors=True)


def drop_stale(out: Path, table: str, key: str, keep: set[str]) -> list[str]:
    """This input set's partitions that the new run did not write (its dates moved)."""
    dropped: list[str] = []
    for directory in sorted((out / table).glob(f"date=*/batch={key}")):
        date = directory.parent.name.removeprefix("date=")
        if date not in keep:
            shutil.rmtree(directory)
            dropped.append(date)
            if not any(directory.parent.iterdir()):
                directory.parent.rmdir()
    return dropped


def write_manifest(out: Path, key: str, manifest: dict[str, Any]) -> Path:
    """Written whole or not at all (a rename), after every table is in place."""
    folder = out / MANIFESTS
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{key}.json"
    temporary = folder / f".{key}.json.tmp"
    temporary.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(temporary, target)
    return target


def manifests(out: Path) -> list[dict[str, Any]]:
    """Every finished run's manifest in the lake."""
    return [
        json.loads(path.read_text(encoding="utf-8"))
        for path in sorted((out / MANIFESTS).glob("*.json"))
    ]


def table_files(out: Path, table: str) -> list[Path]:
    """A table's Parquet files (hidden and staging files left out)."""
    return sorted((out / table).glob("date=*/batch=*/*.parquet"))
