"""annotate_mentions: every actor mention on the Doc, one non-overlapping span each."""

from __future__ import annotations

from bisect import bisect_right
from datetime import date

from spacy.attrs import LOWER
from spacy.tokens import Doc

from eventwire.nlp.doctext import doc_text
from eventwire.nlp.extensions import ext
from eventwire.nlp.sentences import sentence_bounds
from eventwire.records import Actor, Mention, updated
from eventwire.resolve.actors.acronyms import acronym_cands, bracketed
from eventwire.resolve.actors.affiliation import affiliate
from eventwire.resolve.actors.context import (
    Located,
    focus_country,
    mark_ethnic,
    resolve_context,
    resolve_ethnic,
)
from eventwire.resolve.actors.ethnic import people, qualified_sector
from eventwire.resolve.actors.fuzzy import misspelt_countries
from eventwire.resolve.actors.kb import Entry
from eventwire.resolve.actors.learn import collect_proposals
from eventwire.resolve.actors.lexicon import head_forms, unit_end, unit_start
from eventwire.resolve.actors.orgs import armed_sector
from eventwire.resolve.actors.people import Title, choose, person_actor
from eventwire.resolve.actors.phrases import (
    BACKED,
    Cand,
    Parts,
    also_codes,
    country_of,
    is_head_unit,
    modified_target,
    scan,
    sector_of,
)
from eventwire.resolve.actors.scan import acronym_cands as unknown_acronyms
from eventwire.resolve.actors.scan import (
    kb_cands,
    org_cands,
    person_cands,
    pronoun_cands,
    surname_cands,
)

GROUP_KINDS = frozenset({"group", "igo", "agency"})
ARMED_SECTORS = frozenset({"MIL", "REB", "PRM", "UAF", "COP", "SPY"})
ALSO_KEY = "eventwire.actors.also"  # [[mention start, code, code, ...]]: one actor per country


def _claim(owner: list[Cand | None], cand: Cand) -> None:
    """Mark the tokens a mention owns so later passes leave them alone."""
    for k in range(cand.start, cand.end):
        owner[k] = cand


def _release(owner: list[Cand | None], cand: Cand) -> None:
    """Free the tokens of a mention that another one absorbed."""
    for k in range(cand.start, cand.end):
        if owner[k] is cand:
            owner[k] = None


def _office_text(doc: Doc, parts: Parts, end: int) -> str | None:
    """The office as written, without determiners and the country words before it."""
    k = parts.start
    while k < end:
        token = doc[k]
        inside_kb = any(c.start <= k < c.end for c in parts.kb)
        after_hyphen = k > 0 and doc[k - 1].text == "-" and token.lower_ in ("led", *BACKED)
        if (
            inside_kb
            or after_hyphen
            or token.lower_ in ("the", "a", "an", "'s", "former", "ex", "-")
        ):
            k += 1
            continue
        break
    text = doc[k:end].text if k < end else ""
    return text or None


def _role_cand(
    doc: Doc, us: int, ue: int, owner: list[Cand | None], sent: tuple[int, int]
) -> Cand | None:
    """A role phrase around the head unit, with sector, office and country (or pending)."""
    role = is_head_unit(doc, us, ue)
    if role is None or (role.sector == "UNK" and ue < sent[1] and doc[ue].lower_ == "of"):
        return None  # 'a group of diplomats': the members are the actor
    parts = scan(doc, us, ue, role, owner, sent)
    code, pending = country_of(parts)
    sector = armed_sector(sector_of(role, parts), lower_words(doc, parts.start, parts.end))
    if code is None and pending is None:
        if parts.unknown_org:
            pending = "none"
        elif sector == "GOV" or role.kind == "title":
            pending = "gov"
        else:
            pending = "none" if parts.nocountry else "focus"
    code = code or role.code
    office = _office_text(doc, parts, parts.end) if role.kind == "title" else None
    span = doc[parts.start : parts.end]
    name = office if role.kind == "title" else None
    if role.kind == "body":
        name = _office_text(doc, parts, parts.end)
    group = _named_group(parts) if role.kind == "group" else None
    if group is not None and sector in VAGUE_SECTORS and group.sector:
        sector = group.sector_on(ext(doc, "article_date"))  # 'gunmen of the ONLF' are ONLF's
        code = code or group.code
    actor = Actor(
        entity_text=span.text,
        name=group.name if group is not None else (None if role.kind == "title" else name),
        code=code,
        sector=sector,
        office=office,
        identifier_id=group.qid if group is not None else None,
        identifier_text=group.name if group is not None and group.qid else None,
        resolution="role",
    )
    cand = Cand(
        parts.start,
        parts.end,
        ue - 1,
        "role",
        actor,
        pending=pending if code is None else None,
        role=role,
    )
    cand.absorbed = parts.kb + parts.pp_kb
    _ethnic_role(doc, cand, ue - 1)
    cand.title = Title(office, code, sector, parts.former)
    cand.also = also_codes(parts, doc[ue - 1].tag_ in ("NNS", "NNPS"))
    return cand


