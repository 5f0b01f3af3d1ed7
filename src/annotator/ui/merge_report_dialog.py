"""The report at the end of File > Merge Project: counts per kind, then every conflict."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.merge_records import MergeReport
from annotator.ui.plain import plain_label
from annotator.ui.wording import plural

HEADERS = ("Added", "Updated", "Already present", "Conflicts")


class MergeReportDialog(QDialog):
    """What a merge added, updated, found already present, and where the files disagreed."""

    def __init__(self, report: MergeReport, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Merge Finished")
        names = ", ".join(Path(name).name for name in report.sources)
        self.summary = plain_label(
            f"Merged {plural(len(report.sources), 'file')}: {names}. {report.deletions_line()}."
        )
        self.summary.setWordWrap(True)
        self.table = _counts_table(report)
        conflicts = report.conflicts()
        heading = QLabel(
            f"{plural(len(conflicts), 'conflict')} (this project's value kept unless stated):"
            if conflicts
            else "No conflicts: the files agree wherever they overlap."
        )
        self.conflicts = QPlainTextEdit(
            "\n".join(f"{Path(c.source).name}: {c.message}" for c in conflicts)
        )
        self.conflicts.setReadOnly(True)
        self.conflicts.setVisible(bool(conflicts))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (self.summary, self.table, heading, self.conflicts, buttons):
            layout.addWidget(widget)
        self.resize(640, 460 if conflicts else 320)


def _counts_table(report: MergeReport) -> QTableWidget:
    """One row per kind (documents, labels, ...), one column per count."""
    rows = report.rows()
    table = QTableWidget(len(rows), len(HEADERS))
    table.setHorizontalHeaderLabels(HEADERS)
    table.setVerticalHeaderLabels([kind.capitalize() for kind, *_ in rows])
    for r, (_kind, *counts) in enumerate(rows):
        for c, count in enumerate(counts):
            item = QTableWidgetItem(f"{count:,}")
            item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    height = table.horizontalHeader().sizeHint().height()
    height += sum(table.rowHeight(r) for r in range(len(rows))) + 2 * table.frameWidth()
    table.setFixedHeight(height)
    return table
