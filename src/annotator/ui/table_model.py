"""A flat Qt table over a Python list: one row per item, fixed column headers.

Subclasses set `columns`, keep their items in `self._rows`, and answer `_data(item, column,
role)`; they may allow editing a cell through `_editable(index)`. Every Qt override here logs
and swallows exceptions, since on Python 3.11 one escaping a virtual override can crash Qt.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QAbstractItemView

from annotator.ui.guard import qt_override

_Index = QModelIndex | QPersistentModelIndex
SELECTABLE = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


class RowTableModel(QAbstractTableModel):
    """The read side of a table whose rows are the items of `self._rows`."""

    columns: tuple[str, ...] = ()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[Any] = []

    @qt_override(0)
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    @qt_override(0)
    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    @qt_override()
    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self._data(self._rows[index.row()], index.column(), role)

    @qt_override()
    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[section] if 0 <= section < len(self.columns) else None

    @qt_override(Qt.ItemFlag.NoItemFlags)
    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        if self._editable(index):
            return SELECTABLE | Qt.ItemFlag.ItemIsEditable
        return SELECTABLE

    # -- for subclasses ------------------------------------------------------------------

    def _data(self, item: Any, column: int, role: int) -> Any:
        """What `data` shows for `item` in `column` under `role`."""
        raise NotImplementedError

    def _editable(self, index: _Index) -> bool:
        """Whether that (valid) cell may be edited; no cell by default."""
        return False

    def _rows_changed(self, first: int, last: int) -> None:
        """Tell views that every column of rows `first`..`last` has new data."""
        self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))


def select_row(view: QAbstractItemView, row: int | None) -> None:
    """Select and scroll to a whole row of `view` (None: clear its selection)."""
    selection = view.selectionModel()
    if row is None:
        selection.clearSelection()
        return
    index = view.model().index(row, 0)
    flags = (
        QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
    )
    selection.setCurrentIndex(index, flags)
    view.scrollTo(index)
