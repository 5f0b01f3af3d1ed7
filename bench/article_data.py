"""Deterministic long news-like texts and dense, overlapping spans for the article view cases."""

from __future__ import annotations

import random

from annotator.core.model import Document, Span
from bench.synthetic import ACTORS, EMOJI, FILLER, MOTIVATIONS, PLATFORMS, TEMPLATES

LABELS = ("ACTOR", "PLATFORM", "MOTIVATION")
_SLOTS = {"{A}": ACTORS, "{P}": PLATFORMS, "{M}": MOTIVATIONS}
_ASIDES = (" (Ankara, “Reuters”)", " — Şükrü Öztürk, Genelkurmay", " Ещё нет данных.", " 未公开。")


def sentence(rng: random.Random) -> str:
    """One sentence from the shared templates, with an occasional emoji or non-Latin aside."""
    text = rng.choice(TEMPLATES) if rng.random() < 0.7 else rng.choice(FILLER)
    for slot, choices in _SLOTS.items():
        while slot in text:
            text = text.replace(slot, rng.choice(choices), 1)
    text = text.replace("{N}", str(rng.randint(2, 400)))
    text = text.replace("{Y}", str(rng.randint(2018, 2031)))
    if rng.random() < 0.05:
        text += " " + rng.choice(EMOJI)
    if rng.random() < 0.03:
        text += rng.choice(_ASIDES)
    return text


def news_text(length: int, seed: int, paragraph: tuple[int, int] | None = (300, 1500)) -> str:
    """About `length` characters of news prose: paragraphs of `paragraph` characters separated
    by blank lines, or one single line when `paragraph` is None."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    total = 0
    while total < length:
        goal = rng.randint(*paragraph) if paragraph else length
        parts, size = [], 0
        while size < goal and total + size < length:
            piece = sentence(rng)
            parts.append(piece)
            size += len(piece) + 1
        paragraphs.append(" ".join(parts))
        total += size + 1
    return ("\n\n" if paragraph else " ").join(paragraphs)[:length].rstrip()


def dense_spans(
    text: str, count: int, seed: int, lengths: tuple[int, int] = (3, 60), first_id: int = 1
) -> list[Span]:
    """`count` random spans over `text`, about a third nested in or overlapping an earlier one."""
    rng = random.Random(seed)
    spans: list[Span] = []
    for number in range(count):
        length = min(rng.randint(*lengths), len(text))
        if spans and rng.random() < 0.35:
            host = rng.choice(spans)  # start inside an earlier span: nested or overlapping
            start = min(rng.randrange(host.start, host.end), len(text) - length)
        else:
            start = rng.randrange(0, len(text) - length + 1)
        spans.append(span(first_id + number, rng.choice(LABELS), start, start + length))
    return spans


def span(span_id: int, label: str, start: int, end: int) -> Span:
    """A manual span of the benchmark document by the benchmark annotator."""
    return Span(span_id, 1, "bench", label, start, end)


def document(text: str) -> Document:
    """The benchmark document (its sha256 is not checked by the view)."""
    return Document(1, "Benchmark article", "bench", text, "0" * 64)
