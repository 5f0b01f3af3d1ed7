"""Edit → Undo and Redo. A bulk step (Accept All over thousands of suggestions, accepting every
agreed span, removing a label with its spans: `core.commands.is_bulk`) is undone or redone in a
worker, as Accept All itself runs, with a progress dialog after 300 ms; other steps run at once.
A bulk command's first apply (accepting every agreed span of a document) runs the same way:
`Workspace.execute` hands it to `apply`.

One step at a time: an undo or redo asked for while a background step (or Accept All) runs
waits its turn, in order, and the status bar says so. The undo stack moves only when the step
has committed; a refused step (changed by someone else since) shows its message, stays where
it was, and the requests waiting behind it are dropped (the status bar says how many).
"""

from __future__ import annotations

from collections import deque

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QWidget

from annotator.core.commands import Command, carried_out, is_bulk
from annotator.core.errors import Cancelled
from annotator.core.model import Changes
from annotator.core.progress import Progress, check_cancelled
from annotator.core.project import Project
from annotator.core.project.store import write_lock
from annotator.ui.progress_dialog import TaskProgressDialog
from annotator.ui.status_bar import StatusBarController
from annotator.ui.undo import CoreUndoCommand
from annotator.ui.workers import TaskHandle, TaskRunner
from annotator.ui.workspace import Workspace

_DOING = {"undo": "Undoing", "redo": "Redoing"}


def run_step(location: str, command: Command, verb: str, *, progress: Progress) -> Changes:
    """Task body: undo (`verb` "undo": revert) or redo (apply) `command` as one transaction on
    the project at `location` (own Project, WRITE_LOCK); its changes."""
    with write_lock(progress), Project(location) as project:
        check_cancelled(progress)  # the last moment a cancel still changes nothing
        return carried_out(project, command.revert if verb == "undo" else command.apply)


class UndoSteps(QObject):
    """Runs the window's undo and redo requests one at a time, bulk ones in a worker."""

    def __init__(
        self,
        workspace: Workspace,
        runner: TaskRunner,
        status: StatusBarController,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._runner = runner
        self._status = status
        self._parent = parent
        self._waiting: deque[str] = deque()
        self.handle: TaskHandle | None = None
        self.progress_dialog: TaskProgressDialog | None = None
        workspace.background_ended.connect(self._on_workspace_background_ended)
        workspace.in_background = self.apply

    def undo(self) -> None:
        """Undo the last step (after the step running now, if any)."""
        self._ask("undo")

    def redo(self) -> None:
        """Redo the step undone last (after the step running now, if any)."""
        self._ask("redo")

    def apply(self, command: Command) -> bool:
        """Carry out a bulk command for the first time in a worker; it goes on the undo stack
        once committed (a refusal is shown then)."""
        handle = self._submit("apply", command, command.text, f"{command.text}…")
        handle.succeeded.connect(lambda changes: self._on_applied(command, changes))
        handle.failed.connect(lambda error: self._on_failed("apply", command.text, error))
        return True

    def _ask(self, verb: str) -> None:
        running = self._workspace.background
        if running is None:
            self._step(verb)
            return
        self._waiting.append(verb)
        asked = ", ".join(self._waiting)
        self._status.note(f"Waiting for '{running}' to end, then: {asked}.")

    def _step(self, verb: str) -> bool:
        """Run one undo or redo; False when it did not happen (nothing to do, or refused)."""
        ws = self._workspace
        step = ws.next_step(verb)
        if step is None or not is_bulk(step.command):
            return ws.undo() if verb == "undo" else ws.redo()
        name, label = f"{verb.capitalize()} {step.text()}", f"{_DOING[verb]} {step.text()}…"
        handle = self._submit(verb, step.command, name, label)
        handle.succeeded.connect(lambda changes: self._on_succeeded(verb, step, changes))
        handle.failed.connect(lambda error: self._on_failed(verb, step.text(), error))
        return True

    def _submit(self, verb: str, command: Command, name: str, label: str) -> TaskHandle:
        """Run the command's step (`verb`) in a worker; the workspace waits for it."""
        ws = self._workspace
        ws.begin_background(name)
        handle = self._runner.submit(run_step, ws.project.location, command, verb, title=name)
        self.handle = handle
        self.progress_dialog = TaskProgressDialog(handle, self._parent, label=label)
        return handle

    def _on_applied(self, command: Command, changes: Changes) -> None:
        self._parent.activateWindow()
        self._workspace.push_applied(command, changes)
        self._workspace.end_background(True)

    def _on_succeeded(self, verb: str, step: CoreUndoCommand, changes: Changes) -> None:
        ws = self._workspace
        self._parent.activateWindow()  # keys go to the window again, with or without a WM
        if ws.next_step(verb) is step:
            step.take(changes)  # the stack moves; the step only announces what the worker did
            if verb == "undo":
                ws.undo()
            else:
                ws.redo()
        else:  # the stack was emptied meanwhile (another annotator chosen): show what changed
            ws.announce(changes)
        ws.end_background(True)

    def _on_failed(self, verb: str, text: str, error: BaseException) -> None:
        self._parent.activateWindow()
        dropped = self._drop_waiting()
        self._workspace.end_background(False)
        if isinstance(error, Cancelled):
            doing = f"{_DOING[verb]} '{text}'" if verb in _DOING else f"'{text}'"
            self._status.note(f"{doing} cancelled; nothing was changed.")
            return
        cannot = f"Cannot {verb} {text}: " if verb in _DOING else ""
        self._workspace.error_raised.emit(f"{cannot}{error}{dropped}")

    def _drop_waiting(self) -> str:
        """Forget the requests waiting; a sentence saying how many ("" for none)."""
        count = len(self._waiting)
        self._waiting.clear()
        if not count:
            return ""
        if count == 1:
            return ". The undo or redo asked after it was not run"
        return f". The {count:,} undos and redos asked after it were not run"

    def _on_workspace_background_ended(self, committed: bool) -> None:
        """Run the requests that waited, in order, until one goes to a worker or does not
        happen; after a step that did not commit, none (they were asked with it in mind)."""
        while self._waiting and self._workspace.background is None:
            if not committed or not self._step(self._waiting.popleft()):
                dropped = self._drop_waiting()
                if dropped:
                    self._status.note(dropped.removeprefix(". ") + ".")