def _ethnic_role(doc: Doc, cand: Cand, head: int) -> None:
    """'Yoruba leaders', 'Hausa politicians': a role named by a people (see ethnic.py)."""
    who = next((p for t in doc[cand.start : head] if (p := people(t.text)) is not None), None)
    if who is None or cand.actor.sector in ARMED_SECTORS:
        return
    cand.ethnic, cand.people, cand.pending = True, who, None
    sector = qualified_sector(cand.actor.sector, doc[head].text, who)
    cand.actor = updated(cand.actor, code=None, sector=sector, ethnicity=who.name)


def lower_words(doc: Doc, start: int, end: int) -> list[str]:
    return [t.lower_ for t in doc[start:end]]


VAGUE_SECTORS = frozenset({"UAF", "UNK"})


def _named_group(parts: Parts) -> Entry | None:
    """'TTP militants', 'Hamas fighters': members of a named group act as that group."""
    members_of = parts.pp_kb if parts.prep == "of" else []  # "cadres of the GNLA"
    for cand in parts.kb + members_of:
        if cand.entry is not None and cand.entry.kind in GROUP_KINDS:
            return cand.entry
    return None


def _merge_title(doc: Doc, person: Cand, title: Cand, day: date | None) -> None:
    """'Israeli Prime Minister Benjamin Netanyahu' becomes one mention of the person."""
    head = title.title if isinstance(title.title, Title) else None
    person.start = title.start
    person.head = doc[person.start : person.end].root.i
    person.title = head
    entry = person.entry
    if entry is not None and (entry.person is not None or entry.choices):
        office = head.office if head is not None else None
        known = entry.person or choose(entry.choices, day, office)
        person.actor = person_actor(known, "", day, head)
    elif head is not None:
        person.actor = updated(
            person.actor,
            code=head.code,
            sector="ELI" if head.former else head.sector,
            office=head.office,
        )
        serves = title.pending is not None and title.pending.startswith("title:")
        # "President Laurent Gbagbo" with no country: the office it serves, else the focus
        person.pending = (title.pending if serves else "focus") if head.code is None else None


def _named_after(doc: Doc, title: Cand, owner: list[Cand | None]) -> Cand | None:
    """The name a description precedes: '..., Antony Blinken', 'the militant group Hamas'."""
    if title.role is None:
        return None
    at = title.end
    if at < len(doc) and doc[at].text == "," and at + 1 < len(doc):
        at += 1
    cand = owner[at] if at < len(doc) else None
    if cand is None or cand.start != at:
        return None
    if title.role.kind == "title" and cand.kind == "name":
        return cand
    if title.role.kind in ("group", "body") and cand.kind == "group" and at == title.end:
        return cand
    return None


def _role_units(doc: Doc, lowers: list[str]) -> list[tuple[int, int]]:
    """Units whose last word could head a role phrase: one cheap set test per token."""
    forms = head_forms()
    units: list[tuple[int, int]] = []
    for i, lower in enumerate(lowers):
        if lower in forms:
            unit = (unit_start(doc, i), unit_end(doc, i))
            if not units or units[-1] != unit:
                units.append(unit)
    return units


def _role_pass(
    doc: Doc, lowers: list[str], owner: list[Cand | None], cands: list[Cand], day: date | None
) -> None:
    """Build role phrases around role words; merge titles into the names they precede."""
    bounds = sentence_bounds(doc)
    starts = [b[0] for b in bounds]
    done_to = 0
    for us, ue in _role_units(doc, lowers):
        if us < done_to or any(owner[k] is not None for k in range(us, ue)):
            continue
        if is_head_unit(doc, us, ue) is None:
            continue
        target = modified_target(doc, ue - 1)
        target_cand = owner[target] if target is not None else None
        if target is not None and target_cand is None:
            target_cand = _unnamed_person(doc, us, target, owner, cands)
        if target_cand is not None and target_cand.kind not in ("name", "group", "org"):
            target_cand = None
        if (
            target is not None
            and target_cand is None
            and not _possessor_of_thing(doc, ue - 1, target)
        ):
            continue
        sent = bounds[bisect_right(starts, us) - 1]
        cand = _role_cand(doc, us, ue, owner, sent)
        if cand is None:
            continue
        for old in cand.absorbed:
            _release(owner, old)
            if old in cands:
                cands.remove(old)
        named = target_cand if target_cand is not None else _named_after(doc, cand, owner)
        if named is not None and named.kind != "name":
            _release(owner, named)
            named.start = cand.start  # "the militant group Hamas": one mention of Hamas
            named.head = doc[named.start : named.end].root.i
            _claim(owner, named)
            done_to = named.end
            continue
        person = named
        if person is not None:
            _release(owner, person)
            _merge_title(doc, person, cand, day)
            _claim(owner, person)
            done_to = person.end
            continue
        _drop_overlaps(owner, cands, cand)
        cands.append(cand)
        _claim(owner, cand)
        done_to = max(cand.end, ue)


