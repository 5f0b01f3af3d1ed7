"""File > Merge Project: pick project files or JSONL, merge them in a worker, show the report.

`run_merge` is the plain task body run by a TaskRunner: it opens its own Project on the
workspace's location, holds WRITE_LOCK, and closes the project again.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog

from annotator.core.merge_records import MergeReport
from annotator.core.model import Changes
from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.core.project.store import write_lock
from annotator.io.merge_input import merge_files
from annotator.ui.error_dialog import show_error
from annotator.ui.file_tasks import FileTaskController
from annotator.ui.merge_report_dialog import MergeReportDialog
from annotator.ui.workers import TaskHandle

MERGE_FILTER = ";;".join(
    (
        "Projects and JSON Lines (*.db *.sqlite *.jsonl *.ndjson)",
        "Annotator projects (*.db *.sqlite)",
        "JSON Lines (*.jsonl *.ndjson)",
        "All files (*)",
    )
)


def run_merge(location: str, paths: Sequence[Path], *, progress: Progress) -> MergeReport:
    """Task body: merge files into the project at `location` (own Project, WRITE_LOCK held)."""
    with write_lock(progress), Project(location) as project:
        return merge_files(project, paths, progress=progress)


class MergeController(FileTaskController):
    """File > Merge Project: choose files, merge them in a worker, report the outcome."""

    merged = Signal(object)  # MergeReport

    report_dialog: MergeReportDialog | None = None

    def merge_project(self) -> TaskHandle | None:
        """Ask for project files or JSONL files and merge them."""
        paths, _ = QFileDialog.getOpenFileNames(
            self._parent, "Merge Project", self.last_dir, MERGE_FILTER
        )
        if not paths:
            return None
        self.remember_dir(Path(paths[0]).parent)
        return self.merge_paths(paths)

    def merge_paths(self, paths: Sequence[str | Path]) -> TaskHandle | None:
        """Merge `paths` in a worker with a progress dialog; None if the project is read-only."""
        if self._workspace.read_only:
            show_error(self._parent, "Merge", "This project is open read-only; cannot merge.")
            return None
        return self._start(
            run_merge,
            tuple(Path(p) for p in paths),
            title="Merging",
            label="Merging projects",
            on_succeeded=self._on_merge_succeeded,
            on_failed=self._on_merge_failed,
        )

    def _on_merge_succeeded(self, report: MergeReport) -> None:
        self._workspace.announce(
            Changes(
                documents=frozenset(report.document_ids),
                labels=frozenset(report.labels_added),
                suggestions=frozenset(report.suggestion_document_ids),
            )
        )
        self.merged.emit(report)
        self.report_dialog = MergeReportDialog(report, self._parent)
        self.report_dialog.open()

    def _on_merge_failed(self, error: BaseException) -> None:
        self._report_failure("Merge", error, "The merge was cancelled; nothing was stored.")
