"""The open document's relations as a table (type, head text, tail text), in the text order of
their heads: clicking one (or moving to it with the arrow keys) selects it, and the article
highlights and shows it; Delete removes it."""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDockWidget,
    QHeaderView,
    QMenu,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from annotator.core.commands import RemoveRelationCommand
from annotator.core.model import Relation
from annotator.core.open_document import BURST_ROWS, RelationChange, same_relation
from annotator.ui.guard import qt_override
from annotator.ui.span_list import DELETE_KEYS
from annotator.ui.span_model import display_text
from annotator.ui.table_model import RowTableModel, select_row
from annotator.ui.workspace import Workspace

COLUMNS = ("Type", "Head", "Tail")
TYPE, HEAD, TAIL = range(3)


class RelationTableModel(RowTableModel):
    """The workspace's relations in the open document, read again from it on every change."""

    columns = COLUMNS

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._rows: list[Relation] = []
        self._keys: list[tuple[int, int, int, int]] = []  # each row's place, sorted
        workspace.relations_changed.connect(self.refresh)
        workspace.relation_types_changed.connect(self.reset)
        workspace.document_opened.connect(self.reset)
        self.reset()

    def reset(self, *_args) -> None:
        """List the open document's relations anew."""
        self.beginResetModel()
        rows = sorted((self._place(r), r) for r in self.workspace.relations.values())
        self._keys = [key for key, _ in rows]
        self._rows = [relation for _, relation in rows]
        self.endResetModel()

    def refresh(self, change: RelationChange | None = None) -> None:
        """Follow the open document's relations: rows removed and inserted one by one when
        few changed, else listed anew. With a `change`, only the relations it names are looked
        at; without, every row is compared with the workspace's relations."""
        if change is None:
            now, shown = self.workspace.relations, {r.id: r for r in self._rows}
            gone = [i for i, r in shown.items() if not same_relation(now.get(i), r)]
            came = [r for i, r in now.items() if not same_relation(shown.get(i), r)]
        else:
            came, gone = [], list(change.gone)
            for relation in change.came:
                row = self.row_of(relation.id)
                if row is None or not same_relation(self._rows[row], relation):
                    came.append(relation)
                    if row is not None:
                        gone.append(relation.id)  # a new value: its old row goes
        if len(gone) + len(came) > BURST_ROWS:
            self.reset()
            return
        for relation_id in gone:
            row = self.row_of(relation_id)
            if row is None:  # not listed (a change may name one the list never had)
                continue
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._keys[row], self._rows[row]
            self.endRemoveRows()
        for relation in came:
            key = self._place(relation)
            row = bisect_left(self._keys, key)
            self.beginInsertRows(QModelIndex(), row, row)
            self._keys.insert(row, key)
            self._rows.insert(row, relation)
            self.endInsertRows()

    def _place(self, relation: Relation) -> tuple[int, int, int, int]:
        """Where a relation is listed: its head's place in the text, then its tail's."""
        layer = self.workspace.layer
        head, tail = layer.get(relation.head), layer.get(relation.tail)
        return (head.start if head else -1, tail.start if tail else -1, relation.head, relation.id)

    def relation_at(self, row: int) -> Relation:
        """The relation shown in that row."""
        return self._rows[row]

    def row_of(self, relation_id: int) -> int | None:
        """The row showing that relation, if it is listed."""
        return next((n for n, r in enumerate(self._rows) if r.id == relation_id), None)

    def _data(self, item: Relation, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            if column == TYPE:
                return item.type
            return span_text(self.workspace, item.head if column == HEAD else item.tail)
        if role == Qt.ItemDataRole.ForegroundRole and column == TYPE:
            kind = next((t for t in self.workspace.relation_types if t.name == item.type), None)
            return QColor(kind.color) if kind is not None else None
        return None


def span_text(workspace: Workspace, span_id: int) -> str:
    """The words of a span of the open layer, on one line ("?" when it is not there)."""
    span, document = workspace.layer.get(span_id), workspace.document
    if span is None or document is None:
        return "?"
    return display_text(document.text[span.start : span.end])


class RelationListPanel(QWidget):
    """The relations of the open document; follows and sets the workspace's selected relation."""

    relation_activated = Signal(object)  # Relation

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.model = RelationTableModel(workspace, self)
        self.view = QTableView(self)
        self.view.setObjectName("relation_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().hide()
        header = self.view.horizontalHeader()
        header.setSectionResizeMode(TYPE, QHeaderView.ResizeMode.Interactive)
        self._fit_type_column()
        workspace.relation_types_changed.connect(self._fit_type_column)
        for column in (HEAD, TAIL):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.view.installEventFilter(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.view)
        self.view.clicked.connect(self._on_view_clicked)
        self.view.activated.connect(self._on_view_clicked)
        self.view.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        workspace.relation_selected.connect(self._on_workspace_relation_selected)
        self.model.modelReset.connect(self._on_model_reset)

    def _fit_type_column(self) -> None:
        """The Type column as wide as the longest type name (measured once per schema change,
        not per row: a document may hold thousands of relations)."""
        metrics = self.view.fontMetrics()
        names = [t.name for t in self.workspace.relation_types] or ["Type"]
        self.view.setColumnWidth(TYPE, max(metrics.horizontalAdvance(n) for n in names) + 16)

    def current_relation(self) -> Relation | None:
        """The relation of the selected row, if any."""
        rows = self.view.selectionModel().selectedRows()
        return self.model.relation_at(rows[0].row()) if rows else None

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.view and isinstance(event, QKeyEvent):
            relation = self.current_relation()
            if event.key() in DELETE_KEYS and not event.modifiers() and relation is not None:
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.accept()  # the table removes its relation, not the window's action
                    return False
                if event.type() == QEvent.Type.KeyPress:
                    self.workspace.execute(RemoveRelationCommand(relation.id))
                    return True
        return super().eventFilter(watched, event)

    def _on_view_clicked(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        relation = self.model.relation_at(index.row())
        self.workspace.select_relation(relation)
        self.relation_activated.emit(relation)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The arrow keys in the table select and show the relation of the new row."""
        if self.view.hasFocus() and current.isValid():
            self._on_view_clicked(current)

    def _on_workspace_relation_selected(self, relation: Relation | None) -> None:
        row = None if relation is None else self.model.row_of(relation.id)
        select_row(self.view, row)

    def _on_model_reset(self) -> None:
        self._on_workspace_relation_selected(self.workspace.selected_relation)


def offer_dock(dock: QDockWidget, text: str, menu: QMenu) -> None:
    """An item of `menu` that shows or hides `dock`, bringing it in front of the tab it shares
    when the user shows it."""
    menu.addSeparator()
    toggle = dock.toggleViewAction()
    toggle.setText(text)
    toggle.setObjectName("view." + dock.objectName().removesuffix("_dock"))
    toggle.triggered.connect(lambda shown: shown and QTimer.singleShot(0, dock.raise_))
    menu.addAction(toggle)
