"""The open document's spans as a table: click to select, edit the label, Delete to remove."""

from __future__ import annotations

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import RemoveSpanCommand
from annotator.core.model import LabelKind, Span
from annotator.ui.column_fit import ColumnsGiveWay
from annotator.ui.guard import qt_override
from annotator.ui.span_model import ANNOTATOR, LABEL, RANGE, TEXT, SpanTableModel
from annotator.ui.table_model import select_row
from annotator.ui.workspace import Workspace

SPAN_TEXT_MIN = 100  # narrower than this, Annotator and then Start–End give way to the text
DELETE_KEYS = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_Index = QModelIndex | QPersistentModelIndex


class LabelComboDelegate(QStyledItemDelegate):
    """Edits the Label column with a combo box of the workspace's span labels."""

    def __init__(self, workspace: Workspace, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace

    @qt_override()
    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: _Index
    ) -> QWidget | None:
        combo = QComboBox(parent)
        for label in self.workspace.labels:
            if label.kind == LabelKind.SPAN:
                combo.addItem(label.name)
        return combo

    @qt_override()
    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole) or ""))

    @qt_override()
    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentText(), Qt.ItemDataRole.EditRole)


class SpanListPanel(QWidget):
    """The workspace annotator's spans in the open document; follows the workspace selection."""

    span_activated = Signal(object)  # Span

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = SpanTableModel(workspace, self)
        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.delegate = LabelComboDelegate(workspace, self.view)
        self.view.setItemDelegateForColumn(LABEL, self.delegate)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.SelectedClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        for column in range(1, self.model.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.columns = ColumnsGiveWay(
            self.view, kept=(LABEL,), optional=(RANGE, ANNOTATOR), main_min=SPAN_TEXT_MIN
        )
        self.view.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)

        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_clicked)
        workspace.span_selected.connect(self._on_workspace_span_selected)
        self.model.modelReset.connect(self._on_model_reset)

    # -- public --------------------------------------------------------------------------

    def current_span(self) -> Span | None:
        """The span of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.span_at(rows[0].row()) if rows else None

    def remove_selected(self) -> bool:
        """Remove the selected span through an undoable command; False when none or refused."""
        span = self.current_span()
        if span is None:
            return False
        return self.workspace.execute(RemoveSpanCommand(span.id))

    # -- internals -----------------------------------------------------------------------

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent):
            is_delete = event.key() in DELETE_KEYS and not event.modifiers()
            if is_delete and self.current_span() is not None:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # the view handles Delete, not the window's action
                    return False
                if event.type() == QEvent.Type.KeyPress:
                    self.remove_selected()
                    return True
        return super().eventFilter(watched, event)

    def _on_view_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        span = self.model.span_at(index.row())
        self.workspace.select_span(span)
        self.span_activated.emit(span)

    def _on_workspace_span_selected(self, span: Span | None) -> None:
        row = None if span is None else self.model.row_of(span.id)
        select_row(self.view, row)

    def _on_model_reset(self) -> None:
        span = self.workspace.selected_span
        if span is not None:
            self._on_workspace_span_selected(span)
