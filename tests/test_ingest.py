"""Ingest: readers, boilerplate cleaning, metadata dates and bad-input skips (no spaCy needed)."""

from __future__ import annotations

import io
import json
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import lxml.html
import pytest

import shared_data
from eventwire.ingest import article_from_text, clean_text, read_inputs
from eventwire.ingest.checks import language_reason
from eventwire.records import Article, Skipped

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
SEED = shared_data.SEED


def one(paths: list[str], **kwargs: object) -> Article | Skipped:
    """The single item read from paths."""
    items = list(read_inputs(paths, **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1, items
    return items[0]


def article(paths: list[str], **kwargs: object) -> Article:
    item = one(paths, **kwargs)
    assert isinstance(item, Article), item
    return item


def skipped(paths: list[str], **kwargs: object) -> Skipped:
    item = one(paths, **kwargs)
    assert isinstance(item, Skipped), item
    return item


def set_stdin(monkeypatch: pytest.MonkeyPatch, data: bytes) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data), encoding="utf-8"))


# --- clean_text ---------------------------------------------------------------------------


def test_seed_article_loses_the_glued_read_also_line_and_nothing_else() -> None:
    shared_data.require()
    raw = SEED.read_text(encoding="utf-8")
    cleaned = clean_text(raw)
    assert "Read also" not in cleaned
    assert "Kyiv" not in cleaned
    assert cleaned == raw[: raw.index("Read also")].rstrip()
    assert cleaned.endswith("defend against any threats.")


def test_seed_article_read_as_file_is_cleaned_and_dated_only_by_the_cli() -> None:
    shared_data.require()
    item = article([str(SEED)])
    assert item.id == "seed-article" and item.date is None and item.raw_format == "text"
    assert "Kyiv" not in item.text
    assert article([str(SEED)], date=date(2024, 8, 19)).date == date(2024, 8, 19)


def test_read_also_glued_mid_line_is_cut_to_the_end_of_the_line() -> None:
    text = "First paragraph.\nThey defend against threats.Read also| Kyiv Faces Missiles\nLast one."
    assert clean_text(text) == "First paragraph.\nThey defend against threats.\nLast one."
    assert clean_text("He left. Read more: Other story here") == "He left."


def test_sample_with_mid_line_teaser_keeps_its_last_sentence() -> None:
    path = SAMPLES / "text" / "kharkiv-missile-strike.txt"
    raw = path.read_text(encoding="utf-8")
    item = article([str(path)])
    assert item.text == raw[: raw.index("Read also")]
    assert item.text.endswith("remained on alert for further threats.")


@pytest.mark.parametrize(
    "line",
    [
        "Read also| Kyiv Faces Missile Assaults",
        "Read also: Another story",
        "READ MORE: Another story",
        "Also read: Another story",
        "Related: Ceasefire talks stall",
        "See also Ceasefire talks stall",
        "Click here to subscribe",
        "Sign up for our newsletter",
        "Follow us on X and Facebook",
        "Share this article",
        "Facebook | X | Email",
        "Advertisement",
        "© 2024 The Meridian Ledger. All rights reserved.",
        "Copyright 2025 Harbour Street Media",
        "By Jane Doe",
        "By Jane Doe and John Smith",
        "By Helena Marsh, Europe correspondent",
        "(Reporting by Daniel Okafor; Editing by Peter Lang)",
        "We use cookies to improve your experience.",
        "Home › World › Europe",
        "3 min read",
    ],
)
def test_boilerplate_lines_are_removed(line: str) -> None:
    text = f"The minister arrived on Monday.\n{line}\nTalks began on Tuesday."
    assert clean_text(text) == "The minister arrived on Monday.\nTalks began on Tuesday."


@pytest.mark.parametrize(
    "line",
    [
        "By Tuesday evening, the convoy had reached Kherson.",
        "By Tuesday, Russian forces had withdrawn from the village.",
        "Related talks will be held in Doha next week.",
        "Follow-up talks are planned for March.",
        "Sign language interpreters attended the summit.",
        "Advertisement boards were burned during the protest.",
        "Copyright disputes between the two firms went to court.",
        "Share prices fell after the sanctions were announced.",
        "Readers of the newspaper protested outside its office.",
        "He read more than a hundred letters from the families.",
        "See you in Geneva, the envoy told reporters.",
    ],
)
def test_article_lines_that_look_like_boilerplate_are_kept(line: str) -> None:
    text = f"The minister arrived on Monday.\n{line}"
    assert clean_text(text) == text


