"""`ingest --server URL`: send articles to a running server's POST /api/articles, so a DuckDB
file that `serve` holds (its one writer) can still take an ingest. No FastAPI here."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import httpx

from eventwire.records import Article

BATCH = 50  # articles per request (the server takes up to 200)
MAX_BATCH_CHARS = 2_000_000  # ... and up to 5 MB of body
TIMEOUT = 600.0  # the server codes a batch before it answers


class ServerError(RuntimeError):
    """The server refused the request as a whole (token, size, unavailable)."""


@dataclass
class Sent:
    """What the server did with one article."""

    article: Article
    stored: bool
    events: int = 0
    error: str | None = None


def _payload(article: Article) -> dict[str, Any]:
    fields = {"id": article.id, "text": article.text, "html": False}
    for key in ("title", "url", "source"):
        if getattr(article, key):
            fields[key] = getattr(article, key)
    if article.date:
        fields["date"] = article.date.isoformat()
    return fields


def _batches(articles: Iterable[Article]) -> Iterator[list[Article]]:
    batch: list[Article] = []
    size = 0
    for article in articles:
        if batch and (len(batch) >= BATCH or size + len(article.text) > MAX_BATCH_CHARS):
            yield batch
            batch, size = [], 0
        batch.append(article)
        size += len(article.text)
    if batch:
        yield batch


def _message(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return f"HTTP {response.status_code}"
    return str(body.get("message") or body.get("error") or f"HTTP {response.status_code}")


def send(articles: Iterable[Article], server: str, token: str | None) -> Iterator[Sent]:
    """Post articles in batches; a batch the server rejects is retried one article at a time,
    so one article it cannot code is reported alone."""
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    url = server.rstrip("/") + "/api/articles"
    with httpx.Client(timeout=TIMEOUT, headers=headers, trust_env=False) as client:
        for batch in _batches(articles):
            yield from _post(client, url, batch)


def _post(client: httpx.Client, url: str, batch: list[Article]) -> Iterator[Sent]:
    try:
        response = client.post(url, json={"articles": [_payload(a) for a in batch]})
    except httpx.HTTPError as exc:
        raise ServerError(f"cannot reach {url}: {exc}") from exc
    if response.status_code == 422 and len(batch) > 1:
        for article in batch:
            yield from _post(client, url, [article])
        return
    if response.status_code == 422:
        yield Sent(batch[0], stored=False, error=_message(response))
        return
    if response.status_code != 200:
        raise ServerError(f"{url}: {response.status_code}: {_message(response)}")
    for article, answer in zip(batch, response.json()["articles"], strict=True):
        yield Sent(article, bool(answer["stored"]), int(answer.get("events", 0)))


def ingest_remote(items: Iterable[Article | Any], server: str, token: str | None) -> int:
    """`eventwire ingest --server`: inputs read here, coded and stored by the server."""
    import sys

    from eventwire.records import Skipped

    counts = {"sent": 0, "stored": 0, "already": 0, "skipped": 0, "events": 0}

    def articles() -> Iterator[Article]:
        for item in items:
            if isinstance(item, Skipped):
                counts["skipped"] += 1
                print(item.message(), file=sys.stderr)
            else:
                yield item

    try:
        for sent in send(articles(), server, token):
            counts["sent"] += 1
            if sent.error is not None:
                counts["skipped"] += 1
                print(f"skipped {sent.article.origin}: {sent.error}", file=sys.stderr)
            elif sent.stored:
                counts["stored"] += 1
                counts["events"] += sent.events
            else:
                counts["already"] += 1
    except ServerError as exc:
        print(f"eventwire ingest: error: {exc}", file=sys.stderr)
        return 1
    print(", ".join(f"{k}: {v}" for k, v in counts.items()) + f" (server {server})")
    return 0
