"""What the article view paints over the text: exact span edges and suggestion outlines.

Only the lines inside the viewport are visited, so the cost per frame does not grow with the
document. Positions go through the view's QtOffsets like everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen, QTextBlock, QTextLayout, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

EDGE_WIDTH = 2


def paint_overlays(view: QPlainTextEdit) -> None:
    """Bracket every visible span's start and end, outline every visible suggestion, and draw
    the review candidates when review mode is on."""
    review = view.review_layer
    if not len(view.index) and not len(view.suggestion_index) and review is None:
        return
    painter = QPainter(view.viewport())
    try:
        for block, origin, lines in _visible_blocks(view):
            first = block.position() + lines[0].textStart()
            last = block.position() + lines[-1].textStart() + lines[-1].textLength()
            cp_first, cp_last = view.offsets.to_py(first), view.offsets.to_py(last) + 1
            for span in view.index.overlapping(cp_first, cp_last):
                _paint_edges(view, painter, block, origin, first, last, span)
            for suggestion in view.suggestion_index.overlapping(cp_first, cp_last):
                current = view.current_suggestion
                is_current = current is not None and current.id == suggestion.id
                _paint_outline(view, painter, block, origin, lines, suggestion, is_current)
            if review is not None:
                review.paint(view, painter, block, origin, lines, cp_first, cp_last)
    finally:
        painter.end()


def visible_blocks(view: QPlainTextEdit) -> Iterator[tuple[QTextBlock, QRectF]]:
    """The blocks inside the viewport, top to bottom, each with its rectangle there."""
    offset = view.contentOffset()
    height = view.viewport().height()
    block = view.firstVisibleBlock()
    while block.isValid():
        rect = view.blockBoundingGeometry(block).translated(offset)
        if rect.top() > height:
            return
        if block.isVisible():
            yield block, rect
        block = block.next()


def _visible_blocks(view: QPlainTextEdit) -> Iterator[tuple[QTextBlock, QPointF, list[QTextLine]]]:
    height = view.viewport().height()
    for block, rect in visible_blocks(view):
        layout = block.layout()
        origin = rect.topLeft() + layout.position()
        lines = _visible_lines(layout, origin.y(), height)
        if lines:
            yield block, origin, lines


def _visible_lines(layout: QTextLayout, top: float, height: int) -> list[QTextLine]:
    """The lines of a block layout inside the viewport's height (binary search for the first)."""
    count = layout.lineCount()
    lo, hi = 0, count
    while lo < hi:
        mid = (lo + hi) // 2
        line = layout.lineAt(mid)
        if top + line.y() + line.height() < 0:
            lo = mid + 1
        else:
            hi = mid
    lines = []
    for n in range(lo, count):
        line = layout.lineAt(n)
        if top + line.y() > height:
            break
        lines.append(line)
    return lines


def _paint_edges(view, painter: QPainter, block, origin, first: int, last: int, span) -> None:
    """A bar with a tick just outside each end of the span, in the label's colour."""
    color = QColor(view.edge_colors.get(span.label, "#888888"))
    layout = block.layout()
    for q, is_start in (
        (view.offsets.to_qt(span.start), True),
        (view.offsets.to_qt(span.end), False),
    ):
        if not first <= q <= last:
            continue
        rel = q - block.position()
        line = layout.lineForTextPosition(rel if is_start else max(rel - 1, 0))
        if not line.isValid():
            continue
        x = origin.x() + line.cursorToX(rel)[0]
        top, height = origin.y() + line.y(), line.height()
        bar = x - EDGE_WIDTH if is_start else x  # outside the text, never over a glyph
        painter.fillRect(QRectF(bar, top, EDGE_WIDTH, height), color)
        tick_x = bar if is_start else bar - 3
        tick_y = top if is_start else top + height - EDGE_WIDTH
        painter.fillRect(QRectF(tick_x, tick_y, 5, EDGE_WIDTH), color)


def _paint_outline(
    view, painter: QPainter, block, origin, lines, suggestion, current: bool
) -> None:
    """A dashed box around the suggestion on each visible line it covers (solid when current)."""
    color = QColor(view.edge_colors.get(suggestion.label, "#888888"))
    pen = QPen(color, 2 if current else 1.2)
    pen.setStyle(Qt.PenStyle.SolidLine if current else Qt.PenStyle.DashLine)
    painter.setPen(pen)
    for rect in outline_rects(view, block, origin, lines, suggestion.start, suggestion.end):
        if current:
            fill = QColor(color)
            fill.setAlpha(40)
            painter.fillRect(rect, fill)
        painter.drawRect(rect)


def outline_rects(view, block, origin, lines, start: int, end: int) -> list[QRectF]:
    """The boxes around code points [start, end) on each visible line of a block."""
    first = view.offsets.to_qt(start) - block.position()
    last = view.offsets.to_qt(end) - block.position()
    rects = []
    for line in lines:
        a = max(first, line.textStart())
        b = min(last, line.textStart() + line.textLength())
        if a >= b:
            continue
        x1, x2 = sorted((line.cursorToX(a)[0], line.cursorToX(b)[0]))
        rects.append(
            QRectF(origin.x() + x1 - 1, origin.y() + line.y() + 1, x2 - x1 + 2, line.height() - 2)
        )
    return rects
