"""A document's imported tokens and sentences, stored compactly (`document_tokens` table).

CoNLL-2003 has 200,000 tokens: a row per token would dwarf the spans, so each document's
tokens are one text of comma-separated numbers, alternately the gap before a token and its
length (small numbers: about 5 bytes a token), and its sentence starts one more such text
(the differences between successive token indices).
"""

from __future__ import annotations

from itertools import accumulate

from annotator.core.model import Tokenisation


def encode_tokens(tokens: Tokenisation) -> tuple[str, str]:
    """The (tokens, sentence starts) texts stored for a tokenisation."""
    numbers: list[int] = []
    previous_end = 0
    for start, end in zip(tokens.starts, tokens.ends, strict=True):
        numbers += (start - previous_end, end - start)
        previous_end = end
    sentences = tokens.sentence_starts
    steps = [b - a for a, b in zip((0, *sentences), sentences, strict=False)]
    return ",".join(map(str, numbers)), ",".join(map(str, steps))


def decode_tokens(tokens: str, sentence_starts: str) -> Tokenisation:
    """The tokenisation `encode_tokens` stored as these two texts."""
    numbers = [int(n) for n in tokens.split(",")] if tokens else []
    starts, ends = [], []
    previous_end = 0
    for gap, length in zip(numbers[::2], numbers[1::2], strict=True):
        starts.append(previous_end + gap)
        previous_end += gap + length
        ends.append(previous_end)
    steps = [int(n) for n in sentence_starts.split(",")] if sentence_starts else []
    return Tokenisation(tuple(starts), tuple(ends), tuple(accumulate(steps)))
