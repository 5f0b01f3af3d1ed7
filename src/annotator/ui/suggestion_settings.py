"""Suggestions > Suggestion Settings: pipeline, label map, suggester order, term lists,
background training and the minimum precision of what is shown.

Everything is edited in the dialog and written to the project only on OK, after the whole
form validated (a bad entry shows a message and keeps the dialog open, nothing stored). No
spaCy here: availability is checked the cheap way (package lookup, config.cfg on disk).
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, ConflictError
from annotator.nlp.calibration import min_precision, save_min_precision
from annotator.nlp.labelmap import (
    DEFAULT_LABEL_MAP,
    label_map_for,
    save_label_map,
    validate_label_map,
)
from annotator.nlp.lexicon import CASE_SETTING, EVERYONE_SETTING
from annotator.nlp.loading import installed_pipelines
from annotator.nlp.pretrained import DEFAULT_PIPELINE, PIPELINE_SETTING, PipelineSuggester
from annotator.nlp.retraining import (
    AUTO_TRAIN_AFTER_RANGE,
    RetrainPolicy,
    retrain_policy,
    save_retrain_policy,
)
from annotator.nlp.runner import available_suggesters_report, suggester_order
from annotator.nlp.suggesters import DEFAULT_ORDER, ORDER_SETTING, kind_of
from annotator.nlp.termlists import load_term_list, save_term_list, span_labels, term_lists_for
from annotator.ui.error_dialog import show_error
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_label, plain_tip
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
_KIND_ROLE = Qt.ItemDataRole.UserRole

TITLE = "Suggestion Settings"
KIND_NAMES = {
    "lexicon": "Lexicon",
    "project-model": "Project model",
    "pipeline": "Pretrained pipeline",
}
KIND_TIPS = {
    "lexicon": "Phrases people marked, and the term lists",
    "project-model": "The span categorizer trained on this project",
    "pipeline": "An installed spaCy pipeline's entities, through the label map",
}


class SuggestionSettingsDialog(QDialog):
    """Edit the project's suggestion settings; OK validates and saves them."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(TITLE)
        self._workspace = workspace
        project = workspace.project
        self._labels = span_labels(project)
        self._stored_pipeline = project.get_setting(PIPELINE_SETTING)
        self._initial_map = label_map_for(project)
        self._map_reset = False
        self._terms = term_lists_for(project)
        self._initial_terms = {k: list(v) for k, v in self._terms.items()}
        self._term_dir = ""

        layout = QVBoxLayout(self)
        layout.addWidget(self._build_pipeline_box())
        layout.addWidget(self._build_map_box(), 1)
        row = QHBoxLayout()
        row.addWidget(self._build_order_box())
        row.addWidget(self._build_terms_box(), 1)
        layout.addLayout(row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        self.set_label_map(self._initial_map)
        self._initial_order = suggester_order(project)
        self._fill_order(self._initial_order)
        self._refresh_term_counts()
        self._refresh_pipeline_status()
        if workspace.read_only:
            self._make_read_only()
        self.resize(720, 680)

    # -- construction --------------------------------------------------------------------

    def _build_pipeline_box(self) -> QGroupBox:
        box = QGroupBox("Pretrained pipeline", self)
        self.pipeline_combo = QComboBox(box)
        self.pipeline_combo.setEditable(True)
        self.pipeline_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.pipeline_combo.addItems(installed_pipelines())
        self.pipeline_combo.setEditText(self._stored_pipeline or DEFAULT_PIPELINE)
        self.pipeline_combo.setToolTip(
            "An installed pipeline package (e.g. en_core_web_sm) or a folder"
        )
        self.browse_button = QPushButton("Browse…", box)
        self.pipeline_status = plain_label(parent=box)
        self.pipeline_status.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.pipeline_combo, 1)
        row.addWidget(self.browse_button)
        label = QLabel("&Pipeline:", box)
        label.setBuddy(self.pipeline_combo)
        form = QFormLayout(box)
        form.addRow(label, row)
        form.addRow("", self.pipeline_status)
        self.pipeline_combo.editTextChanged.connect(self._refresh_pipeline_status)
        self.browse_button.clicked.connect(self.browse_pipeline)
        return box

    def _build_map_box(self) -> QGroupBox:
        box = QGroupBox("Label map: the pipeline's entity labels onto this project's labels", self)
        self.map_table = QTableWidget(0, 2, box)
        self.map_table.setHorizontalHeaderLabels(("Entity label", "Project label"))
        self.map_table.verticalHeader().hide()
        self.map_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.map_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.add_map_button = QPushButton("&Add", box)
        self.remove_map_button = QPushButton("&Remove", box)
        self.reset_map_button = QPushButton("Reset to &Defaults", box)
        buttons = QHBoxLayout()
        for button in (self.add_map_button, self.remove_map_button, self.reset_map_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        column = QVBoxLayout(box)
        column.addWidget(self.map_table, 1)
        column.addLayout(buttons)
        self.add_map_button.clicked.connect(lambda: self.add_map_row())
        self.remove_map_button.clicked.connect(self.remove_map_row)
        self.reset_map_button.clicked.connect(self.reset_label_map)
        self.map_table.itemChanged.connect(self._refresh_pipeline_status)
        return box

    def _build_order_box(self) -> QGroupBox:
        box = QGroupBox("Order (first wins on identical suggestions)", self)
        self.order_list = QListWidget(box)
        self.up_button = QPushButton("&Up", box)
        self.down_button = QPushButton("Do&wn", box)
        buttons = QHBoxLayout()
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addStretch(1)
        self.case_check = QCheckBox("Lexicon matches phrases only with the &same case", box)
        self.case_check.setToolTip(
            "Off: 'Baykar' also finds 'BAYKAR' and 'baykar'. On: only 'Baykar'."
        )
        self._initial_case = bool(self._workspace.project.get_setting(CASE_SETTING, False))
        self.case_check.setChecked(self._initial_case)
        self.everyone_check = QCheckBox("Learn from &every annotator's spans", box)
        self.everyone_check.setToolTip(
            "Off: the lexicon suggests what you and the gold layer marked, so one annotator's "
            "choices do not bias another's. On: what anyone marked."
        )
        self._initial_everyone = bool(self._workspace.project.get_setting(EVERYONE_SETTING, False))
        self.everyone_check.setChecked(self._initial_everyone)
        column = QVBoxLayout(box)
        column.addWidget(self.order_list, 1)
        column.addLayout(buttons)
        column.addWidget(self.case_check)
        column.addWidget(self.everyone_check)
        column.addLayout(self._build_retrain_row(box))
        column.addLayout(self._build_precision_row(box))
        self.up_button.clicked.connect(lambda: self.move_order(-1))
        self.down_button.clicked.connect(lambda: self.move_order(+1))
        return box

    def _build_retrain_row(self, box: QGroupBox) -> QHBoxLayout:
        """The check box and document count of background training (nlp.retraining)."""
        self._initial_retrain = retrain_policy(self._workspace.project)
        self.retrain_check = QCheckBox("&Retrain the project model in the background after", box)
        self.retrain_check.setToolTip(
            "Trains the project model again, without interrupting you, once this many "
            "documents were marked done since it was last trained; the new model suggests from "
            "then on"
        )
        self.retrain_check.setChecked(self._initial_retrain.enabled)
        self.retrain_spin = QSpinBox(box)
        self.retrain_spin.setRange(*AUTO_TRAIN_AFTER_RANGE)
        self.retrain_spin.setSuffix(" documents done")
        self.retrain_spin.setValue(self._initial_retrain.after)
        self.retrain_spin.setEnabled(self._initial_retrain.enabled)
        self.retrain_check.toggled.connect(self.retrain_spin.setEnabled)
        row = QHBoxLayout()
        row.addWidget(self.retrain_check)
        row.addWidget(self.retrain_spin)
        row.addStretch(1)
        return row

    def _build_precision_row(self, box: QGroupBox) -> QHBoxLayout:
        """The minimum precision of the suggestions shown (nlp.calibration)."""
        self._initial_precision = min_precision(self._workspace.project)
        self.precision_spin = QDoubleSpinBox(box)
        self.precision_spin.setRange(0.0, 1.0)
        self.precision_spin.setSingleStep(0.05)
        self.precision_spin.setDecimals(2)
        self.precision_spin.setValue(self._initial_precision)
        self.precision_spin.setToolTip(
            "A suggestion is hidden when its precision, calibrated per suggester, label and "
            "score on the decisions taken and the project model's held-out evaluation, is "
            "reliably below this (0: show every suggestion)"
        )
        label = QLabel("Show suggestions unless their precision is reliably &below", box)
        label.setBuddy(self.precision_spin)
        row = QHBoxLayout()
        row.addWidget(label)
        row.addWidget(self.precision_spin)
        row.addStretch(1)
        return row

    def retrain(self) -> RetrainPolicy:
        """The background training policy chosen."""
        return RetrainPolicy(self.retrain_check.isChecked(), self.retrain_spin.value())

    def _build_terms_box(self) -> QGroupBox:
        box = QGroupBox("Term lists (one term a line, UTF-8)", self)
        self.term_label_combo = QComboBox(box)
        self.term_label_combo.addItems(self._labels)
        self.load_terms_button = QPushButton("&Load Term List…", box)
        self.clear_terms_button = QPushButton("&Clear", box)
        self.terms_table = QTableWidget(0, 2, box)
        self.terms_table.setHorizontalHeaderLabels(("Label", "Terms"))
        self.terms_table.verticalHeader().hide()
        self.terms_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.terms_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        row = QHBoxLayout()
        row.addWidget(self.term_label_combo, 1)
        row.addWidget(self.load_terms_button)
        row.addWidget(self.clear_terms_button)
        column = QVBoxLayout(box)
        column.addLayout(row)
        column.addWidget(self.terms_table, 1)
        self.load_terms_button.clicked.connect(lambda: self.load_terms())
        self.clear_terms_button.clicked.connect(self.clear_terms)
        return box

    def _make_read_only(self) -> None:
        for widget in (
            self.pipeline_combo,
            self.browse_button,
            self.add_map_button,
            self.remove_map_button,
            self.reset_map_button,
            self.up_button,
            self.down_button,
            self.term_label_combo,
            self.load_terms_button,
            self.clear_terms_button,
        ):
            widget.setEnabled(False)
        self.map_table.setEnabled(False)
        self.order_list.setEnabled(False)
        self.case_check.setEnabled(False)
        self.everyone_check.setEnabled(False)
        self.retrain_check.setEnabled(False)
        self.retrain_spin.setEnabled(False)
        self.precision_spin.setEnabled(False)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Close")

    # -- pipeline ------------------------------------------------------------------------

    def pipeline(self) -> str:
        """The pipeline name or folder typed or chosen."""
        return self.pipeline_combo.currentText().strip()

    def browse_pipeline(self) -> None:
        """Choose a pipeline folder (as written by nlp.to_disk or spacy train)."""
        current = Path(self.pipeline()).expanduser()
        start = str(current) if current.is_dir() else str(Path.home())
        folder = QFileDialog.getExistingDirectory(self, "Choose a spaCy Pipeline Folder", start)
        if folder:
            self.pipeline_combo.setEditText(folder)

    def _refresh_pipeline_status(self, *_args) -> None:
        name = self.pipeline() or DEFAULT_PIPELINE
        mapping = {k: v for k, v in self.label_map().items() if k and v}
        reason = PipelineSuggester(name, mapping).unavailable_reason()
        self.pipeline_status.setText(f"✓ {name} is available." if not reason else f"⚠ {reason}")

    # -- label map -----------------------------------------------------------------------

    def label_map(self) -> dict[str, str]:
        """The map as shown (not validated; later rows win on a repeated entity label)."""
        return dict(self._map_rows())

    def _map_rows(self) -> list[tuple[str, str]]:
        rows = []
        for r in range(self.map_table.rowCount()):
            item = self.map_table.item(r, 0)
            combo = self.map_table.cellWidget(r, 1)
            source = item.text().strip() if item is not None else ""
            target = combo.currentText().strip() if isinstance(combo, QComboBox) else ""
            rows.append((source, target))
        return rows

    def set_label_map(self, mapping: dict[str, str]) -> None:
        """Show a map, one row per entry."""
        self.map_table.setRowCount(0)
        for source, target in mapping.items():
            self.add_map_row(source, target)

    def add_map_row(self, source: str = "", target: str | None = None) -> int:
        """Append a row (entity label, project label combo); returns its index."""
        r = self.map_table.rowCount()
        self.map_table.insertRow(r)
        self.map_table.setItem(r, 0, QTableWidgetItem(source))
        combo = QComboBox(self.map_table)
        combo.addItems(self._labels)
        if target is not None and target not in self._labels:
            combo.addItem(target)  # a stored target the project no longer has: shown, refused
            combo.setItemData(combo.count() - 1, "Not a label of this project")
        if target is not None:
            combo.setCurrentText(target)
        combo.currentTextChanged.connect(self._refresh_pipeline_status)
        self.map_table.setCellWidget(r, 1, combo)
        if not source:
            self.map_table.setCurrentCell(r, 0)
        self._refresh_pipeline_status()
        return r

    def remove_map_row(self) -> None:
        """Remove the selected rows (or the current one)."""
        rows = {index.row() for index in self.map_table.selectionModel().selectedRows()}
        if not rows and self.map_table.currentRow() >= 0:
            rows = {self.map_table.currentRow()}
        for r in sorted(rows, reverse=True):
            self.map_table.removeRow(r)
        self._refresh_pipeline_status()

    def reset_label_map(self) -> None:
        """Show the default map (restricted to this project's labels); saved on OK."""
        self.set_label_map({s: t for s, t in DEFAULT_LABEL_MAP.items() if t in self._labels})
        self._map_reset = True

    def _checked_label_map(self) -> dict[str, str]:
        """The map validated against the project; ConflictError naming the first bad row."""
        rows = self._map_rows()
        seen: set[str] = set()
        for source, _ in rows:
            if source in seen:
                raise ConflictError(f"label map: {source} is mapped twice; keep one row for it")
            seen.add(source)
        return validate_label_map(self._workspace.project, dict(rows))

    # -- order ---------------------------------------------------------------------------

    def _fill_order(self, order: list[str]) -> None:
        kinds = [k for k in order if k in DEFAULT_ORDER]
        kinds += [k for k in DEFAULT_ORDER if k not in kinds]
        report = {kind_of(name): (ok, why) for name, ok, why in self._report()}
        self.order_list.clear()
        for kind in kinds:
            ok, why = report.get(kind, (True, ""))
            text = KIND_NAMES.get(kind, kind) + ("" if ok else " — not available")
            item = QListWidgetItem(text, self.order_list)
            item.setData(_KIND_ROLE, kind)
            item.setToolTip(plain_tip(f"{KIND_TIPS.get(kind, kind)}: {why or 'available'}"))
        self.order_list.setCurrentRow(0)

    def _report(self) -> list[tuple[str, bool, str]]:
        try:
            return available_suggesters_report(self._workspace.project)
        except AnnotatorError as exc:  # a damaged setting must not keep the dialog closed
            log.warning("suggester availability: %s", exc)
            return []

    def order(self) -> list[str]:
        """Suggester kinds in the order shown."""
        return [self.order_list.item(i).data(_KIND_ROLE) for i in range(self.order_list.count())]

    def move_order(self, step: int) -> None:
        """Move the current suggester up (-1) or down (+1)."""
        row = self.order_list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.order_list.count():
            return
        item = self.order_list.takeItem(row)
        self.order_list.insertItem(target, item)
        self.order_list.setCurrentRow(target)

    # -- term lists ----------------------------------------------------------------------

    def term_counts(self) -> dict[str, int]:
        """Terms per label as they will be saved (labels without terms left out)."""
        return {
            label: len(self._terms.get(label, []))
            for label in self._labels
            if self._terms.get(label)
        }

    def load_terms(self, path: str | Path | None = None) -> bool:
        """Add a file's terms to the chosen label's list (asks for the file when not given)."""
        label = self.term_label_combo.currentText()
        if not label:
            show_error(self, TITLE, "This project has no span labels to load terms for.")
            return False
        if path is None:
            name, _ = QFileDialog.getOpenFileName(
                self,
                f"Load Term List for {label}",
                self._term_dir or str(Path.home()),
                "Text files (*.txt *.lst *.csv);;All files (*)",
            )
            if not name:
                return False
            path = name
        try:
            terms = load_term_list(path)
        except AnnotatorError as exc:
            show_error(self, "Term List Not Loaded", exc)
            return False
        self._term_dir = str(Path(path).parent)
        current = self._terms.setdefault(label, [])
        seen = set(current)
        for term in terms:
            if term not in seen:
                seen.add(term)
                current.append(term)
        self._refresh_term_counts()
        return True

    def clear_terms(self) -> None:
        """Empty the chosen label's term list (saved on OK)."""
        label = self.term_label_combo.currentText()
        if label:
            self._terms[label] = []
            self._refresh_term_counts()

    def _refresh_term_counts(self) -> None:
        counts = self.term_counts()
        self.terms_table.setRowCount(len(self._labels))
        for r, label in enumerate(self._labels):
            self.terms_table.setItem(r, 0, QTableWidgetItem(label))
            self.terms_table.setItem(r, 1, QTableWidgetItem(str(counts.get(label, 0))))

    # -- saving --------------------------------------------------------------------------

    def save(self) -> None:
        """Validate everything, then store it in the project; AnnotatorError on a bad entry."""
        project = self._workspace.project
        mapping = self._checked_label_map()
        pipeline = self.pipeline() or None
        unchanged_default = self._stored_pipeline is None and pipeline == DEFAULT_PIPELINE
        if pipeline != self._stored_pipeline and not unchanged_default:
            project.set_setting(PIPELINE_SETTING, pipeline)
        default_map = {s: t for s, t in DEFAULT_LABEL_MAP.items() if t in self._labels}
        if self._map_reset and mapping == default_map:
            save_label_map(project, None)  # follow the defaults (and new labels) again
        elif mapping != self._initial_map:
            save_label_map(project, mapping)
        if self.order() != self._initial_order:
            project.set_setting(ORDER_SETTING, self.order())
        if self.case_check.isChecked() != self._initial_case:
            project.set_setting(CASE_SETTING, self.case_check.isChecked() or None)
        if self.everyone_check.isChecked() != self._initial_everyone:
            project.set_setting(EVERYONE_SETTING, self.everyone_check.isChecked() or None)
        if self.retrain() != self._initial_retrain:
            save_retrain_policy(project, self.retrain())
        if self.precision_spin.value() != self._initial_precision:
            save_min_precision(project, self.precision_spin.value())
        for label in self._labels:
            terms = self._terms.get(label, [])
            if terms != self._initial_terms.get(label, []):
                save_term_list(project, label, terms, replace=True)

    @qt_override()
    def accept(self) -> None:
        """OK: save and close, or show what is wrong and stay open."""
        if self._workspace.read_only:
            return
        try:
            self.save()
        except Exception as exc:  # AnnotatorError: a bad entry; anything else: a bug
            show_error(self, TITLE, exc)
            return
        super().accept()
