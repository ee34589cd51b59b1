"""`eventwire serve`: the REST API and the web UI over a store (imports stay lazy)."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

TOKEN_ENV = "EVENTWIRE_TOKEN"  # same default as serve.app.TOKEN_ENV, without importing FastAPI
# what `serve` tells its worker processes (same names as in serve/app.py)
WORKER_DB_ENV = "EVENTWIRE_SERVE_DB"
WORKER_TOKEN_ENV = "EVENTWIRE_SERVE_TOKEN_ENV"


def register(sub: Any) -> None:
    """Add the subcommand; FastAPI and uvicorn load only when it runs."""
    p = sub.add_parser("serve", help="serve the REST API and web UI over a database")
    p.add_argument("--db", help="DuckDB file or postgresql:// URL (default: $EVENTWIRE_DB)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--token-env",
        default=TOKEN_ENV,
        metavar="NAME",
        help=f"environment variable holding the write token (default {TOKEN_ENV}); "
        "without it the server is read-only",
    )
    p.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="server processes; default: one per core when read-only, one when writes are on "
        "(a read-write server keeps a single writer)",
    )
    p.set_defaults(func=cmd_serve)


def workers(requested: int | None, writable: bool, db: str | None) -> int | str:
    """How many processes serve, or why the request cannot be met."""
    if writable or db == ":memory:":
        if requested not in (None, 1):
            return "a read-write (or in-memory) store is served by a single process"
        return 1
    if requested is not None and requested < 1:
        return "--workers must be at least 1"
    return requested or os.cpu_count() or 1


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    writable = bool(os.environ.get(args.token_env))
    count = workers(args.workers, writable, args.db)
    if isinstance(count, str):
        print(f"eventwire: {count}", file=sys.stderr)
        return 2
    mode = "read-write (token set)" if writable else "read-only"
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    options: dict[str, Any] = {"host": args.host, "port": args.port, "log_level": "warning"}
    options["access_log"] = False
    if count > 1:  # each worker opens its own read-only connection (serve/app.py worker_app)
        from eventwire.config import settings
        from eventwire.store import open_store

        open_store(args.db, read_only=True).close()  # a bad --db fails here, once, plainly
        os.environ[WORKER_DB_ENV] = args.db or settings().db
        os.environ[WORKER_TOKEN_ENV] = args.token_env
        print(
            f"eventwire: serving {os.environ[WORKER_DB_ENV]} ({mode}, {count} processes)",
            file=sys.stderr,
        )
        print(f"eventwire: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
        uvicorn.run("eventwire.serve.app:worker_app", factory=True, workers=count, **options)
        return 0
    from eventwire.serve.app import app_from_env

    app = app_from_env(args.db, args.token_env)
    print(f"eventwire: serving {app.state.ctx.store.url} ({mode})", file=sys.stderr)
    print(f"eventwire: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
    try:
        uvicorn.run(app, **options)
    finally:
        app.state.ctx.store.close()
    return 0
