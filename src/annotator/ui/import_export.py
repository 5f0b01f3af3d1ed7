"""Import and export from the desktop app: file pickers, the export dialog, and the workers.

The task bodies (`run_import`, `run_export`) are plain functions run by a TaskRunner: each opens
its own Project on the workspace's location and closes it; imports hold WRITE_LOCK.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import Cancelled, ImportFailed
from annotator.core.layers import ALL, GOLD, MAJORITY, SUGGESTIONS
from annotator.core.model import Changes
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.io.exporter import FORMATS, ExportReport, export
from annotator.io.importer import FileImportReport, import_files
from annotator.io.registry import EXTENSIONS, iter_input_files
from annotator.ui.error_dialog import show_error
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.workers import TaskHandle, TaskRunner, write_lock
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)

LAST_DIR_KEY = "import/last_dir"
FORMAT_NAMES = {
    "txt": "Plain text",
    "md": "Markdown",
    "jsonl": "JSON Lines",
    "csv": "CSV / TSV",
    "html": "HTML",
    "pdf": "PDF",
    "docx": "Word documents",
}
EXPORT_SUFFIXES = {"jsonl": ".jsonl", "spacy": ".spacy", "conll": ".conll", "csv": ".csv"}
YES, NO = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


class BadFilesFound(ImportFailed):
    """ImportFailed plus every file the import would read, to offer importing only the good."""

    def __init__(self, errors: list, files: list[Path]) -> None:
        super().__init__(errors)
        self.files = files

    def good_files(self) -> list[Path]:
        """Files with no reported problem."""
        bad = {e.path for e in self.errors}
        return [f for f in self.files if str(f) not in bad]


def run_import(
    location: str,
    paths: Sequence[Path],
    fmt: str = "auto",
    *,
    annotator: str | None = None,
    skip_bad: bool = False,
    progress: Progress,
) -> FileImportReport:
    """Task body: import files into the project at `location` (own Project, WRITE_LOCK held)."""
    with write_lock(progress), Project(location) as project:
        try:
            return import_files(
                project, paths, fmt, annotator=annotator, skip_bad=skip_bad, progress=progress
            )
        except ImportFailed as exc:
            raise BadFilesFound(exc.errors, iter_input_files(paths)) from None


def run_export(
    location: str,
    fmt: str,
    out: Path,
    *,
    layer: str = ALL,
    only_done: bool = False,
    overwrite: bool = False,
    progress: Progress,
) -> ExportReport:
    """Task body: export a layer of the project at `location` (own Project; reads only)."""
    with Project(location) as project:
        return export(
            project,
            fmt,
            out,
            layer=layer,
            only_done=only_done,
            overwrite=overwrite,
            progress=progress,
        )


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def import_file_filter() -> str:
    """QFileDialog filter: all supported files, one entry per format, then all files."""
    by_format: dict[str, list[str]] = {}
    for ext, fmt in EXTENSIONS.items():
        by_format.setdefault(fmt, []).append(f"*{ext}")
    everything = " ".join(p for patterns in by_format.values() for p in patterns)
    entries = [f"All supported files ({everything})"]
    entries += [f"{FORMAT_NAMES.get(f, f.upper())} ({' '.join(p)})" for f, p in by_format.items()]
    entries.append("All files (*)")
    return ";;".join(entries)


def import_summary(report: FileImportReport) -> str:
    """The short text shown after an import."""
    stored = report.stored
    lines = [
        f"Read {_plural(len(report.files), 'file')}.",
        f"Documents: {stored.documents_added:,} added, "
        f"{stored.documents_existing:,} already present.",
        f"Spans: {stored.spans_added:,} added, {stored.spans_existing:,} already present.",
    ]
    if stored.labels_added:
        lines.append("New labels: " + ", ".join(stored.labels_added))
    if report.skipped:
        bad = sorted({e.path for e in report.skipped})
        names = ", ".join(Path(b).name for b in bad[:5]) + (" …" if len(bad) > 5 else "")
        lines.append(f"Skipped {_plural(len(bad), 'file')} with problems: {names}")
    return "\n".join(lines)


class _Remembers:
    """The last folder used in a file dialog, persisted in QSettings when one is given."""

    def _init_last_dir(self, settings: QSettings | None) -> None:
        self._settings = settings
        stored = settings.value(LAST_DIR_KEY, "") if settings is not None else ""
        self.last_dir: str = str(stored) if stored and Path(str(stored)).is_dir() else ""

    def remember_dir(self, folder: str | Path) -> None:
        """Start the next file dialog in `folder`."""
        self.last_dir = str(folder)
        if self._settings is not None:
            self._settings.setValue(LAST_DIR_KEY, self.last_dir)


@dataclass(frozen=True)
class _ImportRequest:
    paths: tuple[Path, ...]
    fmt: str
    annotator: str | None
    skip_bad: bool


class ImportController(QObject, _Remembers):
    """File > Import: pick files or a folder, import them in a worker, report the outcome."""

    imported = Signal(object)  # FileImportReport

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = runner
        self._parent = parent
        self._init_last_dir(settings)
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None

    def import_files(self) -> TaskHandle | None:
        """Ask for files (filtered by format) and import them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, "Import Files", self.last_dir, import_file_filter()
        )
        if not paths:
            return None
        self.remember_dir(Path(paths[0]).parent)
        return self.import_paths(paths)

    def import_folder(self) -> TaskHandle | None:
        """Ask for a folder and import every known-format file under it."""
        folder = QFileDialog.getExistingDirectory(self._parent, "Import Folder", self.last_dir)
        if not folder:
            return None
        self.remember_dir(folder)
        return self.import_paths([folder])

    def import_paths(
        self,
        paths: Sequence[str | Path],
        fmt: str = "auto",
        skip_bad: bool = False,
        *,
        annotator: str | None = None,
    ) -> TaskHandle | None:
        """Import `paths` in a worker with a progress dialog; None if the project is read-only.

        `annotator` receives spans whose file names nobody (default: the "import" layer).
        """
        if self._workspace.read_only:
            show_error(self._parent, "Import", "This project is open read-only; cannot import.")
            return None
        request = _ImportRequest(tuple(Path(p) for p in paths), fmt, annotator, skip_bad)
        handle = self._runner.submit(
            run_import,
            self._workspace.project.location,
            request.paths,
            fmt,
            annotator=annotator,
            skip_bad=skip_bad,
            title="Importing",
        )
        handle.succeeded.connect(self._on_import_succeeded)
        handle.failed.connect(lambda error: self._on_import_failed(request, error))
        self.handle = handle
        self.progress_dialog = TaskProgressDialog(handle, self._parent, label="Importing files")
        return handle

    def _on_import_succeeded(self, report: FileImportReport) -> None:
        stored = report.stored
        self._workspace.announce(
            Changes(documents=frozenset(stored.document_ids), labels=frozenset(stored.labels_added))
        )
        self.imported.emit(report)
        QMessageBox.information(self._parent, "Import Finished", import_summary(report))

    def _on_import_failed(self, request: _ImportRequest, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            show_error(
                self._parent,
                "Import Cancelled",
                Cancelled("The import was cancelled; nothing was stored."),
            )
            return
        show_error(self._parent, "Import Failed", error)
        if not isinstance(error, BadFilesFound) or request.skip_bad:
            return
        good = len(error.good_files())
        if not good:
            return
        answer = QMessageBox.question(
            self._parent,
            "Skip Bad Files?",
            f"Import the {_plural(good, 'good file')} and skip the bad ones?",
            YES | NO,
            NO,
        )
        if answer == YES:
            self.import_paths(request.paths, request.fmt, True, annotator=request.annotator)


@dataclass(frozen=True)
class ExportOptions:
    """What the export dialog asks for."""

    fmt: str
    layer: str
    out: Path
    only_done: bool = False
    overwrite: bool = False


def layer_choices(workspace: Workspace) -> list[tuple[str, str, bool]]:
    """(text, layer name, enabled) for the layer combo, in display order."""
    annotators = workspace.project.annotators()
    has_gold = any(a.is_gold for a in annotators)
    me = workspace.annotator
    choices = [
        ("All annotators", ALL, True),
        (f"Me ({me})", me, True),
        ("Gold", GOLD, has_gold),
        ("Majority", MAJORITY, True),
        ("Suggestions", SUGGESTIONS, True),
    ]
    choices += [(a.name, a.name, True) for a in annotators if a.name != me]
    return choices


class ExportDialog(QDialog):
    """File > Export: format, layer, finished-only, and the output file (asks before replacing).

    Given a runner, OK also starts the export through its own ExportController, so
    `ExportDialog(workspace, runner, window).exec()` is a complete File > Export.
    """

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
        *,
        start_dir: str = "",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Export")
        self._workspace = workspace
        self._start_dir = start_dir or str(Path.home())
        self._overwrite_path: Path | None = None
        self.controller: ExportController | None = None
        if runner is not None:
            self.controller = ExportController(workspace, runner, parent)
            self.controller.setParent(self)  # lives as long as the dialog; reports to `parent`
            self.accepted.connect(self._on_accepted)

        self.format_combo = QComboBox(self)
        for fmt in FORMATS:
            self.format_combo.addItem(f"{FORMAT_NAMES.get(fmt, fmt)} ({fmt})", fmt)
        self.layer_combo = QComboBox(self)
        for i, (text, name, enabled) in enumerate(layer_choices(workspace)):
            self.layer_combo.addItem(text, name)
            if not enabled:
                self.layer_combo.model().item(i).setEnabled(False)
                self.layer_combo.setItemData(i, "No gold layer yet", Qt.ItemDataRole.ToolTipRole)
        self.only_done_check = QCheckBox("Only finished documents", self)
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
        form.addRow("&Output file:", row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.buttons)

        self.browse_button.clicked.connect(self.browse)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(self._on_path_edit_changed)
        self._on_path_edit_changed(self.path_edit.text())

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

    def options(self) -> ExportOptions:
        """The choices made (call after the dialog was accepted)."""
        out = self.path() or Path()
        return ExportOptions(
            fmt=self.fmt(),
            layer=self.layer_combo.currentData(),
            out=out,
            only_done=self.only_done_check.isChecked(),
            overwrite=out == self._overwrite_path,
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
            f"{FORMAT_NAMES.get(fmt, fmt)} (*{suffix});;All files (*)",
            "",
            QFileDialog.Option.DontConfirmOverwrite,
        )
        if not name:
            return
        path = Path(name)
        if not path.suffix:
            path = path.with_suffix(suffix)
        if path.exists() and not self._confirm_overwrite(path):
            return
        self.path_edit.setText(str(path))

    def _confirm_overwrite(self, path: Path) -> bool:
        answer = QMessageBox.question(
            self, "Replace File?", f"{path.name} already exists. Replace it?", YES | NO, NO
        )
        if answer == YES:
            self._overwrite_path = path
            return True
        return False

    def accept(self) -> None:
        """Close with OK only with a usable output path (and consent to replace a file)."""
        try:
            path = self.path()
            if path is None:
                show_error(self, "Export", "Choose a file to export to.")
                return
            if path.is_dir():
                show_error(self, "Export", f"{path} is a folder; choose a file name.")
                return
            if path.exists() and path != self._overwrite_path and not self._confirm_overwrite(path):
                return
            super().accept()
        except Exception:
            log.exception("export dialog accept failed")

    def _on_accepted(self) -> None:
        if self.controller is not None:
            self.controller.run(self.options())

    def _on_path_edit_changed(self, text: str) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text.strip()))


