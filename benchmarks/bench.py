"""Run the eventwire benchmark: `python benchmarks/bench.py [--articles N] [--jobs 1,2]`."""

from __future__ import annotations

import sys

from eventwire.cli import main

if __name__ == "__main__":
    raise SystemExit(main(["bench", *sys.argv[1:]]))
