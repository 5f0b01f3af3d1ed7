"""What the token formats (CoNLL, Hugging Face) need from a tokenizer, and what they get back.

io defines the interface; an implementation is handed to the writers when they are registered
(annotator.nlp.formats registers the spaCy one), so io itself never loads a language model.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, Protocol, TypeVar

Alignment = Literal["strict", "trimmed", "expanded"]
"""How a character range met token boundaries: exactly, once trimmed of surrounding whitespace,
or widened to the tokens it starts or ends inside (covering more text than given)."""

Context = TypeVar("Context")


class TokenRange(NamedTuple):
    """A character range aligned to tokens: [first, end) token indices, how it was found, and
    how many characters the tokens cover beyond the range trimmed of whitespace (expanded)."""

    first: int
    end: int
    how: Alignment
    grown: int = 0


@dataclass(frozen=True, slots=True)
class TokenizedText:
    """One text's tokens in order (whitespace tokens included), and each given character range
    aligned to them. Parallel lists, not an object per token: a long text has millions, and
    objects would wake the garbage collector again and again (measured: twice the time)."""

    words: list[str]
    """Each token's text."""
    spaces: list[bool]
    """Whether each token is whitespace."""
    sentence_starts: list[bool]
    """Whether each token starts a sentence."""
    ranges: list[TokenRange | None]
    """One per given range, in order; None when it covers no token (whitespace only, or
    outside the text)."""


class Tokenizer(Protocol):
    """Splits texts into tokens and sentences and aligns character ranges to the tokens.

    Ranges are aligned strictly, else trimmed of surrounding whitespace, else expanded to the
    enclosing tokens; never contracted to fewer characters than given. Each text is tokenised
    by its language's rules, and so that the ranges keep their extent where its script allows
    (CJK)."""

    def tokenize(
        self, texts: Iterable[tuple[str, Sequence[tuple[int, int]], str, Context]]
    ) -> Iterator[tuple[TokenizedText, Context]]:
        """(text, [(start, end) code-point ranges], language code, context) in,
        (TokenizedText, context) out, in the same order; the input is read lazily, so it may
        stream."""
        ...
