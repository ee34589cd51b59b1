"""A KB that learns: title-name patterns and appositions propose people and offices.

While coding, "Israeli President Isaac Herzog" (a title before a name) and "Mohammed bin
Abdulrahman, Qatar's prime minister" (an apposition) say who holds which office of which
country. When the KB does not know the person, or knows them with another office on the
article's date, the pair becomes a proposal on `doc._.kb_proposals` with its evidence
(article id, date, sentence). `eventwire ingest` stores proposals; `eventwire kb review`
lists them and `kb accept` turns them into user-KB entries with resolution "learned".
"""

from __future__ import annotations

from datetime import date
from typing import Any

from spacy.tokens import Doc

from eventwire.nlp.extensions import ext
from eventwire.resolve.actors.kb import codes_by_name
from eventwire.resolve.actors.lexicon import office_role
from eventwire.resolve.actors.people import GENERIC_TITLES, Title, by_name, office_on
from eventwire.resolve.actors.phrases import Cand

Proposal = dict[str, Any]
SMALL_WORDS = frozenset({"of", "for", "the", "and", "to", "on", "in"})
SENTENCE_CHARS = 400


def office_words(office: str) -> str:
    """'foreign minister of Egypt' -> 'Foreign Minister': no country, capitalised words."""
    words = office.replace("'s ", " ").split()
    names = codes_by_name()
    for k in range(len(words) - 1, 0, -1):
        if words[k].lower() in ("of", "for", "to"):
            tail = " ".join(w for w in words[k + 1 :] if w.lower() != "the").lower()
            if tail in names:
                words = words[:k]
                break
    while words and words[0].lower() in names:
        words = words[1:]
    return " ".join(w if w.lower() in SMALL_WORDS else w[:1].upper() + w[1:] for w in words)


def _name_ok(name: str) -> bool:
    """Two or more capitalised words and no digits: what a person's name looks like."""
    words = name.split()
    return len(words) >= 2 and words[0][:1].isupper() and not any(c.isdigit() for c in name)


def _known_office(name: str, office: str, day: date | None) -> bool | None:
    """None: the KB does not know the person; else whether it gives them this office."""
    person = by_name().get(name.lower())
    if person is None:
        return None
    if day is None:  # an undated article cannot show the KB's dates wrong: any term will do
        terms = list(person.offices)
    else:
        held, current = office_on(person, day)
        terms = [held] if held is not None and current else []
    role = office_role(office)
    wanted = _plain(office)
    return any(_plain(t.title) == wanted or (role and t.role == role) for t in terms)


def _plain(title: str) -> str:
    """'Secretary-General' and 'secretary general' are one office."""
    return " ".join(title.lower().replace("-", " ").split())


def _proposal(doc: Doc, person: Cand, title: Title, pattern: str) -> Proposal | None:
    """A proposal when the title names a country and office the KB does not give the name."""
    if title.former or not title.office or not title.code:
        return None
    office = office_words(title.office)
    if not office or office.lower() in GENERIC_TITLES:
        return None
    name = person.entry.person.name if person.entry and person.entry.person else person.actor.name
    if not name or not _name_ok(name):
        return None
    known = _known_office(name, office, ext(doc, "article_date"))
    if known:
        return None
    day = ext(doc, "article_date")
    return {
        "name": name,
        "country": title.code,
        "office": office,
        "role": office_role(office) or "other",
        "sector": title.sector or "GOV",
        "kind": "new" if known is None else "office",
        "pattern": pattern,
        "mention": doc[person.start : person.end].text,
        "article_id": ext(doc, "article_id"),
        "article_date": day.isoformat() if day else None,
        "sentence": doc[person.head].sent.text.strip()[:SENTENCE_CHARS],
    }


def _pairs(doc: Doc, cands: list[Cand], owner: list[Cand | None]) -> list[tuple[Cand, Title, str]]:
    """(person, title, pattern) for title-name merges and title appositions."""
    pairs: list[tuple[Cand, Title, str]] = []
    for cand in cands:
        title = cand.title if isinstance(cand.title, Title) else None
        if title is None:
            continue
        if cand.kind == "name":
            pairs.append((cand, title, "title"))
        elif cand.kind == "role" and cand.role is not None and cand.role.kind == "title":
            head = doc[cand.head]
            person = owner[head.head.i] if head.dep_ == "appos" else None
            if person is not None and person.kind == "name":
                pairs.append((person, title, "apposition"))
    return pairs


def collect_proposals(doc: Doc, cands: list[Cand], owner: list[Cand | None]) -> None:
    """Set doc._.kb_proposals: one proposal per new (name, country, office) in the article."""
    found: list[Proposal] = []
    seen: set[tuple[str, str, str]] = set()
    for person, title, pattern in _pairs(doc, cands, owner):
        proposal = _proposal(doc, person, title, pattern)
        if proposal is None:
            continue
        key = (proposal["name"], proposal["country"], proposal["office"])
        if key not in seen:
            seen.add(key)
            found.append(proposal)
    doc._.kb_proposals = found


def learned_record(proposals: list[Proposal]) -> dict[str, Any]:
    """The user-KB person an accepted group of proposals (one name) becomes."""
    first = proposals[0]
    offices: dict[tuple[str, str], dict[str, Any]] = {}
    for item in proposals:
        key = (str(item["office"]), str(item["country"]))
        offices.setdefault(
            key,
            {
                "title": item["office"],
                "role": item.get("role") or "other",
                "start": None,
                "end": None,
                "sector": item.get("sector") or "GOV",
                "code": item["country"],
            },
        )
    return {
        "kind": "person",
        "name": first["name"],
        "aliases": [],
        "country": first["country"],
        "offices": list(offices.values()),
        "source": "learned",
        "resolution": "learned",
        "proposals": sorted(int(p["id"]) for p in proposals if p.get("id") is not None),
        "evidence": [
            {"article_id": p.get("article_id"), "date": p.get("article_date")} for p in proposals
        ],
    }
