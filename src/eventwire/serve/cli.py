"""`eventwire serve`: the REST API and the web UI over a store (imports stay lazy)."""

from __future__ import annotations

import argparse
import os
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
    p.set_defaults(func=cmd_serve)


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from eventwire.serve.app import app_from_env

    app = app_from_env(args.db, args.token_env)
    mode = "read-write (token set)" if os.environ.get(args.token_env) else "read-only"
    host = "localhost" if args.host in ("127.0.0.1", "::1") else args.host
    print(f"eventwire: serving {app.state.ctx.store.url} ({mode})", file=sys.stderr)
    print(f"eventwire: open http://{host}:{args.port}/ in a browser (Ctrl-C stops)", flush=True)
    try:
        uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    finally:
        app.state.ctx.store.close()
    return 0
