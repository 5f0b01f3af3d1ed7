"""A project for the suggestion benchmarks: synthetic articles plus a big lexicon of marked phrases.

Each article (bench.synthetic, about 3,000 characters with 3–6 marked spans) gets a closing
paragraph naming two phrases of a generated lexicon (company names for ACTOR, code-named
systems for PLATFORM). The first mention of every phrase is marked, so each phrase is a human
span and the lexicon suggester holds them all; later mentions are what it suggests.
"""

from __future__ import annotations

import json
import random
from itertools import product
from pathlib import Path

from bench.synthetic import article

ADJECTIVES = (
    "Northern", "Eastern", "Southern", "Western", "United", "Royal", "National", "Allied",
    "Coastal", "Central", "Pacific", "Atlantic", "Baltic", "Alpine", "Desert", "Arctic",
    "Imperial", "Federal", "Continental", "Overseas", "Highland", "Lowland", "Harbour",
    "Frontier", "Meridian",
)  # fmt: skip
NOUNS = (
    "Aerospace", "Dynamics", "Shipyards", "Arsenal", "Systems", "Motors", "Avionics",
    "Ordnance", "Optronics", "Defence", "Robotics", "Propulsion", "Armour", "Munitions",
    "Electronics", "Composites", "Radar", "Satellite", "Naval", "Logistics",
)  # fmt: skip
SUFFIXES = ("Group", "Corporation")
CODENAMES = (
    "Sparrow", "Kestrel", "Harrier", "Osprey", "Condor", "Petrel", "Albatross", "Falcon",
    "Merlin", "Hobby", "Goshawk", "Buzzard", "Kite", "Shrike", "Swift", "Martin", "Heron",
    "Crane", "Ibis", "Stork", "Raven", "Rook", "Jackdaw", "Magpie", "Jay", "Wren", "Robin",
    "Thrush", "Lark", "Pipit", "Finch", "Linnet", "Bunting", "Siskin", "Redpoll", "Warbler",
    "Plover", "Curlew", "Godwit", "Dunlin",
)  # fmt: skip
MARKS = 25
PHRASE_SENTENCES = (
    "Separately, {0} and {1} were named in the tender documents.",
    "A filing lists {0} alongside {1} among the bidders.",
    "Neither {0} nor {1} answered questions about the schedule.",
)


def lexicon_phrases(count: int) -> list[tuple[str, str]]:
    """`count` distinct (label, phrase) pairs, ACTOR and PLATFORM alternating (at most 2,000)."""
    actors = [" ".join(words) for words in product(ADJECTIVES, NOUNS, SUFFIXES)]
    platforms = [f"{name} Mk {mark}" for mark in range(1, MARKS + 1) for name in CODENAMES]
    pairs = [pair for two in zip(actors, platforms, strict=False) for pair in two]
    labelled = [("ACTOR" if i % 2 == 0 else "PLATFORM", p) for i, p in enumerate(pairs)]
    if count > len(labelled):
        raise ValueError(f"at most {len(labelled)} phrases")
    return labelled[:count]


def write_corpus(path: Path, articles: int, phrases: int, seed: int = 0) -> tuple[int, int, int]:
    """Write the JSONL (annotator `bench`); return (documents, spans, lexicon phrases)."""
    rng = random.Random(seed)
    lexicon = lexicon_phrases(phrases)
    marked: set[int] = set()
    spans = 0
    with path.open("w", encoding="utf-8", newline="\n") as out:
        for number in range(articles):
            record = article(rng, number)
            text = record["text"] + "\n\n"
            picks = [(2 * number) % len(lexicon), (2 * number + 1) % len(lexicon)]
            template = PHRASE_SENTENCES[number % len(PHRASE_SENTENCES)]
            for i, piece in enumerate(template.split("{")):
                if i:
                    which, piece = int(piece[0]), piece[2:]
                    label, phrase = lexicon[picks[which]]
                    if picks[which] not in marked:
                        marked.add(picks[which])
                        record["spans"].append(
                            {"start": len(text), "end": len(text) + len(phrase), "label": label}
                        )
                    text += phrase
                text += piece
            record["text"] = text
            record["annotator"] = "bench"
            spans += len(record["spans"])
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return articles, spans, len(lexicon)


def build_project(folder: Path, articles: int, phrases: int, seed: int = 0) -> Path:
    """A project file in `folder` holding the corpus (imported with import_files)."""
    from annotator.core.project import Project
    from annotator.io.importer import import_files

    jsonl = folder / "articles.jsonl"
    write_corpus(jsonl, articles, phrases, seed)
    db = folder / "project.db"
    with Project.create(db) as project:
        import_files(project, [jsonl], "jsonl")
    return db
