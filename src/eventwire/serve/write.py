"""Coding over HTTP: the open paste-and-code page (stores nothing) and guarded writes.

The pipeline (spaCy) is imported on the first coding request, never at server start.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from eventwire.records import Article, Event, Skipped
from eventwire.serve.guard import parse_body
from eventwire.serve.pages import Context, Page, context, render, request_context
from eventwire.serve.params import parse_day

router = APIRouter()
Ctx = Annotated[Context, Depends(request_context)]
_FIELDS = ("id", "title", "url", "source")
# Bodies are read raw (serve/guard.py checks them before parsing); their shape is declared
# here so the OpenAPI says what to send (and schemathesis generates it)
_ARTICLE = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "text": {"type": "string"},
        "date": {"type": "string", "format": "date"},
        "html": {"type": "boolean"},
        **{name: {"type": "string"} for name in _FIELDS},
    },
}
_ONE = {"content": {"application/json": {"schema": _ARTICLE}}, "required": True}
_MANY = {
    "content": {
        "application/json": {
            "schema": {
                "anyOf": [
                    _ARTICLE,
                    {
                        "type": "object",
                        "required": ["articles"],
                        "properties": {"articles": {"type": "array", "items": _ARTICLE}},
                    },
                ]
            }
        }
    },
    "required": True,
}


@dataclass
class Coded:
    article: Article
    events: list[Event]
    sentences: list[tuple[int, int]]


def _problem(status: int, message: str, param: str | None = None) -> HTTPException:
    body = {"error": "invalid request" if status < 500 else "unavailable", "message": message}
    if param:
        body["param"] = param
    return HTTPException(status, body)


def require_token(request: Request) -> None:
    """Writes need `Authorization: Bearer <token>` matching the operator's token."""
    ctx = context(request)
    if not ctx.token:
        raise HTTPException(
            403,
            {
                "error": "read-only server",
                "message": "writes are off: start it with EVENTWIRE_TOKEN set",
            },
        )
    scheme, _, given = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip(), ctx.token):
        raise HTTPException(
            401,
            {"error": "unauthorized", "message": "send Authorization: Bearer <token>"},
            headers={"WWW-Authenticate": "Bearer"},
        )


async def read_json(request: Request, max_bytes: int) -> Any:
    """The request body as JSON, refusing more than `max_bytes` before reading it all."""
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > max_bytes:
        raise _problem(413, f"body too large: {declared} bytes > limit {max_bytes}")
    body = bytearray()
    async for part in request.stream():
        body += part
        if len(body) > max_bytes:
            raise _problem(413, f"body too large: more than {max_bytes} bytes")
    value, problem = parse_body(bytes(body))
    if problem is not None:
        raise _problem(*problem)
    return value


def _article(item: Any, max_chars: int) -> Article:
    """A JSON object {text, date?, title?, url?, source?, id?, html?} -> a cleaned Article."""
    from eventwire.ingest.build import Meta, build_article, looks_like_html

    if not isinstance(item, dict) or not isinstance(item.get("text"), str):
        raise _problem(422, "expected a JSON object with a 'text' string", "text")
    text: str = item["text"]
    if not text.strip():
        raise _problem(422, "the text is empty", "text")
    if len(text) > max_chars:
        raise _problem(413, f"text too long: {len(text)} characters > limit {max_chars}", "text")
    day = item.get("date") or None
    if day is not None and not isinstance(day, str):
        raise _problem(422, f"date must be a YYYY-MM-DD string, not {type(day).__name__}", "date")
    meta_fields = {k: str(item[k])[:500] for k in _FIELDS if item.get(k)}
    html = item.get("html")
    is_html = looks_like_html(text) if html is None else bool(html)
    meta = Meta(
        id=meta_fields.get("id", "pasted"),
        origin="http",
        raw_format="html" if is_html else "text",
        date=parse_day("date", day),
        title=meta_fields.get("title"),
        url=meta_fields.get("url"),
        source=meta_fields.get("source"),
    )
    built = build_article(text, is_html, meta, max_chars)
    if isinstance(built, Skipped):
        raise _problem(422, f"not coded: {built.reason}", "text")
    if "id" not in meta_fields:
        built.id = f"web-{built.content_hash[:12]}"
    return built


def code(ctx: Context, article: Article) -> Coded:
    """Run the pipeline on one article (loaded on first use; one request at a time)."""
    from eventwire.runner import code_chunk, default_loader

    with ctx.code_lock:
        (result,) = code_chunk(default_loader(ctx.model), [article])
    if isinstance(result, str):
        raise _problem(422, f"not coded: {result}")
    return Coded(article, result[0], result[1])


def coded_view(coded: Coded) -> dict[str, Any]:
    """The coded article in the shape of the article view, so one template shows both."""
    from eventwire.output import article_records

    article = coded.article
    text = article.text
    return {
        "hash": article.content_hash,
        "article_id": article.id,
        "title": article.title,
        "date": article.date,
        "url": article.url,
        "source": article.source,
        "text": text,
        "n_words": len(text.split()),
        "sentences": [
            {"idx": i, "start": s, "end": e, "text": text[s:e]}
            for i, (s, e) in enumerate(coded.sentences)
        ],
        "events": article_records(article, coded.events),
    }


