"""Relations drawn over the article: an arc above the text from the head span to the tail span,
in the type's colour with its name on top, an arrow head at the tail of a directed type.

Arcs are stacked in levels (`arc_levels.ArcLevels`, kept by the view one relation at a time):
two arcs at one level never share a character, so neither their lines nor their names overlap.
Only the arcs over the text in view are visited (the levels' index of extents). The highlighter
gives each line of a block where arcs end room for their levels above the words (`arc_room`).
An arc whose ends lie on different lines is a bracket: up from the first end to
its level, along to the edge of the text column, down the margin, and along the other end's
line at the same level to the other end. Ends are placed at the glyph runs the overlay boxes
spans with, so right-to-left text and every zoom put them on their words.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QTextBlock,
    QTextLine,
)

from annotator.ui.highlighter import TAG_ROOM
from annotator.ui.overlay import outline_rects, tag_font, tag_text, visible_lines, words_top

MAX_LEVELS = 8
"""Arcs above this many levels share the top one (room above a line stays bounded)."""
ARC_GAP = 2.0
"""Pixels between the words (or their label tags) and the lowest level."""
MARGIN_STEP = 3.0
"""Pixels between the margin lines of brackets at successive levels."""
ARROW = 5.0
SPREAD = 12.0
"""Pixels an arc's two ends on one line keep apart at least (when their spans allow it)."""
_PENDING = "?"
_PENDING_ID = -1
_DECIDED = "#999999"
"""The colour of a rejected or superseded review candidate's arc."""


@dataclass(frozen=True, slots=True)
class Arc:
    """One relation as drawn: its polyline pieces, the box of its name, and its two ends (the
    points where it meets the head's and the tail's words; None when that end is off screen)."""

    relation_id: int
    pieces: tuple[tuple[QPointF, ...], ...]
    label: QRectF | None
    head: QPointF | None
    tail: QPointF | None
    level: int


def level_height(font: QFont) -> float:
    """The height of one level of arcs for text in `font` (a relation name and a little air)."""
    key = font.key()
    height = _LEVEL_HEIGHTS.get(key)
    if height is None:
        height = _LEVEL_HEIGHTS[key] = QFontMetricsF(tag_font(font)).height() + 2
    return height


_LEVEL_HEIGHTS: dict[str, float] = {}  # by QFont.key(): measuring a font is not free


def arc_room(font: QFont, levels: int) -> float:
    """Pixels above the words that `levels` levels of arcs take."""
    return ARC_GAP + min(levels, MAX_LEVELS) * level_height(font)


class _Sizes(NamedTuple):
    """The view's measures one paint uses (measured once per paint, not per arc)."""

    plain_ascent: float
    plain_descent: float
    tags: float  # the height of the label tags under the arcs (0 when tags are off)
    level: float
    names: QFontMetricsF  # of the small font relation names are written in


def _sizes(view) -> _Sizes:
    names = QFontMetricsF(tag_font(view.font()))
    return _Sizes(
        QFontMetricsF(view.font()).ascent(),
        QFontMetricsF(view.font()).descent(),
        names.height() if view.label_tags else 0.0,
        names.height() + 2,
        names,
    )


def _foot(sizes: _Sizes, origin: QPointF, line: QTextLine) -> float:
    """The y where an arc meets its span: the top of the words, or of their label tags."""
    return words_top(sizes.plain_ascent, origin, line) - sizes.tags


