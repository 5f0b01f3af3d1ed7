"""File > Export: the dialog (format, layer, finished-only, output file) and its controller.

`run_export` is the plain task body run by a TaskRunner: it opens its own Project on the
workspace's location, only reads, and closes the project again.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError, InputError
from annotator.core.layers import ALL, GOLD, MAJORITY, SUGGESTIONS
from annotator.core.options import option_info
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.io.export_options import (
    SUGGESTED_MAX_TOKENS,
    SUGGESTED_SPLIT,
    ExportOptions,
    export_formats,
)
from annotator.io.export_target import check_target
from annotator.io.exporter import export, parse_split
from annotator.io.writers.base import ExportReport
from annotator.io.writers.registry import writer_for
from annotator.ui.error_dialog import show_error
from annotator.ui.file_tasks import EXPORT_FORMAT_NAMES, FileTaskController
from annotator.ui.guard import qt_override
from annotator.ui.layer_combo import no_layer_chosen, select_default_layer
from annotator.ui.plain import ask, inform
from annotator.ui.wording import plural
from annotator.ui.workers import TaskHandle
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

NO_DEFAULT_LAYER = (
    "Choose the layer to export: with several annotators and no gold layer, none is chosen "
    "for you, so that an export never mixes annotators without being asked."
)
EXPORT_SUFFIXES = {"jsonl": ".jsonl", "spacy": ".spacy", "conll": ".conll", "csv": ".csv"}


def run_export(
    location: str, fmt: str, out: Path, *, progress: Progress, **options: Any
) -> ExportReport:
    """Task body: export the project at `location` (own Project; reads only).

    `options` are those of io.exporter.export: layer, only_done, labels, split, seed, overwrite,
    max_tokens.
    """
    with Project(location) as project:
        return export(project, fmt, out, progress=progress, **options)


def export_message(report: ExportReport) -> str:
    """The report as sentences for the result box (the CLI prints `report.summary()`)."""
    counted = ", ".join(f"{label} {n:,}" for label, n in sorted(report.spans_per_label.items()))
    lines = [
        f"Exported {plural(report.documents, 'document')} to {report.path}.",
        f"Spans: {counted}." if counted else "No spans.",
    ]
    relations = sorted((+report.relations_per_type).items())
    if relations:
        lines.append(f"Relations: {', '.join(f'{kind} {n:,}' for kind, n in relations)}.")
    if len(report.documents_per_file) > 1:  # a split: what each part got
        spans = report.spans_per_file
        parts = (
            f"{p.name} {plural(n, 'document')} and {plural(spans.get(p, 0), 'span')}"
            for p, n in report.documents_per_file.items()
        )
        lines.append(f"Parts: {', '.join(parts)}.")
        empty = [p.name for p in report.empty_parts()]
        if empty:
            lines.append(f"Empty: {', '.join(empty)} (too few documents for the split).")
    for verb, counts in (("Adjusted", report.adjusted), ("Dropped", report.dropped)):
        lines += [f"{verb} {plural(n, 'span')}: {why}." for why, n in sorted(counts.items())]
    lines += [f"{n:,} {what}." for what, n in sorted(report.notes.items())]
    return "\n".join(lines)


def _default(name: str) -> Any:
    """The default of export option `name` (io.export_options)."""
    return option_info(ExportOptions, name).default


def still_usable(path: Path) -> Path:
    """A remembered output path as offered again: itself while its folder exists (an earlier
    export there is replaced only after asking), else the same name in the nearest folder above
    that still exists, or in the home folder when only the root is left."""
    folder = path.parent
    while not folder.is_dir() and folder != folder.parent:
        folder = folder.parent
    return (Path.home() if folder == folder.parent else folder) / path.name


def layer_choices(workspace: Workspace) -> list[tuple[str, str, str]]:
    """(text, layer name, why it cannot be chosen or "") for the layer combo, in display
    order: gold before there is one, and mine before I have marked anything, are greyed."""
    annotators = workspace.project.annotators()
    has_gold = any(a.is_gold for a in annotators)
    me = workspace.annotator
    have_mine = any(a.name == me for a in annotators)
    choices = [
        ("All annotators", ALL, ""),
        (f"Me ({me})", me, "" if have_mine else f"{me} has marked no span yet"),
        ("Gold", GOLD, "" if has_gold else "No gold layer yet"),
        ("Majority", MAJORITY, ""),
        ("Suggestions", SUGGESTIONS, ""),
    ]
    choices += [(a.name, a.name, "") for a in annotators if a.name != me]
    return choices


class ExportDialog(QDialog):
    """File > Export: format, layer, finished-only, and the output file (refuses what is not an
    earlier export of the format, with the reason; asks before replacing one).

    It only asks: ExportController.open_dialog shows it and runs the export on OK, and the
    controller (owned by the window) outlives it to report the outcome.
    """

    def __init__(
        self,
        workspace: Workspace,
        parent: QWidget | None = None,
        *,
        start_dir: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self.setMinimumWidth(480)
        self._workspace = workspace
        self._start_dir = start_dir or str(Path.home())
        self._overwrite_path: Path | None = None

        self.format_combo = QComboBox(self)
        for fmt in export_formats():
            self.format_combo.addItem(EXPORT_FORMAT_NAMES.get(fmt, fmt), fmt)
        self.layer_combo = QComboBox(self)
        for i, (text, name, why_not) in enumerate(layer_choices(workspace)):
            self.layer_combo.addItem(text, name)
            if why_not:
                self.layer_combo.model().item(i).setEnabled(False)
                self.layer_combo.setItemData(i, why_not, Qt.ItemDataRole.ToolTipRole)
        select_default_layer(self.layer_combo, workspace.project.annotators())
        self.only_done_check = QCheckBox("Only finished documents", self)
        self.only_done_check.setChecked(_default("only_done"))
        self.labels_list = QListWidget(self)
        for label in workspace.labels:
            item = QListWidgetItem(label.name, self.labels_list)
            item.setCheckState(Qt.CheckState.Checked)
        self.labels_list.setMaximumHeight(90)
        self.split_check = QCheckBox("Split by document into train / dev / test", self)
        self.split_edit = QLineEdit(SUGGESTED_SPLIT, self)
        self.seed_spin = QSpinBox(self)
        self.seed_spin.setRange(0, 2**31 - 1)
        self.seed_spin.setValue(_default("seed"))
        self.split_check.toggled.connect(self.split_edit.setEnabled)
        self.split_check.toggled.connect(self.seed_spin.setEnabled)
        self.split_edit.setEnabled(False)
        self.seed_spin.setEnabled(False)
        self.max_tokens_check = QCheckBox("At most", self)
        self.max_tokens_check.setToolTip(
            "Cut each document into records of at most this many tokens, at sentence "
            "boundaries (for models with a token limit, such as 512)"
        )
        self.max_tokens_spin = QSpinBox(self)
        self.max_tokens_spin.setRange(1, 1_000_000)
        self.max_tokens_spin.setValue(SUGGESTED_MAX_TOKENS)
        self.max_tokens_spin.setSuffix(" tokens per record")
        self.max_tokens_spin.setEnabled(False)
        self.max_tokens_check.toggled.connect(self.max_tokens_spin.setEnabled)
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText("Choose where to write the export")
        self.browse_button = QPushButton("Browse…", self)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )

        row = QHBoxLayout()
        row.addWidget(self.path_edit, 1)
        row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow("&Format:", self.format_combo)
        form.addRow("&Layer:", self.layer_combo)
        form.addRow("", self.only_done_check)
        form.addRow("La&bels:", self.labels_list)
        split_row = QHBoxLayout()
        split_row.addWidget(self.split_edit, 1)
        split_row.addWidget(QLabel("seed", self))
        split_row.addWidget(self.seed_spin)
        form.addRow("", self.split_check)
        form.addRow("Parts:", split_row)
        max_tokens_row = QHBoxLayout()
        max_tokens_row.addWidget(self.max_tokens_check)
        max_tokens_row.addWidget(self.max_tokens_spin, 1)
        form.addRow("Records:", max_tokens_row)
        self._max_tokens_label = form.labelForField(max_tokens_row)
        form.addRow("Output:", row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.browse_button.clicked.connect(self.browse)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(self._on_path_edit_changed)
        self._on_path_edit_changed(self.path_edit.text())
        self.format_combo.currentIndexChanged.connect(self._show_format_options)
        self._show_format_options()

    def fmt(self) -> str:
        """The chosen format name."""
        return self.format_combo.currentData()

    def path(self) -> Path | None:
        """The output path typed or picked (relative paths start in the dialog's folder)."""
        text = self.path_edit.text().strip()
        if not text:
            return None
        path = Path(text).expanduser()
        return path if path.is_absolute() else Path(self._start_dir) / path

    def labels(self) -> tuple[str, ...] | None:
        """The ticked labels, or None when all are (no filter)."""
        items = [self.labels_list.item(n) for n in range(self.labels_list.count())]
        ticked = tuple(i.text() for i in items if i.checkState() == Qt.CheckState.Checked)
        return None if len(ticked) == len(items) else ticked

    def split(self) -> tuple[float, ...] | None:
        """The train/dev/test fractions, or None without a split (raises on a bad value)."""
        return parse_split(self.split_edit.text()) if self.split_check.isChecked() else None

    def max_tokens(self) -> int | None:
        """The token limit of a record (hf only), or None without one."""
        limited = (
            hasattr(writer_for(self.fmt()), "with_max_tokens") and self.max_tokens_check.isChecked()
        )
        return self.max_tokens_spin.value() if limited else None

    def _show_format_options(self) -> None:
        """Show the options of the chosen format only (the token limit: hf)."""
        shown = hasattr(writer_for(self.fmt()), "with_max_tokens")
        for widget in (self._max_tokens_label, self.max_tokens_check, self.max_tokens_spin):
            if widget is not None:
                widget.setVisible(shown)

    def writes_folder(self) -> bool:
        """True when the output is a folder: a split, or a format made of many files."""
        return self.split_check.isChecked() or not writer_for(self.fmt()).suffix

    def choices(self) -> dict[str, Any]:
        """The choices worth offering again next time: format, layer, finished-only, labels
        left out, split, token limit, output path."""
        items = [self.labels_list.item(n) for n in range(self.labels_list.count())]
        path = self.path()
        return {
            "format": self.fmt(),
            "layer": self.layer_combo.currentData(),
            "labels_left_out": [i.text() for i in items if i.checkState() != Qt.CheckState.Checked],
            "path": "" if path is None else str(path),
            "only_done": self.only_done_check.isChecked(),
            "split": self.split_check.isChecked(),
            "parts": self.split_edit.text(),
            "seed": self.seed_spin.value(),
            "limit_tokens": self.max_tokens_check.isChecked(),
            "max_tokens": self.max_tokens_spin.value(),
        }

    def restore(self, choices: Mapping[str, Any]) -> None:
        """Offer earlier `choices` again; unknown or unavailable ones keep the defaults."""
        for combo, key in ((self.format_combo, "format"), (self.layer_combo, "layer")):
            found = combo.findData(choices.get(key))
            if found >= 0 and combo.model().item(found).isEnabled():
                combo.setCurrentIndex(found)
        checks = (
            (self.only_done_check, "only_done"),
            (self.split_check, "split"),
            (self.max_tokens_check, "limit_tokens"),
        )
        for check, key in checks:
            if isinstance(choices.get(key), bool):
                check.setChecked(choices[key])
        if isinstance(choices.get("parts"), str):
            self.split_edit.setText(choices["parts"])
        if isinstance(choices.get("seed"), int):
            self.seed_spin.setValue(choices["seed"])
        if isinstance(choices.get("max_tokens"), int):
            self.max_tokens_spin.setValue(choices["max_tokens"])
        left_out = choices.get("labels_left_out")
        if isinstance(left_out, list):  # labels added since are ticked
            for item in (self.labels_list.item(n) for n in range(self.labels_list.count())):
                out = item.text() in left_out
                item.setCheckState(Qt.CheckState.Unchecked if out else Qt.CheckState.Checked)
        if isinstance(choices.get("path"), str) and choices["path"]:
            self.path_edit.setText(str(still_usable(Path(choices["path"]))))

    def options(self) -> ExportOptions:
        """The choices made (call after the dialog was accepted)."""
        out = self.path() or Path()
        return ExportOptions(
            fmt=self.fmt(),
            layer=self.layer_combo.currentData(),
            out=out,
            only_done=self.only_done_check.isChecked(),
            overwrite=out == self._overwrite_path,
            labels=self.labels(),
            split=self.split(),
            seed=self.seed_spin.value(),
            max_tokens=self.max_tokens(),
        )

    def browse(self) -> None:
        """Pick the output file; an existing one is replaced only after the user agrees."""
        fmt = self.fmt()
        suffix = EXPORT_SUFFIXES.get(fmt, f".{fmt}")
        start = self.path_edit.text() or str(Path(self._start_dir) / f"export{suffix}")
        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export To",
            start,
            f"{EXPORT_FORMAT_NAMES.get(fmt, fmt)} (*{suffix});;All files (*)",
            "",
            QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(suffix)
        if self._may_write(path):
            self.path_edit.setText(str(path))

    def _may_write(self, path: Path) -> bool:
        """Whether the export may go to `path`: refused with the reason when what is there is
        not an earlier export of this format (or is the project); asked when it would replace
        one."""
        try:
            check_target(
                path,
                writer_for(self.fmt()),
                folder=self.writes_folder(),
                overwrite=True,
                project=self._workspace.project.path,
            )
        except InputError as exc:
            show_error(self, "Export", str(exc))
            return False
        empty_folder = path.is_dir() and not any(path.iterdir())
        if path == self._overwrite_path or not path.exists() or empty_folder:
            return True
        if ask(self, "Replace File?", f"{path.name} already exists. Replace it?"):
            self._overwrite_path = path
            return True
        return False

    @qt_override()
    def accept(self) -> None:
        """Close with OK only with a usable output path (and consent to replace an export)."""
        path = self.path()
        if path is None:
            show_error(self, "Export", "Choose a file to export to.")
            return
        if self.labels() == ():
            show_error(self, "Export", "Tick at least one label to export.")
            return
        if no_layer_chosen(self.layer_combo):
            show_error(self, "Export", NO_DEFAULT_LAYER)
            return
        try:
            self.split()  # a bad split is refused here, with its reason
            may_write = self._may_write(path)
        except AnnotatorError as exc:
            show_error(self, "Export", str(exc))
            return
        if may_write:
            super().accept()

    def _on_path_edit_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))


