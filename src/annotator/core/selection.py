"""Turning a sloppy selection into a clean span: widen to whole words, step by graphemes."""

from __future__ import annotations

import unicodedata

from annotator.core.offsets import is_grapheme_boundary

_JOINERS = "-'\u2019\u2010\u2011"  # inside a word only between word characters: JF-17C, O'Brien
_APOSTROPHES = "'\u2019"


def _is_word(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LNM" or ch == "_"


def _is_unspaced(ch: str) -> bool:
    """Wide letters (CJK, kana, Hangul): text written without spaces, one character a word."""
    return unicodedata.east_asian_width(ch) in "WF"


def _is_possessive(text: str, i: int) -> bool:
    """Whether a possessive 's / ’s (which no snapping adds) starts at text[i] after a word."""
    return (
        i > 0
        and i + 2 <= len(text)
        and text[i] in _APOSTROPHES
        and text[i + 1] in "sS"
        and _is_word(text[i - 1])
        and (i + 2 == len(text) or not _is_word(text[i + 2]))
    )


def _inside_word(text: str, i: int) -> bool:
    """Whether offset i splits a word (or a grapheme), so snapping must move past it."""
    if not 0 < i < len(text):
        return False
    if not is_grapheme_boundary(text, i):
        return True
    if _is_possessive(text, i):
        return False
    before, after = text[i - 1], text[i]
    if _is_word(before) and _is_word(after):
        return not (_is_unspaced(before) or _is_unspaced(after))
    if after in _JOINERS:
        return _is_word(before) and i + 1 < len(text) and _is_word(text[i + 1])
    return before in _JOINERS and _is_word(after) and i >= 2 and _is_word(text[i - 2])


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) so it neither starts nor ends inside a word ("JF-17C", "O'Brien"),
    without adding a possessive 's or punctuation: "Azerbai" in "Azerbaijan's." -> "Azerbaijan".
    A CJK character is a word of its own."""
    while _inside_word(text, start):
        start -= 1
    while _inside_word(text, end):
        end += 1
    return start, end


def without_possessive(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without a possessive 's / ’s at its end (a double-clicked word)."""
    if end - start > 2 and _is_possessive(text, end - 2):
        return start, end - 2
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
