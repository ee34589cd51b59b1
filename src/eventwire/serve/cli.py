"""`eventwire serve`: the REST API and the web UI over a store (imports stay lazy)."""

from __future__ import annotations

import argparse
import os
import signal
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
        "(a read-write or watching server keeps a single writer)",
    )
    p.add_argument(
        "--watch",
        nargs="+",
        metavar="SOURCE",
        help="watch these feed or site URLs (or OPML files) in this process, the store's writer",
    )
    from eventwire.watch.cli import watch_options

    watch_options(p, "--watch-every")
    p.add_argument("--model", help="spaCy model for the watcher (default: $EVENTWIRE_MODEL)")
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


def _serve_workers(args: argparse.Namespace, count: int, mode: str, host: str) -> int:
    """Read-only processes, each with its own connection (serve/app.py worker_app)."""
    import uvicorn

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
    uvicorn.run(
        "eventwire.serve.app:worker_app",
        factory=True,
        workers=count,
        host=args.host,
        port=args.port,
        log_level="warning",
        access_log=False,
    )
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    writable = bool(os.environ.get(args.token_env)) or bool(args.watch)
    count = workers(args.workers, writable, args.db)
    if isinstance(count, str):
        print(f"eventwire: {count}", file=sys.stderr)
        return 2
    mode = "read-write (token set)" if os.environ.get(args.token_env) else "read-only"
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    if count > 1:
        return _serve_workers(args, count, mode, host)
    return _serve_one(args, mode, host)


def _serve_one(args: argparse.Namespace, mode: str, host: str) -> int:
    """One process: the store's writer when a token is set or feeds are watched."""
    import uvicorn

    from eventwire.serve.app import app_from_env

    watch = None
    if args.watch:
        from eventwire.watch.cli import options_from
        from eventwire.watch.service import sources

        options = options_from(args)
        options.every = options.every or 900.0
        watch = sources(args.watch)
    app = app_from_env(args.db, args.token_env, writer=watch is not None)
    thread = None
    if watch is not None:
        from eventwire.serve.watching import WatchThread

        thread = WatchThread(app.state.ctx, watch, options).start()
        mode += f", watching {len(watch)} source(s) every {options.every:g} s"
    print(f"eventwire: serving {app.state.ctx.store.url} ({mode})", file=sys.stderr)
    print(f"eventwire: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
    # uvicorn shuts down on SIGTERM and then raises it again for the handler it found: this
    # one lets the watcher finish its article and the store close before a clean exit
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning", access_log=False)
    finally:
        if thread is not None:
            thread.stop()  # the article in hand is finished and stored
        app.state.ctx.store.close()
    return 0