def test_clean_text_keeps_paragraphs_and_characters() -> None:
    text = "  Indented first line — with “quotes”.\n\nSecond paragraph.\nThird line."
    assert clean_text(text) == text
    # removed lines leave one blank line between paragraphs, trailing spaces go
    messy = "\n\nPara one.   \n\nAdvertisement\n\nPara two.\r\nPara three.\n\n\n"
    assert clean_text(messy) == "Para one.\n\nPara two.\nPara three."


def test_article_from_text_cleans_and_accepts_iso_dates() -> None:
    item = article_from_text("Leaders met in Rome.\nRead more: other", id="x", date="2024-03-05")
    assert item.text == "Leaders met in Rome."
    assert item.date == date(2024, 3, 5) and item.id == "x" and item.raw_format == "text"
    assert article_from_text("Leaders met.").date is None


# --- text and HTML files --------------------------------------------------------------------


def test_text_file_fields() -> None:
    path = SAMPLES / "text" / "erdogan-putin-call.txt"
    item = article([str(path)])
    assert (item.id, item.origin, item.raw_format) == ("erdogan-putin-call", str(path), "text")
    assert item.date is None and item.title is None
    assert "Read more" not in item.text and "Black Sea shipping insurers" not in item.text
    assert item.text.startswith("ANKARA, July 17 (AFP) - Turkish President")


def test_byline_share_bar_and_credits_are_removed_from_text_files() -> None:
    tbilisi = article([str(SAMPLES / "text" / "tbilisi-protests.txt")]).text
    assert tbilisi.startswith("TBILISI, Georgia")
    assert "Nino Kapanadze" not in tbilisi and "Share this" not in tbilisi
    assert tbilisi.endswith("in front of parliament.")
    red_sea = article([str(SAMPLES / "text" / "red-sea-air-strikes.txt")]).text
    assert "Reporting by" not in red_sea and red_sea.endswith("Palestinians in Gaza.")


HTML_PAGES = sorted((SAMPLES / "html").glob("*.html"))
FURNITURE = [
    "We use cookies",
    "This site uses cookies",
    "Cookie",
    "Newsletters",
    "Share this article",
    "Share on",
    "Facebook",
    "Related",
    "Read also",
    "Read more",
    "All rights reserved",
    "Sign up",
    "Advertisement",
    "Most read",
    "More stories",
    "About us",
    "Follow us",
    "By ",
    "Meridian Ledger",
    "Harbour Street",
]


def test_there_are_six_html_samples() -> None:
    assert len(HTML_PAGES) >= 6


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda p: p.stem)
def test_html_page_keeps_the_article_and_drops_the_furniture(page: Path) -> None:
    html = page.read_text(encoding="utf-8")
    item = article([str(page)], date=date(2000, 1, 1))
    assert item.raw_format == "html" and item.id == page.stem
    for text in FURNITURE:
        assert text not in item.text, text
    published = html.split('article:published_time" content="')[1][:10]
    assert item.date == date.fromisoformat(published)  # metadata beats --date
    assert item.title and item.title in html and not item.text.startswith(item.title)
    body = lxml.html.fromstring(html).xpath("//div[contains(@class, '-body')]/p[not(@class)]")
    paragraphs = [p.text_content() for p in body if not p.text_content().startswith("Read ")]
    assert len(paragraphs) >= 5
    for para in paragraphs:
        assert para in item.text
    assert item.text == "\n".join(paragraphs)


def test_rutte_page_details() -> None:
    item = article([str(SAMPLES / "html" / "rutte-kyiv-visit.html")])
    assert item.url == "https://news.example.org/world/2024/10/03/rutte-kyiv-visit"
    assert item.source == "The Meridian Ledger"
    assert item.text.startswith("KYIV, Oct 3 — Mark Rutte arrived in Kyiv")
    assert "Baltic states" not in item.text and "Home" not in item.text


