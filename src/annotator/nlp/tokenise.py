"""Character offsets to spaCy tokens: strict, then trimmed, then expanded; never contracted."""

from __future__ import annotations

from typing import TYPE_CHECKING

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
