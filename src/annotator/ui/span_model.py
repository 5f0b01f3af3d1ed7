"""The open document's spans (the workspace annotator's layer) as a table, updated in place.

The rows are a copy of the workspace's layer index, in (start, end, id) order: finding, adding
and removing a row is a binary search, and a span becomes a Python object only when its row is
shown, so a layer of 200,000 spans lists as fast as a short one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.commands import RelabelSpanCommand
from annotator.core.intervals import SpanIndex
from annotator.core.model import Changes, Document, Span
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_tip
from annotator.ui.table_model import RowTableModel
from annotator.ui.workspace import Workspace

COLUMNS = ("Text", "Label", "Annotator", "Start–End")
TEXT, LABEL, ANNOTATOR, RANGE = range(4)
MAX_TEXT = 80
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def display_text(text: str) -> str:
    """A span's text on one line: newlines as ⏎, cut to MAX_TEXT characters with an ellipsis."""
    flat = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 1] + "…"


BULK_ROWS = 50
"""Above this many rows touched by one change (Accept All, its undo) the table is reset
instead of updated row by row."""


class SpanTableModel(RowTableModel):
    """Spans of `workspace.document` by `workspace.annotator`, in text order; Label is editable."""

    columns = COLUMNS

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._rows: SpanIndex = workspace.layer.copy()
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    # -- public --------------------------------------------------------------------------

    def span_at(self, row: int) -> Span:
        """The span shown in that row."""
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        """The row showing that span, if it is listed."""
        return self._rows.position(span_id)

    # -- Qt overrides --------------------------------------------------------------------

    @qt_override(False)
    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid() or index.column() != LABEL:
            return False
        span = self._rows[index.row()]
        if not isinstance(value, str) or value == span.label:
            return False
        if self.workspace.label(value) is None:
            self.workspace.error_raised.emit(f"There is no label named {value!r}.")
            return False
        # The row is refreshed by changes_applied, which execute emits.
        return self.workspace.execute(RelabelSpanCommand(span.id, label=value))

    # -- internals -----------------------------------------------------------------------

    def _editable(self, index: _Index) -> bool:
        return index.column() == LABEL and not self.workspace.read_only

    def _data(self, span: Span, column: int, role: int) -> Any:
        if role == SPAN_ID_ROLE:
            return span.id
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.EditRole):
            if column == TEXT:
                return display_text(self._text_of(span))
            if column == LABEL:
                return span.label
            if column == ANNOTATOR:
                return span.annotator
            return f"{span.start}–{span.end}"
        if role == Qt.ItemDataRole.DecorationRole and column == LABEL:
            label = self.workspace.label(span.label)
            return QColor(label.color) if label is not None else None
        if role == Qt.ItemDataRole.ToolTipRole and column == TEXT:
            return plain_tip(self._text_of(span))
        if role == Qt.ItemDataRole.ToolTipRole and column == LABEL and span.note:
            return plain_tip(span.note)
        return None

    def _text_of(self, span: Span) -> str:
        document = self.workspace.document
        if document is None or document.id != span.document_id:
            return ""
        return document.text[span.start : span.end]

    def _reset(self) -> None:
        self.beginResetModel()
        self._rows = self.workspace.layer.copy()
        self.endResetModel()

    def _remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            self._rows.remove(span_id)
            self.endRemoveRows()

    def _insert(self, span: Span) -> None:
        row = self._rows.insertion_point(span)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.add(span)
        self.endInsertRows()

    def _update(self, span: Span) -> None:
        old = self.row_of(span.id)
        if old is None:
            return
        new = self._rows.insertion_point(span)  # counted with the old row still in place
        if new > old:
            new -= 1
        if new != old:  # resized past a neighbour: move the row, keeping selections
            destination = new + 1 if new > old else new
            self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), destination)
            self._rows.add(span)
            self.endMoveRows()
        else:
            self._rows.add(span)
        self._rows_changed(new, new)

    def _on_workspace_document_opened(self, _document: Document | None) -> None:
        self._reset()

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        document = self.workspace.document
        if document is None:
            return
        if changes.labels:
            self._on_labels_changed()
            return
        touched = len(changes.spans_added) + len(changes.spans_removed)
        if touched + len(changes.spans_updated) > BULK_ROWS:
            self._reset()  # row by row, each insert re-fits the columns: quadratic
            return
        for span_id in changes.spans_removed:
            self._remove(span_id)
        if document.id in changes.documents:
            layer = self.workspace.layer  # already holds the change
            for span_id in changes.spans_updated:
                span = layer.get(span_id)
                if span is None:
                    self._remove(span_id)
                else:
                    self._update(span)
            for span_id in changes.spans_added:
                span = layer.get(span_id)
                if span is not None and self.row_of(span_id) is None:
                    self._insert(span)

    def _on_labels_changed(self) -> None:
        """Names and colours may have changed: take the re-read layer, in place when the rows
        are the same spans."""
        fresh = self.workspace.layer
        if not fresh.same_order(self._rows):
            self._reset()
        elif len(fresh):
            self._rows = fresh.copy()
            self._rows_changed(0, len(fresh) - 1)
