"""Where tests find ../shared (seed article, dev sets), laid out beside the clone as in CI."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared"
SEED = SHARED / "examples" / "seed-article.txt"


def require(path: Path = SEED) -> Path:
    """The file, or a failure that says where it is expected: a test never skips for it."""
    if not path.exists():
        pytest.fail(f"{path} is missing: check out ../shared beside the repository (see .ci/run)")
    return path
