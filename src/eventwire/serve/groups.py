"""Event groups over HTTP: `/groups` (and `/events?grouped=1`), one group, story threads."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response, StreamingResponse

from eventwire.serve.negotiate import EXPORTS, requested_format
from eventwire.serve.pages import Context, Page, cached, render, request_context
from eventwire.serve.params import MAX_PAGE, event_filter, filter_fields
from eventwire.store.base import EventFilter

router = APIRouter()
BOTH: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/html": {}}},
    422: {"description": "a parameter is invalid; the body names it and says why"},
}
Filters = Annotated[EventFilter, Depends(event_filter)]
Ctx = Annotated[Context, Depends(request_context)]
MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8"}


def _all_groups(request: Request, ctx: Context, f: EventFilter) -> list[dict[str, Any]]:
    """Every group with a mention matching the filters (cached briefly, like other views)."""
    from eventwire.store.groups import grouped

    unpaged = EventFilter(**{**f.__dict__, "limit": None, "offset": 0})
    return list(cached(request, lambda: grouped(ctx.store, unpaged)))


def _export(groups: list[dict[str, Any]], fmt: str) -> Response:
    import io

    from eventwire.link.output import write_groups

    if fmt == "parquet":
        return _parquet(groups)
    buffer = io.StringIO()
    write_groups(groups, fmt, buffer)
    data = buffer.getvalue().encode("utf-8")
    return StreamingResponse(
        iter([data]),
        media_type=MEDIA[fmt],
        headers={"Content-Disposition": f'attachment; filename="groups.{fmt}"'},
    )


def _parquet(groups: list[dict[str, Any]]) -> Response:
    """Flat group rows (link/groups.py GROUP_COLUMNS), counts as integers."""
    import io

    import pyarrow as pa
    import pyarrow.parquet as pq

    from eventwire.link.groups import flat_group

    table = pa.Table.from_pylist([flat_group(g) for g in groups]) if groups else pa.table({})
    sink = io.BytesIO()
    pq.write_table(table, sink, compression="zstd")
    return Response(
        sink.getvalue(),
        media_type="application/vnd.apache.parquet",
        headers={"Content-Disposition": 'attachment; filename="groups.parquet"'},
    )


def groups_page(request: Request, ctx: Context, f: EventFilter) -> Response:
    """One row per event group; `total` counts groups, `mentions` the events in them."""
    from eventwire.link.output import public

    groups = _all_groups(request, ctx, f)
    fmt = requested_format(request)
    if fmt in EXPORTS:
        return _export(groups, fmt)
    limit = f.limit or 50
    page = groups[f.offset : f.offset + limit]
    data = {
        "total": len(groups),
        "mentions": sum(g["n_mentions"] for g in groups),
        "offset": f.offset,
        "limit": limit,
        "filters": filter_fields(f),
        "groups": [public(g) for g in page],
    }
    return render(request, Page(data, "groups.html"))


@router.get("/groups", responses=BOTH, summary="event groups: one row per real-world event")
def groups(request: Request, ctx: Ctx, f: Filters) -> Response:
    return groups_page(request, ctx, f)


@router.get("/groups/{group_id}", responses=BOTH, summary="one event group, its reports, sources")
def group(request: Request, ctx: Ctx, group_id: str) -> Response:
    from eventwire.store.groups import group_detail

    found = group_detail(ctx.store, group_id)
    if found is None:
        raise HTTPException(404, {"error": "not found", "message": f"no group {group_id!r}"})
    return render(request, Page(found, "group.html"))


@router.get("/stories", responses=BOTH, summary="story threads: groups following one another")
def stories(
    request: Request,
    ctx: Ctx,
    f: Filters,
    min_groups: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 2,
) -> Response:
    from eventwire.link.output import public

    threads: dict[str, list[dict[str, Any]]] = {}
    for g in _all_groups(request, ctx, f):
        threads.setdefault(g["story_id"], []).append(public(g))
    data = {
        "filters": filter_fields(f),
        "stories": [
            {"story_id": key, "groups": members, "first": members[0]["date"]}
            for key, members in threads.items()
            if len(members) >= min_groups
        ],
    }
    return render(request, Page(data, "stories.html"))
