"""The open document's review candidates as tables: state, label, text, who marked it; and
the relation candidates: state, type, the two spans, who linked them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from annotator.core.adjudication import (
    Candidate,
    CandidateState,
    DocumentReview,
    Key,
    RelationCandidate,
)
from annotator.core.relation_keys import RelationKey
from annotator.ui.plain import plain_tip
from annotator.ui.review_overlay import DISAGREEMENT_COLOR
from annotator.ui.span_model import display_text
from annotator.ui.table_model import RowTableModel

COLUMNS = ("", "Label", "Text", "Marked by")
STATE, LABEL, TEXT, WHO = range(4)
KEY_ROLE = Qt.ItemDataRole.UserRole + 1
GLYPHS = {
    CandidateState.ACCEPTED: ("✓", "accepted into gold"),
    CandidateState.REJECTED: ("✗", "rejected"),
    CandidateState.SUPERSEDED: ("–", "gold took another label or extent here"),
}


class ReviewCandidateModel(RowTableModel):
    """Rows are the candidates of one DocumentReview, in text order."""

    columns = COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._annotators: tuple[str, ...] = ()
        self.colors: dict[str, str] = {}

    def show_review(self, review: DocumentReview | None, text: str) -> None:
        """Show another review (None: nothing open)."""
        self.beginResetModel()
        self._rows = list(review.candidates) if review else []
        self._annotators = review.annotators if review else ()
        self._text = text
        self.endResetModel()

    def row_of(self, key: Key | None) -> int | None:
        """The row showing the candidate with that key."""
        return next((n for n, c in enumerate(self._rows) if c.key == key), None)

    def candidate_at(self, row: int) -> Candidate:
        """The candidate shown in that row."""
        return self._rows[row]

    def index_of(self, key: Key | None) -> QModelIndex:
        row = self.row_of(key)
        return QModelIndex() if row is None else self.index(row, 0)

    def _data(self, c: Candidate, column: int, role: int) -> Any:
        if role == KEY_ROLE:
            return c.key
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(c, column)
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT:  # the text cell may be cut
            return plain_tip(self._text[c.start : c.end])
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self._tooltip(c))
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            color = self.colors.get(c.label)
            return QColor(color) if color else None
        return _state_look(c, column, role)

    def _display(self, c: Candidate, column: int) -> str:
        if column == STATE:
            return _glyph(c)
        if column == LABEL:
            return c.label
        if column == TEXT:
            return display_text(self._text[c.start : c.end])
        return "all" if c.agreed else ", ".join(c.annotators)

    def _tooltip(self, c: Candidate) -> str:
        missing = [a for a in self._annotators if a not in c.annotators]
        kind = "all agree" if c.agreed else f"not marked by {', '.join(missing)}"
        state = GLYPHS[c.state][1] if c.decided else "open"
        return (
            f"{c.label} [{c.start}, {c.end}) — marked by {', '.join(c.annotators)}; {kind}; {state}"
        )


RELATION_COLUMNS = ("", "Relation", "Between", "Marked by")


class ReviewRelationModel(RowTableModel):
    """Rows are the relation candidates of one DocumentReview, by their spans' positions."""

    columns = RELATION_COLUMNS

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._text = ""
        self._annotators: tuple[str, ...] = ()
        self.colors: dict[str, str] = {}
        self.symmetric: set[str] = set()
        """Relation types whose ends carry no order (shown with ↔)."""

    def show_review(self, review: DocumentReview | None, text: str) -> None:
        """Show another review's relation candidates (None: nothing open)."""
        self.beginResetModel()
        self._rows = list(review.relations) if review else []
        self._annotators = review.annotators if review else ()
        self._text = text
        self.endResetModel()

    def candidate_at(self, row: int) -> RelationCandidate:
        """The relation candidate shown in that row."""
        return self._rows[row]

    def index_of(self, key: RelationKey | None) -> QModelIndex:
        row = next((n for n, r in enumerate(self._rows) if r.key == key), None)
        return QModelIndex() if row is None else self.index(row, 0)

    def between(self, r: RelationCandidate) -> str:
        """The two spans' texts with the direction between them."""
        arrow = "↔" if r.type in self.symmetric else "→"
        head, tail = (display_text(self._text[start:end]) for _, start, end in (r.head, r.tail))
        return f"{head} {arrow} {tail}"

    def _data(self, r: RelationCandidate, column: int, role: int) -> Any:
        if role == KEY_ROLE:
            return r.key
        if role == Qt.ItemDataRole.DisplayRole:
            if column == STATE:
                return _glyph(r)
            if column == LABEL:
                return r.type
            if column == TEXT:
                return self.between(r)
            return "all" if r.agreed else ", ".join(r.annotators)
        if role == Qt.ItemDataRole.ToolTipRole:
            return plain_tip(self._tooltip(r))
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            color = self.colors.get(r.type)
            return QColor(color) if color else None
        return _state_look(r, column, role)

    def _tooltip(self, r: RelationCandidate) -> str:
        missing = [a for a in self._annotators if a not in r.annotators]
        kind = "all agree" if r.agreed else f"not linked by {', '.join(missing)}"
        state = GLYPHS[r.state][1] if r.decided else "open"
        ends = " and ".join(f"{label} [{start}, {end})" for label, start, end in (r.head, r.tail))
        who = ", ".join(r.annotators)
        return f"{r.type} between {ends}: {self.between(r)} — linked by {who}; {kind}; {state}"


def _glyph(c: Candidate | RelationCandidate) -> str:
    """The state column: the decision's glyph, else = (all agree) or ≠."""
    return GLYPHS[c.state][0] if c.decided else ("=" if c.agreed else "≠")


def _state_look(c: Candidate | RelationCandidate, column: int, role: int) -> Any:
    """Colour, font and alignment of a candidate's row: decided ones grey, an open
    disagreement's state in the disagreement colour, the state bold and centred."""
    if role == Qt.ItemDataRole.ForegroundRole:
        if c.decided:
            return QColor("#8a8a8a")
        if column == STATE and not c.agreed:
            return DISAGREEMENT_COLOR
    if role == Qt.ItemDataRole.FontRole and column == STATE:
        font = QFont()
        font.setBold(True)
        return font
    if role == Qt.ItemDataRole.TextAlignmentRole and column == STATE:
        return int(Qt.AlignmentFlag.AlignCenter)
    return None
