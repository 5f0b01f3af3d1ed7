"""The tokens a document was imported with, as the token formats' TokenizedText.

A document that came in with tokens and sentences (CoNLL, a spaCy DocBin, XMI) goes out with
exactly those: no tokenizer runs, and spans are aligned to the stored tokens by the same policy
as spaCy's (strict, else trimmed of surrounding whitespace, else expanded to the tokens they
touch, with how many characters that adds; never contracted), so a span grown by more than
span_growth.MAX_GROWTH characters is an error here too.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from annotator.core.model import Tokenisation
from annotator.io.writers.tokenizer import TokenizedText, TokenRange


def stored_tokenized(
    text: str, tokens: Tokenisation, ranges: Sequence[tuple[int, int]]
) -> TokenizedText:
    """The stored tokens of `text` (whitespace-only ones marked as spaces), their sentence
    starts, and each (start, end) range aligned to them."""
    words = [text[start:end] for start, end in zip(tokens.starts, tokens.ends, strict=True)]
    starts = [False] * len(words)
    for n in tokens.sentence_starts:
        starts[n] = True
    aligned = [_aligned(text, tokens, start, end) for start, end in ranges]
    return TokenizedText(words, [word.isspace() for word in words], starts, aligned)


def _aligned(text: str, tokens: Tokenisation, start: int, end: int) -> TokenRange | None:
    """[start, end) as stored tokens: strict, trimmed or expanded (with the characters the
    tokens add to the trimmed range); None for whitespace only, outside the text, or touching no
    token."""
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        return None
    if found := _exact(tokens, start, end):
        return TokenRange(*found, "strict")
    piece = text[start:end]
    trimmed_start = start + len(piece) - len(piece.lstrip())
    trimmed_end = end - len(piece) + len(piece.rstrip())
    if found := _exact(tokens, trimmed_start, trimmed_end):
        return TokenRange(*found, "trimmed")
    first = bisect.bisect_right(tokens.ends, trimmed_start)
    last = bisect.bisect_left(tokens.starts, trimmed_end)
    if first >= last:
        return None
    grown = tokens.ends[last - 1] - tokens.starts[first] - (trimmed_end - trimmed_start)
    return TokenRange(first, last, "expanded", grown)


def _exact(tokens: Tokenisation, start: int, end: int) -> tuple[int, int] | None:
    """(first, end) token indices when a token starts at `start` and one ends at `end`."""
    first = bisect.bisect_left(tokens.starts, start)
    last = bisect.bisect_left(tokens.ends, end)
    if (
        first < len(tokens.starts)
        and tokens.starts[first] == start
        and last < len(tokens.ends)
        and tokens.ends[last] == end
        and first <= last
    ):
        return first, last + 1
    return None
