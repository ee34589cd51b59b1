"""`serve --watch`: the feed watcher in a thread of the serving process, the store's one
writer, so new events show in the UI without a restart (the view cache is cleared per article).

The watcher takes the server's write lock around every store call and its code lock around
the pipeline, as the write endpoints do (serve/write.py).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass, field
from typing import Any

from eventwire.serve.pages import Context


@dataclass
class WatchThread:
    """The watcher, its thread and what the Sources page shows of it."""

    ctx: Context
    urls: list[tuple[str, str]]
    options: Any  # watch/service.py Options
    summaries: list[Any] = field(default_factory=list)
    watcher: Any = None
    thread: threading.Thread | None = None

    def status(self) -> dict[str, Any]:
        last = self.summaries[-1].line() if self.summaries else None
        return {
            "sources": [u for u, _ in self.urls],
            "every": self.options.every,
            "rounds": len(self.summaries),
            "last": last,
        }

    def start(self) -> WatchThread:
        from eventwire.watch.round import Watcher
        from eventwire.watch.service import http_for, pipeline_coder

        ctx = self.ctx
        self.watcher = Watcher(
            ctx.store,
            http_for(self.options),
            pipeline_coder(self.options.model, ctx.code_lock),
            concurrency=self.options.concurrency,
            lock=lambda: ctx.write_lock,
            on_write=ctx.cache.clear,
            say=_say,
        )
        ctx.watch = self
        self.thread = threading.Thread(target=self._run, name="eventwire-watch", daemon=True)
        self.thread.start()
        return self

    def _run(self) -> None:
        from eventwire.store.groups import GroupWriter
        from eventwire.watch.service import run

        watcher, lock = self.watcher, self.ctx.write_lock
        for url, source in self.urls:
            watcher.add_sources([url], source)
        with lock:
            watcher.links = GroupWriter(self.ctx.store)
            watcher.links.backfill()
        try:
            run(watcher, self.options.every, on_round=self._round)
        finally:
            with lock:
                watcher.links.close()

    def _round(self, summary: Any) -> None:
        self.summaries.append(summary)
        self.ctx.cache.clear()

    def stop(self, timeout: float = 120.0) -> None:
        """Finish the article in hand and end the thread (the server is shutting down)."""
        if self.watcher is not None:
            self.watcher.stop.set()
        if self.thread is not None:
            self.thread.join(timeout)
        if self.watcher is not None:
            self.watcher.http.fetcher.close()


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