def page(body: str, published: str | None = None) -> str:
    meta = f'<meta property="article:published_time" content="{published}">' if published else ""
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n"))
    return (
        f"<html><head><title>Talks</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>Talks</h1>{paras}</article>"
        "<footer><p>© 2024 Example</p></footer></body></html>"
    )


BODY = (
    "The foreign ministers of Kenya and Ethiopia met in Addis Ababa on Monday to discuss "
    "the security situation in Somalia and trade between the two countries.\n"
    "They agreed to hold another round of talks in Nairobi next month, officials said, and "
    "to set up a joint committee on border security and the movement of livestock."
)


def test_html_date_falls_back_to_cli_date_then_none(tmp_path: Path) -> None:
    path = tmp_path / "talks.html"
    path.write_text(page(BODY), encoding="utf-8")
    assert article([str(path)], date=date(2024, 2, 2)).date == date(2024, 2, 2)
    undated = article([str(path)])
    assert undated.date is None
    assert "Addis Ababa" in undated.text and "Home" not in undated.text


def test_html_without_article_falls_back_to_paragraphs_or_skips(tmp_path: Path) -> None:
    short = tmp_path / "short.html"
    short.write_text("<html><body><p>Kenya and Ethiopia met in Addis Ababa.</p></body></html>")
    assert "Addis Ababa" in article([str(short)]).text
    empty = tmp_path / "empty.html"
    empty.write_text("<html><body><nav><a href='/'>Home</a></nav><div></div></body></html>")
    assert skipped([str(empty)]).reason == "no article text found in the HTML"


# --- JSONL --------------------------------------------------------------------------------


def test_jsonl_corpus() -> None:
    path = SAMPLES / "corpus.jsonl"
    items = list(read_inputs([str(path)]))
    assert len(items) >= 8 and all(isinstance(i, Article) for i in items)
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for number, (item, record) in enumerate(zip(items, records, strict=True), start=1):
        assert isinstance(item, Article)
        assert item.id == record["id"] and item.origin == f"{path}:{number}"
        assert item.raw_format == "jsonl" and item.title == record["title"]
        assert item.url == record["url"] and item.source == record["source"]
        assert item.date is not None and item.date.isoformat()[:4] in ("2024", "2025")
    html_item = items[[i for i, r in enumerate(records) if "html" in r][0]]
    assert isinstance(html_item, Article)
    assert "Share:" not in html_item.text and "Arman Petrosyan" not in html_item.text
    assert html_item.text.startswith("YEREVAN — Armenia and Azerbaijan")


def jsonl_file(tmp_path: Path, *records: dict[str, object]) -> str:
    path = tmp_path / "records.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("record_date", "page_date", "cli_date", "expected"),
    [
        ("2024-05-01", "2024-06-01", date(2024, 7, 1), date(2024, 5, 1)),
        (None, "2024-06-01", date(2024, 7, 1), date(2024, 6, 1)),
        (None, None, date(2024, 7, 1), date(2024, 7, 1)),
        (None, None, None, None),
        ("not a date", None, None, None),
        ("2024-05-01T23:10:00Z", None, None, date(2024, 5, 1)),
    ],
)
def test_date_precedence_record_then_metadata_then_cli(
    tmp_path: Path,
    record_date: str | None,
    page_date: str | None,
    cli_date: date | None,
    expected: date | None,
) -> None:
    record: dict[str, object] = {"id": "r1", "html": page(BODY, page_date)}
    if record_date:
        record["date"] = record_date
    item = article([jsonl_file(tmp_path, record)], date=cli_date)
    assert item.date == expected
    assert item.title == "Talks"  # from the page when the record has none


def test_jsonl_missing_id_uses_stem_and_line(tmp_path: Path) -> None:
    path = jsonl_file(tmp_path, {"text": BODY}, {"id": 7, "text": BODY})
    first, second = read_inputs([path])
    assert first.origin == f"{path}:1"
    assert isinstance(first, Article) and first.id == "records:1"
    assert isinstance(second, Article) and second.id == "7"