class ExportController(QObject, _Remembers):
    """File > Export: show the dialog, run the export in a worker, report what was written."""

    exported = Signal(object)  # ExportReport

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        parent: QWidget | None = None,
        *,
        settings: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = runner
        self._parent = parent
        self._init_last_dir(settings)
        self.dialog: ExportDialog | None = None
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None

    def open_dialog(self) -> ExportDialog:
        """Show the export dialog (window-modal, non-blocking); OK starts the export."""
        dialog = ExportDialog(self._workspace, None, self._parent, start_dir=self.last_dir)
        dialog.accepted.connect(self._on_dialog_accepted)
        self.dialog = dialog
        dialog.open()
        return dialog

    def run(self, options: ExportOptions) -> TaskHandle:
        """Export in a worker with a progress dialog."""
        self.remember_dir(options.out.parent)
        handle = self._runner.submit(
            run_export,
            self._workspace.project.location,
            options.fmt,
            options.out,
            layer=options.layer,
            only_done=options.only_done,
            overwrite=options.overwrite,
            title="Exporting",
        )
        handle.succeeded.connect(self._on_export_succeeded)
        handle.failed.connect(self._on_export_failed)
        self.handle = handle
        self.progress_dialog = TaskProgressDialog(handle, self._parent, label="Exporting documents")
        return handle

    def _on_dialog_accepted(self) -> None:
        dialog = self.dialog
        if dialog is not None:
            self.run(dialog.options())
            if self._parent is not None:
                dialog.deleteLater()
            self.dialog = None

    def _on_export_succeeded(self, report: ExportReport) -> None:
        self.exported.emit(report)
        spans = sum(report.spans_per_label.values())
        QMessageBox.information(
            self._parent,
            "Export Finished",
            f"Wrote {_plural(report.documents, 'document')} with {_plural(spans, 'span')} "
            f"to {report.path}.",
        )

    def _on_export_failed(self, error: BaseException) -> None:
        if isinstance(error, Cancelled):
            error = Cancelled("The export was cancelled; no file was written.")
            show_error(self._parent, "Export Cancelled", error)
        else:
            show_error(self._parent, "Export Failed", error)
