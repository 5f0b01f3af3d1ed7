"""What File > Import and File > Export share: wording, the remembered folder, the task flow.

`FileTaskController` runs a plain task body (`run_import`, `run_export`) in a worker with a
progress dialog; the body opens its own Project on the workspace's location.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QSettings
from PySide6.QtWidgets import QWidget

from annotator.core.errors import Cancelled
from annotator.ui.error_dialog import show_error
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

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
EXPORT_FORMAT_NAMES = {
    "jsonl": "JSON Lines (Prodigy-compatible)",
    "spacy": "spaCy training data (DocBin)",
    "conll": "CoNLL-2003 (IOB2 tags)",
    "hf": "Hugging Face dataset (tokens and tags)",
    "csv": "CSV, one row per span",
    "csv-excel": "CSV for Excel",
    "brat": "brat standoff (folder)",
    "xmi": "UIMA CAS XMI for INCEpTION (folder)",
    "doccano": "doccano JSONL (sequence labelling; relation extraction with relations)",
    "prodigy": "Prodigy JSONL (relations examples)",
    "labelstudio": "Label Studio tasks and labeling config (folder)",
}
"""What File > Export calls each format; a format missing here shows its short name."""


class FileTaskController(QObject):
    """Base of the import and export controllers: one task at a time, reported to `parent`."""

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
        self._settings = settings
        stored = settings.value(LAST_DIR_KEY, "") if settings is not None else ""
        self.last_dir: str = str(stored) if stored and Path(str(stored)).is_dir() else ""
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None

    def remember_dir(self, folder: str | Path) -> None:
        """Start the next file dialog in `folder` (persisted when settings were given)."""
        self.last_dir = str(folder)
        if self._settings is not None:
            self._settings.setValue(LAST_DIR_KEY, self.last_dir)

    def _start(
        self,
        task: Callable[..., Any],
        *args: Any,
        title: str,
        label: str,
        on_succeeded: Callable[[Any], None],
        on_failed: Callable[[BaseException], None],
        **kwargs: Any,
    ) -> TaskHandle:
        """Run `task(project location, *args, **kwargs)` in a worker with a progress dialog."""
        handle = self._runner.submit(
            task, self._workspace.project.location, *args, title=title, **kwargs
        )
        handle.succeeded.connect(on_succeeded)
        handle.failed.connect(on_failed)
        self.handle = handle
        self.progress_dialog = TaskProgressDialog(handle, self._parent, label=label)
        return handle

    def _report_failure(self, action: str, error: BaseException, cancelled: str) -> bool:
        """Show why the task stopped ("<action> Cancelled" says `cancelled`); False if cancelled."""
        if isinstance(error, Cancelled):
            show_error(self._parent, f"{action} Cancelled", Cancelled(cancelled))
            return False
        show_error(self._parent, f"{action} Failed", error)
        return True