def test_broken_jsonl_skips_bad_lines_and_keeps_going() -> None:
    path = SAMPLES / "bad" / "broken.jsonl"
    got = [
        (type(i).__name__, i.id if isinstance(i, Article) else i.article_id, i.origin)
        for i in read_inputs([str(path)])
    ]
    assert got == [
        ("Article", "ok-1", f"{path}:1"),
        ("Skipped", "broken:2", f"{path}:2"),
        ("Article", "ok-2", f"{path}:3"),
        ("Skipped", "broken:4", f"{path}:4"),
        ("Skipped", "no-text", f"{path}:5"),
        ("Skipped", "int-text", f"{path}:6"),
        ("Article", "ok-3", f"{path}:7"),
        ("Article", "broken:9", f"{path}:9"),
    ]
    reasons = [i.reason for i in read_inputs([str(path)]) if isinstance(i, Skipped)]
    assert reasons[0].startswith("invalid JSON: Unterminated string")
    assert reasons[1:] == [
        "not a JSON object (got list)",
        "no 'text' or 'html' field",
        "field 'text' must be a string (got int)",
    ]


# --- bad inputs -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("empty.txt", "empty text"),
        ("binary.bin", "binary content (NUL bytes)"),
        ("french.txt", "not English (English stopword share 0.00)"),
    ],
)
def test_bad_input_is_skipped_and_the_run_continues(name: str, reason: str) -> None:
    bad = str(SAMPLES / "bad" / name)
    good = str(SAMPLES / "text" / "quetta-bombing.txt")
    first, second = read_inputs([bad, good])
    assert isinstance(first, Skipped)
    assert (first.article_id, first.reason, first.origin) == (Path(name).stem, reason, bad)
    assert isinstance(second, Article) and second.id == "quetta-bombing"


def test_whitespace_only_and_boilerplate_only(tmp_path: Path) -> None:
    blank = tmp_path / "blank.txt"
    blank.write_text("  \n\t\n  ")
    assert skipped([str(blank)]).reason == "empty text"
    teaser = tmp_path / "teaser.txt"
    teaser.write_text("Read also| Something else\nAdvertisement\n")
    assert skipped([str(teaser)]).reason == "no text left after removing boilerplate"


def test_control_characters_make_binary(tmp_path: Path) -> None:
    path = tmp_path / "noise.txt"
    path.write_bytes(b"abc\x01\x02\x03\x04\x05def\x06\x07\x08" * 50)
    assert skipped([str(path)]).reason.startswith("binary content (")


def test_oversized_text_is_skipped() -> None:
    path = str(SAMPLES / "text" / "quetta-bombing.txt")
    size = len(article([path]).text)
    assert skipped([path], max_chars=500).reason == f"too large ({size} chars > limit 500)"
    assert isinstance(one([path], max_chars=size), Article)


def test_missing_path_is_skipped(tmp_path: Path) -> None:
    missing = str(tmp_path / "nowhere.txt")
    item = skipped([missing])
    assert (item.article_id, item.reason, item.origin) == ("nowhere", "no such file", missing)


def test_utf8_bom_and_utf16_with_bom_are_read(tmp_path: Path) -> None:
    text = "Leaders of Peru and Chile met in Lima on Friday to sign a trade deal."
    bom = tmp_path / "bom.txt"
    bom.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert article([str(bom)]).text == text
    utf16 = tmp_path / "wide.txt"
    utf16.write_bytes(text.encode("utf-16"))
    assert article([str(utf16)]).text == text


@pytest.mark.parametrize(
    "text",
    [
        "Ukraine says Russian drones hit Odesa port overnight, injuring four",
        "Qatar PM Mohammed bin Abdulrahman Al Thani meets Hamas leaders in Doha",
        "EU chief Ursula von der Leyen visits Kyiv for talks with Zelensky",
        "Brazil's Lula da Silva meets Colombian President Gustavo Petro in Bogotá",
        "Sudan's RSF, army trade accusations over El Fasher hospital shelling",
        "Erdoğan hosts Mitsotakis in Ankara",
        "Paris: rencontre au sommet",
    ],
)
def test_short_english_headlines_pass_the_language_check(text: str) -> None:
    assert language_reason(text) is None


@pytest.mark.parametrize(
    "text",
    [
        "Le président a rencontré le Premier ministre à Paris mardi soir",
        "Der Kanzler traf den französischen Präsidenten in Berlin am Dienstag",
        "El presidente se reunió con el primer ministro en Madrid el martes",
        "Путин провел телефонный разговор с Эрдоганом во вторник вечером сегодня",
    ],
)
def test_short_foreign_texts_fail_the_language_check(text: str) -> None:
    reason = language_reason(text)
    assert reason is not None and reason.startswith("not English (English stopword share ")


