"""The open document's spans (the workspace annotator's layer) as a table, updated in place.

The rows are the workspace's open document (`core.open_document`), in (start, end, id) order;
this model only translates its row reports into Qt's begin/end calls (a burst of more than
`BURST_ROWS` spans arrives as one reset). A span becomes a Python object only when its row is
shown, so a layer of 200,000 spans lists as fast as a short one.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.commands import RelabelSpanCommand
from annotator.core.intervals import SpanIndex
from annotator.core.model import Span
from annotator.core.open_document import OpenDocumentListener
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


class SpanTableModel(RowTableModel):
    """Spans of `workspace.document` by `workspace.annotator`, in text order; Label is editable."""

    columns = COLUMNS

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._rows: SpanIndex = workspace.opened.spans
        workspace.opened.listeners.append(_RowReports(self))

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
        span = self.span_at(index.row())
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

    def _take_rows(self) -> None:
        """Show the open document's spans as they are now (after a reset or a re-read)."""
        self._rows = self.workspace.opened.spans


class _RowReports(OpenDocumentListener):
    """Turns the open document's row reports into a Qt model's begin/end calls."""

    def __init__(self, model: SpanTableModel) -> None:
        self._model = model

    def inserting(self, row: int) -> None:
        self._model.beginInsertRows(QModelIndex(), row, row)

    def inserted(self, row: int) -> None:
        self._model.endInsertRows()

    def removing(self, row: int) -> None:
        self._model.beginRemoveRows(QModelIndex(), row, row)

    def removed(self, row: int) -> None:
        self._model.endRemoveRows()

    def moving(self, old: int, new: int) -> None:
        destination = new + 1 if new > old else new  # Qt counts the row before which it lands
        self._model.beginMoveRows(QModelIndex(), old, old, QModelIndex(), destination)

    def moved(self, old: int, new: int) -> None:
        self._model.endMoveRows()

    def changed(self, first: int, last: int) -> None:
        self._model._take_rows()  # the same spans, perhaps read again
        self._model._rows_changed(first, last)

    def resetting(self) -> None:
        self._model.beginResetModel()

    def reset(self) -> None:
        self._model._take_rows()
        self._model.endResetModel()
