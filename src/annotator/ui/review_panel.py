"""The Review dock: who is compared, adjudication progress, the span candidates, the relation
candidates (shown when there are some), the decisions."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.adjudication import DocumentReview, Key
from annotator.core.relation_keys import RelationKey
from annotator.ui.column_fit import ColumnsGiveWay
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_label
from annotator.ui.review_model import (
    KEY_ROLE,
    LABEL,
    STATE,
    TEXT,
    WHO,
    ReviewCandidateModel,
    ReviewRelationModel,
)
from annotator.ui.table_model import RowTableModel

MIN_ROWS = 6  # the candidate list never shrinks below this many rows
MIN_RELATION_ROWS = 3
CANDIDATE_TEXT_MIN = 80  # narrower than this, "Marked by" gives way to the candidate's text
BUTTONS = (  # action, short caption (the menu and the tooltip keep the full name), place
    ("review.accept", "Accept", 0, 0),
    ("review.reject", "Reject", 0, 1),
    ("review.previous", "Previous", 1, 0),
    ("review.next", "Next", 1, 1),
    ("review.accept_agreed", "Accept Agreed", 2, 0),
    ("review.leave", "Leave", 2, 1),
)


class ReviewPanel(QWidget):
    """Shows a DocumentReview; a click on a row asks for that candidate to become current."""

    candidate_chosen = Signal(object)  # Key
    relation_chosen = Signal(object)  # RelationKey

    def __init__(self, actions: Mapping[str, QAction], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("review_panel")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        self.header = QLabel(self)
        self.header.setTextFormat(Qt.TextFormat.RichText)  # names are escaped in show_review
        self.header.setWordWrap(True)
        self.progress = plain_label(parent=self)
        self.progress.setObjectName("review_progress")
        self.progress.setWordWrap(True)
        self.model = ReviewCandidateModel(self)
        self.table = self._candidate_table(self.model, "review_candidates")
        self.columns = ColumnsGiveWay(
            self.table, kept=(STATE, LABEL), optional=(WHO,), main_min=CANDIDATE_TEXT_MIN
        )
        self.table.clicked.connect(self._on_table_clicked)
        self.relations_caption = plain_label("Relations", self)
        self.relation_model = ReviewRelationModel(self)
        self.relation_table = self._candidate_table(self.relation_model, "review_relations")
        self.relation_columns = ColumnsGiveWay(
            self.relation_table, kept=(STATE, LABEL), optional=(WHO,), main_min=CANDIDATE_TEXT_MIN
        )
        self.relation_table.clicked.connect(self._on_relation_table_clicked)
        grid = QGridLayout()
        for action_id, caption, row, column in BUTTONS:
            actions[action_id].setIconText(caption)  # a tool button shows the icon text
            button = QToolButton(self)
            button.setDefaultAction(actions[action_id])
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            grid.addWidget(button, row, column)
        layout.addWidget(self.header)
        layout.addWidget(self.progress)
        layout.addWidget(self.table, 2)
        layout.addWidget(self.relations_caption)
        layout.addWidget(self.relation_table, 1)
        layout.addLayout(grid)
        self._show_relations(False)

    def _candidate_table(self, model: RowTableModel, name: str) -> QTableView:
        """A one-row-selection table of candidates whose text column takes the width."""
        table = QTableView(self)
        table.setObjectName(name)
        table.setModel(model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        table.setWordWrap(False)
        table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        header = table.horizontalHeader()
        for column in (STATE, LABEL, WHO):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        return table

    def _show_relations(self, shown: bool) -> None:
        self.relations_caption.setVisible(shown)
        self.relation_table.setVisible(shown)

    @qt_override()
    def showEvent(self, event) -> None:
        """Keep MIN_ROWS rows of the list in view under the header (their heights are known
        once the panel is polished); the columns fit the width, so there is no scroll bar."""
        super().showEvent(event)
        for table, count in ((self.table, MIN_ROWS), (self.relation_table, MIN_RELATION_ROWS)):
            rows = count * table.verticalHeader().defaultSectionSize()
            header = table.horizontalHeader().sizeHint().height()
            table.setMinimumHeight(header + rows + 2 * table.frameWidth())

    def show_review(self, review: DocumentReview | None, text: str, gold: str) -> None:
        """List the candidates of a document (None: no document open); the relation list shows
        when it has candidates."""
        self.model.show_review(review, text)
        self.relation_model.show_review(review, text)
        self._show_relations(bool(review and review.relations))
        names = escape(" · ".join(review.annotators) if review else "")
        self.header.setText(f"Comparing <b>{names}</b> → gold layer <b>{escape(gold)}</b>")

    def set_progress(self, text: str) -> None:
        self.progress.setText(text)

    def select(self, key: Key | None, relation: RelationKey | None = None) -> None:
        """Highlight the row of the current span or relation candidate (no row when None)."""
        _select(self.table, self.model.index_of(key))
        _select(self.relation_table, self.relation_model.index_of(relation))

    def _on_table_clicked(self, index: QModelIndex) -> None:
        self.candidate_chosen.emit(index.data(KEY_ROLE))

    def _on_relation_table_clicked(self, index: QModelIndex) -> None:
        self.relation_chosen.emit(index.data(KEY_ROLE))


def _select(table: QTableView, index: QModelIndex) -> None:
    """Select the row of `index` and scroll to it; clear the selection when it is invalid."""
    selection = table.selectionModel()
    if not index.isValid():
        selection.clearSelection()
        return
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(index, flags)
    table.scrollTo(index)
