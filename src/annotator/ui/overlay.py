"""What the article view paints over the text: exact span edges, label tags and suggestion
outlines.

Only the lines inside the viewport are visited, so the cost per frame does not grow with the
document. Positions go through the view's QtOffsets like everything else.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPen,
    QTextBlock,
    QTextLayout,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit

EDGE_WIDTH = 2
UNDERLINE_WIDTH = 2
_TOUCHING = 0.5
TAG_SCALE = 0.7
"""Label tags are written this much smaller than the text (they fit the highlighter's room)."""
TAG_PADDING = 1
TAG_GAP = 3
TAG_MAX_CHARS = 16
"""Glyph runs closer than this many pixels are drawn as one box."""


def paint_overlays(view: QPlainTextEdit) -> None:
    """Bracket every visible span's start and end, outline every visible suggestion, and draw
    the review candidates when review mode is on."""
    review = view.review_layer
    others = [(lane, index) for lane, (_, index) in enumerate(view.other_layers) if len(index)]
    if not len(view.index) and not len(view.suggestion_index) and review is None and not others:
        return
    painter = QPainter(view.viewport())
    try:
        for block, origin, lines in visible_lines(view):
            first = block.position() + lines[0].textStart()
            last = block.position() + lines[-1].textStart() + lines[-1].textLength()
            cp_first, cp_last = view.offsets.to_py(first), view.offsets.to_py(last) + 1
            spans = view.index.overlapping(cp_first, cp_last)
            for span in spans:
                _paint_edges(view, painter, block, origin, first, last, span)
            if view.label_tags:
                _paint_tags(view, painter, tag_rects(view, block, origin, first, last, spans))
            for suggestion in view.suggestion_index.overlapping(cp_first, cp_last):
                current = view.current_suggestion
                is_current = current is not None and current.id == suggestion.id
                _paint_outline(view, painter, block, origin, lines, suggestion, is_current)
            if review is not None:
                review.paint(view, painter, block, origin, lines, cp_first, cp_last)
            for lane, index in others:
                for span in index.overlapping(cp_first, cp_last):
                    _paint_underline(view, painter, block, origin, lines, span, lane)
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


def visible_lines(view: QPlainTextEdit) -> Iterator[tuple[QTextBlock, QPointF, list[QTextLine]]]:
    """The blocks inside the viewport, each with its layout's origin there and its lines in
    view."""
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
    for rect in edge_rects(view, block, origin, first, last, span.start, span.end):
        painter.fillRect(rect, color)


def edge_rects(view, block, origin, first: int, last: int, start: int, end: int) -> list[QRectF]:
    """The bars and ticks marking the ends of code points [start, end) inside Qt positions
    [first, last] of a block: each just outside its end's glyph, on the side the text's
    direction puts that end (the right of the first glyph in right-to-left text)."""
    layout = block.layout()
    rects = []
    ends = ((start, start, True), (end, max(end - 1, start), False))  # (edge, its glyph, start?)
    for edge, glyph_cp, is_start in ends:
        if not first <= view.offsets.to_qt(edge) <= last:
            continue
        glyph = view.offsets.to_qt(glyph_cp) - block.position()
        line = layout.lineForTextPosition(glyph)
        if not line.isValid():
            continue
        extent = _glyph_extent(line, glyph)
        if extent is None:
            continue
        left, right, rtl = extent
        outward_left = is_start != rtl  # the end faces left: LTR start, RTL end
        x = origin.x() + (left if outward_left else right)
        top, height = origin.y() + line.y(), line.height()
        bar = x - EDGE_WIDTH if outward_left else x  # outside the text, never over a glyph
        tick_x = bar if outward_left else bar - 3  # the tick points into the span
        tick_y = top if is_start else top + height - EDGE_WIDTH
        rects += [QRectF(bar, top, EDGE_WIDTH, height), QRectF(tick_x, tick_y, 5, EDGE_WIDTH)]
    return rects


def tag_rects(view, block, origin, first: int, last: int, spans) -> list[tuple[QRectF, object]]:
    """Where each span starting inside Qt positions [first, last] of a block has its label
    written: in the room above its first glyph's line, just above the words (relation arcs go
    higher), from the glyph's outer edge, moved along the line past the tags before it so none
    overlap. Lines without room (no space in them to make it) get no tags."""
    layout = block.layout()
    metrics = QFontMetricsF(tag_font(view.font()))
    plain_ascent = QFontMetricsF(view.font()).ascent()
    tags = []
    for span in spans:
        if not first <= view.offsets.to_qt(span.start) <= last:
            continue
        glyph = view.offsets.to_qt(span.start) - block.position()
        line = layout.lineForTextPosition(glyph)
        extent = _glyph_extent(line, glyph) if line.isValid() else None
        if extent is None or line.ascent() - plain_ascent < metrics.height():
            continue
        left, right, rtl = extent
        width = metrics.horizontalAdvance(tag_text(span.label)) + 2 * TAG_PADDING
        x = origin.x() + (right - width if rtl else left)
        top = words_top(plain_ascent, origin, line) - metrics.height()
        tags.append((line.lineNumber(), x, width, top, span))
    rects: list[tuple[QRectF, object]] = []
    line_end: dict[int, float] = {}  # per line: the right edge of its last tag so far
    for number, x, width, top, span in sorted(tags, key=lambda tag: (tag[0], tag[1])):
        x = max(x, line_end.get(number, x))
        line_end[number] = x + width + TAG_GAP
        rects.append((QRectF(x, top, width, metrics.height()), span))
    return rects


def tag_font(font: QFont) -> QFont:
    """The small font label tags are written in."""
    small = QFont(font)
    if font.pointSizeF() > 0:
        small.setPointSizeF(font.pointSizeF() * TAG_SCALE)
    else:
        small.setPixelSize(max(1, round(font.pixelSize() * TAG_SCALE)))
    return small


def tag_text(label: str) -> str:
    """A label name as one short plain line (names come from files and other people)."""
    flat = "".join(ch if ch.isprintable() else " " for ch in label).strip()
    return flat if len(flat) <= TAG_MAX_CHARS else flat[: TAG_MAX_CHARS - 1] + "…"


def _paint_tags(view, painter: QPainter, rects: list[tuple[QRectF, object]]) -> None:
    if not rects:
        return
    painter.setFont(tag_font(view.font()))
    paper = view.palette().base().color()  # over the span's tint, the tag reads as on paper
    for rect, span in rects:
        painter.fillRect(rect, paper)
        painter.setPen(QColor(view.edge_colors.get(span.label, "#888888")))
        painter.drawText(
            rect.adjusted(TAG_PADDING, 0, 0, 0),
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            tag_text(span.label),
        )


def _glyph_extent(line: QTextLine, position: int) -> tuple[float, float, bool] | None:
    """Left and right x of the glyphs drawn for one block position, and whether they run
    right to left; None when nothing is drawn for it (a line break)."""
    runs = line.glyphRuns(position, 1)
    if not runs:
        return None
    boxes = [run.boundingRect() for run in runs]
    return (
        min(b.left() for b in boxes),
        max(b.right() for b in boxes),
        runs[0].isRightToLeft(),
    )


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


def _paint_underline(view, painter: QPainter, block, origin, lines, span, lane: int) -> None:
    """Another annotator's span: a dotted line under its words in the label's colour, one lane
    (a few pixels higher) per shown layer, so layers stay apart where they overlap."""
    pen = QPen(QColor(view.edge_colors.get(span.label, "#888888")), UNDERLINE_WIDTH)
    pen.setStyle(Qt.PenStyle.DotLine)
    painter.setPen(pen)
    for rect in outline_rects(view, block, origin, lines, span.start, span.end):
        y = rect.bottom() - lane * (UNDERLINE_WIDTH + 1)
        painter.drawLine(QPointF(rect.left() + 1, y), QPointF(rect.right() - 1, y))


def outline_rects(view, block, origin, lines, start: int, end: int) -> list[QRectF]:
    """The boxes around code points [start, end) on each visible line of a block: one per run
    of adjacent glyphs as drawn, so a span inside a right-to-left paragraph is boxed where its
    words are, not between the x of its logical ends; as tall as the words, never reaching into
    the room a line has above them for tags and arcs, nor into the tall space's descent."""
    first = view.offsets.to_qt(start) - block.position()
    last = view.offsets.to_qt(end) - block.position()
    plain = QFontMetricsF(view.font())
    rects = []
    for line in lines:
        a = max(first, line.textStart())
        b = min(last, line.textStart() + line.textLength())
        if a >= b:
            continue
        top = words_top(plain.ascent(), origin, line) + 1
        height = min(line.height(), plain.ascent() + plain.descent()) - 2
        for left, right in _drawn_extents(line, a, b):
            rects.append(QRectF(origin.x() + left - 1, top, right - left + 2, height))
    return rects


def words_top(plain_ascent: float, origin: QPointF, line: QTextLine) -> float:
    """The y where a line's words begin, below the room the tall space makes above them (given
    the ascent of the view's own font)."""
    return origin.y() + line.y() + max(0.0, line.ascent() - plain_ascent)


def _drawn_extents(line: QTextLine, a: int, b: int) -> list[tuple[float, float]]:
    """The x ranges, left to right, covered by the glyphs of block positions [a, b) on a line;
    touching ranges (one direction, a fallback font) are joined."""
    extents: list[tuple[float, float]] = []
    for box in sorted((run.boundingRect() for run in line.glyphRuns(a, b - a)), key=_left):
        if extents and box.left() <= extents[-1][1] + _TOUCHING:
            extents[-1] = (extents[-1][0], max(extents[-1][1], box.right()))
        else:
            extents.append((box.left(), box.right()))
    return extents


def _left(rect: QRectF) -> float:
    return rect.left()
