"""House-keeping a newcomer notices: no issue numbers in the package's own text, and every
file a comment or docstring points at exists in the repo."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "eventwire"
SHARED = ROOT.parent / "shared"
TEXT_FILES = ("*.py", "*.yaml", "*.tsv", "*.txt", "*.html", "*.css", "*.js")
# a path-like word ending in a file extension the repo uses: "store/feeds.py", "plover.md"
POINTER = re.compile(r"(?<![\w./-])((?:[\w-]+/)*[\w-]+\.(?:py|yaml|tsv|md|toml|json|txt))\b")
ISSUE = re.compile(r"\bissues? \d+|\bissue-\d+", re.IGNORECASE)
QUOTES = '"' * 3


def _package_files() -> list[Path]:
    return sorted(p for pattern in TEXT_FILES for p in PACKAGE.rglob(pattern))


def _exists(pointer: str, near: Path) -> bool:
    candidates = [near.parent / pointer, PACKAGE / pointer, ROOT / pointer, ROOT.parent / pointer]
    if any(c.exists() for c in candidates):
        return True
    name = pointer.split("/")[-1]
    found = [p for p in ROOT.rglob(name) if ".venv" not in p.parts and ".git" not in p.parts]
    if SHARED.exists():
        found += list(SHARED.rglob(name))
    return any(str(p).endswith(pointer) for p in found)


def _prose(line: str, in_docstring: bool) -> str:
    """The comment or docstring part of a line of code."""
    if in_docstring or line.lstrip().startswith(QUOTES):
        return line
    return line.split("#", 1)[1] if "#" in line else ""


def test_issue16_no_issue_numbers_in_package_text() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for path in _package_files()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if ISSUE.search(line)
    ]
    assert found == [], "\n".join(found)


def test_issue16_comments_point_only_at_files_in_the_repo() -> None:
    missing = []
    for path in PACKAGE.rglob("*.py"):
        in_docstring = False
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            prose = _prose(line, in_docstring)
            if line.count(QUOTES) % 2:
                in_docstring = not in_docstring
            for pointer in POINTER.findall(prose):
                if "/" not in pointer and not pointer.endswith(".md"):
                    continue  # a bare name: "robots.txt", a package's own countries.json
                if any(part.split(".")[0].isupper() for part in pointer.split("/")):
                    continue  # a layout with placeholders: "DIR/manifests/KEY.json"
                if not _exists(pointer, path):
                    missing.append(f"{path.relative_to(ROOT)}:{n}: {pointer}")
    assert missing == [], "\n".join(missing)
