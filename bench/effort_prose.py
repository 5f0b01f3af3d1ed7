"""A second generated corpus for the simulated annotator, built unlike bench.effort_data.

Written here from its own word lists (no corpus copied): feature articles in paragraphs of
several sentences, hard-wrapped at 72 columns (a name may run over a line break inside a
sentence), paragraphs apart by a blank line, a Title Case headline and a byline, no dateline.
Four labels as there. People come with titles left outside the span ("Dr. Ilse Brandt", later
"Ms. Brandt" or "Brandt"), sometimes a middle initial ("Tomas R. Lindqvist"); companies with a
suffix ("Halvorsen Marine Ltd."), later by their first word ("Halvorsen"); places as
"Arendal, Norway"; cities are also clubs ("Arendal Athletic"); a month is also a surname
("April" the month, "Jonas April" a person); nationalities and events are MISC.
"""

from __future__ import annotations

import random
import re
import textwrap
from typing import Any

from bench.effort_data import skewed

GIVEN = (
    "Ilse", "Tomas", "Rania", "Jonas", "Priya", "Mateo", "Greta", "Yusuf", "Lena", "Oskar",
    "Amara", "Felix", "Noor", "Viktor", "Hana",
)  # fmt: skip
FAMILY = (
    "Brandt", "Lindqvist", "Okonjo", "Vasquez", "Haraldsen", "Mbeki", "Castellano", "Dumont",
    "Yilmaz", "Nakamura", "Ferreira", "Kowalski", "April", "Berglund", "Achebe", "Moreau",
)  # fmt: skip
TITLES = ("Dr.", "Professor", "Minister", "Judge", "Coach")
COMPANIES = (
    ("Halvorsen", "Marine Ltd."), ("Quantis", "Labs"), ("Norrland", "Energy Group"),
    ("Brightwater", "Holdings"), ("Castor", "Airlines"), ("Veridian", "Bank"),
)  # fmt: skip
AGENCIES = (
    "World Health Organization", "African Union", "Red Cross", "Nordic Council",
    "Interpol", "UNESCO",
)  # fmt: skip
TOWNS = ("Arendal", "Valparaiso", "Mombasa", "Tromso", "Porto", "Gdansk", "Kyoto", "Tampere")
STATES = ("Norway", "Chile", "Kenya", "Portugal", "Poland", "Japan", "Finland")
PEOPLES = ("Norwegian", "Chilean", "Kenyan", "Portuguese", "Polish", "Japanese", "Finnish")
EVENTS = ("Winter Olympics", "Nobel Prize", "Champions League", "Cannes Film Festival")
MONTHS = ("April", "June", "March", "October")
SYLLABLES = ("ka", "ro", "ven", "mi", "sal", "dor", "te", "lin", "qua", "bre", "ost", "zu")
NOVEL = 0.35
"""The share of people and firms named with an invented word (the long tail of the news)."""
SENTENCES = (
    "{NEWPER}, who leads {COMPANY}, said the firm would open an office in {TOWN}.",
    "{TITLE} {NEWPER} told the {AGENCY} that {STATE} had done enough.",
    "{HONORIFIC} {KNOWN} said the {PEOPLE} team would travel to the {EVENT} in {MONTH}.",
    "Shares of {SHORTCO} fell after {KNOWN} warned of losses in {TOWN}, {STATE}.",
    "{CLUB} beat {CLUB} in front of a home crowd, and {KNOWN} scored twice.",
    "The {AGENCY} said on its website that talks with {STATE} would resume in {MONTH}.",
    "According to {KNOWN}, the deal between {COMPANY} and {SHORTCO} was signed in {TOWN}.",
    "In {MONTH}, {KNOWN} met officials of the {AGENCY} and the {PEOPLE} government.",
    "Critics in {TOWN} said {KNOWN} had ignored the warnings.",
    "Nobody at {SHORTCO} would comment on the report.",
)
FILLER = (
    "The figures have not been confirmed independently.",
    "Further talks are planned for later this year.",
    "Residents said they were worried about the cost.",
)
HEADLINES = (
    "Talks Resume as Costs Rise",
    "A Quiet Win for the Home Side",
    "Company Shares Slide After Warning",
    "New Office Brings Jobs to the Coast",
)
_SLOT = re.compile(r"\{([A-Z]+)\}")
_LABEL = {"AGENCY": "ORG", "TOWN": "LOC", "STATE": "LOC", "PEOPLE": "MISC", "EVENT": "MISC"}
_POOLS = {"AGENCY": AGENCIES, "TOWN": TOWNS, "STATE": STATES, "PEOPLE": PEOPLES, "EVENT": EVENTS}
WIDTH = 72