def _unnamed_person(
    doc: Doc, us: int, target: int, owner: list[Cand | None], cands: list[Cand]
) -> Cand | None:
    """'Minister for Communications Mitch Fifield': a title before a name NER missed."""
    role = is_head_unit(doc, us, unit_end(doc, us))
    token = doc[target]
    if role is None or role.kind != "title" or token.pos_ != "PROPN":
        return None
    if is_head_unit(doc, target, target + 1) is not None:
        return None
    start = target
    while start - 1 > us and doc[start - 1].dep_ == "compound" and doc[start - 1].pos_ == "PROPN":
        if owner[start - 1] is not None or is_head_unit(doc, start - 1, start) is not None:
            break
        start -= 1
    span = doc[start : target + 1]
    cand = Cand(
        start,
        target + 1,
        target,
        "name",
        Actor(entity_text=span.text, name=span.text, resolution="ner"),
    )
    cands.append(cand)
    _claim(owner, cand)
    return cand


def _possessor_of_thing(doc: Doc, head: int, target: int) -> bool:
    """'the army's statement': a possessor is an actor unless it belongs to a longer role."""
    if doc[head].dep_ != "poss":
        return False
    return is_head_unit(doc, target, unit_end(doc, target)) is None


def _drop_overlaps(owner: list[Cand | None], cands: list[Cand], cand: Cand) -> None:
    """Mentions a role phrase grew over (not names) stop being separate mentions."""
    for k in range(cand.start, cand.end):
        old = owner[k]
        if old is not None and old is not cand and old.kind != "name":
            _release(owner, old)
            if old in cands:
                cands.remove(old)


def _link_appositions(doc: Doc, owner: list[Cand | None], cands: list[Cand]) -> None:
    """'Mohammed bin Abdulrahman, Qatar's prime minister': the role names the same person."""
    for cand in cands:
        if cand.kind != "role" or cand.role is None or cand.role.kind != "title":
            continue
        head = doc[cand.head]
        if head.dep_ != "appos":
            continue
        person = owner[head.head.i]
        if person is None or person.kind != "name":
            continue
        if person.actor.code is None:
            person.actor = updated(
                person.actor,
                code=cand.actor.code,
                sector=cand.actor.sector,
                office=cand.actor.office,
            )
        cand.actor = updated(person.actor, entity_text=cand.actor.entity_text)


def _finish(doc: Doc, text: str, cand: Cand, focus: str | None) -> Mention:
    """Turn a candidate into the Mention the rest of the pipeline reads (`text` = doc.text)."""
    actor = cand.actor
    if cand.end > cand.start:  # the span's character offsets, without building a Span
        last = doc[cand.end - 1]
        start, end = doc[cand.start].idx, last.idx + len(last)
    else:
        span = doc[cand.start : cand.end]
        start, end = span.start_char, span.end_char
    code = actor.code
    if cand.pending == "focus" and not code and focus and cand.kind in ("role", "name"):
        code = focus
    actor = updated(actor, code=code, entity_text=text[start:end], start=start, end=end)
    return Mention(start=cand.start, end=cand.end, head=cand.head, actor=actor, kind=cand.kind)


def lower_forms(doc: Doc) -> list[str]:
    """token.lower_ of every token, read from one array instead of a Token object each."""
    strings = doc.vocab.strings
    return [strings[key] for key in doc.to_array(LOWER).tolist()]


def annotate_mentions(doc: Doc) -> None:
    """Set doc._.mentions (sorted, non-overlapping) and doc._.focus_country."""
    day = ext(doc, "article_date")
    owner: list[Cand | None] = [None] * len(doc)
    located: Located = []
    lowers = lower_forms(doc)
    cands = [
        c
        for c in kb_cands(doc, lowers, day, located)
        if not (c.kind == "name" and c.end - c.start == 1 and bracketed(doc, c.start))
    ]
    for cand in cands:
        _claim(owner, cand)
    for cand in misspelt_countries(doc, owner, day, located):
        cands.append(cand)
        _claim(owner, cand)
    for cand in person_cands(doc, owner):
        cands.append(cand)
        _claim(owner, cand)
    for cand in surname_cands(doc, lowers, owner, cands):
        cands.append(cand)
        _claim(owner, cand)
    acronym_cands(doc, owner, cands)
    _role_pass(doc, lowers, owner, cands, day)
    for cand in org_cands(doc, owner) + pronoun_cands(doc, lowers, owner):
        cands.append(cand)
        _claim(owner, cand)
    for cand in unknown_acronyms(doc, owner):
        cands.append(cand)
        _claim(owner, cand)
    cands.sort(key=lambda c: c.start)
    resolve_context(cands)
    _link_appositions(doc, owner, cands)
    collect_proposals(doc, cands, owner)
    mark_ethnic(doc, cands, owner)
    focus = focus_country(cands, located)
    resolve_ethnic(doc, cands, located, focus)
    doc._.focus_country = focus
    text = doc_text(doc)
    doc._.mentions = [_finish(doc, text, c, focus) for c in cands]
    affiliate(doc, doc._.mentions)
    doc.user_data[ALSO_KEY] = [[c.start, *c.also] for c in cands if c.also]
