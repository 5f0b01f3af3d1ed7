"""How review mode draws the compared annotators' candidates over the article.

Open candidates get a dashed box in the label's colour; open disagreements also a red wavy
underline; rejected and superseded ones a faint dotted box; accepted ones nothing more than
the gold tint. The current candidate is a solid, filled box. Relation candidates are arcs
(`RelationCandidateArcs`, drawn by `relation_arcs` among the relations): open ones dashed in
the type's colour, decided ones faint and dotted, accepted ones only as gold's relation; the
current one thicker, its name filled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from html import escape

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPainterPath, QPen

from annotator.core.adjudication import Candidate, CandidateState, Key, RelationCandidate
from annotator.core.model import Relation, Span
from annotator.core.relation_keys import RelationKey
from annotator.ui.overlay import outline_rects

DISAGREEMENT_COLOR = QColor("#D62728")
WAVE = 4.0
INSET = 2.5
"""How far each further label choice on the same extent is drawn inside the previous box."""
"""Length of one wave of the disagreement underline, in pixels."""


class ReviewLayer:
    """The candidates of the open document and the current one, as the article draws them."""

    def __init__(self, candidates: Sequence[Candidate], current: Key | None = None) -> None:
        self.candidates = tuple(candidates)
        self.current = current
        self._insets: dict[Key, int] = {}  # label choices share an extent: nest their boxes
        seen: dict[tuple[int, int], int] = {}
        for c in self.candidates:
            rank = seen.get((c.start, c.end), 0)
            self._insets[c.key] = rank
            seen[(c.start, c.end)] = rank + 1

    def at(self, position: int) -> list[Candidate]:
        """Candidates covering the code point at `position`, shortest first."""
        found = [c for c in self.candidates if c.start <= position < c.end]
        return sorted(found, key=lambda c: (c.end - c.start, c.start))

    def tooltip_lines(self, position: int) -> list[str]:
        """One line per candidate under a position: label, who marked it, its state."""
        return [
            f"<b>{escape(c.label)}</b> marked by {escape(', '.join(c.annotators))} — "
            f"{'agreed' if c.agreed else 'disagreement'}, {c.state.value}"
            for c in self.at(position)
        ]

    def paint(self, view, painter: QPainter, block, origin, lines, first: int, last: int) -> None:
        """Draw the candidates overlapping code points [first, last) of one visible block."""
        for candidate in self.candidates:
            if candidate.end <= first or candidate.start >= last:
                continue
            inset = INSET * self._insets.get(candidate.key, 0)
            rects = [
                r.adjusted(inset, inset, -inset, -inset)
                for r in outline_rects(view, block, origin, lines, candidate.start, candidate.end)
            ]
            color = QColor(view.edge_colors.get(candidate.label, "#888888"))
            if candidate.key == self.current:
                _box(painter, rects, color, Qt.PenStyle.SolidLine, 2.0, fill=True)
            elif candidate.state is CandidateState.OPEN:
                _box(painter, rects, color, Qt.PenStyle.DashLine, 1.2)
            elif candidate.state is not CandidateState.ACCEPTED:
                _box(painter, rects, QColor("#999999"), Qt.PenStyle.DotLine, 1.0)
            if not candidate.agreed and candidate.state is CandidateState.OPEN:
                for rect in rects:
                    _wave(painter, rect)


def _box(
    painter: QPainter,
    rects: list[QRectF],
    color: QColor,
    style: Qt.PenStyle,
    width: float,
    *,
    fill: bool = False,
) -> None:
    pen = QPen(color, width)
    pen.setStyle(style)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        if fill:
            tint = QColor(color)
            tint.setAlpha(50)
            painter.fillRect(rect, tint)
        painter.drawRect(rect)


def _wave(painter: QPainter, rect: QRectF) -> None:
    """A red wavy line along the bottom of a box (the spell-checker's "look here")."""
    y = rect.bottom() + 1
    path = QPainterPath()
    path.moveTo(rect.left(), y)
    x, up = rect.left(), True
    while x < rect.right():
        step = min(WAVE / 2, rect.right() - x)
        path.quadTo(x + step / 2, y + (-2 if up else 2), x + step, y)
        x, up = x + step, not up
    pen = QPen(DISAGREEMENT_COLOR, 1.2)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)


@dataclass(frozen=True)
class RelationCandidateArcs:
    """Review mode's relation candidates as arcs between spans of other layers: the arcs and
    their ends both under negative ids, which no stored relation or span has."""

    relations: dict[int, Relation] = field(default_factory=dict)
    ends: dict[int, Span] = field(default_factory=dict)
    ids: dict[RelationKey, int] = field(default_factory=dict)
    """Each drawn candidate's arc id, by the candidate's key."""
    decided: frozenset[int] = frozenset()
    """The arcs of rejected and superseded candidates (drawn faint)."""

    @classmethod
    def of(cls, candidates: Sequence[RelationCandidate], document_id: int) -> RelationCandidateArcs:
        """The arcs of these candidates; accepted ones are left to gold's own relations."""
        ends: dict[Key, Span] = {}
        relations, ids, decided = {}, {}, set()

        def end(key: Key) -> int:
            if key not in ends:
                label, start, stop = key
                number = -2 - len(ends)
                ends[key] = Span(number, document_id, "", label, start, stop)
            return ends[key].id

        for candidate in candidates:
            if candidate.state is CandidateState.ACCEPTED:
                continue
            number = -2 - len(relations)  # -1 is the relation being made
            head, tail = end(candidate.head), end(candidate.tail)
            relations[number] = Relation(number, document_id, "", candidate.type, head, tail)
            ids[candidate.key] = number
            if candidate.decided:
                decided.add(number)
        return cls(relations, {s.id: s for s in ends.values()}, ids, frozenset(decided))
