"""ColumnsGiveWay fits columns to the rows in view (not to a thousand rows, each asking the model
for every cell on the GUI thread) and refits them when other rows scroll into view."""

from __future__ import annotations

from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QHeaderView, QTableView

from annotator.ui.column_fit import ColumnsGiveWay

ROWS = 500
LONG = "A LABEL NAME FAR LONGER THAN THE OTHERS"


def test_a_column_fits_the_rows_in_view_and_refits_when_scrolled(qtbot):
    model = QStandardItemModel(0, 2)
    for row in range(ROWS):
        label = LONG if row == ROWS - 1 else "ACTOR"
        model.appendRow([QStandardItem(f"span {row}"), QStandardItem(label)])
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    columns = ColumnsGiveWay(view, kept=(1,), optional=(), main_min=50)
    view.resize(700, 300)
    view.show()
    qtbot.waitExposed(view)
    columns.fit()
    long_width = view.fontMetrics().horizontalAdvance(LONG)
    assert view.columnWidth(1) < long_width  # the long label is far out of view
    view.scrollToBottom()
    qtbot.waitUntil(lambda: view.columnWidth(1) >= long_width)
