"""The Tokenizer of the token formats (CoNLL, Hugging Face): spaCy's blank English pipeline.

spaCy's blank("en") tokenizer plus the rule-based sentencizer, built once on first use, with
tokens that split a grapheme cluster merged; ranges are aligned by annotator.nlp.tokenise
(strict, trimmed, expanded; never contracted).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from annotator.io.writers.tokenizer import Alignment, TokenizedText, TokenRange
from annotator.nlp.loading import blank
from annotator.nlp.tokenise import EXPANDED, STRICT, TRIMMED, char_span_aligned, whole_graphemes

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

Context = TypeVar("Context")
BATCH = 256
"""Texts tokenised at a time."""
_HOW: dict[str, Alignment] = {STRICT: "strict", TRIMMED: "trimmed", EXPANDED: "expanded"}


class SpacyTokenizer:
    """Tokens, sentence starts and aligned ranges from spaCy (io's Tokenizer interface)."""

    def tokenize(
        self, texts: Iterable[tuple[str, Sequence[tuple[int, int]], Context]]
    ) -> Iterator[tuple[TokenizedText, Context]]:
        """Each text tokenised in batches, in order, with its ranges aligned to the tokens."""
        pieces = ((text, (ranges, context)) for text, ranges, context in texts)
        for doc, (ranges, context) in _pipeline().pipe(pieces, as_tuples=True, batch_size=BATCH):
            text = doc.text  # Doc.text rebuilds the string on every access
            doc = whole_graphemes(doc, text)
            words = [token.text for token in doc]
            spaces = [token.is_space for token in doc]
            starts = [token.is_sent_start is True for token in doc]
            yield TokenizedText(words, spaces, starts, _aligned(doc, text, ranges)), context


def _aligned(doc: Doc, text: str, ranges: Sequence[tuple[int, int]]) -> list[TokenRange | None]:
    """Each (start, end) as a token range, or None when no token can hold it."""
    aligned: list[TokenRange | None] = []
    for start, end in ranges:
        span, how = char_span_aligned(doc, start, end, text=text)
        aligned.append(None if span is None else TokenRange(span.start, span.end, _HOW[how]))
    return aligned


@functools.cache
def _pipeline() -> Language:
    """spaCy's blank English tokenizer plus the rule-based sentencizer, built once."""
    nlp = blank("en")
    nlp.add_pipe("sentencizer")
    nlp.max_length = 2**62  # the writers cut long texts in pieces; one stretch may be longer
    return nlp
