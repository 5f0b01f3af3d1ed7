"""Turning a sloppy selection into a clean span: widen to whole words, step by graphemes."""

from __future__ import annotations

from annotator.core.offsets import is_grapheme_boundary


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch in "_-'’" or (0x300 <= ord(ch) <= 0x36F)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it neither starts nor ends inside a word ("JF-17C", "Baykar's")."""
    while 0 < start < len(text) and _is_word(text[start]) and _is_word(text[start - 1]):
        start -= 1
    while 0 < end < len(text) and _is_word(text[end - 1]) and _is_word(text[end]):
        end += 1
    return start, end


def step_grapheme(text: str, position: int, step: int) -> int:
    """The grapheme boundary one user-visible character left (step < 0) or right of position."""
    position += 1 if step > 0 else -1
    while 0 < position < len(text) and not is_grapheme_boundary(text, position):
        position += 1 if step > 0 else -1
    return max(0, min(len(text), position))


def resized(text: str, start: int, end: int, edge: str, step: int) -> tuple[int, int] | None:
    """Move a span's `edge` ('start' or 'end') by one grapheme; None if it cannot move or
    would vanish."""
    if edge == "end":
        new = (start, step_grapheme(text, end, step))
    else:
        new = (step_grapheme(text, start, step), end)
    return new if new != (start, end) and 0 <= new[0] < new[1] <= len(text) else None
