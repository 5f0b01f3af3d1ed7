"""Code points <-> Qt positions for one stored text: the ONE converter across the Qt boundary.

Qt counts UTF-16 units (an astral character is 2 positions) in the text `setPlainText` keeps:
CRLF becomes one block break, a lone CR one break, and PySide drops a leading BOM. Rule for
collapsed code points (the CR of a CRLF, leading BOMs): they take 0 Qt positions, so `to_qt`
gives the code point after one the same position as the collapsed one ("\\r" and "\\n" of a
CRLF both map to the break), and `to_py` returns the smallest code point at a position, i.e.
the start of a CRLF pair or of an astral character. Only code points that do not follow a
collapsed one round-trip exactly. Give Qt `display_text()`, never the stored text (PySide strips
only one BOM). Text holding surrogate code points (lone or paired) is not supported.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from functools import lru_cache

__all__ = [
    "QtOffsets",
    "is_grapheme_boundary",
    "offsets_for",
    "selection_to_span",
    "snap_outward",
]

_ZWJ = "\u200d"
# Chars whose Qt width is not 1: leading BOMs and the CR of a CRLF (0), astral chars (2).
_IRREGULAR = re.compile("\\A\ufeff+|[\U00010000-\U0010ffff]|\r(?=\n)")
_TRIMMED = "\ufeff"  # trimmed from selections besides whitespace: an invisible BOM / ZWNBSP


class QtOffsets:
    """Bisect tables mapping code points of one text to Qt positions and back, O(log n)."""

    __slots__ = ("_end_q", "_qt_length", "_seg_cp", "_seg_q", "_text")

    def __init__(self, text: str) -> None:
        """Build the tables once per stored document text."""
        self._text = text
        # Linear segments: segment k starts at (_seg_cp[k], _seg_q[k]) and ends (in Qt
        # positions) at _end_q[k], where the next irregular (astral or collapsed) char starts.
        self._seg_cp = [0]
        self._seg_q = [0]
        self._end_q: list[int] = []
        q = 0
        prev = 0
        for cp, width in _irregular(text):
            q += cp - prev
            self._end_q.append(q)
            q += width
            prev = cp + 1
            self._seg_cp.append(prev)
            self._seg_q.append(q)
        self._qt_length = q + len(text) - prev
        self._end_q.append(self._qt_length)

    @property
    def text(self) -> str:
        """The stored text the tables were built for."""
        return self._text

    @property
    def qt_length(self) -> int:
        """Length of the text in Qt positions (`QTextDocument.characterCount() - 1`)."""
        return self._qt_length

    def to_qt(self, cp: int) -> int:
        """Qt position of code point offset `cp` (0 <= cp <= len(text))."""
        if not 0 <= cp <= len(self.text):
            raise ValueError(f"code point offset {cp} outside 0..{len(self.text)}")
        k = bisect_right(self._seg_cp, cp) - 1
        return self._seg_q[k] + cp - self._seg_cp[k]

    def to_py(self, q: int) -> int:
        """Smallest code point offset at Qt position `q`; inside a surrogate pair, snap left."""
        if not 0 <= q <= self.qt_length:
            raise ValueError(f"Qt position {q} outside 0..{self.qt_length}")
        k = bisect_left(self._end_q, q)
        if q < self._seg_q[k]:  # second unit of the astral char just before segment k
            return self._seg_cp[k] - 1
        return self._seg_cp[k] + q - self._seg_q[k]

    def display_text(self) -> str:
        """The text to give `setPlainText`: same Qt positions, without CRLF, CR or leading BOMs,
        and with paragraphs over DISPLAY_BLOCK characters cut into display blocks."""
        text = self.text.lstrip("\ufeff")
        return split_long_lines(text.replace("\r\n", "\n").replace("\r", "\n"))

    def selection_to_span(self, qt_start: int, qt_end: int) -> tuple[int, int] | None:
        """Code point span of a Qt selection: trimmed, grapheme-snapped outward; None if blank."""
        qt_start, qt_end = sorted((qt_start, qt_end))
        start, end = self.to_py(qt_start), self.to_py(qt_end)
        if self.to_qt(end) < qt_end:  # end inside a surrogate pair: take the whole char
            end += 1
        text = self.text
        while start < end and (text[start].isspace() or text[start] in _TRIMMED):
            start += 1
        while end > start and (text[end - 1].isspace() or text[end - 1] in _TRIMMED):
            end -= 1
        if start == end:
            return None
        return snap_outward(text, start, end)


DISPLAY_BLOCK = 10_000
"""Longest paragraph Qt lays out as one block; Qt re-lays out a whole block on every change."""


def split_long_lines(text: str, limit: int = DISPLAY_BLOCK) -> str:
    """Turn a space into a line break about every `limit` characters of a longer paragraph.

    A space and a break are both one Qt position, so every offset stays valid; only the view
    shows the break. A paragraph without spaces in reach (e.g. CJK) is left whole.
    """
    if len(text) <= limit:
        return text
    chars: list[str] | None = None
    line_start = 0
    while line_start < len(text):
        line_end = text.find("\n", line_start)
        line_end = len(text) if line_end < 0 else line_end
        cut_from = line_start + limit * 4 // 5
        while line_end - line_start > limit and cut_from < line_end:
            space = text.find(" ", cut_from, min(line_end, line_start + limit))
            if space < 0:
                break
            chars = chars if chars is not None else list(text)
            chars[space] = "\n"
            line_start = space + 1
            cut_from = line_start + limit * 4 // 5
        line_start = line_end + 1
    return text if chars is None else "".join(chars)


def _irregular(text: str) -> Iterator[tuple[int, int]]:
    """Yield (code point, Qt width) for chars whose width is not 1, in text order."""
    for match in _IRREGULAR.finditer(text):
        if match.group() > "\uffff":
            yield match.start(), 2
        else:
            yield from ((i, 0) for i in range(match.start(), match.end()))


@lru_cache(maxsize=8)
def offsets_for(text: str) -> QtOffsets:
    """A cached QtOffsets for `text` (the open documents reuse their tables)."""
    return QtOffsets(text)


def selection_to_span(text: str, qt_start: int, qt_end: int) -> tuple[int, int] | None:
    """Code point span [start, end) of a Qt selection in `text`, or None if it is blank."""
    return offsets_for(text).selection_to_span(qt_start, qt_end)


def _is_extend(ch: str) -> bool:
    """Grapheme Extend/SpacingMark approximation: marks, ZWJ, selectors, skin tones, tags."""
    return (
        unicodedata.category(ch) in ("Mn", "Me", "Mc")
        or ch == _ZWJ
        or "\U0001f3fb" <= ch <= "\U0001f3ff"
        or "\U000e0020" <= ch <= "\U000e007f"
    )


def _is_pictographic(ch: str) -> bool:
    """Extended_Pictographic approximation: symbols (So) and the astral emoji blocks."""
    return unicodedata.category(ch) == "So" or "\U0001f000" <= ch <= "\U0001faff"


def _is_regional(ch: str) -> bool:
    """Regional indicator letters, paired into flags."""
    return "\U0001f1e6" <= ch <= "\U0001f1ff"


def is_grapheme_boundary(text: str, i: int) -> bool:
    """Whether offset `i` is an extended grapheme cluster boundary (UAX #29, approximated)."""
    if i <= 0 or i >= len(text):
        return True
    before, after = text[i - 1], text[i]
    if before == "\r" and after == "\n":
        return False
    if before in "\r\n" or after in "\r\n":
        return True
    if unicodedata.category(before) == "Cc" or unicodedata.category(after) == "Cc":
        return True
    if _is_extend(after):
        return False
    if before == _ZWJ and _is_pictographic(after):
        j = i - 2
        while j >= 0 and text[j] != _ZWJ and _is_extend(text[j]):
            j -= 1
        return not (j >= 0 and _is_pictographic(text[j]))
    if _is_regional(before) and _is_regional(after):
        run = 0
        while i - run - 1 >= 0 and _is_regional(text[i - run - 1]):
            run += 1
        return run % 2 == 0
    return True


def snap_outward(text: str, start: int, end: int) -> tuple[int, int]:
    """Widen [start, end) to grapheme cluster boundaries, so no cluster or CRLF is split."""
    while not is_grapheme_boundary(text, start):
        start -= 1
    while not is_grapheme_boundary(text, end):
        end += 1
    return start, end
