"""A generated news corpus with gold spans for the simulated annotator (bench annotation_effort).

Written here from word lists (no corpus copied, so no licence applies beyond the project's):
one sentence a line, as in the CoNLL 2003 newswire, a capitalised headline and a dateline, and
four labels, PER, ORG, LOC and MISC. Entities recur across documents; first mentions of a
person are full ("Paul Simmons", "P. Simmons"), later ones the surname ("Simmons"); city names
are places in datelines ("NEW YORK") and teams in results ("New York beat Boston"); names hold
other names ("New York Yankees", "Bank of England"); and a heading ending in "Major League" is
followed by a line starting with "Baseball" ("Major League Baseball" is an ORG elsewhere).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

FIRST = (
    "Paul", "Mark", "Steffi", "Andre", "Michael", "John", "Helmut", "Jacques", "Anna", "Pete",
    "Wasim", "Carlos", "Maria", "Ivan", "Kenji", "Thomas", "Sarah", "David", "Elena", "Omar",
)  # fmt: skip
LAST = (
    "Simmons", "Taylor", "Graf", "Agassi", "Johnson", "Major", "Kohl", "Chirac", "Sampras",
    "Akram", "Moya", "Petrova", "Ivanov", "Sato", "Muller", "Clarke", "Levy", "Haddad",
    "Costa", "Jensen", "Novak", "Fischer", "Okafor", "Rossi", "Weber",
)  # fmt: skip
TEAMS = ("New York", "Boston", "Chicago", "Toronto", "Seattle", "Baltimore", "Detroit")
CLUBS = (
    "New York Yankees", "Boston Red Sox", "Chicago Cubs", "Toronto Blue Jays", "Seattle Mariners",
)  # fmt: skip
ORGS = (
    "Reuters", "Major League Baseball", "Bank of England", "Deutsche Bank", "General Motors",
    "Bundesbank", "European Union", "United Nations", "Ford", "Sony", "Microsoft", "NATO",
)  # fmt: skip
CITIES = (
    "New York", "London", "Boston", "Chicago", "Frankfurt", "Paris", "Bonn", "Moscow", "Tokyo",
    "Jerusalem", "Washington", "Toronto", "Seattle",
)  # fmt: skip
COUNTRIES = (
    "Germany", "England", "France", "Russia", "Japan", "Israel", "United States", "Britain",
    "China", "Brazil",
)  # fmt: skip
NATIONS = ("German", "British", "French", "Russian", "Japanese", "Israeli", "American")
EVENTS = ("World Cup", "Olympic Games", "Euro 96", "U.S. Open", "Major League")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
SPORTS = (
    "{TEAM} beat {TEAM} {SCORE} on {DAY}.",
    "{NEWPER} hit a home run as {TEAM} beat {TEAM} {SCORE}.",
    "{PER} pitched seven innings for the {CLUB}.",
    "The {CLUB} said on {DAY} that {PER} would miss the rest of the season.",
    "{ORG} fined {NEWPER} of the {CLUB} for arguing with an umpire.",
    "{PER} told reporters in {CITY} that the {EVENT} was his goal.",
    "{TEAM} will play {TEAM} again in {CITY} on {DAY}.",
)
BUSINESS = (
    "{ORG} shares rose {N} percent in {CITY} on {DAY}.",
    "{NEWPER}, chief executive of {ORG}, said the company would expand in {COUNTRY}.",
    "The {NATION} economy grew faster than {ORG} had forecast.",
    "{PER} said {ORG} would cut {N} jobs in {COUNTRY}.",
    "Analysts at {ORG} in {CITY} expected {ORG} to raise its offer.",
)
POLITICS = (
    "{NATION} President {NEWPER} met {NEWPER} in {CITY} on {DAY}.",
    "{PER} said {COUNTRY} would not accept the plan put forward by the {ORG}.",
    "Officials in {CITY} said talks with {COUNTRY} would resume after the {EVENT}.",
    "{PER} flew to {CITY} for talks with {NATION} leaders.",
    "The {ORG} urged {COUNTRY} and {COUNTRY} to end the dispute.",
)
FILLER = (
    "No further details were given.",
    "The statement gave no reason for the decision.",
    "Trading was thin ahead of the holiday.",
)
TOPICS = {"SPORT": SPORTS, "BUSINESS": BUSINESS, "POLITICS": POLITICS}
_SLOT = re.compile(r"\{([A-Z]+)\}")
_LABEL = {
    "TEAM": "ORG",
    "CLUB": "ORG",
    "ORG": "ORG",
    "CITY": "LOC",
    "COUNTRY": "LOC",
    "NATION": "MISC",
    "EVENT": "MISC",
}


class _Article:
    """One document being written: its lines, gold spans and the people named so far."""

    def __init__(self, rng: random.Random, cast: list[tuple[str, str]]) -> None:
        self.rng = rng
        self.cast = cast
        self.named: list[str] = []
        self.text = ""
        self.spans: list[dict[str, Any]] = []

    def write(self, template: str, upper: bool = False) -> None:
        """Fill a template (entities become gold spans) and end the line."""
        for i, piece in enumerate(_SLOT.split(template)):
            if i % 2 == 0:
                self.text += piece.upper() if upper else piece
                continue
            words, label = self._fill(piece)
            words = words.upper() if upper else words
            if label:
                start = len(self.text)
                self.spans.append({"start": start, "end": start + len(words), "label": label})
            self.text += words
        self.text += "\n"

    def _fill(self, slot: str) -> tuple[str, str | None]:
        rng = self.rng
        if slot == "SCORE":
            return f"{rng.randint(1, 9)}-{rng.randint(0, 8)}", None
        if slot == "N":
            return str(rng.randint(2, 40)), None
        if slot == "DAY":
            return rng.choice(DAYS), None
        if slot == "LEAGUE":
            return "Major League", "MISC"
        if slot == "NEWPER" or (slot == "PER" and not self.named):
            first, last = rng.choice(self.cast)
            self.named.append(last)
            return (f"{first[0]}. {last}" if rng.random() < 0.5 else f"{first} {last}"), "PER"
        if slot == "PER":
            return rng.choice(self.named), "PER"
        pool = {
            "TEAM": TEAMS,
            "CLUB": CLUBS,
            "ORG": ORGS,
            "CITY": CITIES,
            "COUNTRY": COUNTRIES,
            "NATION": NATIONS,
            "EVENT": EVENTS,
        }[slot]
        return skewed(rng, pool), _LABEL[slot]


def skewed(rng: random.Random, pool: tuple[str, ...]) -> str:
    """An item of `pool`, the first ones far more often (names recur as in the news)."""
    weights = [1 / (rank + 1) for rank in range(len(pool))]
    return rng.choices(pool, weights)[0]


def article(rng: random.Random, number: int) -> dict[str, Any]:
    """One JSONL record: headline, dateline and 10-16 sentences, with its gold spans."""
    topic = rng.choice(tuple(TOPICS))
    cast = [(rng.choice(FIRST), rng.choice(LAST)) for _ in range(4)]
    doc = _Article(rng, cast)
    templates = TOPICS[topic]
    doc.write(f"{topic} - " + rng.choice(templates).rstrip("."), upper=True)
    doc.write(f"{{CITY}} 1996-{number % 12 + 1:02d}-{number % 28 + 1:02d}", upper=True)
    if topic == "SPORT" and rng.random() < 0.5:
        doc.write("Results of games played on {DAY} in {LEAGUE}")
        doc.write("Baseball fans saw {TEAM} beat {TEAM} {SCORE}.")
    for _ in range(rng.randint(10, 16)):
        doc.write(rng.choice(templates) if rng.random() < 0.85 else rng.choice(FILLER))
    meta = {"title": doc.text.split("\n", 1)[0], "id": f"effort-{number:04d}"}
    return {"text": doc.text, "meta": meta, "spans": doc.spans}


def articles(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """`count` records, each text unique (its dateline and headline differ or its body does)."""
    rng = random.Random(seed)
    records: list[dict[str, Any]] = []
    seen: set[str] = set()
    while len(records) < count:
        record = article(rng, len(records))
        if record["text"] not in seen:
            seen.add(record["text"])
            records.append(record)
    return records


def write_corpus(path: Path, count: int, seed: int = 0) -> int:
    """Write `count` records as UTF-8 JSONL (without spans: the gold stays with the caller);
    return how many gold spans they hold."""
    records = articles(count, seed)
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for record in records:
            out.write(json.dumps({"text": record["text"], "meta": record["meta"]}) + "\n")
    return sum(len(record["spans"]) for record in records)
