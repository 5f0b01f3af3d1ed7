"""Review → Agreement: choose annotators, compute agreement in a worker, show tables and charts.

The task body is core.agreement_project.agreement_task (its own Project). Double-clicking a
document in the lowest-agreement list asks the main window to open it (`document_requested`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.agreement import AgreementReport
from annotator.core.agreement_project import agreement_task
from annotator.core.errors import Cancelled
from annotator.ui.charts import CountHeatmap, ScoreBars
from annotator.ui.error_dialog import show_error
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_label
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

PAIR_COLUMNS = ("First", "Second", "Exact P", "Exact R", "Exact F1")
PAIR_COLUMNS += ("Overlap P", "Overlap R", "Overlap F1", "Token κ")
LABEL_COLUMNS = ("Label", "Exact F1", "Overlap F1", "Matched", "Unmatched")
DOCUMENT_COLUMNS = ("Id", "Title", "Overlap F1", "Token κ", "Spans")
RELATION_COLUMNS = ("Relation type", "P", "R", "F1", "Matched", "Unmatched")
RELATIONS_CAPTION = (
    "Relations match when their types are equal and so are both spans' labels and extents (a "
    "symmetric type's spans in either order); summed over every pair of annotators, the first "
    "of a pair being the reference."
)
EXPLANATION = (
    "Compares the chosen annotators on the documents all of them marked done. Exact: same "
    "label and extent; overlap: same label, sharing text, one to one. κ (Cohen) and α "
    "(Krippendorff, nominal) are over tokens, unmarked ones counting as “O”."
)
CONFUSION_CAPTION = (
    "Each token counted once per ordered pair of annotators: the row is one annotator's label, "
    "the column the other's, “none” where one of them marked nothing. Grey: agreement; the "
    "darker the orange, the more often the two labels were confused."
)
TOO_FEW = "Tick at least two annotators to compare them."
LOWEST = 50
"""Documents listed, lowest agreement first."""


def _score(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


class AgreementDialog(QDialog):
    """The agreement dashboard: annotator checklist, Compute, and the report in tabs."""

    document_requested = Signal(int)

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Agreement")
        self._workspace, self._runner = workspace, runner
        self.handle: TaskHandle | None = None
        self.report: AgreementReport | None = None
        self.annotator_list = QListWidget(self)
        for a in workspace.project.annotators():
            item = QListWidgetItem(f"{a.name} (gold)" if a.is_gold else a.name, self.annotator_list)
            item.setData(Qt.ItemDataRole.UserRole, a.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = Qt.CheckState.Unchecked if a.is_gold else Qt.CheckState.Checked
            item.setCheckState(checked)
        self.annotator_list.setMaximumWidth(200)
        self.compute_button = QPushButton("&Compute", self)
        self.compute_button.setDefault(True)
        self.summary = plain_label(EXPLANATION, self)
        self.summary.setWordWrap(True)
        self.pairs_table = _table(PAIR_COLUMNS, self)
        self.labels_table = _table(LABEL_COLUMNS, self)
        self.documents_table = _table(DOCUMENT_COLUMNS, self)
        self.relations_table = _table(RELATION_COLUMNS, self)
        self.documents_table.horizontalHeader().setSectionResizeMode(
            1, QHeaderView.ResizeMode.Stretch
        )
        self.documents_table.setToolTip("Lowest agreement first; double-click to open")
        self.bars = ScoreBars(self)
        self.heatmap = CountHeatmap(self)
        self.tabs = self._tabs()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        self.compute_button.clicked.connect(self.compute)
        self.annotator_list.itemChanged.connect(self._on_annotator_list_item_changed)
        self.documents_table.cellDoubleClicked.connect(self._on_documents_table_double_clicked)
        side = QVBoxLayout()
        side.addWidget(QLabel("&Annotators:", self, buddy=self.annotator_list))
        side.addWidget(self.annotator_list, 1)
        side.addWidget(self.compute_button)
        top = QHBoxLayout()
        top.addLayout(side)
        main = QVBoxLayout()
        main.addWidget(self.summary)
        main.addWidget(self.tabs, 1)
        top.addLayout(main, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(buttons)
        self._on_annotator_list_item_changed()
        self.resize(900, 560)

    def _tabs(self) -> QTabWidget:
        tabs = QTabWidget(self)
        tabs.addTab(self.pairs_table, "&Pairs")
        labels = QWidget(self)
        column = QVBoxLayout(labels)
        column.addWidget(self.bars)
        column.addWidget(self.labels_table, 1)
        tabs.addTab(labels, "&Labels")
        confusion = QWidget(self)
        column = QVBoxLayout(confusion)
        caption = QLabel(CONFUSION_CAPTION, confusion)
        caption.setWordWrap(True)
        column.addWidget(caption)
        scroll = QScrollArea(confusion)
        scroll.setWidget(self.heatmap)
        scroll.setWidgetResizable(True)
        column.addWidget(scroll, 1)
        tabs.addTab(confusion, "C&onfusion")
        relations = QWidget(self)
        column = QVBoxLayout(relations)
        caption = QLabel(RELATIONS_CAPTION, relations)
        caption.setWordWrap(True)
        column.addWidget(caption)
        column.addWidget(self.relations_table, 1)
        tabs.addTab(relations, "&Relations")
        tabs.addTab(self.documents_table, "&Documents")
        return tabs

    def chosen(self) -> list[str]:
        """The ticked annotators, in list order."""
        items = (self.annotator_list.item(i) for i in range(self.annotator_list.count()))
        return [
            item.data(Qt.ItemDataRole.UserRole)
            for item in items
            if item.checkState() == Qt.CheckState.Checked
        ]

    def _on_annotator_list_item_changed(self, *_args) -> None:
        self.compute_button.setEnabled(len(self.chosen()) >= 2 and not self.is_computing())

    def is_computing(self) -> bool:
        """Whether a computation is running."""
        return self.handle is not None and not self.handle.is_done()

    def compute(self) -> TaskHandle | None:
        """Compute the agreement of the ticked annotators in a worker, with progress."""
        if self.is_computing():
            return None
        if len(self.chosen()) < 2:
            self.summary.setText(TOO_FEW)
            return None
        location = self._workspace.project.location
        handle = self._runner.submit(agreement_task, location, self.chosen(), title="Agreement")
        handle.succeeded.connect(self.show_report)
        handle.failed.connect(self._on_task_failed)
        handle.finished.connect(self._on_annotator_list_item_changed)
        self.handle = handle
        self.compute_button.setEnabled(False)
        self.summary.setText("Computing agreement…")
        TaskProgressDialog(handle, self, label="Computing agreement…")
        return handle

    def show_report(self, report: AgreementReport) -> None:
        """Fill the summary, the tables and the charts from a report."""
        self.report = report
        names = ", ".join(report.annotators)
        if not report.documents:
            self.summary.setText(f"No document is marked done by all of {names}.")
        else:
            self.summary.setText(
                f"{report.documents} document(s) done by all of {names}: {report.units} tokens "
                f"each. Krippendorff's α (nominal, tokens) = {_score(report.alpha)}.\n"
                + EXPLANATION
            )
        _fill(self.pairs_table, [_pair_row(p) for p in report.pairs], (0, 1))
        rows = report.label_rows()
        _fill(
            self.labels_table,
            [(n, _score(e.f1), _score(o.f1), o.tp, o.fp + o.fn) for n, e, o in rows],
            (0,),
        )
        self.bars.set_data(
            [n for n, _, _ in rows], ["Exact F1", "Overlap F1"], [(e.f1, o.f1) for _, e, o in rows]
        )
        _fill(
            self.relations_table,
            [
                (name, _score(c.precision), _score(c.recall), _score(c.f1), c.tp, c.fp + c.fn)
                for name, c in report.relation_rows()
            ],
            (0,),
        )
        self.heatmap.set_matrix(sorted({x for x, _ in report.confusion}), report.confusion)
        _fill(
            self.documents_table,
            [
                (d.id, d.title, _score(d.overlap_f1), _score(d.kappa), d.spans)
                for d in report.ranked[:LOWEST]
            ],
            (1,),
        )

    def _on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.summary.setText("Cancelled.")
            return
        self.summary.setText("The agreement could not be computed.")
        show_error(self, "Agreement", error)

    def _on_documents_table_double_clicked(self, row: int, _column: int) -> None:
        item = self.documents_table.item(row, 0)
        if item is not None:
            self.document_requested.emit(int(item.text()))

    @qt_override()
    def reject(self) -> None:
        """Close; a running computation is cancelled first."""
        if self.is_computing():
            self.handle.cancel()
        super().reject()


def _pair_row(pair) -> tuple:
    e, o = pair.exact_total, pair.overlap_total
    scores = (e.precision, e.recall, e.f1, o.precision, o.recall, o.f1, pair.kappa)
    return (pair.first, pair.second, *map(_score, scores))


def _table(columns: Sequence[str], parent: QWidget) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setHorizontalHeaderLabels(columns)
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    return table


def _fill(table: QTableWidget, rows: Sequence[Sequence], text_columns: Sequence[int]) -> None:
    """Replace a table's rows; columns other than `text_columns` are right-aligned."""
    table.setRowCount(len(rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            item = QTableWidgetItem(str(value))
            if c not in text_columns:
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(r, c, item)
