"""Span colours in the article view: a QSyntaxHighlighter fed by the document's SpanIndex.

Each block is cut into elementary segments; one label gives a flat tint, several give stripes.
Offsets cross into Qt only through QtOffsets (setFormat wants UTF-16 units within the block).
Blocks are coloured when they come into view (`highlight_blocks`, called before each paint),
not all at once: a document of 200,000 spans shows as fast as one of 20. The view's text is
read-only, so a block's number identifies it until the next `setPlainText`.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtGui import (
    QBrush,
    QColor,
    QGradient,
    QLinearGradient,
    QSyntaxHighlighter,
    QTextBlock,
    QTextCharFormat,
    QTextDocument,
)

from annotator.core.intervals import SpanIndex
from annotator.core.offsets import QtOffsets
from annotator.ui.guard import qt_override

STRIPE_WIDTH = 6


class SpanHighlighter(QSyntaxHighlighter):
    """Paints the spans of the index on the blocks shown so far; `refresh` re-highlights only
    the shown blocks a change touches."""

    def __init__(self, document: QTextDocument) -> None:
        super().__init__(document)
        self._index = SpanIndex()
        self._offsets = QtOffsets("")
        self._tints: dict[str, QColor] = {}
        self._formats: dict[tuple[str, ...], QTextCharFormat] = {}
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

    def highlight_blocks(self, blocks: Iterable[QTextBlock]) -> None:
        """Colour these blocks (the ones about to be painted) unless they are current."""
        for block in blocks:
            number = block.blockNumber()
            if number not in self._current:
                self._current.add(number)
                self.rehighlightBlock(block)

    def refresh(self, ranges: Iterable[tuple[int, int]]) -> None:
        """Re-highlight, once each, the shown blocks holding the code point ranges [start, end);
        the others are coloured when they come into view."""
        doc = self.document()
        if doc is None:
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
        if not len(self._index):
            return
        block = self.currentBlock()
        first = block.position()
        last = first + block.length() - 1
        if last > self._offsets.qt_length:
            return  # the document is being replaced; the next set_content repaints
        to_qt = self._offsets.to_qt
        for segment in self._index.segments(self._offsets.to_py(first), self._offsets.to_py(last)):
            begin = to_qt(segment.start) - first
            self.setFormat(begin, to_qt(segment.end) - first - begin, self._format(segment.labels))

    def _format(self, labels: tuple[str, ...]) -> QTextCharFormat:
        fmt = self._formats.get(labels)
        if fmt is None:
            fmt = QTextCharFormat()
            colors = [self._tints.get(label, QColor("#BBBBBB")) for label in labels]
            fmt.setBackground(colors[0] if len(colors) == 1 else _stripes(colors))
            self._formats[labels] = fmt
        return fmt


def _stripes(colors: list[QColor]) -> QBrush:
    """Diagonal stripes, one band per label, so every label over a piece stays visible."""
    n = len(colors)
    gradient = QLinearGradient(0, 0, STRIPE_WIDTH * n, STRIPE_WIDTH * n)
    gradient.setSpread(QGradient.Spread.RepeatSpread)
    for i, color in enumerate(colors):
        gradient.setColorAt(i / n, color)
        gradient.setColorAt((i + 1) / n - 1e-3, color)
    return QBrush(gradient)
