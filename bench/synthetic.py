"""Deterministic synthetic news articles with ACTOR/PLATFORM/MOTIVATION spans, as JSONL."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path
from typing import Any

ACTORS = (
    "Türkiye", "Baykar", "Azerbaijan", "Ministry of Defence", "Korea Aerospace Industries",
    "TUSAŞ", "NATO Support and Procurement Agency", "Pakistan Aeronautical Complex", "Poland",
    "Rosoboronexport", "Indonesia", "Egypt", "Qatar Emiri Air Force", "Saab", "Aselsan",
)  # fmt: skip
PLATFORMS = (
    "Bayraktar TB2", "TF Kaan", "KF-21 Boramae", "JF-17C Thunder", "S-400 Triumf", "Akıncı",
    "F-16 Block 70", "Rafale F4", "Patriot PAC-3", "K2 Black Panther", "Hürjet", "Gripen E",
)  # fmt: skip
MOTIVATIONS = (
    "concerns over the reliability of Russian military technology",
    "an ageing fleet of Soviet-era fighters",
    "sanctions on its traditional supplier",
    "the need for interoperability with NATO partners",
    "a push to build up local industry",
    "rising tension along the northern border",
    "cost overruns in the domestic programme",
)
TEMPLATES = (
    "{A} signed a contract for the {P} — the deal is worth about {N} million dollars.",
    "Officials said {A} would buy {N} {P} units, citing {M}.",
    "According to {A}, the order for the {P} was driven by {M}.",
    "Analysts in Ankara noted that {A} had already evaluated the {P} in {Y}.",
    "The first deliveries of the {P} to {A} are expected in {Y} — if financing holds.",
    "{A} declined to comment on the {P} programme.",
    "The decision reflects {M}, a spokesperson for {A} told reporters.",
    "Rivals of the {P} include systems offered by {A}.",
)
FILLER = (
    "The ministry published no further details.",
    "Talks are continuing; a source close to the negotiations said the price was still open.",
    "Local media called the move “historic”.",
    "Parliament is expected to debate the budget later this month — again.",
    "Industry observers in Türkiye were cautious about the timeline.",
    "No delivery schedule has been made public.",
)
EMOJI = ("🚀", "📡", "🇹🇷", "✈️", "🛰️")
_SLOT = re.compile(r"\{([APMNY])\}")
_LABELS = {"A": "ACTOR", "P": "PLATFORM", "M": "MOTIVATION"}


def article(rng: random.Random, number: int, length: int = 3000) -> dict[str, Any]:
    """One JSONL record of about `length` characters with 3–6 spans at code-point offsets."""
    title = f"Dispatch {number:05d} — {rng.choice(ACTORS)} weighs the {rng.choice(PLATFORMS)}"
    parts, candidates, pos = [title, "\n\n"], [], len(title) + 2
    while pos < length:
        template = rng.choice(TEMPLATES) if rng.random() < 0.7 else rng.choice(FILLER)
        for i, piece in enumerate(_SLOT.split(template)):
            if i % 2:
                piece, label = _fill(rng, piece), _LABELS.get(piece)
                if label:
                    candidates.append({"start": pos, "end": pos + len(piece), "label": label})
            parts.append(piece)
            pos += len(piece)
        tail = (" " + rng.choice(EMOJI) if rng.random() < 0.04 else "") + (
            "\n\n" if rng.random() < 0.2 else " "
        )
        parts.append(tail)
        pos += len(tail)
    spans = rng.sample(candidates, min(len(candidates), rng.randint(3, 6)))
    meta = {"title": title, "id": f"news-{number:05d}", "outlet": rng.choice(("AA", "DHA", "AP"))}
    return {"text": "".join(parts), "meta": meta, "spans": sorted(spans, key=_span_key)}


def _fill(rng: random.Random, slot: str) -> str:
    """The text for one template slot."""
    if slot == "N":
        return str(rng.randint(2, 400))
    if slot == "Y":
        return str(rng.randint(2018, 2031))
    return rng.choice({"A": ACTORS, "P": PLATFORMS, "M": MOTIVATIONS}[slot])


def _span_key(span: dict[str, Any]) -> tuple[int, int, str]:
    return span["start"], span["end"], span["label"]


def write_articles(path: Path, count: int, seed: int = 0) -> tuple[int, int]:
    """Write `count` articles as UTF-8 JSONL; return (documents, spans) written.

    Every text is unique (its dispatch number), and spans within a document are distinct.
    """
    rng = random.Random(seed)
    spans = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for number in range(count):
            record = article(rng, number)
            spans += len(record["spans"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return count, spans