def _level_y(sizes: _Sizes, end: _End, level: int) -> float:
    """The y of a level's horizontal on an end's line (the top level when it has less room)."""
    base = end.foot - ARC_GAP  # under the lowest level
    fits = max(1, int((base - end.top) // sizes.level))
    return base - (min(level, fits - 1) + 0.5) * sizes.level


@dataclass(frozen=True, slots=True)
class _End:
    """Where an arc meets a span: its line (block and line numbers) and x, on a visible line."""

    x: float
    where: tuple[int, int]
    left: float  # the span's glyphs on that line
    right: float
    top: float  # the line's
    foot: float  # where the arc meets the words (or their tags)


def _end(
    view, shown: list[tuple[QTextBlock, QPointF, list[QTextLine]]], sizes, span
) -> _End | None:
    """The point above the first line of a span when that line is shown: the middle of its
    glyphs there (as drawn, so right-to-left words get it on their words)."""
    start, end = span.start, span.end
    position = view.offsets.to_qt(start)
    for block, origin, lines in shown:
        inside = position - block.position()
        if not 0 <= inside < block.length():
            continue
        for line in lines:
            if line.textStart() <= inside < line.textStart() + max(line.textLength(), 1):
                boxes = outline_rects(view, block, origin, [line], start, end)
                if not boxes:
                    return None
                left = min(box.left() for box in boxes)
                right = max(box.right() for box in boxes)
                where = (block.blockNumber(), line.lineNumber())
                top, foot = origin.y() + line.y(), _foot(sizes, origin, line)
                return _End((left + right) / 2, where, left, right, top, foot)
        return None
    return None


def arcs_in_view(view) -> list[Arc]:
    """Every relation (and the one being made) as it is drawn in the viewport now."""
    shown = list(visible_lines(view))
    if not shown:
        return []
    first_block, _, first_lines = shown[0]
    last_block, _, last_lines = shown[-1]
    top_cp = view.offsets.to_py(first_block.position() + first_lines[0].textStart())
    bottom_cp = view.offsets.to_py(
        last_block.position() + last_lines[-1].textStart() + last_lines[-1].textLength()
    )
    height, sizes = view.viewport().height(), _sizes(view)
    ends: dict[int, _End | None] = {}  # per span: an arc's end (spans share arcs)

    def end_of(span) -> _End | None:
        if span.id not in ends:
            ends[span.id] = _end(view, shown, sizes, span)
        return ends[span.id]

    arcs = []
    for relation_id, kind, head_id, tail_id, level in _drawn(view, top_cp, bottom_cp):
        head, tail = view.relation_end(head_id), view.relation_end(tail_id)
        if head is None or tail is None:
            continue
        arc = _arc(view, shown, sizes, relation_id, kind, level, height, head, tail, end_of)
        arcs.append(arc)
    return arcs


def _drawn(view, top: int, bottom: int) -> list[tuple[int, str, int, int, int]]:
    """(id, type name, head id, tail id, level) of the relations over code points [top,
    bottom], the one being made last (at the lowest level free for it)."""
    drawn = []
    levels = view.arcs.levels
    for reach in view.arcs.extents.overlapping(top, bottom + 1):
        relation = view.drawn_relation(reach.id)
        if relation is not None:
            drawn.append(
                (relation.id, relation.type, relation.head, relation.tail, levels[reach.id])
            )
    pending = view.pending_relation
    if pending is not None:
        head, tail, kind = pending
        drawn.append((_PENDING_ID, kind or _PENDING, head, tail, view.pending_level()))
    return drawn


def _arc(view, shown, sizes, relation_id, kind, level, height, head, tail, end_of) -> Arc:
    head_end, tail_end = _apart(end_of(head), end_of(tail))
    first, second = (head_end, tail_end) if head.start <= tail.start else (tail_end, head_end)
    metrics = sizes.names
    name = tag_text(kind)
    width = metrics.horizontalAdvance(name) + 4
    pieces: list[tuple[QPointF, ...]] = []
    label_at: QPointF | None = None
    if first is not None and second is not None and first.where == second.where:
        y = _level_y(sizes, first, level)
        a, b = first.x, second.x
        pieces.append(
            (
                QPointF(a, first.foot),
                QPointF(a, y),
                QPointF(b, y),
                QPointF(b, second.foot),
            )
        )
        label_at = QPointF((a + b) / 2, y)
    else:
        rtl = view.document().defaultTextOption().alignment() & Qt.AlignmentFlag.AlignRight
        edge_of = _margin_x(view, shown, level, bool(rtl))
        top_y, bottom_y = 0.0, float(height)
        if first is not None:
            y = _level_y(sizes, first, level)
            words = first.foot
            pieces.append((QPointF(first.x, words), QPointF(first.x, y), QPointF(edge_of, y)))
            top_y, label_at = y, QPointF((first.x + edge_of) / 2, y)
        if second is not None:
            y = _level_y(sizes, second, level)
            words = second.foot
            pieces.append((QPointF(edge_of, y), QPointF(second.x, y), QPointF(second.x, words)))
            bottom_y = y
            if label_at is None:
                label_at = QPointF((second.x + edge_of) / 2, y)
        pieces.append((QPointF(edge_of, top_y), QPointF(edge_of, bottom_y)))
    label = None
    if label_at is not None:
        label = QRectF(
            label_at.x() - width / 2, label_at.y() - metrics.height() / 2, width, metrics.height()
        )
    head_point = tail_point = None
    if head_end is not None:
        head_point = QPointF(head_end.x, head_end.foot)
    if tail_end is not None:
        tail_point = QPointF(tail_end.x, tail_end.foot)
    return Arc(relation_id, tuple(pieces), label, head_point, tail_point, level)


def _apart(one: _End | None, other: _End | None) -> tuple[_End | None, _End | None]:
    """Two ends on one line closer than SPREAD (nested spans, both met in their middle): the
    wider span's end moves towards its edge farther from the other end."""
    if one is None or other is None or one.where != other.where:
        return one, other
    if abs(one.x - other.x) >= SPREAD:
        return one, other
    wide, narrow = (
        (one, other) if one.right - one.left >= other.right - other.left else (other, one)
    )
    inset = min(SPREAD / 2, (wide.right - wide.left) / 4)
    near_left, near_right = wide.left + inset, wide.right - inset
    x = near_left if abs(near_left - narrow.x) >= abs(near_right - narrow.x) else near_right
    moved = replace(wide, x=x)
    return (moved, other) if wide is one else (one, moved)


def _margin_x(view, shown, level: int, rtl: bool) -> float:
    """The x of a bracket's vertical: in the margin beside the text column, one step out per
    level so brackets stay apart."""
    _, origin, lines = shown[0]
    step = MARGIN_STEP * (min(level, MAX_LEVELS) + 1)
    if rtl:
        return origin.x() - step
    return origin.x() + lines[0].width() + step


def _any_arcs(view) -> bool:
    """Whether the view has relations, review candidates or a relation being made to draw."""
    return bool(view.relations or view.candidate_arcs.relations or view.pending_relation)


def paint_arcs(view) -> list[tuple[QRectF, int]]:
    """Draw the relations (and review mode's relation candidates) in view; the boxes a click on
    a relation selects it by, with its id."""
    if not _any_arcs(view):
        return []
    arcs = arcs_in_view(view)
    if not arcs:
        return []
    painter = QPainter(view.viewport())
    try:
        return _paint(view, painter, arcs)
    finally:
        painter.end()


def _paint(view, painter: QPainter, arcs: list[Arc]) -> list[tuple[QRectF, int]]:
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    painter.setFont(tag_font(view.font()))
    paper = view.palette().base().color()
    kinds = {}
    for arc in arcs:
        relation = view.drawn_relation(arc.relation_id)
        if relation is not None:
            kinds[arc.relation_id] = relation.type
    if view.pending_relation is not None:
        kinds[_PENDING_ID] = view.pending_relation[2] or _PENDING
    decided = view.candidate_arcs.decided
    emphasised = {view.selected_relation_id, view.current_candidate_arc} - {None}
    colors = {}
    for arc in sorted(arcs, key=lambda a: a.relation_id in emphasised):  # those on top
        kind = kinds.get(arc.relation_id, _PENDING)
        relation_type = view.relation_types.get(kind)
        color = colors[arc.relation_id] = QColor(
            relation_type.color if relation_type is not None else "#777777"
        )
        pen = QPen(color, 2.6 if arc.relation_id in emphasised else 1.3)
        if arc.relation_id in decided:
            color = colors[arc.relation_id] = QColor(_DECIDED)
            pen = QPen(color, 1.0)
            pen.setStyle(Qt.PenStyle.DotLine)
        elif arc.relation_id < 0:  # being made, or a review candidate
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        for piece in arc.pieces:
            path = QPainterPath(piece[0])
            for point in piece[1:]:
                path.lineTo(point)
            painter.drawPath(path)
        if (relation_type is None or relation_type.directed) and arc.tail is not None:
            _arrow(painter, arc.tail, color)
    hits: list[tuple[QRectF, int]] = []
    names: list[tuple[QRectF, int]] = []  # after the lines: a click on a name picks it
    written: list[QRectF] = []
    for arc in sorted(arcs, key=lambda a: a.relation_id not in emphasised):  # those first
        if arc.relation_id == _PENDING_ID:
            continue
        clickable = arc.relation_id >= 0  # a review candidate is chosen in the Review dock
        if clickable:
            hits += [
                (_segment_box(a, b), arc.relation_id) for p in arc.pieces for a, b in pairwise(p)
            ]
        if arc.label is None or any(arc.label.intersects(other) for other in written):
            continue  # a name never covers another (arcs past the top level share it)
        written.append(arc.label)
        if clickable:
            names.append((arc.label, arc.relation_id))
        color, is_selected = colors[arc.relation_id], arc.relation_id in emphasised
        painter.fillRect(arc.label, color if is_selected else paper)
        painter.setPen(paper if is_selected else color)
        text = tag_text(kinds.get(arc.relation_id, _PENDING))
        painter.drawText(arc.label, int(Qt.AlignmentFlag.AlignCenter), text)
    pending = next((arc for arc in arcs if arc.relation_id == _PENDING_ID), None)
    if pending is not None and pending.label is not None:
        painter.fillRect(pending.label, paper)
        painter.setPen(colors[_PENDING_ID])
        text = tag_text(kinds.get(_PENDING_ID, _PENDING))
        painter.drawText(pending.label, int(Qt.AlignmentFlag.AlignCenter), text)
    return hits + names


def clear_arc_room(view) -> None:
    """Paper over the room arcs take above the lines, and the tall space's descent below them
    (span tints and edges fill a line's whole height, and would otherwise stand tall behind the
    arcs); the room label tags take keeps its tint."""
    if not _any_arcs(view):
        return
    sizes = _sizes(view)
    tag_room = sizes.plain_ascent * (TAG_ROOM - 1) if view.label_tags else 0.0
    painter = QPainter(view.viewport())
    try:
        paper = view.palette().base().color()
        width = view.viewport().width()
        for _, origin, lines in visible_lines(view):
            for line in lines:
                arc_room = line.ascent() - sizes.plain_ascent - tag_room
                if arc_room > 1:
                    top = origin.y() + line.y()
                    painter.fillRect(QRectF(0, top, width, arc_room), paper)
                    below = line.descent() - sizes.plain_descent  # the tall space's descent
                    bottom = top + line.height()
                    painter.fillRect(QRectF(0, bottom - below, width, below), paper)
    finally:
        painter.end()


def _arrow(painter: QPainter, tip: QPointF, color: QColor) -> None:
    """A filled arrow head pointing down at `tip` (where the arc meets the tail's words)."""
    painter.setBrush(color)
    painter.drawPolygon(
        QPolygonF(
            [
                QPointF(tip.x() - ARROW * 0.8, tip.y() - ARROW * 1.4),
                QPointF(tip.x() + ARROW * 0.8, tip.y() - ARROW * 1.4),
                tip,
            ]
        )
    )
    painter.setBrush(Qt.BrushStyle.NoBrush)


def _segment_box(a: QPointF, b: QPointF) -> QRectF:
    """A few pixels around one straight piece of an arc (where a click picks it)."""
    return QRectF(a, b).normalized().adjusted(-3, -3, 3, 3)
