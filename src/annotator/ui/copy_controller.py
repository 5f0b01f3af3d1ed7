"""File > Save a Copy: write the whole project to a new file in a worker, e.g. to send it.

`run_copy` is the plain task body run by a TaskRunner: it opens its own Project on the
workspace's location and writes the copy through SQLite's backup API (Project.save_copy), so
changes still in the `-wal` come along; an existing file is never replaced (the task refuses
it with `PATH: exists; ...; nothing was written`, shown in an error dialog).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFileDialog

from annotator.core.progress import Progress
from annotator.core.project import Project
from annotator.ui.file_tasks import FileTaskController
from annotator.ui.workers import TaskHandle

COPY_FILTER = "Annotator projects (*.db);;All files (*)"


def run_copy(location: str, out: Path, *, progress: Progress) -> Path:
    """Task body: copy the project at `location` to the new file `out` (reads only)."""
    with Project(location) as project:
        project.save_copy(out)
    return out


class CopyController(FileTaskController):
    """File > Save a Copy: ask for a new file name, write the copy in a worker, report it."""

    copied = Signal(str)  # the new file

    def save_copy(self) -> TaskHandle | None:
        """Ask where to write the copy and write it."""
        project = self._workspace.project.path
        start = Path(self.last_dir) if self.last_dir else None
        if project is not None:
            start = (start or project.parent) / f"{project.stem}-copy{project.suffix}"
        out, _ = QFileDialog.getSaveFileName(
            self._parent,
            "Save a Copy",
            str(start or ""),
            COPY_FILTER,
            options=QFileDialog.Option.DontConfirmOverwrite,  # never replaced: refused instead
        )
        if not out:
            return None
        self.remember_dir(Path(out).parent)
        return self.copy_to(Path(out))

    def copy_to(self, out: Path) -> TaskHandle:
        """Write the copy to `out` in a worker with a progress dialog."""
        return self._start(
            run_copy,
            out,
            title="Saving a copy",
            label="Saving a copy of the project",
            on_succeeded=lambda written: self.copied.emit(str(written)),
            on_failed=self._on_copy_failed,
        )

    def _on_copy_failed(self, error: BaseException) -> None:
        self._report_failure("Save a Copy", error, "Saving the copy was cancelled.")