@router.get("/code", summary="the paste-and-code page")
def code_page(request: Request, ctx: Ctx) -> Response:
    limits = {"code_chars": ctx.limits.code_chars, "writable": bool(ctx.token)}
    return render(request, Page(limits, "code.html"))


@router.post(
    "/code",
    summary="code one article on the spot; nothing is stored",
    openapi_extra={"requestBody": _ONE},
)
async def code_now(request: Request, ctx: Ctx) -> Response:
    from eventwire.serve.highlight import annotate

    item = await read_json(request, ctx.limits.code_chars * 4 + 4096)
    article = _article(item, ctx.limits.code_chars)
    coded = await run_in_threadpool(code, ctx, article)
    view = coded_view(coded)
    rows = annotate(view["text"], view["sentences"], view["events"])
    return render(request, Page(view, "_article_body.html", {"rows": rows, "transient": True}))


@router.post(
    "/api/articles",
    summary="code and store articles (needs the bearer token)",
    dependencies=[Depends(require_token)],
    openapi_extra={"requestBody": _MANY},
)
async def ingest(request: Request, ctx: Ctx) -> dict[str, Any]:
    """Body: one article object or {"articles": [...]}; same content twice is stored once."""
    body = await read_json(request, ctx.limits.ingest_bytes)
    items = body.get("articles") if isinstance(body, dict) and "articles" in body else [body]
    if not isinstance(items, list) or not items:
        raise _problem(422, "expected an article object or {'articles': [...]}", "articles")
    if len(items) > ctx.limits.ingest_articles:
        raise _problem(413, f"too many articles: {len(items)} > {ctx.limits.ingest_articles}")
    articles = [_article(item, ctx.limits.ingest_bytes) for item in items]
    return await run_in_threadpool(_store_all, ctx, articles)


def _store_all(ctx: Context, articles: list[Article]) -> dict[str, Any]:
    out: list[dict[str, Any]] = []
    for article in articles:
        with ctx.write_lock:
            known = ctx.store.has_article(article.content_hash)
        if known:
            out.append({"id": article.id, "hash": article.content_hash, "stored": False})
            continue
        coded = code(ctx, article)
        with ctx.write_lock:
            stored = ctx.store.add_article(coded.article, coded.events, coded.sentences)
            ctx.store.flush()
        out.append(
            {
                "id": article.id,
                "hash": article.content_hash,
                "stored": stored,
                "events": len(coded.events),
            }
        )
    ctx.cache.clear()
    return {"stored": sum(1 for o in out if o["stored"]), "articles": out}


def _proposals(ctx: Context, status: str | None, ids: list[int] | None = None) -> list[dict]:
    """KB proposals from the store; a database it cannot read them from says so with a 503."""
    try:
        with ctx.write_lock:
            found: list[dict[str, Any]] = ctx.store.kb_proposals(status, ids)
    except Exception as exc:  # e.g. a database written before proposals existed
        raise _problem(503, f"cannot read KB proposals: {exc}") from None
    return found


@router.get("/kb/proposals", summary="KB entries learned from coded text, for review")
def kb_proposals(
    request: Request,
    ctx: Ctx,
    status: Annotated[str | None, Query(pattern="^(pending|accepted|rejected)$")] = "pending",
) -> Response:
    data = {"status": status, "proposals": _proposals(ctx, status)}
    return render(request, Page(data, "proposals.html"))


@router.post(
    "/kb/proposals/{proposal_id}/{action}",
    summary="accept or reject a KB proposal and its pending twins (needs the bearer token)",
    dependencies=[Depends(require_token)],
)
def kb_review(ctx: Ctx, proposal_id: int, action: str) -> dict[str, Any]:
    """Same rules as `eventwire kb accept/reject`: twins share name, country and office."""
    if action not in ("accept", "reject"):
        raise _problem(404, "action must be accept or reject", "action")
    chosen = _proposals(ctx, None, [proposal_id])
    if not chosen:
        raise _problem(404, f"no proposal {proposal_id}")
    first = chosen[0]
    twins = [
        p
        for p in _proposals(ctx, "pending")
        if (p["name"], p["country"], p["office"])
        == (first["name"], first["country"], first["office"])
        and p["id"] != first["id"]
    ]
    ids = [int(p["id"]) for p in [first, *twins]]
    out: dict[str, Any] = {"action": action, "ids": ids}
    if action == "accept":
        from eventwire.resolve.actors.learn import learned_record
        from eventwire.resolve.actors.userkb import add_learned

        out["kb"] = str(add_learned([learned_record([first, *twins])]))
    with ctx.write_lock:
        ctx.store.set_kb_proposals_status(ids, "accepted" if action == "accept" else "rejected")
    ctx.cache.clear()
    return out