class ExportController(FileTaskController):
    """File > Export: show the dialog, run the export in a worker, report what was written.

    Owned by the window, not by the dialog: the dialog is gone when the export ends, and the
    report or the error must still reach the user.
    """

    exported = Signal(object)  # ExportReport
    dialog: ExportDialog | None = None

    def open_dialog(self) -> ExportDialog:
        """Show the export dialog (window-modal, non-blocking); OK starts the export."""
        dialog = ExportDialog(self._workspace, self._parent, start_dir=self.last_dir)
        dialog.restore(self._remembered_choices())
        dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def run(self, options: ExportOptions) -> TaskHandle:
        """Export in a worker with a progress dialog."""
        self.remember_dir(options.out.parent)
        return self._start(
            run_export,
            options.fmt,
            options.out,
            layer=options.layer,
            only_done=options.only_done,
            labels=options.labels,
            split=options.split,
            seed=options.seed,
            overwrite=options.overwrite,
            max_tokens=options.max_tokens,
            title="Exporting",
            label="Exporting documents",
            on_succeeded=self._on_export_succeeded,
            on_failed=self._on_export_failed,
        )

    def _choices_key(self) -> str:
        project = hashlib.sha1(self._workspace.project.location.encode()).hexdigest()[:16]
        return f"export/choices/{project}"

    def _remembered_choices(self) -> Mapping[str, Any]:
        """This project's last export choices; {} when none (or the stored text is not JSON)."""
        stored = self._settings.value(self._choices_key(), "") if self._settings else ""
        try:
            choices = json.loads(str(stored)) if stored else {}
        except ValueError:
            return {}
        return choices if isinstance(choices, dict) else {}

    def _on_dialog_accepted(self) -> None:
        dialog = self.dialog
        if dialog is not None:
            if self._settings is not None:
                self._settings.setValue(self._choices_key(), json.dumps(dialog.choices()))
            self.run(dialog.options())
            if self._parent is not None:
                dialog.deleteLater()
            self.dialog = None

    def _on_export_succeeded(self, report: ExportReport) -> None:
        self.exported.emit(report)
        inform(self._parent, "Export Finished", export_message(report))

    def _on_export_failed(self, error: BaseException) -> None:
        self._report_failure("Export", error, "The export was cancelled; no file was written.")
