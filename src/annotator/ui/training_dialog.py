"""Suggestions > Train Project Model: choose a layer and a held-out share, train in a worker.

`run_training` is the plain task body: it opens its own Project on the workspace's location
and calls nlp.training.train_project_model (spaCy is imported there, on the worker thread).
The dialog only collects options (`options()`), starts the task and shows the scores.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.layers import ALL, GOLD, MAJORITY
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.nlp.train_options import DEFAULTS, TrainOptions
from annotator.ui.error_dialog import show_error
from annotator.ui.guard import qt_override
from annotator.ui.layer_combo import no_layer_chosen, select_default_layer
from annotator.ui.plain import plain_label
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

SCORE_COLUMNS = ("Label", "Precision", "Recall", "F1", "Gold spans", "Predicted")
EXPLANATION = (
    "Trains a span categorizer on the chosen layer (overlapping spans allowed) and holds out "
    "a share of the documents to measure it: precision is how many of its spans are right, "
    "recall how many of the held-out spans it finds. The model is saved in the project's data "
    "folder and suggests from then on. An NER can be trained as well when the layer has spans "
    "that do not overlap. Training runs in the background and takes a few minutes on a laptop "
    "for a few hundred articles."
)


def run_training(location: str, options: TrainOptions, *, progress: Progress):
    """Task body: train the project model of the project at `location` (own Project).

    Only the final model record is written to the project (one short write), so WRITE_LOCK is
    not held: holding it for minutes would stall suggestions and imports.
    """
    from annotator.nlp.training import train_project_model

    with Project(location) as project:
        return train_project_model(project, options, progress=progress)


def layer_choices(workspace: Workspace) -> list[tuple[str, str]]:
    """(text, layer name) for the layer combo: gold (if any), each annotator, all, majority."""
    annotators = workspace.project.annotators()
    choices: list[tuple[str, str]] = []
    gold = [a.name for a in annotators if a.is_gold]
    if gold:
        choices.append((f"Gold ({gold[0]})", GOLD))
    for a in annotators:
        me = " (me)" if a.name == workspace.annotator else ""
        choices.append((f"{a.name}{me}", a.name))
    choices.append(("All annotators", ALL))
    choices.append(("Majority of annotators", MAJORITY))
    return choices


def score_rows(report) -> list[tuple[str, ...]]:
    """The score table's cells: one row per label, then the micro average over all labels."""
    rows = []
    overall = report.overall
    for name, score in report.scores.items():
        if score is overall:
            continue
        rows.append(_score_row(name, score))
    rows.append(_score_row("All labels", overall))
    return rows


def _score_row(name: str, score) -> tuple[str, ...]:
    return (
        name,
        f"{score.precision:.0%}",
        f"{score.recall:.0%}",
        f"{score.f1:.0%}",
        str(score.tp + score.fn),
        str(score.tp + score.fp),
    )


