"""Character offsets to spaCy tokens: strict, then trimmed, then expanded; never contracted.
Tokens never split a grapheme cluster (`whole_graphemes`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from annotator.core.offsets import is_grapheme_boundary

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span

STRICT = "strict"
TRIMMED = "trimmed"
EXPANDED = "expanded"
DROPPED = "dropped"


def char_span_aligned(
    doc: Doc, start: int, end: int, label: str | None = None, *, text: str | None = None
) -> tuple[Span | None, str]:
    """The token span for [start, end) and how it was found (strict/trimmed/expanded/dropped).

    Offsets outside the text, and spans of whitespace only, are dropped.

    `contract` is never used: on misaligned (for instance UTF-16) offsets it silently returns a
    different, smaller span. An expanded span covers more text than asked; callers count it.
    Pass `text` (== doc.text) when aligning many spans: Doc.text rebuilds the string per call.
    """
    text = doc.text if text is None else text
    kwargs = {"label": label} if label is not None else {}
    if not 0 <= start < end <= len(text) or not text[start:end].strip():
        return None, DROPPED
    span = doc.char_span(start, end, alignment_mode="strict", **kwargs)
    if span is not None:
        return span, STRICT
    piece = text[start:end]
    trimmed_start = start + (len(piece) - len(piece.lstrip()))
    trimmed_end = end - (len(piece) - len(piece.rstrip()))
    if trimmed_start >= trimmed_end:
        return None, DROPPED
    if (trimmed_start, trimmed_end) != (start, end):
        span = doc.char_span(trimmed_start, trimmed_end, alignment_mode="strict", **kwargs)
        if span is not None:
            return span, TRIMMED
    span = doc.char_span(trimmed_start, trimmed_end, alignment_mode="expand", **kwargs)
    if span is None or len(span) == 0:
        return None, DROPPED
    return span, EXPANDED


def whole_graphemes(doc: Doc, text: str | None = None) -> Doc:
    """The doc with every run of tokens that splits an extended grapheme cluster merged into one
    token (a flag's two regional indicators, 👍 and its skin tone, a ZWJ sequence, a base and
    its combining marks or variation selector), so no token boundary falls inside a cluster.

    Pass `text` (== doc.text) when it is at hand: Doc.text rebuilds the string per call. Only a
    token starting at a non-ASCII character or at the LF of a CRLF can start inside a cluster
    (`is_grapheme_boundary`), so only those are checked; a text without any is returned as is.
    """
    text = doc.text if text is None else text
    runs: list[list[int]] = []
    for n, position in _token_starts_maybe_inside(doc, text):
        if not is_grapheme_boundary(text, position):
            if runs and runs[-1][1] == n:
                runs[-1][1] = n + 1
            else:
                runs.append([n - 1, n + 1])
    if runs:
        with doc.retokenize() as retokenizer:
            for first, end in runs:
                retokenizer.merge(doc[first:end])
    return doc


def _token_starts_maybe_inside(doc: Doc, text: str) -> list[tuple[int, int]]:
    """(token index, offset) of each token but the first that starts at a non-ASCII character
    or at a CRLF's LF, in order: a scan of the code points as numpy arrays (a regular
    expression and a bisect per character took 100 µs an article, five times as long)."""
    if text.isascii() and "\r\n" not in text:
        return []
    import numpy

    codes = numpy.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=numpy.uint32)
    found = codes > 0x7F
    found[1:] |= (codes[1:] == ord("\n")) & (codes[:-1] == ord("\r"))
    places = numpy.flatnonzero(found)
    starts = doc.to_array("IDX").astype(numpy.int64)
    tokens = numpy.searchsorted(starts, places)
    inside = (tokens > 0) & (tokens < len(starts))
    tokens, places = tokens[inside], places[inside]
    at_start = starts[tokens] == places
    return list(zip(tokens[at_start].tolist(), places[at_start].tolist(), strict=True))