class _Feature:
    """One article being written: its text, gold spans and the people and firms named."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[str] = []
        self.firms: list[str] = []
        self.spans: list[tuple[int, int, str]] = []

    def sentence(self, template: str) -> tuple[str, list[tuple[int, int, str]]]:
        """A filled template and its gold spans (offsets into the sentence)."""
        out, spans = "", []
        for i, piece in enumerate(_SLOT.split(template)):
            if i % 2 == 0:
                out += piece
                continue
            for words, label in self._fill(piece):
                if label:
                    spans.append((len(out), len(out) + len(words), label))
                out += words
        return out, spans

    def _fill(self, slot: str) -> list[tuple[str, str | None]]:
        rng = self.rng
        if slot in ("NEWPER", "KNOWN") and (slot == "NEWPER" or not self.people):
            given, family = skewed(rng, GIVEN), self._name(FAMILY)
            self.people.append(family)
            middle = f" {rng.choice('ABCDEFGHJKLMRST')}." if rng.random() < 0.3 else ""
            return [(f"{given}{middle} {family}", "PER")]
        if slot == "KNOWN":
            return [(rng.choice(self.people), "PER")]
        if slot == "HONORIFIC":
            return [(rng.choice(("Mr.", "Ms.")), None)]
        if slot == "TITLE":
            return [(rng.choice(TITLES), None)]
        if slot == "COMPANY":
            first, rest = skewed(rng, COMPANIES)
            first = self._name((first,))
            self.firms.append(first)
            return [(f"{first} {rest}", "ORG")]
        if slot == "SHORTCO":
            return [(rng.choice(self.firms) if self.firms else skewed(rng, COMPANIES)[0], "ORG")]
        if slot == "CLUB":
            return [(skewed(rng, TOWNS) + rng.choice((" Athletic", " United")), "ORG")]
        if slot == "MONTH":
            return [(rng.choice(MONTHS), None)]
        return [(skewed(rng, _POOLS[slot]), _LABEL[slot])]

    def _name(self, known: tuple[str, ...]) -> str:
        """A name from `known` (the first ones far more often), or an invented one."""
        if self.rng.random() >= NOVEL:
            return skewed(self.rng, known)
        parts = self.rng.choices(SYLLABLES, k=self.rng.randint(2, 3))
        return "".join(parts).capitalize()

    def paragraph(self, count: int) -> tuple[str, list[tuple[int, int, str]]]:
        """`count` sentences, joined and wrapped at WIDTH (spans keep their offsets: wrapping
        only turns spaces into line breaks)."""
        text, spans = "", []
        for _ in range(count):
            template = self.rng.choice(SENTENCES if self.rng.random() < 0.85 else FILLER)
            if text:
                text += " "
            words, found = self.sentence(template)
            spans += [(s + len(text), e + len(text), label) for s, e, label in found]
            text += words
        wrapped = "\n".join(textwrap.wrap(text, WIDTH, break_on_hyphens=False))
        assert len(wrapped) == len(text)
        return wrapped, spans


def feature(rng: random.Random, number: int) -> dict[str, Any]:
    """One JSONL record: headline, byline and 3-6 paragraphs, with gold spans."""
    doc = _Feature(rng)
    text = rng.choice(HEADLINES) + f" ({number})\n"
    byline, found = doc.sentence("By {NEWPER}")
    doc.people.pop()  # the reporter is not a person in the story
    spans = [(s + len(text), e + len(text), label) for s, e, label in found]
    text += byline + "\n\n"
    for _ in range(rng.randint(3, 6)):
        paragraph, found = doc.paragraph(rng.randint(2, 4))
        spans += [(s + len(text), e + len(text), label) for s, e, label in found]
        text += paragraph + "\n\n"
    gold = [{"start": s, "end": e, "label": label} for s, e, label in spans]
    meta = {"title": text.split("\n", 1)[0], "id": f"prose-{number:04d}"}
    return {"text": text, "meta": meta, "spans": gold}


def features(count: int, seed: int = 0) -> list[dict[str, Any]]:
    """`count` records (each text unique: its headline carries its number)."""
    rng = random.Random(seed)
    return [feature(rng, number) for number in range(count)]
