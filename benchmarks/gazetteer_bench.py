"""Gazetteer open time and lookup speed (issue 4: opening must take well under a second)."""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import time

OPEN_PROBE = (
    "import time; t=time.perf_counter();"
    "from eventwire.resolve.places.gazetteer import Gazetteer, ensure_gazetteer;"
    "p=ensure_gazetteer(); t=time.perf_counter(); g=Gazetteer(p); g.lookup('jerusalem');"
    "print(time.perf_counter()-t)"
)


def main() -> None:
    """Fresh processes for the open time; one process for the lookups."""
    from eventwire.resolve.places.gazetteer import Gazetteer, ensure_gazetteer

    ensure_gazetteer()
    opens = [
        float(
            subprocess.run(
                [sys.executable, "-c", OPEN_PROBE], capture_output=True, text=True, check=True
            ).stdout
        )
        for _ in range(5)
    ]
    gaz = Gazetteer(ensure_gazetteer())
    names = [f"name{i}" for i in range(2000)] + ["paris", "gaza", "lagos", "cairo"] * 500
    start = time.perf_counter()
    for key in names:
        gaz.lookup(key)
    per_lookup = (time.perf_counter() - start) / len(names)
    print(
        json.dumps(
            {
                "open_seconds_median": round(statistics.median(opens), 4),
                "open_seconds_max": round(max(opens), 4),
                "lookup_microseconds": round(per_lookup * 1e6, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
