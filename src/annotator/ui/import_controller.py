"""File > Import: pick files or a folder, import them in a worker, report the outcome.

`run_import` is the plain task body run by a TaskRunner: it opens its own Project on the
workspace's location, holds WRITE_LOCK, and closes the project again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog

from annotator.core.errors import ImportFailed, UnknownLabels
from annotator.core.model import Changes
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.core.project.store import write_lock
from annotator.io.importer import FileImportReport, import_files
from annotator.io.registry import EXTENSIONS, iter_input_files
from annotator.ui.error_dialog import show_error
from annotator.ui.file_tasks import FORMAT_NAMES, FileTaskController
from annotator.ui.plain import ask, inform
from annotator.ui.wording import plural
from annotator.ui.workers import TaskHandle


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
    add_labels: bool = False,
    progress: Progress,
) -> FileImportReport:
    """Task body: import files into the project at `location` (own Project, WRITE_LOCK held)."""
    with write_lock(progress), Project(location) as project:
        try:
            return import_files(
                project,
                paths,
                fmt,
                annotator=annotator,
                skip_bad=skip_bad,
                add_labels=add_labels,
                progress=progress,
            )
        except ImportFailed as exc:
            raise BadFilesFound(exc.errors, iter_input_files(paths)) from None


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
        f"Read {plural(len(report.files), 'file')}.",
        f"Documents: {stored.documents_added:,} added, "
        f"{stored.documents_existing:,} already present.",
        f"Spans: {stored.spans_added:,} added, {stored.spans_existing:,} already present.",
    ]
    if stored.suggestions_added or stored.suggestions_existing:
        lines.append(
            f"Suggestions: {stored.suggestions_added:,} added, "
            f"{stored.suggestions_existing:,} already present or decided."
        )
    if stored.labels_added:
        lines.append("New labels: " + ", ".join(stored.labels_added))
    if stored.labels_respelled:
        taken = ", ".join(f"{a} as {b}" for a, b in stored.labels_respelled.items())
        lines.append(f"Labels matched apart from case: {taken}")
    if stored.near_duplicates:
        shown = stored.near_duplicates[:5]
        lines.append(f"{plural(len(stored.near_duplicates), 'near-duplicate')}:")
        lines += [f"• {near}" for near in shown]
        if len(stored.near_duplicates) > len(shown):
            lines.append("…")
    lines.extend(
        f"{summary.path.name}: {'; '.join(summary.skipped)}"
        for summary in report.per_file
        if summary.skipped
    )
    if report.skipped:
        bad = sorted({e.path for e in report.skipped})
        names = ", ".join(Path(b).name for b in bad[:5]) + (" …" if len(bad) > 5 else "")
        lines.append(f"Skipped {plural(len(bad), 'file')} with problems: {names}")
    return "\n".join(lines)


@dataclass(frozen=True)
class _ImportRequest:
    paths: tuple[Path, ...]
    fmt: str
    annotator: str | None
    skip_bad: bool
    add_labels: bool


class ImportController(FileTaskController):
    """File > Import: pick files or a folder, import them in a worker, report the outcome."""

    imported = Signal(object)  # FileImportReport

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
        add_labels: bool = False,
    ) -> TaskHandle | None:
        """Import `paths` in a worker with a progress dialog; None if the project is read-only.

        `annotator` receives spans whose file names nobody (default: the "import" layer); labels
        the spans carry that the project lacks refuse the import unless `add_labels` (after a
        refusal the user is asked whether to add them).
        """
        if self._workspace.read_only:
            show_error(self._parent, "Import", "This project is open read-only; cannot import.")
            return None
        request = _ImportRequest(
            tuple(Path(p) for p in paths), fmt, annotator, skip_bad, add_labels
        )
        return self._start(
            run_import,
            request.paths,
            fmt,
            annotator=annotator,
            skip_bad=skip_bad,
            add_labels=add_labels,
            title="Importing",
            label="Importing files (KiB read)",
            on_succeeded=self._on_import_succeeded,
            on_failed=lambda error: self._on_import_failed(request, error),
        )

    def _on_import_succeeded(self, report: FileImportReport) -> None:
        stored = report.stored
        self._workspace.announce(
            Changes(documents=frozenset(stored.document_ids), labels=frozenset(stored.labels_added))
        )
        self.imported.emit(report)
        inform(self._parent, "Import Finished", import_summary(report))

    def _on_import_failed(self, request: _ImportRequest, error: BaseException) -> None:
        cancelled = "The import was cancelled; nothing was stored."
        if not self._report_failure("Import", error, cancelled):
            return
        if isinstance(error, UnknownLabels):
            which = ("label " if len(error.names) == 1 else "labels ") + ", ".join(error.names)
            if ask(self._parent, "Add Labels?", f"Add {which} to the project?"):
                self._import_again(replace(request, add_labels=True))
            return
        if not isinstance(error, BadFilesFound) or request.skip_bad:
            return
        good = len(error.good_files())
        if not good:
            return
        if ask(
            self._parent,
            "Skip Bad Files?",
            f"Import the {plural(good, 'good file')} and skip the bad ones?",
        ):
            self._import_again(replace(request, skip_bad=True))

    def _import_again(self, request: _ImportRequest) -> None:
        self.import_paths(
            request.paths,
            request.fmt,
            request.skip_bad,
            annotator=request.annotator,
            add_labels=request.add_labels,
        )