class TrainingDialog(QDialog):
    """Train the project model: options, Train (in the background), then the scores."""

    trained = Signal(object)  # nlp.training.TrainReport

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        max_steps: int = DEFAULTS.max_steps,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Train Project Model")
        self._workspace = workspace
        self._runner = runner
        self._max_steps = max_steps
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None
        self.report = None

        self.layer_combo = QComboBox(self)
        for text, name in layer_choices(workspace):
            self.layer_combo.addItem(text, name)
        select_default_layer(self.layer_combo, workspace.project.annotators())
        self.holdout_spin = QSpinBox(self)
        self.holdout_spin.setRange(5, 50)
        self.holdout_spin.setSuffix(" %")
        self.holdout_spin.setValue(round(DEFAULTS.holdout * 100))
        self.holdout_spin.setToolTip("Share of the documents kept aside to score the model")
        self.ner_check = QCheckBox("Also train an entity recogniser (NER)", self)
        self.ner_check.setChecked(DEFAULTS.ner)
        self.ner_check.setToolTip(
            "NER cannot represent overlapping spans; overlapping ones are left out of it"
        )
        explanation = QLabel(EXPLANATION, self)
        explanation.setWordWrap(True)
        self.result_label = plain_label(parent=self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.scores_table = QTableWidget(0, len(SCORE_COLUMNS), self)
        self.scores_table.setHorizontalHeaderLabels(SCORE_COLUMNS)
        self.scores_table.verticalHeader().hide()
        self.scores_table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.scores_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.scores_table.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.train_button = QPushButton("&Train", self)
        self.train_button.setDefault(True)
        self.buttons.addButton(self.train_button, QDialogButtonBox.ButtonRole.ActionRole)
        if workspace.read_only:
            self.train_button.setEnabled(False)
            self.result_label.setText("This project is open read-only; training is not possible.")

        form = QFormLayout()
        form.addRow("&Layer:", self.layer_combo)
        form.addRow("&Held out for scoring:", self.holdout_spin)
        form.addRow("", self.ner_check)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.result_label)
        layout.addWidget(self.scores_table, 1)
        layout.addWidget(self.buttons)
        self.train_button.clicked.connect(self.train)
        self.buttons.rejected.connect(self.reject)
        self.resize(560, 420)

    def options(self) -> TrainOptions:
        """The choices made in the dialog."""
        return TrainOptions(
            layer=self.layer_combo.currentData(),
            holdout=self.holdout_spin.value() / 100,
            ner=self.ner_check.isChecked(),
            max_steps=self._max_steps,
        )

    def is_training(self) -> bool:
        """Whether a training task is running."""
        return self.handle is not None and not self.handle.is_done()

    def train(self) -> TaskHandle | None:
        """Start training in a worker with a progress dialog (Cancel stops it, nothing saved)."""
        if self.is_training() or self._workspace.read_only:
            return None
        if no_layer_chosen(self.layer_combo):
            self.result_label.setText(
                "Choose the layer to learn from: with several annotators and no gold layer, "
                "none is chosen for you."
            )
            return None
        handle = self._runner.submit(
            run_training, self._workspace.project.location, self.options(), title="Training"
        )
        handle.succeeded.connect(self._on_task_succeeded)
        handle.failed.connect(self._on_task_failed)
        handle.finished.connect(self._on_task_finished)
        self.handle = handle
        self._set_editable(False)
        self.result_label.setText("Training…")
        self.progress_dialog = TaskProgressDialog(handle, self, label="Training the project model…")
        return handle

    def _set_editable(self, on: bool) -> None:
        for widget in (self.layer_combo, self.holdout_spin, self.ner_check, self.train_button):
            widget.setEnabled(on)

    def _on_task_succeeded(self, report) -> None:
        self.report = report
        self.show_report(report)
        self.trained.emit(report)

    def show_report(self, report) -> None:
        """Fill the score table and say where the model was saved."""
        rows = score_rows(report)
        self.scores_table.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                item = QTableWidgetItem(cell)
                if c:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.scores_table.setItem(r, c, item)
        self.scores_table.show()
        self.result_label.setText(
            f"Trained on {report.train_documents} documents of layer {report.layer!r} and "
            f"scored on {report.dev_documents} held-out ones ({report.steps} steps, "
            f"{report.seconds:.0f} s). The model is saved in {report.path} ({report.date}) "
            "and suggests from now on."
        )

    def _on_task_failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            self.result_label.setText("Training was cancelled; nothing was saved.")
            return
        self.result_label.setText("Training failed; nothing was saved.")
        title = "Training Not Possible" if isinstance(error, AnnotatorError) else "Training Failed"
        show_error(self, title, error)

    def _on_task_finished(self) -> None:
        self._set_editable(not self._workspace.read_only)

    @qt_override()
    def reject(self) -> None:
        """Close; a running training is cancelled first (nothing is saved then)."""
        if self.is_training():
            self.handle.cancel()
        super().reject()
