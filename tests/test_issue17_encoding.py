"""The article keeps the encoding its bytes were decoded with (issue 17): stored by `ingest`
in both back-ends, shown in the article's JSON over real HTTP, added to older stores by the
migration (NULL there: the codec of an article stored before it is unknown)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from eventwire.cli import main as cli_main
from eventwire.ingest import read_inputs
from eventwire.records import Article
from eventwire.serve.app import create_app
from eventwire.store import StoreError, migrations, open_store
from live_server import serving

SAMPLES = Path(__file__).resolve().parents[1] / "samples"
STORY = (
    "Swiss Foreign Minister Ignazio Cassis met his Austrian counterpart in Zürich on Friday"
    " to discuss the future of the talks."
)


def _corpus(tmp_path: Path) -> list[str]:
    """A Windows-1252 text file, a UTF-8 one, a UTF-16 one and a JSONL file of both kinds."""
    utf8 = tmp_path / "utf8.txt"
    utf8.write_bytes(STORY.replace("Friday", "Monday").encode("utf-8"))
    utf16 = tmp_path / "utf16.txt"
    utf16.write_bytes(STORY.replace("Friday", "Sunday").encode("utf-16"))
    corpus = tmp_path / "corpus.jsonl"
    lines = [
        json.dumps(
            {"id": "jl-latin", "text": STORY.replace("Friday", "Tuesday")}, ensure_ascii=False
        ).encode("cp1252"),
        json.dumps({"id": "jl-utf8", "text": STORY.replace("Friday", "Thursday")}).encode(),
    ]
    corpus.write_bytes(b"\n".join(lines) + b"\n")
    return [str(SAMPLES / "encodings" / "latin1.txt"), str(utf8), str(utf16), str(corpus)]


EXPECTED = {
    "latin1": "cp1252",
    "utf8": "utf-8",
    "utf16": "utf-16",
    "jl-latin": "cp1252",
    "jl-utf8": "utf-8",
}


def test_issue17_readers_say_which_encoding_decoded_each_article(tmp_path: Path) -> None:
    got = {a.id: a.encoding for a in read_inputs(_corpus(tmp_path)) if isinstance(a, Article)}
    assert got == EXPECTED


@pytest.fixture
def served(store_url: str, tmp_path: Path) -> Iterator[str]:
    """`eventwire ingest` of the corpus into the store, served read-only on 127.0.0.1."""
    assert cli_main(["ingest", *_corpus(tmp_path), "--db", store_url, "--no-link"]) == 0
    store = open_store(store_url, read_only=True)
    with serving(create_app(store)) as url:
        yield url
    store.close()


def test_issue17_the_article_json_shows_its_encoding(served: str) -> None:
    for article_id, encoding in EXPECTED.items():
        reply = httpx.get(f"{served}/articles/{article_id}.json", timeout=10)
        assert reply.status_code == 200, reply.text
        body = reply.json()
        assert body["encoding"] == encoding, article_id
        assert "Zürich" in body["text"]
    page = httpx.get(f"{served}/articles/latin1", headers={"Accept": "text/html"}, timeout=10)
    assert "decoded from cp1252" in page.text


def test_issue17_an_older_store_gets_the_column_by_migration(store_url: str) -> None:
    (article,) = read_inputs([str(SAMPLES / "encodings" / "latin1.txt")])
    assert isinstance(article, Article)
    with open_store(store_url) as s:
        s.add_article(article, [], [(0, len(article.text))])
        s.flush()
        s.run("ALTER TABLE articles DROP COLUMN encoding")  # type: ignore[attr-defined]
        s.run("UPDATE schema_version SET version = 3")  # type: ignore[attr-defined]
        assert migrations.version(s) == 3  # type: ignore[arg-type]
    with pytest.raises(StoreError, match="eventwire migrate"):
        open_store(store_url, read_only=True)
    assert cli_main(["migrate", "--db", store_url]) == 0
    with open_store(store_url, read_only=True) as s:
        found = s.article_detail("latin1")
        assert found is not None and found["encoding"] is None and "Zürich" in found["text"]
    with open_store(store_url) as s:  # a writer after the migration stores the codec again
        again = Article(**{**vars(article), "text": article.text + " More."})
        s.add_article(again, [], [(0, len(again.text))])
        s.flush()
        found = s.article_detail(again.content_hash)
        assert found is not None and found["encoding"] == "cp1252"
