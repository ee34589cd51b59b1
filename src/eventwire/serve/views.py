"""Read views: one handler per view, JSON for programs and the HTML page for browsers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response

from eventwire.records import FACTUALITY
from eventwire.serve.negotiate import EXPORTS, requested_format
from eventwire.serve.pages import Context, Page, cached, render, request_context
from eventwire.serve.params import (
    MAX_PAGE,
    MAX_TEXT,
    event_filter,
    event_types,
    filter_fields,
    known_modes,
)
from eventwire.store.aggregates import BUCKETS
from eventwire.store.base import SORTS, EventFilter
from eventwire.store.paging import COUNT_CAP

router = APIRouter()
# Every read view answers with JSON or, for browsers, an HTML page.
BOTH: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/json": {}, "text/html": {}}},
    422: {"description": "a parameter is invalid; the body names it and says why"},
}
Filters = Annotated[EventFilter, Depends(event_filter)]
Ctx = Annotated[Context, Depends(request_context)]


def _form(filters: EventFilter) -> dict[str, Any]:
    """What the filter form needs: current values and the choices."""
    return {
        "filters": filter_fields(filters),
        "sort": filters.sort,
        "limit": filters.limit,
        "types": event_types(),
        "modes": known_modes(),
        "factualities": FACTUALITY,
        "sorts": tuple(SORTS),
    }


def _missing(what: str, key: str) -> HTTPException:
    return HTTPException(404, {"error": "not found", "message": f"no {what} {key!r}"})


@router.get("/", responses=BOTH, summary="overview: counts, timeline, top actors and places")
def overview(request: Request, ctx: Ctx, f: Filters) -> Response:
    store = ctx.store

    def compute() -> dict[str, Any]:
        with ctx.write_lock:  # counts() flushes: keep it away from a running ingest
            counts = store.counts()
        return {
            "counts": counts,
            "stats": store.event_stats(f),
            "actors": store.actor_list(limit=12),
            "places": store.place_list(f, limit=12),
            "articles": store.article_list(limit=8),
        }

    return render(request, Page(cached(request, compute), "overview.html", {"form": _form(f)}))


EVENTS_DOC = (
    "`total` is how many events match. A search with filters counts up to"
    f" {COUNT_CAP:,} matches exactly; when more match, `total_exact` is false and `total` is"
    " a lower bound (at least the cap, and more than `offset + limit`, so a next page exists)."
    " Without filters the count is always exact. Exports (CSV, JSONL, Parquet) stream every"
    " match whatever the total says."
)


@router.get(
    "/events",
    responses=BOTH,
    summary="search events (filters, paging, sorting, export)",
    description=EVENTS_DOC,
)
def events(
    request: Request,
    ctx: Ctx,
    f: Filters,
    grouped: Annotated[bool, Query(description="one row per event group")] = False,
) -> Response:
    if grouped:
        from eventwire.serve.groups import groups_page

        return groups_page(request, ctx, f)
    fmt = requested_format(request)
    if fmt in EXPORTS:
        from eventwire.serve.export import export_response

        explicit = "limit" in request.query_params
        cap = ctx.limits.export_rows
        f.limit = min(f.limit or cap, cap) if explicit else cap
        return export_response(ctx.store.event_stream(f), fmt)
    page = ctx.store.search_page(f)
    data = {
        "total": page.total,
        "total_exact": page.exact,
        "offset": f.offset,
        "limit": f.limit,
        "sort": f.sort,
        "filters": filter_fields(f),
        "events": page.events,
    }
    return render(request, Page(data, "events.html", {"form": _form(f)}))


@router.get("/events/{event_id}", responses=BOTH, summary="one event with its sentence and spans")
def event(request: Request, ctx: Ctx, event_id: str) -> Response:
    from eventwire.serve.highlight import record_spans, segments

    record = ctx.store.event_record(event_id)
    if record is None:
        raise _missing("event", event_id)
    article = ctx.store.article_detail(str(record.get("article_id") or ""))
    info = record.get("text_info") or {}
    extra: dict[str, Any] = {"sentence_segments": [], "article": None}
    if article is not None:
        text = article["text"]
        spans = record_spans(record, text)
        extra["sentence_segments"] = segments(text, info.get("start", 0), info.get("end", 0), spans)
        extra["article"] = {k: article[k] for k in ("hash", "article_id", "title", "date", "url")}
    return render(
        request, Page({"event": record, "article": extra["article"]}, "event.html", extra)
    )


@router.get("/articles", responses=BOTH, summary="articles, newest first")
def articles(
    request: Request,
    ctx: Ctx,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="title or id")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    data = {
        "total": ctx.store.count_articles(q),
        "offset": offset,
        "limit": limit,
        "q": q,
        "articles": ctx.store.article_list(q, limit, offset),
    }
    return render(request, Page(data, "articles.html"))


@router.get("/articles/{key}", responses=BOTH, summary="one article, its sentences and events")
def article(request: Request, ctx: Ctx, key: str) -> Response:
    from eventwire.serve.highlight import annotate

    found = ctx.store.article_detail(key)
    if found is None:
        raise _missing("article", key)
    rows = annotate(found["text"], found["sentences"], found["events"])
    return render(request, Page(found, "article.html", {"rows": rows}))


@router.get("/actors", responses=BOTH, summary="actors, most events first")
def actors(
    request: Request,
    ctx: Ctx,
    q: Annotated[str | None, Query(max_length=MAX_TEXT, description="name or text")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
    offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0,
) -> Response:
    rows = cached(request, lambda: ctx.store.actor_list(q, limit, offset))
    data = {"offset": offset, "limit": limit, "q": q, "actors": rows}
    return render(request, Page(data, "actors.html"))


@router.get("/actors/{key:path}", responses=BOTH, summary="an actor: offices, timeline, partners")
def actor(request: Request, ctx: Ctx, key: str) -> Response:
    if len(key) > MAX_TEXT:
        raise HTTPException(
            422, {"error": "invalid parameter", "param": "key", "message": "too long"}
        )
    profile = cached(request, lambda: ctx.store.actor_profile(key))
    if profile is None:
        raise _missing("actor", key)
    profile["network"] = ego_network(profile)
    return render(request, Page(profile, "actor.html"))


def ego_network(profile: dict[str, Any]) -> dict[str, Any]:
    """The actor and its counterparts as a star graph (arrows from actor to recipient)."""
    me = profile["key"]
    code = profile["codes"][0]["code"] if profile["codes"] else None
    nodes = {me: {"id": me, "code": code, "n": 0}}
    edges = []
    for other in profile["counterparts"]:
        if other["key"] == me:
            continue
        node = nodes.setdefault(other["key"], {"id": other["key"], "code": other["code"], "n": 0})
        node["n"] += other["n"]
        nodes[me]["n"] += other["n"]
        pair = (me, other["key"]) if other["role"] == "recipient" else (other["key"], me)
        edges.append({"source": pair[0], "target": pair[1], "weight": other["n"]})
    return {"nodes": list(nodes.values()), "edges": edges}


@router.get("/places", responses=BOTH, summary="event locations with coordinates and counts")
def places(request: Request, ctx: Ctx, f: Filters) -> Response:
    rows = cached(request, lambda: ctx.store.place_list(f, limit=f.limit or 50))
    data = {"filters": filter_fields(f), "places": rows}
    return render(request, Page(data, "places.html", {"form": _form(f)}))


def _bucket(bucket: str | None) -> str | None:
    if bucket is not None and bucket not in BUCKETS:
        raise HTTPException(
            422,
            {
                "error": "invalid parameter",
                "param": "bucket",
                "message": f"use {', '.join(BUCKETS)}",
            },
        )
    return bucket


Bucket = Annotated[str | None, Query(max_length=10, description=", ".join(BUCKETS))]


@router.get("/stats", responses=BOTH, summary="counts by type, time bucket and country")
def stats(request: Request, ctx: Ctx, f: Filters, bucket: Bucket = None) -> Response:
    found = cached(request, lambda: ctx.store.event_stats(f, _bucket(bucket)))
    data = {"filters": filter_fields(f), **found}
    return render(request, Page(data, "stats.html", {"form": _form(f)}))


@router.get("/timeline", responses=BOTH, summary="events by type over time")
def timeline(request: Request, ctx: Ctx, f: Filters, bucket: Bucket = None) -> Response:
    found = cached(request, lambda: ctx.store.event_stats(f, _bucket(bucket)))
    data = {"filters": filter_fields(f), **found}
    return render(request, Page(data, "timeline.html", {"form": _form(f)}))


@router.get("/network", responses=BOTH, summary="who acts on whom, weighted by events")
def network(
    request: Request,
    ctx: Ctx,
    f: Filters,
    edges: Annotated[int, Query(ge=1, le=400, description="strongest edges to keep")] = 80,
) -> Response:
    found = cached(request, lambda: ctx.store.actor_network(f, limit=edges))
    data = {"filters": filter_fields(f), **found}
    return render(request, Page(data, "network.html", {"form": _form(f), "edges": edges}))


@router.get("/map", responses=BOTH, summary="event locations and events per country")
def world_map(request: Request, ctx: Ctx, f: Filters) -> Response:
    from eventwire.serve.geo import numeric_to_iso3

    def compute() -> dict[str, Any]:
        return {
            "filters": filter_fields(f),
            "places": ctx.store.place_list(f, limit=2000),
            "by_country": ctx.store.event_stats(f)["by_country"],
            "total": ctx.store.count_events(f),
        }

    data = cached(request, compute)
    extra = {"form": _form(f), "numeric": numeric_to_iso3()}
    return render(request, Page(data, "map.html", extra))


@router.get("/api", responses=BOTH, summary="the API: every route and its parameters")
def api(request: Request) -> Response:
    schema = request.app.openapi()
    routes = []
    for path, methods in schema.get("paths", {}).items():
        for method, op in methods.items():
            params = [p["name"] for p in op.get("parameters", [])]
            routes.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": op.get("summary"),
                    "params": params,
                }
            )
    return render(request, Page({"routes": routes, "openapi": "/openapi.json"}, "api.html"))


@router.get("/healthz", summary="liveness probe")
def healthz() -> dict[str, bool]:
    return {"ok": True}
