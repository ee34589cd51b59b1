"""`eventwire serve`: the REST API and the web UI over a store (imports stay lazy)."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from typing import Any

TOKEN_ENV = "EVENTWIRE_TOKEN"  # same default as serve.app.TOKEN_ENV, without importing FastAPI


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
        "--watch",
        nargs="+",
        metavar="SOURCE",
        help="watch these feed or site URLs (or OPML files) in this process, the store's writer",
    )
    from eventwire.watch.cli import watch_options

    watch_options(p, "--watch-every")
    p.add_argument("--model", help="spaCy model for the watcher (default: $EVENTWIRE_MODEL)")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
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
    mode = "read-write (token set)" if os.environ.get(args.token_env) else "read-only"
    thread = None
    if watch is not None:
        from eventwire.serve.watching import WatchThread

        thread = WatchThread(app.state.ctx, watch, options).start()
        mode += f", watching {len(watch)} source(s) every {options.every:g} s"
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"eventwire: serving {app.state.ctx.store.url} ({mode})", file=sys.stderr)
    print(f"eventwire: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
    # uvicorn shuts down on SIGTERM and then raises it again for the handler it found: this
    # one lets the watcher finish its article and the store close before a clean exit
    signal.signal(signal.SIGTERM, lambda signum, frame: None)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        if thread is not None:
            thread.stop()  # the article in hand is finished and stored
        app.state.ctx.store.close()
    return 0
