"""Synthetic defence-procurement articles with ACTOR / PLATFORM / MOTIVATION spans."""

from __future__ import annotations

import random

ACTORS = [
    "Baykar",
    "Turkey",
    "the Polish Ministry of Defence",
    "Lockheed Martin",
    "Rheinmetall",
    "the Indian Air Force",
    "Saab",
    "Hanwha Aerospace",
    "the Royal Netherlands Navy",
    "Embraer",
    "KAI",
    "Dassault Aviation",
    "the Greek government",
    "Naval Group",
    "Leonardo",
]
PLATFORMS = [
    "TB2 drones",
    "F-35A fighters",
    "K2 tanks",
    "Rafale jets",
    "Gripen E aircraft",
    "C-390 transports",
    "CV90 vehicles",
    "Leopard 2A8 tanks",
    "Scorpene submarines",
    "KF-21 fighters",
    "Patriot batteries",
    "TF Kaan prototypes",
    "Bayraktar Akinci drones",
]
MOTIVATIONS = [
    "to replace its ageing fleet of Soviet-era aircraft",
    "to deter aggression on the eastern flank",
    "in order to strengthen air defence after recent incursions",
    "to meet NATO interoperability requirements by the end of the decade",
    "to boost the domestic defence industry and create local jobs",
    "to counter growing maritime threats in the region",
    "because the current vehicles can no longer be maintained economically",
]
TEMPLATES = [
    "{A} signed a contract with {B} for {P} {M}.",
    "{A} announced on Monday that it will buy {P} from {B} {M}.",
    "According to officials, {A} ordered {P} {M}.",
    "{B} will deliver {P} to {A} next year.",
    "The deal between {A} and {B} covers {P}.",
]
FILLER = [
    "Analysts said the price was not disclosed.",
    "The parliament is expected to approve the budget in spring.",
    "Deliveries are scheduled over five years.",
    "Critics questioned the timing of the announcement.",
]


def sentence(rng: random.Random) -> tuple[str, list[tuple[str, int, int]]]:
    """One sentence and its spans (label, start, end)."""
    template = rng.choice(TEMPLATES)
    values = {
        "A": ("ACTOR", rng.choice(ACTORS)),
        "B": ("ACTOR", rng.choice(ACTORS)),
        "P": ("PLATFORM", rng.choice(PLATFORMS)),
        "M": ("MOTIVATION", rng.choice(MOTIVATIONS)),
    }
    text, spans, pos = "", [], 0
    while pos < len(template):
        brace = template.find("{", pos)
        if brace < 0:
            text += template[pos:]
            break
        text += template[pos:brace]
        label, value = values[template[brace + 1]]
        start = len(text)
        text += value
        spans.append((label, start, len(text)))
        pos = brace + 3
    text = text[0].upper() + text[1:]
    return text, spans


def article(rng: random.Random, sentences: int = 6) -> tuple[str, list[tuple[str, int, int]]]:
    """A short article: annotated sentences and filler, in paragraphs."""
    text, spans = "", []
    for i in range(sentences):
        if i:
            text += "\n\n" if i % 3 == 0 else " "
        if rng.random() < 0.3:
            text += rng.choice(FILLER)
            continue
        piece, piece_spans = sentence(rng)
        spans += [(label, len(text) + s, len(text) + e) for label, s, e in piece_spans]
        text += piece
    return text, spans


def corpus(n: int, seed: int = 0, sentences: int = 6) -> list[tuple[str, list]]:
    """n distinct articles (deterministic for the seed)."""
    rng = random.Random(seed)
    seen, out = set(), []
    while len(out) < n:
        text, spans = article(rng, sentences)
        if text not in seen:
            seen.add(text)
            out.append((text, spans))
    return out


def fill_project(project, articles, annotator: str = "alice", done: bool = True) -> list[int]:
    """Add the articles with the annotator's spans (marked done); returns document ids."""
    from annotator.core.model import Status

    ids = []
    for i, (text, spans) in enumerate(articles):
        changes = project.add_document(text, title=f"article {i}")
        (doc_id,) = changes.documents
        for label, start, end in spans:
            project.add_span(doc_id, annotator, label, start, end)
        if done:
            project.set_status(doc_id, annotator, Status.DONE)
        ids.append(doc_id)
    return ids
