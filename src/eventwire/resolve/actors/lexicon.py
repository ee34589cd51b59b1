"""Role words (roles.tsv) and office wordings (offices.tsv): which words name an actor's sector."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from spacy.tokens import Doc, Token

from eventwire.nlp.doctext import doc_memo
from eventwire.resolve.actors.kb import read_rows

HEAD_KINDS = ("title", "group", "body")
DETERMINERS = frozenset({"the", "a", "an", "this", "that", "these", "those"})


@dataclass(frozen=True)
class Role:
    """What a role word says: its sector, whether it names a person's office, a group or a body."""

    word: str
    sector: str | None
    kind: str  # title | group | body | modifier
    code: str | None = None
    cap_only: bool = False


@dataclass
class Lexicon:
    """The role tables, keyed for one-lookup access."""

    heads: dict[str, Role]  # single words that can head an actor phrase
    pairs: dict[tuple[str, str], Role]  # two-word phrases keyed by (modifier, head)
    modifiers: dict[str, Role]  # words allowed inside a phrase before its head
    nocountry: frozenset[str]
    offices: dict[str, str]  # office wording -> KB role
    ethnic: frozenset[str] = frozenset()  # 'ethnic', 'minority': a group named by its ethnicity
    currency: frozenset[str] = frozenset()  # 'US $5': the country word names a currency


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """Read the role and office tables once per process."""
    heads: dict[str, Role] = {}
    pairs: dict[tuple[str, str], Role] = {}
    modifiers: dict[str, Role] = {}
    sets: dict[str, set[str]] = {"nocountry": set(), "ethnic": set(), "currency": set()}
    for row in read_rows("roles.tsv"):
        word, kind = row["word"].strip().lower(), row["kind"].strip()
        if kind in sets:
            sets[kind].add(word)
            continue
        role = Role(word, row["sector"] or None, kind, row["code"] or None, row["match"] == "cap")
        parts = word.split()
        if len(parts) == 2 and kind in HEAD_KINDS:
            pairs[(parts[0], parts[1])] = role
        elif kind in HEAD_KINDS:
            heads[word] = role
        if len(parts) == 1:
            modifiers.setdefault(word, role)
    offices = {
        row["office"].strip().lower(): row["role"].strip() for row in read_rows("offices.tsv")
    }
    nocountry, ethnic, currency = (frozenset(sets[k]) for k in ("nocountry", "ethnic", "currency"))
    return Lexicon(heads, pairs, modifiers, nocountry, offices, ethnic, currency)


@lru_cache(maxsize=1)
def people_lemmas() -> frozenset[str]:
    """Single role words that name people or forces ('constable', 'villager'), not bodies."""
    return frozenset(w for w, r in lexicon().heads.items() if r.kind in ("group", "title"))


@lru_cache(maxsize=1)
def head_forms() -> frozenset[str]:
    """Every surface form a head word can take (plurals included): a one-set pre-filter."""
    forms: set[str] = set()
    lex = lexicon()
    words = list(lex.heads) + [pair[1] for pair in lex.pairs]
    for word in words:
        last = word.split("-")[0] if "-" in word else word
        forms.update({last, last + "s", last + "es"})
        if last.endswith("y"):
            forms.add(last[:-1] + "ies")
        if last.endswith("man"):
            forms.add(last[:-3] + "men")
    forms.update({"children", "women", "men", "people", "staff"})
    return frozenset(forms)


def _forms(token: Token) -> list[str]:
    """Surface, lemma and a plain plural strip: PROPN lemmas of 'Hostages' stay plural."""
    low = token.lower_
    forms = [low, token.lemma_.lower()]
    if low.endswith("ies"):
        forms.append(low[:-3] + "y")
    elif low.endswith("men"):
        forms.append(low[:-3] + "man")
    elif low.endswith("s"):
        forms.append(low[:-1])
    return forms


def _case_ok(role: Role, token: Token) -> bool:
    """'Office' and 'General' are roles only when capitalised."""
    return not role.cap_only or token.text[:1].isupper()


def unit_start(doc: Doc, i: int) -> int:
    """Start of the hyphenated compound ending at i ('Chief-of-Staff' is one unit)."""
    while (
        i >= 2
        and doc[i - 1].text == "-"
        and not doc[i - 2].whitespace_
        and not doc[i - 1].whitespace_
    ):
        i -= 2
    return i


def unit_end(doc: Doc, i: int) -> int:
    """End (exclusive) of the hyphenated compound starting at i."""
    while (
        i + 2 < len(doc)
        and doc[i + 1].text == "-"
        and not doc[i].whitespace_
        and not doc[i + 1].whitespace_
    ):
        i += 2
    return i + 1


def unit_text(doc: Doc, start: int, end: int) -> str:
    """A hyphenated unit's text, lowercased ('chief-of-staff')."""
    return "".join(t.text for t in doc[start:end]).lower()


_NO_ROLE = Role("", None, "none")  # memo marker: the unit names no role


def head_role(doc: Doc, start: int, end: int) -> Role | None:
    """The role a unit names as a head: 'Secretary-General', 'forces', 'security forces'.

    Memoised per Doc: the actor, coref and extract steps ask about the same units many times.
    """
    memo: dict[tuple[int, int], Role] = doc_memo(doc).setdefault("head_role", {})
    role = memo.get((start, end))
    if role is None:
        role = memo[(start, end)] = _head_role(doc, start, end) or _NO_ROLE
    return None if role is _NO_ROLE else role


def _head_role(doc: Doc, start: int, end: int) -> Role | None:
    lex = lexicon()
    last = doc[end - 1]
    if end - start > 1:
        text = unit_text(doc, start, end)
        role = lex.heads.get(text)
        if role is not None:
            return role
        if doc[start].lower_ not in ("ex", "former"):
            return None
    if start > 0 and end - start == 1:
        prev = doc[start - 1].lower_
        for form in _forms(last):
            pair = lex.pairs.get((prev, form))
            if pair is not None and _case_ok(pair, last):
                return pair
    for form in _forms(last):
        role = lex.heads.get(form)
        if role is not None:
            return role if _case_ok(role, last) else None
    return None


def pair_start(doc: Doc, start: int, end: int) -> int:
    """Where a two-word role phrase begins ('security forces' -> the index of 'security')."""
    if start > 0 and end - start == 1:
        prev = doc[start - 1].lower_
        if any((prev, form) in lexicon().pairs for form in _forms(doc[start])):
            return start - 1
    return start


def modifier_role(token: Token) -> Role | None:
    """A word that may stand inside a phrase before its head: 'Prime', 'army', 'former'."""
    lex = lexicon()
    for form in _forms(token):
        role = lex.modifiers.get(form)
        if role is not None and _case_ok(role, token):
            return role
    return None


def office_role(office: str | None) -> str | None:
    """'Minister of Foreign Affairs' -> foreign_minister: the KB role the wording names."""
    if not office:
        return None
    return lexicon().offices.get(" ".join(office.lower().split()))


def blocks_country(token: Token) -> bool:
    """'other forces', 'unknown gunmen': the focus country must not be guessed."""
    return token.lower_ in lexicon().nocountry
