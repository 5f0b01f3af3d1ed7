"""Where a line break ends a sentence: the segmenter's sentence ends, and line breaks between
sentences (a heading, a dateline, one sentence a line) as opposed to a hard-wrapped line.

A lexicon match may run over a single line break ("TB2\\ndrones" in a wrapped paragraph) but
never over one that ends a sentence ("Major League\\nBaseball" where "Major League" ends a
heading). A line break ends a sentence when spaCy's rule-based sentencizer starts a sentence
there (the line ends in ".", "!", "?" and the like), or when the next line does not start with
a lower-case letter and the line before is not full: a hard-wrapped line is broken because the
next word did not fit, so the line and that word are longer than the text's wrap width (taken as
the 90th percentile of its line lengths, so one long line does not stretch it).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.pipeline import Sentencizer
    from spacy.tokens import Doc

_LINE_BREAKS = "\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"


@functools.cache
def sentencizer() -> Sentencizer:
    """spaCy's rule-based sentencizer (stateless), built once."""
    from spacy.pipeline import Sentencizer

    return Sentencizer()


def sentence_starts(
    words: Sequence[str], punct: Sequence[bool], already: Sequence[int]
) -> list[bool]:
    """Whether each token starts a sentence, as `sentencizer()` would set it, from the tokens'
    texts, IS_PUNCT flags and SENT_START values (1 start, -1 not, 0 unset) rather than Token
    objects (a fifth of a token export's own time): the first token and each one after one of
    its punct_chars that is neither punctuation nor one of them start a sentence; a token whose
    start is already set keeps it, as the sentencizer leaves it."""
    punct_chars = sentencizer().punct_chars
    starts = [n == 0 for n in range(len(words))]
    seen_period = False
    for n, word in enumerate(words):
        in_punct_chars = word in punct_chars
        if seen_period and not punct[n] and not in_punct_chars:
            starts[n] = True
            seen_period = False
        elif in_punct_chars:
            seen_period = True
    return [
        start if set_as == 0 else set_as == 1 for start, set_as in zip(starts, already, strict=True)
    ]


class SentenceEnds:
    """The line breaks of one tokenised text that end a sentence, worked out on first use."""

    def __init__(self, doc: Doc, text: str) -> None:
        self.doc = doc
        self.text = text
        self._segmented = False
        self._width: int | None = None

    def crossed(self, first: int, last: int) -> bool:
        """Whether a line break between token `first` and token `last` of the doc (whitespace
        tokens a tolerant match skipped) ends a sentence."""
        for i in range(first + 1, last):
            token = self.doc[i]
            breaks = token.is_space and any(c in _LINE_BREAKS for c in token.text)
            if breaks and self._ends_sentence(i):
                return True
        return False

    def _ends_sentence(self, i: int) -> bool:
        """Whether the line break in whitespace token `i` ends a sentence."""
        if not self._segmented:
            sentencizer()(self.doc)
            self._segmented = True
        if self.doc[i].is_sent_start or self.doc[i + 1].is_sent_start:
            return True
        following = self.doc[i + 1].text
        if following[:1].islower():
            return False
        token = self.doc[i]
        line_start = max(self.text.rfind(c, 0, token.idx) for c in _LINE_BREAKS) + 1
        line = self.text[line_start : token.idx].rstrip()
        return len(line) + 1 + len(following) <= self.width()

    def width(self) -> int:
        """The text's wrap width: the 90th percentile of its non-blank line lengths."""
        if self._width is None:
            lengths = sorted(len(line.rstrip()) for line in self.text.splitlines() if line.strip())
            self._width = lengths[math.ceil(0.9 * len(lengths)) - 1] if lengths else 0
        return self._width
