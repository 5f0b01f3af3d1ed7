"""Opening a project (file or server) in a worker: a busy dialog, Cancel, and the password prompt.

The one place the desktop app opens projects. Opening may upgrade an old file (after a backup
copy) or wait up to 10 s for a server, so it runs as a task body on a TaskRunner while the event
loop keeps running. Cancel abandons the open at once: the worker closes what it opened, and the
current project stays as it was.

The Project made on the worker is then used on the GUI thread. That is safe: the worker is done
with it before its outcome is delivered, SQLAlchemy 2 gives file databases a QueuePool with
`check_same_thread=False` (pysqlite's default for files), and psycopg connections may move
between threads.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from annotator.core.errors import AnnotatorError, Cancelled
from annotator.core.progress import Progress, check_cancelled
from annotator.core.project import Project
from annotator.core.samples import open_default_project
from annotator.core.storage.engine import display_name, is_url
from annotator.ui.error_dialog import show_error
from annotator.ui.keyring_store import hold_saved_password
from annotator.ui.plain import plain_box
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.server_dialog import ask_password, asks_password
from annotator.ui.workers import TaskHandle, TaskRunner

Target = Path | str | None
"""A project file, a server URL, or None: the default project ($ANNOTATOR_DB, else default.db)."""


def startup_target(target: Target) -> Target:
    """`target`, or the server URL in $ANNOTATOR_DB when none is given (so it gets the
    password prompt); None still means the default project."""
    override = os.environ.get("ANNOTATOR_DB", "")
    return override if target is None and is_url(override) else target


def open_target(target: Target, create: bool = False, *, progress: Progress) -> Project:
    """Task body: open (with `create`, make) the project; closed again if cancelled meanwhile."""
    check_cancelled(progress)
    if target is not None and is_url(target):
        hold_saved_password(str(target))
    if target is None:
        project = open_default_project()
    else:
        project = Project.create(target) if create else Project.open(target)
    if progress.cancelled():
        project.close()
        raise Cancelled("opening cancelled; the current project stays open")
    return project


def _short_name(target: Target) -> str:
    """What the busy dialog calls the project: a file's name, or the URL without password."""
    if target is None:
        return "the default project"
    return display_name(target) if is_url(target) else Path(target).name


class _BusyDialog(TaskProgressDialog):
    """The dialog shown while a project opens: Cancel, Escape or closing it abandon the open."""

    abandoned = Signal()

    def _on_dialog_canceled(self) -> None:
        super()._on_dialog_canceled()
        self.abandoned.emit()


class ProjectOpener(QObject):
    """Opens one project at a time in the background; `opened` hands it to the GUI thread."""

    opened = Signal(object, object)  # the open Project, the target it was opened from
    busy_changed = Signal(bool)  # True from start() until the open succeeded, failed or stopped

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runner = TaskRunner(self, max_threads=2)  # an abandoned open may still be running
        self.handle: TaskHandle | None = None
        self.dialog: _BusyDialog | None = None
        self.busy = False
        self._parent: QWidget | None = None

    def start(self, target: Target, *, create: bool = False, parent: QWidget | None = None) -> bool:
        """Begin opening `target` (dialogs go over `parent`); False while another open runs."""
        if self.busy:
            return False
        self.busy, self._parent = True, parent
        self.busy_changed.emit(True)
        self._submit(startup_target(target), create)
        return True

    def cancel(self) -> None:
        """Abandon the open: whatever the worker opens is closed; the current project stays."""
        if self.handle is not None:
            self.handle.cancel()
            self._settle()

    def _submit(self, target: Target, create: bool) -> None:
        handle = self.runner.submit(open_target, target, create, title="Open Project")
        self.handle = handle
        handle.succeeded.connect(lambda project: self._on_succeeded(handle, target, project))
        handle.failed.connect(lambda error: self._on_failed(handle, target, create, error))
        name = _short_name(target)
        self.dialog = _BusyDialog(handle, self._parent, label=f"Opening {name}…")
        self.dialog.abandoned.connect(self.cancel)

    def _on_succeeded(self, handle: TaskHandle, target: Target, project: Project) -> None:
        if handle is not self.handle:  # abandoned meanwhile
            project.close()
            return
        self._settle()
        self.opened.emit(project, target)

    def _on_failed(
        self, handle: TaskHandle, target: Target, create: bool, error: BaseException
    ) -> None:
        if handle is not self.handle:
            return  # abandoned: nothing to report
        self._drop_task()
        if isinstance(error, Cancelled):
            self._settle()
            return
        if target is not None and is_url(target) and asks_password(str(error)):
            retry = ask_password(self._parent, str(target), str(error), self.runner)
            if retry is not None:
                self._submit(retry, create)
                return
        elif isinstance(error, AnnotatorError):
            title = "Cannot create project" if create else "Cannot open project"
            plain_box(self._parent, QMessageBox.Icon.Critical, title, str(error)).exec()
        else:
            show_error(self._parent, "Cannot open project", error)
        self._settle()

    def _drop_task(self) -> None:
        """Forget the current task and take its busy dialog down."""
        self.handle = None
        if self.dialog is not None:
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
            self.dialog = None

    def _settle(self) -> None:
        """The open is over (opened, failed or abandoned): open actions may run again."""
        self._drop_task()
        if self.busy:
            self.busy = False
            self.busy_changed.emit(False)
