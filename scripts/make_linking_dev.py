"""Write tests/data/linking_dev.jsonl: the event-linking dev set, from templates written here.

Each situation gives two clusters that must stay apart (the same parties another day, or the
same day another place). Each cluster is one real-world event told by a wire story, two
syndicated copies of it with edits (byline, headline, trimmed paragraph, "Read also" tail),
and one or two independent reports in other words. Deterministic: run it again, same file.
Format: docs/linking-gold.md.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "tests" / "data" / "linking_dev.jsonl"
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")

# side: (adjective, noun phrase, leader, country, sector)
SIDES = {
    "ISR": ("Israeli", "Israeli forces", "Benjamin Netanyahu", "ISR", "MIL"),
    "HAMAS": ("Hamas", "Hamas fighters", None, "PSE", "REB"),
    "RUS": ("Russian", "Russian forces", "Vladimir Putin", "RUS", "MIL"),
    "UKR": ("Ukrainian", "Ukrainian troops", "Volodymyr Zelensky", "UKR", "MIL"),
    "SDN": ("Sudanese", "the Sudanese army", None, "SDN", "MIL"),
    "RSF": ("Rapid Support", "the Rapid Support Forces", None, "SDN", "REB"),
    "SOM": ("Somali", "Somali troops", None, "SOM", "MIL"),
    "SHABAAB": ("al-Shabaab", "al-Shabaab militants", None, "SOM", "REB"),
    "COD": ("Congolese", "Congolese soldiers", None, "COD", "MIL"),
    "M23": ("M23", "M23 rebels", None, "COD", "REB"),
    "NGA": ("Nigerian", "Nigerian troops", None, "NGA", "MIL"),
    "BOKO": ("Boko Haram", "Boko Haram militants", None, "NGA", "REB"),
    "MLI": ("Malian", "Malian soldiers", None, "MLI", "MIL"),
    "USA": ("American", "the United States", "Antony Blinken", "USA", "GOV"),
    "EGY": ("Egyptian", "Egypt", "Abdel Fattah al-Sisi", "EGY", "GOV"),
    "FRA": ("French", "France", "Emmanuel Macron", "FRA", "GOV"),
    "TUR": ("Turkish", "Turkey", "Recep Tayyip Erdogan", "TUR", "GOV"),
    "UN": ("UN", "the United Nations", "Antonio Guterres", "UNO", None),
    "VEN": ("Venezuelan", "Venezuela", "Nicolas Maduro", "VEN", "GOV"),
    "CHN": ("Chinese", "China", None, "CHN", "GOV"),
    "PHL": ("Philippine", "the Philippines", None, "PHL", "GOV"),
    "CROWD_KEN": ("Kenyan", "protesters", None, "KEN", "CVL"),
    "CROWD_BGD": ("Bangladeshi", "students", None, "BGD", "CVL"),
    "CROWD_GEO": ("Georgian", "protesters", None, "GEO", "CVL"),
    "CROWD_SRB": ("Serbian", "students", None, "SRB", "CVL"),
}

LEADS = {
    "ASSAULT": [
        "{a_adj} forces launched an attack on {r_np} in {place} {when}, killing {n} people, "
        "officials said.",
        "{a_adj} troops shelled {r_np} near {place} {when}, local medics said, and at least "
        "{n} people died.",
        "At least {n} people were killed when {a_adj} forces attacked {r_np} in {place} {when}.",
    ],
    "CONSULT": [
        "{a_lead} met with {r_lead} in {place} {when} to discuss {topic}.",
        "{a_lead} held talks with {r_lead} in {place} {when}, with {topic} high on the agenda.",
        "In {place} {when}, {a_lead} met {r_lead} for talks on {topic}.",
    ],
    "PROTEST": [
        "Thousands of {a_np} protested against the government in {place} {when} over {topic}.",
        "Crowds of {a_np} marched through {place} {when} to protest against the government "
        "over {topic}.",
        "In {place} {when}, {a_np} demonstrated against the government over {topic}.",
    ],
    "ACCUSE": [
        "{a_lead} accused {r_np} of {topic} in a speech in {place} {when}.",
        "Speaking in {place} {when}, {a_lead} accused {r_np} of {topic}.",
        "{a_lead} on {weekday} accused {r_np} of {topic} during a visit to {place}.",
    ],
}

BACKGROUND = [
    "Aid agencies in {place} have warned of shortages of {goods} for {k} weeks.",
    "Officials in {place} gave no further details, and the toll of {n} could not be verified.",
    "Local radio in {place} reported queues of up to {k} hours at petrol stations.",
    "Schools across {place} have been closed for {k} days, parents said.",
    "Hospitals in {place} said they had run short of {goods} by the evening.",
    "Prices of {goods} in the markets of {place} have risen {k} times since the spring.",
    "About {k}000 families have left {place} in the past year, the aid group CARE says.",
    "A curfew imposed in {place} {k} weeks ago is still in force in several districts.",
    "Power returned to parts of {place} after {k} hours, residents said.",
    "The road from {place} to the coast reopened to traffic after {k} days.",
    "Farmers near {place} say their stocks of {goods} will last only {k} more weeks.",
    "Teachers in {place} have not been paid for {k} months, their union says.",
    "The airport serving {place} has handled no civilian flight for {k} weeks.",
    "Mobile networks around {place} were down for {k} hours on the same day.",
]
GOODS = ("fuel", "flour", "medicine", "clean water", "cooking oil", "baby formula", "blood")
OWN = [
    "Our correspondent in {place} described scenes of confusion as the news spread.",
    "Witnesses in {place} reached by phone gave accounts matching official statements.",
    "The figure of {n} could not be confirmed from other sources by the time of writing.",
    "This story about {place} is developing and will be updated as details emerge.",
    "Neighbouring governments have so far said nothing about what happened in {place}.",
    "Newspapers in {place} carried the story on their front pages the next morning.",
    "Community radio said residents of {place} gathered to share news late into the night.",
    "A researcher who has studied {place} for {k} years said the events were long feared.",
]
QUOTES = [
    '"The situation remains very difficult for ordinary families," a local official told {wire}.',
    '"Nobody knows what tomorrow will bring," one resident told {wire} by telephone.',
    '"We are following events very closely," a regional observer told {wire}.',
    '"People are tired and frightened," a community leader told {wire}.',
]
TAILS = ["Read also: Markets steady as investors watch the region", "Read more: Weather warning"]
WIRES = ("Example Wire", "Global Press Service")
# a report that names only the country (or a region) the event was in
REGIONS = {
    "ISR": "the Gaza Strip",
    "RUS": "Ukraine",
    "UKR": "Ukraine",
    "SDN": "Sudan",
    "RSF": "Sudan",
    "SOM": "Somalia",
    "SHABAAB": "Somalia",
    "COD": "Congo",
    "M23": "Congo",
    "NGA": "Nigeria",
    "BOKO": "Nigeria",
    "MLI": "Mali",
    "CROWD_KEN": "Kenya",
    "CROWD_BGD": "Bangladesh",
    "CROWD_GEO": "Georgia",
    "CROWD_SRB": "Serbia",
    "VEN": "Venezuela",
}
YESTERDAY = {
    "ASSAULT": "{a_adj} forces attacked {r_np} in {place} yesterday, leaving {n} people dead.",
    "CONSULT": "{a_lead} and {r_lead} held talks in {place} yesterday on {topic}.",
    "PROTEST": "Yesterday thousands of {a_np} protested against the government in {place}.",
    "ACCUSE": "{a_lead} yesterday accused {r_np} of {topic} while in {place}.",
}
COPY_SOURCES = ("Daily Herald", "City Times", "Morning Post", "Evening Standard Online")
OWN_SOURCES = ("The Gazette", "The Observer Weekly", "Regional Courier", "Capital News")
REPORTERS = ("Amina Diallo", "James Okoro", "Lena Petrova", "Marco Silva", "Sara Haddad")

# kind, actor side, recipient side, (place 1, place 2), near-miss ("day" | "place"), day 1, topic
SITUATIONS = [
    ("ASSAULT", "ISR", "HAMAS", ("Khan Younis", "Rafah"), "day", "2024-03-04", None),
    ("ASSAULT", "ISR", "HAMAS", ("Jabalia", "Khan Younis"), "place", "2024-05-13", None),
    ("ASSAULT", "RUS", "UKR", ("Kharkiv", "Odesa"), "day", "2024-05-20", None),
    ("ASSAULT", "RUS", "UKR", ("Zaporizhzhia", "Kherson"), "place", "2024-06-10", None),
    ("ASSAULT", "SDN", "RSF", ("El Fasher", "Omdurman"), "day", "2024-06-03", None),
    ("ASSAULT", "RSF", "SDN", ("Omdurman", "Wad Madani"), "place", "2024-09-16", None),
    ("ASSAULT", "SOM", "SHABAAB", ("Mogadishu", "Kismayo"), "day", "2024-04-08", None),
    ("ASSAULT", "SHABAAB", "SOM", ("Baidoa", "Mogadishu"), "place", "2024-07-22", None),
    ("ASSAULT", "COD", "M23", ("Goma", "Bukavu"), "day", "2025-01-20", None),
    ("ASSAULT", "M23", "COD", ("Bukavu", "Goma"), "place", "2025-02-10", None),
    ("ASSAULT", "NGA", "BOKO", ("Maiduguri", "Bama"), "day", "2024-08-12", None),
    ("ASSAULT", "BOKO", "NGA", ("Bama", "Maiduguri"), "place", "2024-10-07", None),
    ("ASSAULT", "MLI", "BOKO", ("Gao", "Timbuktu"), "place", "2024-11-04", None),
    ("ASSAULT", "RUS", "UKR", ("Kharkiv", "Sumy"), "day", "2024-11-18", None),
    ("ASSAULT", "ISR", "HAMAS", ("Rafah", "Deir al-Balah"), "day", "2024-08-05", None),
    ("ASSAULT", "SDN", "RSF", ("Khartoum", "El Obeid"), "day", "2025-01-13", None),
    ("CONSULT", "USA", "EGY", ("Cairo", "Alexandria"), "day", "2024-02-05", "a ceasefire in Gaza"),
    ("CONSULT", "FRA", "UKR", ("Paris", "Kyiv"), "day", "2024-02-12", "military aid"),
    ("CONSULT", "TUR", "RUS", ("Ankara", "Istanbul"), "day", "2024-04-15", "grain exports"),
    ("CONSULT", "UN", "UKR", ("Kyiv", "Lviv"), "day", "2024-09-09", "nuclear safety"),
    ("CONSULT", "USA", "ISR", ("Jerusalem", "Tel Aviv"), "day", "2024-06-17", "hostage talks"),
    ("CONSULT", "FRA", "EGY", ("Cairo", "Paris"), "day", "2024-10-21", "aid for Gaza"),
    ("CONSULT", "TUR", "UKR", ("Istanbul", "Ankara"), "day", "2024-03-11", "prisoner swaps"),
    ("CONSULT", "UN", "EGY", ("Cairo", "Alexandria"), "day", "2024-11-11", "humanitarian aid"),
    ("PROTEST", "CROWD_KEN", None, ("Nairobi", "Mombasa"), "place", "2024-06-25", "tax rises"),
    ("PROTEST", "CROWD_BGD", None, ("Dhaka", "Chittagong"), "place", "2024-07-15", "job quotas"),
    ("PROTEST", "CROWD_GEO", None, ("Tbilisi", "Batumi"), "place", "2024-05-06", "a new law"),
    ("PROTEST", "CROWD_SRB", None, ("Belgrade", "Novi Sad"), "place", "2024-12-02", "corruption"),
    ("PROTEST", "CROWD_KEN", None, ("Nairobi", "Kisumu"), "day", "2024-07-08", "police abuses"),
    ("ACCUSE", "VEN", "USA", ("Caracas", "Maracaibo"), "day", "2024-08-05", "plotting a coup"),
    ("ACCUSE", "UKR", "RUS", ("Kyiv", "Odesa"), "day", "2024-10-14", "war crimes"),
    ("ACCUSE", "TUR", "ISR", ("Ankara", "Istanbul"), "day", "2024-09-23", "genocide in Gaza"),
]


def _when(day: dt.date, published: dt.date, explicit: bool) -> str:
    if explicit or day == published or (published - day).days > 6:
        return f"on {day.strftime('%B')} {day.day}"
    return f"on {WEEKDAYS[day.weekday()]}"


def _fill(template: str, s: dict, day: dt.date, published: dt.date, explicit: bool) -> str:
    return template.format(
        when=_when(day, published, explicit), weekday=WEEKDAYS[day.weekday()], **s
    )


def _slots(kind: str, a: str, r: str | None, place: str, topic: str | None, n: int) -> dict:
    aa, rr = SIDES[a], SIDES[r] if r else None
    return {
        "a_adj": aa[0],
        "a_np": aa[1],
        "a_lead": aa[2] or aa[1],
        "r_np": (rr[1] if rr else ""),
        "r_lead": (rr[2] or rr[1]) if rr else "",
        "place": place,
        "topic": topic or "",
        "n": n,
    }


def _party(side: str, text: str) -> dict:
    info = SIDES[side]
    return {"text": text, "country": info[3], "sector": info[4]}


def _gold(kind: str, a: str, r: str | None, s: dict, place: str, day: dt.date, group: str) -> dict:
    leader = kind in ("CONSULT", "ACCUSE")
    actor = [_party(a, s["a_lead"] if leader else s["a_np"])]
    recipient = [_party(r, s["r_lead"] if kind == "CONSULT" else s["r_np"])] if r else []
    return {
        "event_type": kind,
        "mode": None,
        "actor": actor,
        "recipient": recipient,
        "location": {"text": place, "country": SIDES[a][3] if kind != "CONSULT" else None},
        "date": day.isoformat(),
        "event_group": group,
    }


def _article(
    ident: str, title: str, paragraphs: list[str], published: dt.date, source: str, copy: str
) -> dict:
    return {
        "id": ident,
        "title": title,
        "date": published.isoformat(),
        "source": source,
        "copy_group": copy,
        "text": "\n\n".join(paragraphs),
    }


def cluster(
    number: int, kind: str, a: str, r: str | None, place: str, day: dt.date, topic: str | None
) -> list[dict]:
    """One real-world event: a wire story, two edited copies, one or two own reports."""
    rng = random.Random(number)
    group = f"g{number:03d}"
    wire = WIRES[number % 2]
    n = rng.randint(3, 40)
    s = _slots(kind, a, r, place, topic, n)
    gold = _gold(kind, a, r, s, place, day, group)
    leads = LEADS[kind]
    background = [
        line.format(place=place, n=n, k=rng.randint(2, 19), goods=rng.choice(GOODS))
        for line in rng.sample(BACKGROUND, 7)
    ]
    quote = rng.choice(QUOTES).format(wire=wire)
    lead = _fill(leads[0], s, day, day, False)
    title = f"{s['a_np'].capitalize()} {kind.lower()} in {place}"
    body = [f"{place.upper()} ({wire}) — {lead}", *background[:2], quote, *background[2:5]]
    copy = f"{group}-wire"
    out = [_article(f"{group}-a", title, body, day, wire, copy)]
    byline = f"By {REPORTERS[number % len(REPORTERS)]}, {wire}"
    first = [byline, *body[:3], *body[4:], TAILS[number % 2]]  # the quote cut
    out.append(
        _article(f"{group}-b", title + " - latest", first, day, COPY_SOURCES[number % 4], copy)
    )
    later = day + dt.timedelta(1)
    edited = [body[0].replace("said", "told reporters"), *body[1:-1]]
    source = COPY_SOURCES[(number + 1) % 4]
    out.append(_article(f"{group}-c", f"{place}: {title.lower()}", edited, later, source, copy))
    reports = 2 if number % 3 == 0 else 1
    for k in range(reports):
        published = day + dt.timedelta(1 + k)
        own = _fill(leads[1 + k], s, day, published, explicit=bool(k))
        if k == 0 and number % 4 == 1:  # told the next day as "yesterday"
            own = YESTERDAY[kind].format(**s)
        if k == 1 and kind in ("ASSAULT", "PROTEST") and a in REGIONS:  # only the country
            own = _fill(leads[2], {**s, "place": REGIONS[a]}, day, published, explicit=True)
        extra = [x.format(place=place, n=n, k=rng.randint(2, 30)) for x in rng.sample(OWN, 3)]
        paragraphs = [own, extra[0], background[5 + k], extra[1], extra[2]]
        ident = f"{group}-{'de'[k]}"
        report = _article(ident, f"{place} report", paragraphs, published, OWN_SOURCES[k], ident)
        out.append(report)
    for item in out:
        item["events"] = [dict(gold)]
    return out


def build() -> list[dict]:
    items: list[dict] = []
    number = 0
    for kind, a, r, places, miss, first, topic in SITUATIONS:
        day = dt.date.fromisoformat(first)
        number += 1
        items += cluster(number, kind, a, r, places[0], day, topic)
        number += 1
        other_day = day + dt.timedelta(2) if miss == "day" else day
        other_place = places[0] if miss == "day" else places[1]
        items += cluster(number, kind, a, r, other_place, other_day, topic)
    return items


def main() -> None:
    items = build()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for item in items:
            fh.write(json.dumps(item, ensure_ascii=False) + "\n")
    groups = {e["event_group"] for i in items for e in i["events"]}
    print(f"{OUT}: {len(items)} articles, {len(groups)} clusters")


if __name__ == "__main__":
    main()
