"""The Sources page: every watched feed with its last poll, status, articles and errors."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from eventwire.serve.pages import Context, Page, render, request_context
from eventwire.store.feeds import feed_list

router = APIRouter()
Ctx = Annotated[Context, Depends(request_context)]
BOTH: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/html": {}}},
}


@router.get("/sources", responses=BOTH, summary="watched feeds: last poll, status, articles")
def sources(request: Request, ctx: Ctx) -> Response:
    feeds = feed_list(ctx.store)
    watch = ctx.watch
    data = {
        "feeds": feeds,
        "total": len(feeds),
        "dead": sum(1 for f in feeds if f["status"] == "dead"),
        "watching": watch.status() if watch is not None else None,
    }
    return render(request, Page(data, "sources.html"))
