"""Load on `eventwire serve`: `python benchmarks/serve_bench.py [--db FILE] [--clients 32,256]`.

Serves a store (default: the sample corpus, ingested once into a temporary file) with the
real `eventwire serve` command on a loopback port, and drives a mix of ten read URLs (event
searches with filters, text search, /stats, /actors, /timeline, a CSV export) with `wrk`
(Debian package `wrk`) from the same machine, at each client count. Reports requests per
second, p50/p95/p99 latency and errors (socket errors and non-2xx answers) per count, and the
ratio of the highest count's throughput to the lowest's. Goal on a 2-core machine: at 32
clients >= 600 req/s with p95 <= 100 ms; at 256 clients >= 0.8 x the 32-client rate.

`--workers N` passes `--workers N` to `serve` (default: serve's own default), so the same
command measures one process against several. The server keeps whole answers until the data
changes (serve/cache.py), so after the warm-up the fixed mix is answered from memory;
`--uncached` adds a distinct ignored parameter to every request, so each one is routed,
queried and serialised: the cost of a miss.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
URLS = [
    "/events.json?type=ASSAULT",
    "/events.json?country=ISR&limit=20",
    "/events.json?from=2024-01-01&to=2024-12-31&sort=date",
    "/events.json?actor=minister&limit=10",
    "/events.json?text=ceasefire",
    "/events.json?text=talks&type=CONSULT",
    "/stats.json",
    "/actors.json",
    "/timeline.json?bucket=month",
    "/events.csv?type=ACCUSE",
]
# wrk's Lua: each connection walks the URL list from its own offset; done() prints JSON
SCRIPT = """
local paths = {%(paths)s}
local counter = 0
setup = function(thread) thread:set("id", counter); counter = counter + 1 end
init = function(args) i = id * 3 end
local n = 0
request = function()
  i = i %% #paths + 1
  if %(uncached)s then
    n = n + 1
    return wrk.format("GET", paths[i] .. "&nocache=" .. id .. "-" .. n)
  end
  return wrk.format("GET", paths[i])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %%d, "seconds": %%f, "p50": %%f, "p95": %%f, "p99": %%f, "max": %%f,'
    .. ' "connect": %%d, "read": %%d, "write": %%d, "status": %%d, "timeout": %%d}\\n',
    summary.requests, summary.duration / 1e6, latency:percentile(50) / 1e3,
    latency:percentile(95) / 1e3, latency:percentile(99) / 1e3, latency.max / 1e3,
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _sample_store(folder: Path) -> Path:
    """The bundled samples coded into a DuckDB file (the model runs once, ~30 s)."""
    db = folder / "samples.duckdb"
    inputs = [str(REPO / "samples" / name) for name in ("text", "html", "corpus.jsonl")]
    command = [sys.executable, "-m", "eventwire", "ingest", *inputs, "--db", str(db)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return db


def _serve(db: Path, port: int, workers: int | None) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "eventwire", "serve", "--db", str(db), "--port", str(port)]
    if workers is not None:  # a serve without --workers ignores this
        command += ["--workers", str(workers)]
    env = {k: v for k, v in os.environ.items() if k != "EVENTWIRE_TOKEN"}  # read-only
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("serve did not start")


def _wrk(base: str, clients: int, seconds: int, script: Path) -> dict[str, Any]:
    threads = min(2, clients)
    command = ["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--timeout", "10s"]
    done = subprocess.run(
        [*command, "-s", str(script), base], check=True, capture_output=True, text=True
    )
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    figures["clients"] = clients
    figures["rps"] = figures["requests"] / figures["seconds"]
    errors = ("connect", "read", "write", "status", "timeout")
    figures["errors"] = sum(figures[k] for k in errors)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", help="store to serve (default: the samples, coded now)")
    parser.add_argument("--clients", default="32,256", help="client counts (default 32,256)")
    parser.add_argument("--seconds", type=int, default=20, help="per client count (default 20)")
    parser.add_argument("--workers", type=int, help="serve --workers (default: serve's)")
    parser.add_argument(
        "--uncached",
        action="store_true",
        help="make every URL unique (an ignored nocache= parameter): the cost of a miss",
    )
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("needs wrk (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(args.db) if args.db else _sample_store(Path(tmp))
        script = Path(tmp) / "mix.lua"
        paths = ", ".join(json.dumps(u if "?" in u else u + "?") for u in URLS)
        uncached = "true" if args.uncached else "false"
        script.write_text(SCRIPT % {"paths": paths, "uncached": uncached})
        port = _free_port()
        server = _serve(db, port, args.workers)
        try:
            base = f"http://127.0.0.1:{port}"
            _wrk(base, 8, 3, script)  # warm-up: caches, connections, first queries
            results = [_wrk(base, int(n), args.seconds, script) for n in args.clients.split(",")]
        finally:
            server.terminate()
            server.wait(30)
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(f"{'clients':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>7}")
    for r in results:
        print(
            f"{r['clients']:>8} {r['rps']:>8.0f} {r['p50']:>8.1f} {r['p95']:>8.1f}"
            f" {r['p99']:>8.1f} {r['errors']:>7}"
        )
    if len(results) > 1:
        print(
            f"throughput at {results[-1]['clients']} / at {results[0]['clients']}:"
            f" {results[-1]['rps'] / results[0]['rps']:.2f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
