"""The document navigator: filters (status, label, search) over a sortable, lazy document table."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.model import Document, LabelKind, Status
from annotator.core.project import DocumentFilter
from annotator.core.storage.repo import UNCERTAIN
from annotator.ui.column_fit import ColumnsGiveWay
from annotator.ui.document_model import (
    COLUMNS,
    DATE,
    DONE_BY,
    ID_ROLE,
    LENGTH,
    SOURCE,
    SPANS,
    STATUS,
    STATUS_TEXT,
    DocumentTableModel,
)
from annotator.ui.guard import qt_override
from annotator.ui.workspace import Workspace

SEARCH_DELAY_MS = 250
COMBO_MIN_CHARS = 4
TITLE_MIN = 150  # narrower than this, Length, Done by, Source, then Spans give way
TITLE_FLOOR = 70  # ... and the title elides down to this before Date gives way too
UNCERTAIN_TEXT = "Most uncertain first"
UNCERTAIN_TIP = (
    "Documents not done, those whose pending suggestions are least sure (scores nearest 0.5) "
    "first: deciding them teaches the project model most; documents without suggestions and "
    "done ones last"
)
SHRINKABLE = QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon


class NavigatorPanel(QWidget):
    """Lists the project's documents for the workspace annotator; put it in a dock."""

    document_activated = Signal(int)

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._current: int | None = None
        self.model = DocumentTableModel(workspace, self)

        self.status_combo = QComboBox(self)
        self.status_combo.addItem("Any status", None)
        for status, text in STATUS_TEXT.items():
            self.status_combo.addItem(text, status.value)
        self.status_combo.addItem(UNCERTAIN_TEXT, UNCERTAIN)
        self.status_combo.setItemData(
            self.status_combo.count() - 1, UNCERTAIN_TIP, Qt.ItemDataRole.ToolTipRole
        )
        self.label_combo = QComboBox(self)
        for combo in (self.status_combo, self.label_combo):  # the dock may be narrow
            combo.setSizeAdjustPolicy(SHRINKABLE)
            combo.setMinimumContentsLength(COMBO_MIN_CHARS)
        self.search_edit = QLineEdit(self)
        self.search_edit.setPlaceholderText("Search titles, text, sources and dates…")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.installEventFilter(self)
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._fill_labels()

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)  # id order until a click
        self.view.setSortingEnabled(True)
        optional = (SPANS, SOURCE, DONE_BY, LENGTH)  # the last gives way first
        self.columns = ColumnsGiveWay(
            self.view,
            kept=(STATUS,),
            optional=optional,
            main_min=TITLE_MIN,
            held=(DATE,),
            main_floor=TITLE_FLOOR,
        )

        filters = QHBoxLayout()
        filters.addWidget(self.status_combo)
        filters.addWidget(self.label_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.search_edit)
        layout.addWidget(self.view)

        self.status_combo.currentIndexChanged.connect(self._on_status_combo_changed)
        self.label_combo.currentIndexChanged.connect(self._on_label_combo_changed)
        self.search_edit.textEdited.connect(self._on_search_edit_edited)
        self.search_timer.timeout.connect(self._on_search_timer_timeout)
        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_clicked)
        self.model.modelReset.connect(self._on_model_reset)
        header.sortIndicatorChanged.connect(self._on_header_sorted)
        workspace.labels_changed.connect(self._on_workspace_labels_changed)
        workspace.document_opened.connect(self._on_workspace_document_opened)

    # -- public --------------------------------------------------------------------------

    @property
    def current_document(self) -> int | None:
        """The id of the document the panel marks as current."""
        return self._current

    def show_document(self, doc_id: int | None) -> None:
        """Select and scroll to the document's row, without emitting document_activated."""
        self._current = doc_id
        row = self.model.row_of(doc_id)
        if row is None:
            self.view.clearSelection()
            return
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)

    def next_document(self) -> int | None:
        """Open the next document of the list; returns its id, or None at the end."""
        return self._move(1)

    def previous_document(self) -> int | None:
        """Open the previous document of the list; returns its id, or None at the start."""
        return self._move(-1)

    def next_unfinished(self) -> int | None:
        """Open the next document still to do or in progress (wrapping); its id, or None."""
        return self._activate(self.model.next_unfinished(self._current))

    def refresh(self) -> None:
        """Re-read the list (after an import or an annotator change), keeping filters and order."""
        self.apply_filter()

    def apply_filter(self) -> None:
        """Read the filter widgets into the model now (the search box waits for typing to stop)."""
        self.search_timer.stop()
        status = self.status_combo.currentData()
        if status == UNCERTAIN:
            self._order_by_uncertainty()
            status = None
        elif self.model.order[0] == UNCERTAIN:
            self.model.set_order("id")
        self.model.set_filter(
            DocumentFilter(
                status=None if status is None else Status(status),
                label=self.label_combo.currentData(),
                search=self.search_edit.text().strip() or None,
            )
        )

    # -- internals -----------------------------------------------------------------------

    def _order_by_uncertainty(self) -> None:
        """Sort by UNCERTAIN (no column's indicator); the model reloads with the filter."""
        header = self.view.horizontalHeader()
        header.blockSignals(True)
        header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
        header.blockSignals(False)
        self.model.set_order(UNCERTAIN)

    def _on_header_sorted(self, _column: int, _order: Qt.SortOrder) -> None:
        """A column header click replaces the uncertainty order: the combo says so."""
        if self.status_combo.currentData() == UNCERTAIN:
            self.status_combo.blockSignals(True)
            self.status_combo.setCurrentIndex(0)
            self.status_combo.blockSignals(False)

    def _move(self, step: int) -> int | None:
        if self.model.row_of(self._current) is None:
            if self.model.rowCount() == 0 and self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())
            target = self.model.summary(0).id if self.model.rowCount() else None
        else:
            target = self.model.neighbour(self._current, step)
        return self._activate(target)

    def _activate(self, doc_id: int | None) -> int | None:
        if doc_id is not None:
            self.show_document(doc_id)
            self.document_activated.emit(doc_id)
        return doc_id

    def _fill_labels(self) -> None:
        chosen = self.label_combo.currentData()
        self.label_combo.blockSignals(True)
        self.label_combo.clear()
        self.label_combo.addItem("Any label", None)
        for label in self.workspace.labels:
            if label.kind == LabelKind.SPAN:
                self.label_combo.addItem(label.name, label.name)
        found = self.label_combo.findData(chosen)
        self.label_combo.setCurrentIndex(max(found, 0))
        self.label_combo.blockSignals(False)

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.search_edit and self._is_escape(event) and self.search_edit.text():
            if event.type() == QEvent.Type.ShortcutOverride:
                event.accept()  # Esc clears the search before any window shortcut
                return False
            if event.type() == QEvent.Type.KeyPress:
                self.search_edit.clear()
                self.apply_filter()
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _is_escape(event: QEvent) -> bool:
        kinds = (QEvent.Type.KeyPress, QEvent.Type.ShortcutOverride)
        return (
            event.type() in kinds
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
        )

    def _on_status_combo_changed(self, _index: int) -> None:
        self.apply_filter()

    def _on_label_combo_changed(self, _index: int) -> None:
        self.apply_filter()

    def _on_search_edit_edited(self, _text: str) -> None:
        self.search_timer.start()

    def _on_search_timer_timeout(self) -> None:
        self.apply_filter()

    def _on_view_clicked(self, index: QModelIndex) -> None:
        doc_id = index.data(ID_ROLE)
        if doc_id is not None and doc_id != self._current:
            self._current = doc_id
            self.document_activated.emit(doc_id)

    def _on_model_reset(self) -> None:
        # Keep the current document highlighted if it is among the first page (no extra fetch).
        if self.model.rowCount() == 0 and self.model.canFetchMore(QModelIndex()):
            self.model.fetchMore(QModelIndex())
        row = self.model.row_of(self._current, fetch=False)
        if row is not None:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _on_workspace_labels_changed(self) -> None:
        self._fill_labels()
        if self.model.filter.label != self.label_combo.currentData():
            self.apply_filter()  # the filtered label was renamed or removed

    def _on_workspace_document_opened(self, document: Document | None) -> None:
        self.show_document(None if document is None else document.id)
