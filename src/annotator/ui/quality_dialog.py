"""Suggestion quality: each suggester's decisions, precision in use and recall against gold, in
all and per label beside the project model's held-out precision, and the relation learner's
per relation type."""

from __future__ import annotations

from collections.abc import Sequence

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
from annotator.nlp.calibration import held_out_precision, min_precision

COLUMNS = (
    "Suggester",
    "Pending",
    "Accepted",
    "Rejected",
    "Precision in use",
    "Held-out precision",
    "Recall (gold)",
)


def quality_rows(
    rows: Sequence[SuggesterQuality],
    per_label: Sequence[SuggesterQuality] = (),
    held_out: dict[tuple[str, str | None], float] | None = None,
) -> list[tuple[str, ...]]:
    """The table's cells: each suggester in all, then per label (`lexicon: PER`, from
    `per_label`) with the held-out precision where measured; counts, and percentages where
    there is something to measure."""
    labels: dict[str, list[SuggesterQuality]] = {}
    for q in per_label:
        labels.setdefault(q.model, []).append(q)
    held_out = held_out or {}
    return [
        (
            q.model if q.label is None else f"{q.model}: {q.label}",
            str(q.pending),
            str(q.accepted),
            str(q.rejected),
            _percent(q.precision),
            _percent(held_out.get((q.model, q.label))),
            _percent(q.recall),
        )
        for total in rows
        for q in (total, *labels.get(total.model, ()))
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
        rows = quality_rows(
            project.suggester_quality(annotator),
            project.suggester_quality(annotator, by_label=True),
            held_out_precision(project),
        ) + relation_quality_rows(project.relation_suggester_quality(annotator))
        self.table = QTableWidget(len(rows), len(COLUMNS), self)
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                self.table.setItem(r, c, QTableWidgetItem(cell))
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        note = QLabel(
            "Precision in use: accepted ÷ (accepted + rejected), by your decisions; held-out: "
            "the project model's on the documents it was evaluated on when trained. Recall: "
            "share of the gold layer's spans the suggester proposed with exactly the same label "
            "and offsets. Suggestions are shown unless their precision, calibrated per "
            "suggester, label, score and extent on everyone's decisions, is reliably below "
            f"{min_precision(project):.0%} (Suggestion Settings)."
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
        self.resize(760, 360)
