"""The Tokenizer of the token formats (CoNLL, Hugging Face): spaCy's rules for each text's
language, CJK segmented (annotator.nlp.languages), then the rule-based sentencizer's sentences
(nlp.sentences.sentence_starts).

Ranges are aligned by annotator.nlp.tokenise (strict, trimmed, expanded; never contracted), and
an expanded one says by how many characters it grew.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, TypeVar

from annotator.io.writers.tokenizer import Alignment, TokenizedText, TokenRange
from annotator.nlp.languages import tokenised
from annotator.nlp.sentences import sentence_starts
from annotator.nlp.tokenise import EXPANDED, STRICT, TRIMMED, char_span_aligned

if TYPE_CHECKING:
    from spacy.tokens import Doc

Context = TypeVar("Context")
_HOW: dict[str, Alignment] = {STRICT: "strict", TRIMMED: "trimmed", EXPANDED: "expanded"}


class SpacyTokenizer:
    """Tokens, sentence starts and aligned ranges from spaCy (io's Tokenizer interface)."""

    def tokenize(
        self, texts: Iterable[tuple[str, Sequence[tuple[int, int]], str, Context]]
    ) -> Iterator[tuple[TokenizedText, Context]]:
        """Each text tokenised by its language, in order, with its ranges aligned to the
        tokens."""
        from spacy.attrs import IDX, IS_PUNCT, IS_SPACE, LENGTH, SENT_START

        for text, ranges, language, context in texts:
            doc = tokenised(text, ranges, language)
            # columns and slices of the text: no Token object per token (3x faster)
            columns = doc.to_array([IDX, LENGTH, IS_SPACE, IS_PUNCT, SENT_START])
            offsets, lengths = columns[:, 0].tolist(), columns[:, 1].tolist()
            words = [text[at : at + length] for at, length in zip(offsets, lengths, strict=True)]
            spaces = (columns[:, 2] != 0).tolist()
            punct = (columns[:, 3] != 0).tolist()
            starts = sentence_starts(words, punct, columns[:, 4].tolist())
            aligned = _aligned(doc, text, ranges, offsets, lengths)
            yield TokenizedText(words, spaces, starts, aligned), context


def _aligned(
    doc: Doc,
    text: str,
    ranges: Sequence[tuple[int, int]],
    offsets: list[int],
    lengths: list[int],
) -> list[TokenRange | None]:
    """Each (start, end) as a token range, or None when no token can hold it. A range that
    starts where a token starts and ends where one ends (`offsets` and `lengths` of the
    tokens) is found by bisection, as Doc.char_span's strict mode finds it, without building
    a spaCy Span; any other goes through char_span_aligned."""
    aligned: list[TokenRange | None] = []
    for start, end in ranges:
        first = bisect.bisect_left(offsets, start)
        last = bisect.bisect_right(offsets, end - 1) - 1
        if (
            first < len(offsets)
            and offsets[first] == start
            and last >= 0
            and offsets[last] + lengths[last] == end
            and text[start:end].strip()
        ):
            aligned.append(TokenRange(first, last + 1, "strict"))
            continue
        span, how = char_span_aligned(doc, start, end, text=text)
        if span is None:
            aligned.append(None)
            continue
        trimmed = len(text[start:end].strip())
        grown = span.end_char - span.start_char - trimmed if how == EXPANDED else 0
        aligned.append(TokenRange(span.start, span.end, _HOW[how], grown))
    return aligned
