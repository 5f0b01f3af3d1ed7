"""Suggestions > Accept All: accept a document's pending suggestions in a worker, as one undo
step, with a progress dialog (shown after 300 ms) whose Cancel stores nothing.

The task body applies an AcceptSuggestionsCommand on its own Project (WRITE_LOCK held); the
GUI thread then pushes the applied command on the undo stack, so undo and redo are the
command's bulk revert and re-apply (in a worker too: ui/undo_steps.py). While it runs, the
workspace's other edits wait (`Workspace.begin_background`) and undo requests queue.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from annotator.core.commands import AcceptSuggestionsCommand, StartDocument
from annotator.core.errors import Cancelled
from annotator.core.model import Changes
from annotator.core.progress import NullProgress, Progress
from annotator.core.project import Project
from annotator.core.project.store import write_lock
from annotator.ui.error_dialog import show_error
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace


def run_accept(location: str, command: AcceptSuggestionsCommand, *, progress: Progress) -> Changes:
    """Task body: apply the command on the project at `location` (own Project, WRITE_LOCK)."""
    command.progress = progress
    try:
        with write_lock(progress), Project(location) as project:
            return command.apply(project)
    finally:
        command.progress = NullProgress()


class AcceptAllController(QObject):
    """Runs one Accept All at a time and reports its outcome to `parent`."""

    accepted = Signal(int)  # the document whose suggestions were accepted
    cancelled = Signal()

    def __init__(self, workspace: Workspace, runner: TaskRunner, parent: QWidget) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = runner
        self._parent = parent
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None

    def accept(self, document_id: int, suggestion_ids: tuple[int, ...]) -> TaskHandle | None:
        """Accept these suggestions of the open document; None if that is not possible."""
        workspace = self._workspace
        if workspace.refused_while_busy():
            return None
        annotator = workspace.annotator
        command = AcceptSuggestionsCommand(
            suggestion_ids, annotator, start_document=StartDocument(document_id, annotator)
        )
        handle = self._runner.submit(
            run_accept, workspace.project.location, command, title=command.text
        )
        handle.succeeded.connect(lambda changes: self._on_succeeded(document_id, command, changes))
        handle.failed.connect(self._on_failed)
        workspace.begin_background(command.text)
        self.handle = handle
        self.progress_dialog = TaskProgressDialog(
            handle, self._parent, label=f"{command.text.replace('Accept', 'Accepting')}…"
        )
        return handle

    def _on_succeeded(
        self, document_id: int, command: AcceptSuggestionsCommand, changes: Changes
    ) -> None:
        self._workspace.push_applied(command, changes)
        self._parent.activateWindow()  # keys go to the window again, with or without a WM
        self.accepted.emit(document_id)
        self._workspace.end_background(True)

    def _on_failed(self, error: BaseException) -> None:
        self._workspace.end_background(False)
        self._parent.activateWindow()
        if isinstance(error, Cancelled):
            self.cancelled.emit()
            return
        show_error(self._parent, "Accept All Failed", error)