# --- directories, sniffing, stdin -------------------------------------------------------------


def test_directory_is_read_recursively_sorted_without_hidden_files(tmp_path: Path) -> None:
    (tmp_path / "b" / "deep").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / "b" / "deep" / "z.txt").write_text(BODY)
    (tmp_path / "b" / "a.htm").write_text(page(BODY, "2024-03-03"))
    (tmp_path / "a.md").write_text(BODY)
    (tmp_path / "c.text").write_text(BODY)
    (tmp_path / ".secret.txt").write_text(BODY)
    (tmp_path / ".hidden" / "x.txt").write_text(BODY)
    items = list(read_inputs([str(tmp_path)]))
    assert [(i.id, i.raw_format) for i in items if isinstance(i, Article)] == [
        ("a", "text"),
        ("a", "html"),
        ("z", "text"),
        ("c", "text"),
    ]
    assert len(items) == 4


def test_sample_directories_read_every_article() -> None:
    items = list(read_inputs([str(SAMPLES / "text"), str(SAMPLES / "html")]))
    assert len(items) >= 18 and all(isinstance(i, Article) for i in items)
    for item in items:
        assert isinstance(item, Article)
        assert 120 <= len(item.text.split()) <= 300, item.id


def test_unknown_extensions_are_sniffed(tmp_path: Path) -> None:
    as_jsonl = tmp_path / "feed.dat"
    as_jsonl.write_text(json.dumps({"id": "j", "text": BODY}) + "\n")
    as_html = tmp_path / "page.dat"
    as_html.write_text(page(BODY, "2024-03-03"))
    as_text = tmp_path / "notes.dat"
    as_text.write_text(BODY)
    formats = [i.raw_format for i in read_inputs([str(as_jsonl), str(as_html), str(as_text)])]
    assert formats == ["jsonl", "html", "text"]


def test_stdin_text(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, (BODY + "\nRead more: another story").encode("utf-8"))
    item = article(["-"], date=date(2024, 9, 9))
    assert (item.id, item.origin, item.raw_format) == ("stdin", "stdin", "text")
    assert item.text == BODY and item.date == date(2024, 9, 9)


def test_stdin_html(monkeypatch: pytest.MonkeyPatch) -> None:
    set_stdin(monkeypatch, page(BODY, "2024-03-03").encode("utf-8"))
    item = article(["-"])
    assert item.raw_format == "html" and item.date == date(2024, 3, 3)
    assert "Home" not in item.text and "Addis Ababa" in item.text


def test_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps({"id": "s1", "text": BODY}), "{broken", json.dumps({"text": BODY})]
    set_stdin(monkeypatch, ("\n" + "\n".join(lines) + "\n").encode("utf-8"))
    items = list(read_inputs(["-"]))
    assert [(type(i).__name__, i.origin) for i in items] == [
        ("Article", "stdin:2"),
        ("Skipped", "stdin:3"),
        ("Article", "stdin:4"),
    ]
    assert isinstance(items[2], Article) and items[2].id == "stdin:4"


def test_stdin_without_a_byte_buffer_and_bad_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(BODY))
    assert article(["-"]).text == BODY
    set_stdin(monkeypatch, b"caf\xe9 au lait in Paris")  # Windows-1252: decoded (issue 17)
    assert article(["-"]).text == "caf\u00e9 au lait in Paris"


class CountingStream(io.RawIOBase):
    """A byte stream that records how much has been read from it."""

    def __init__(self, data: bytes) -> None:
        self.data, self.pos = data, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self.data[self.pos : self.pos + len(buffer)]
        buffer[: len(chunk)] = chunk
        self.pos += len(chunk)
        return len(chunk)


def test_jsonl_is_streamed_not_read_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    line = json.dumps({"text": BODY}).encode("utf-8") + b"\n"
    raw = CountingStream(line * 5000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(raw)))
    stream: Iterator[Article | Skipped] = read_inputs(["-"])
    assert isinstance(next(stream), Article)
    assert raw.pos < len(raw.data) / 10
