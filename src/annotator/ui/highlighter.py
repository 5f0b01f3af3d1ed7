"""Span colours in the article view: a QSyntaxHighlighter fed by the document's SpanIndex.

Each block is cut into elementary segments; one label gives a flat tint, several give stripes.
Offsets cross into Qt only through QtOffsets (setFormat wants UTF-16 units within the block).
With label tags on, or relation arcs in a block, one space in each line of a shown block gets a
taller font of the same width: the line then has room above its words for the tags and arcs the
overlay draws there (QPlainTextEdit's layout ignores line height and block margins; it does take
each line's tallest font). Same width, same line breaks: the spaces are picked from the block's
current lines, and picked again when the width changes (`relayout`).
Blocks are coloured when they come into view (`highlight_blocks`, called before each paint),
not all at once: a document of 200,000 spans shows as fast as one of 20. The view's text is
read-only, so a block's number identifies it until the next `setPlainText`.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping

from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QFontMetricsF,
    QGradient,
    QLinearGradient,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
    QTextLayout,
)

from annotator.core.intervals import SpanIndex
from annotator.core.offsets import QtOffsets
from annotator.ui.guard import qt_override

STRIPE_WIDTH = 6
TAG_ROOM = 2.0
"""How much taller than the text's font the spaces' font is, when label tags are on."""
_SPACES = re.compile("[ \u00a0]")


class SpanHighlighter(QSyntaxHighlighter):
    """Paints the spans of the index on the blocks shown so far; `refresh` re-highlights only
    the shown blocks a change touches."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index = SpanIndex()
        self._offsets = QtOffsets("")
        self._tints: dict[str, QColor] = {}
        self._formats: dict[tuple[tuple[str, ...], float], QTextCharFormat] = {}
        self._font: QFont | None = None  # the text's font while some room is made
        self._tags = False  # room above every line for label tags
        self._arcs: dict[int, dict[int, float]] = {}
        """Per block number: pixels of room for arcs above the line holding each position."""
        self._current: set[int] = set()
        """Numbers of the blocks whose formats show the current index and tints."""

    def set_content(self, index: SpanIndex, offsets: QtOffsets, tints: dict[str, QColor]) -> None:
        """Use a new index, converter and label tints; blocks are coloured as they are shown."""
        self._index = index
        self._offsets = offsets
        self.set_tints(tints)

    def set_tints(self, tints: dict[str, QColor]) -> None:
        """Change the label colours (theme or schema change); shown blocks are coloured anew
        when next painted."""
        self._tints = dict(tints)
        self._formats.clear()
        self._current.clear()

    def make_room(
        self,
        font: QFont,
        *,
        tags: bool,
        arcs: Mapping[int, Mapping[int, float]] | None = None,
    ) -> None:
        """Give lines room above their words: every line for label tags when `tags`, and for
        relation arcs the lines holding the positions `arcs` names (block number: {position in
        the block: pixels}); `font` is the text's. A new font or tags setting lays every shown
        block out anew when next painted; changed arc room only the blocks whose room changed,
        the shown ones at once."""
        arcs = {number: dict(ends) for number, ends in (arcs or {}).items() if ends}
        if self._font is None or font != self._font or tags != self._tags:
            self._font, self._tags, self._arcs = QFont(font), tags, arcs
            self._formats.clear()
            self._current.clear()
            return
        changed = {n for n in arcs.keys() | self._arcs.keys() if arcs.get(n) != self._arcs.get(n)}
        old, self._arcs = self._arcs, arcs
        shown = self._current & changed
        self._current -= changed
        doc = self.document()
        for number in sorted(shown):
            self._current.add(number)
            block = doc.findBlockByNumber(number)
            before = _line_rooms(block, old.get(number, {}))
            if before is None or before != _line_rooms(block, arcs.get(number, {})):
                self.rehighlightBlock(block)  # (every line's room as it was: formats stand)

    def relayout(self) -> None:
        """The lines changed width: pick the tall spaces again as blocks are shown."""
        if self._tags or self._arcs:
            self._current.clear()

    def highlight_blocks(self, blocks: Iterable[QTextBlock]) -> None:
        """Colour these blocks (the ones about to be painted) unless they are current."""
        for block in blocks:
            number = block.blockNumber()
            if number not in self._current:
                self._current.add(number)
                self.rehighlightBlock(block)

    def refresh(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Re-highlight, once each, the shown blocks holding the code point ranges [start, end);
        the others are coloured when they come into view (all of them, when there are more
        ranges than blocks shown: the view's next paint colours the visible ones)."""
        doc = self.document()
        if doc is None:
            return
        ranges = list(ranges)
        if len(ranges) > len(self._current):  # thousands (Accept All): all, as they are shown
            self._current.clear()
            return
        numbers: set[int] = set()
        for start, end in ranges:
            first = doc.findBlock(self._offsets.to_qt(start)).blockNumber()
            last = doc.findBlock(max(self._offsets.to_qt(end) - 1, 0)).blockNumber()
            numbers.update(self._current.intersection(range(first, last + 1)))
        for number in sorted(numbers):
            self.rehighlightBlock(doc.findBlockByNumber(number))

    @qt_override()
    def highlightBlock(self, text: str) -> None:
        if not len(self._index) and not self._tags and not self._arcs:
            return
        block = self.currentBlock()
        if block.blockNumber() not in self._current:
            return  # Qt's own pass over a new text: blocks are coloured when shown
        first = block.position()
        last = first + block.length() - 1
        if last > self._offsets.qt_length:
            return  # the document is being replaced; the next set_content repaints
        to_qt = self._offsets.to_qt
        segments = []  # (begin, end, labels) in block positions, left to right
        for segment in self._index.segments(self._offsets.to_py(first), self._offsets.to_py(last)):
            begin, end = to_qt(segment.start) - first, to_qt(segment.end) - first
            self.setFormat(begin, end - begin, self._format(segment.labels))
            segments.append((begin, end, segment.labels))
        if self._font is not None and (self._tags or block.blockNumber() in self._arcs):
            self._make_room(block, text, segments)

    def _make_room(
        self, block: QTextBlock, text: str, segments: list[tuple[int, int, tuple[str, ...]]]
    ) -> None:
        """One tall space per line that needs room, in the colour of the spans it is in."""
        assert self._font is not None
        tags = QFontMetricsF(self._font).ascent() * (TAG_ROOM - 1) if self._tags else 0.0
        ends = self._arcs.get(block.blockNumber(), {})
        k = 0
        for position, start, end in _one_space_per_line(block.layout(), text):
            arcs = max((px for at, px in ends.items() if start <= at < end), default=0.0)
            room = round(tags + arcs, 1)
            if not room:
                continue
            while k < len(segments) and segments[k][1] <= position:
                k += 1
            inside = k < len(segments) and segments[k][0] <= position
            self.setFormat(position, 1, self._format(segments[k][2] if inside else (), room=room))

    def _format(self, labels: tuple[str, ...], *, room: float = 0.0) -> QTextCharFormat:
        fmt = self._formats.get((labels, room))
        if fmt is None:
            tall = room and self._font is not None
            fmt = QTextCharFormat(_room_format(self._font, room)) if tall else QTextCharFormat()
            if labels:
                colors = [self._tints.get(label, QColor("#BBBBBB")) for label in labels]
                fmt.setBackground(colors[0] if len(colors) == 1 else _stripes(colors))
            self._formats[(labels, room)] = fmt
        return fmt


def _line_rooms(block: QTextBlock, ends: Mapping[int, float]) -> list[float] | None:
    """The arcs' room above each line of a laid-out block (None: not laid out yet)."""
    layout = block.layout()
    if layout is None or layout.lineCount() == 0:
        return None
    rooms = []
    for line in map(layout.lineAt, range(layout.lineCount())):
        start, end = line.textStart(), line.textStart() + line.textLength()
        rooms.append(max((px for at, px in ends.items() if start <= at < end), default=0.0))
    return rooms


def _room_format(font: QFont, room: float) -> QTextCharFormat:
    """A space tall enough to leave `room` pixels above `font`'s words, drawn exactly as wide as
    its own space."""
    factor = 1 + room / QFontMetricsF(font).ascent()
    tall = QFont(font)
    if font.pointSizeF() > 0:
        tall.setPointSizeF(font.pointSizeF() * factor)
    else:
        tall.setPixelSize(round(font.pixelSize() * factor))
    wider_by = QFontMetricsF(tall).horizontalAdvance(" ") - QFontMetricsF(font).horizontalAdvance(
        " "
    )
    tall.setLetterSpacing(QFont.SpacingType.AbsoluteSpacing, -wider_by)
    fmt = QTextCharFormat()
    fmt.setFont(tall, QTextCharFormat.FontPropertiesInheritanceBehavior.FontPropertiesAll)
    return fmt


def _one_space_per_line(layout: QTextLayout, text: str) -> list[tuple[int, int, int]]:
    """The first space inside each line of the laid-out block (not the one a line breaks at),
    with the line's start and end; every space (in a block-wide line) while the block has no
    lines yet."""
    spaces = list(_space_positions(text))
    if layout.lineCount() == 0:
        return [(space, 0, len(text) * 2 + 1) for space in spaces]
    chosen = []
    for n in range(layout.lineCount()):
        line = layout.lineAt(n)
        start, end = line.textStart(), line.textStart() + line.textLength()
        k = bisect_left(spaces, start)
        if k < len(spaces) and spaces[k] < end - 1:
            chosen.append((spaces[k], start, end))
    return chosen


def _space_positions(text: str) -> Iterator[int]:
    """The positions of the spaces in a block's text, in UTF-16 units as setFormat counts."""
    astral = [i for i, ch in enumerate(text) if ch > "\uffff"] if not text.isascii() else []
    before = 0  # astral characters before the current space
    for match in _SPACES.finditer(text):
        while before < len(astral) and astral[before] < match.start():
            before += 1
        yield match.start() + before


def _stripes(colors: list[QColor]) -> QBrush:
    """Diagonal stripes, one band per label, so every label over a piece stays visible."""
    n = len(colors)
    gradient = QLinearGradient(0, 0, STRIPE_WIDTH * n, STRIPE_WIDTH * n)
    gradient.setSpread(QGradient.Spread.RepeatSpread)
    for i, color in enumerate(colors):
        gradient.setColorAt(i / n, color)
        gradient.setColorAt((i + 1) / n - 1e-3, color)
    return QBrush(gradient)
