"""The open document's spans (the workspace annotator's layer) as a table, updated in place."""

from __future__ import annotations

import bisect
import logging
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from annotator.core.commands import RelabelSpanCommand
from annotator.core.model import Changes, Document, Span
from annotator.ui.plain import plain_tip
from annotator.ui.table_model import RowTableModel
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

COLUMNS = ("Text", "Label", "Annotator", "Start–End")
TEXT, LABEL, ANNOTATOR, RANGE = range(4)
MAX_TEXT = 80
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 1
_Index = QModelIndex | QPersistentModelIndex


def display_text(text: str) -> str:
    """A span's text on one line: newlines as ⏎, cut to MAX_TEXT characters with an ellipsis."""
    flat = text.replace("\r\n", "⏎").replace("\n", "⏎").replace("\r", "⏎")
    return flat if len(flat) <= MAX_TEXT else flat[: MAX_TEXT - 1] + "…"


def _key(span: Span) -> tuple[int, int, int]:
    return span.start, span.end, span.id


class SpanTableModel(RowTableModel):
    """Spans of `workspace.document` by `workspace.annotator`, in text order; Label is editable."""

    columns = COLUMNS

    def __init__(self, workspace: Workspace, parent: Any = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._rows: list[Span] = workspace.spans()
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    # -- public --------------------------------------------------------------------------

    def span_at(self, row: int) -> Span:
        """The span shown in that row."""
        return self._rows[row]

    def row_of(self, span_id: int) -> int | None:
        """The row showing that span, if it is listed."""
        return next((row for row, span in enumerate(self._rows) if span.id == span_id), None)

    # -- Qt overrides --------------------------------------------------------------------

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        try:
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
        except Exception:
            log.exception("setData failed")
            return False

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
        self._rows = self.workspace.spans()
        self.endResetModel()

    def _remove(self, span_id: int) -> None:
        row = self.row_of(span_id)
        if row is not None:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def _insert(self, span: Span) -> None:
        row = bisect.bisect_left([_key(s) for s in self._rows], _key(span))
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, span)
        self.endInsertRows()

    def _update(self, span: Span) -> None:
        old = self.row_of(span.id)
        if old is None:
            return
        rest = self._rows[:old] + self._rows[old + 1 :]
        new = bisect.bisect_left([_key(s) for s in rest], _key(span))
        if new != old:  # resized past a neighbour: move the row, keeping selections
            destination = new + 1 if new > old else new
            self.beginMoveRows(QModelIndex(), old, old, QModelIndex(), destination)
            self._rows = [*rest[:new], span, *rest[new:]]
            self.endMoveRows()
        else:
            self._rows[old] = span
        self._rows_changed(new, new)

    def _on_workspace_document_opened(self, _document: Document | None) -> None:
        self._reset()

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        document = self.workspace.document
        if document is None:
            return
        for span_id in changes.spans_removed:
            self._remove(span_id)
        if document.id in changes.documents and (changes.spans_added or changes.spans_updated):
            fresh = {span.id: span for span in self.workspace.spans()}  # one query for all
            for span_id in changes.spans_updated:
                if span_id in fresh:
                    self._update(fresh[span_id])
            for span_id in changes.spans_added:
                if span_id in fresh and self.row_of(span_id) is None:
                    self._insert(fresh[span_id])
        if changes.labels:
            self._on_labels_changed()

    def _on_labels_changed(self) -> None:
        """Names and colours may have changed: re-read the spans, in place when rows match."""
        fresh = self.workspace.spans()
        if [s.id for s in fresh] != [s.id for s in self._rows]:
            self._reset()
        elif fresh:
            self._rows = fresh
            self._rows_changed(0, len(fresh) - 1)
