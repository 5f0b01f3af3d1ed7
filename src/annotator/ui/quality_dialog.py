"""Suggestion quality: each suggester's decisions, precision and recall against gold, and the
relation learner's per relation type."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.project import Project
from annotator.core.project.relation_suggestions import RelationSuggesterQuality
from annotator.core.quality import SuggesterQuality

COLUMNS = ("Suggester", "Pending", "Accepted", "Rejected", "Precision", "Recall (gold)")


def quality_rows(rows: list[SuggesterQuality]) -> list[tuple[str, ...]]:
    """The table's cells: counts, and percentages where there is something to measure."""
    return [
        (
            q.model,
            str(q.pending),
            str(q.accepted),
            str(q.rejected),
            _percent(q.precision),
            _percent(q.recall),
        )
        for q in rows
    ]


def relation_quality_rows(rows: list[RelationSuggesterQuality]) -> list[tuple[str, ...]]:
    """Cells of the relation suggestions' rows: `relation-learner: BUYS` and its counts (recall
    against gold is not measured for relations)."""
    return [
        (
            f"{q.model}: {q.type}",
            str(q.pending),
            str(q.accepted),
            str(q.rejected),
            _percent(q.precision),
            "–",
        )
        for q in rows
    ]


def _percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.0%}"


class QualityDialog(QDialog):
    """A table of suggester quality from `annotator`'s decisions, read when the dialog opens."""

    def __init__(self, project: Project, annotator: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suggestion Quality")
        rows = quality_rows(project.suggester_quality(annotator)) + relation_quality_rows(
            project.relation_suggester_quality(annotator)
        )
        self.table = QTableWidget(len(rows), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(
            "Precision: accepted ÷ (accepted + rejected), by your decisions. Recall: share of "
            "the gold layer's spans the suggester proposed with exactly the same label and offsets."
            if rows
            else "No suggestions yet: open a document or run Suggest for All Documents.",
            self,
        )
        note.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(640, 280)
