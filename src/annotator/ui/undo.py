"""One generic QUndoCommand that runs a core command (apply on redo, revert on undo)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.commands import Command, carried_out
from annotator.core.errors import AnnotatorError
from annotator.core.model import Changes
from annotator.core.project import Project
from annotator.ui.guard import qt_override

log = logging.getLogger(__name__)


class CoreUndoCommand(QUndoCommand):
    """Adapts a core command to QUndoStack. It is pushed after its first apply succeeded, so
    the stack's initial redo() does nothing; later redo/undo call apply/revert.

    A refused or failed step leaves `applied` as it was and reports "Cannot undo ACTION:
    reason"; QUndoStack moves its index anyway, so Workspace moves it back (a second call in
    the same direction does nothing while `applied` says the step did not happen).

    A bulk step is carried out by a worker (ui/undo_steps.py), which hands its changes over
    with `take` before the stack moves: the next undo or redo then only announces them."""

    def __init__(
        self,
        project: Project,
        command: Command,
        on_changes: Callable[[Changes], None],
        on_error: Callable[[str], None],
    ) -> None:
        super().__init__(command.text)
        self._project = project
        self.command = command
        self._on_changes = on_changes
        self._on_error = on_error
        self.applied = True
        self._taken: Changes | None = None

    @qt_override()
    def redo(self) -> None:
        if not self.applied and self._run("redo", self.command.apply):
            self.applied = True
        self._taken: Changes | None = None

    @qt_override()
    def undo(self) -> None:
        if self.applied and self._run("undo", self.command.revert):
            self.applied = False

    def take(self, changes: Changes) -> None:
        """The next undo or redo was carried out elsewhere (a worker) with these changes."""
        self._taken = changes

    def _run(self, verb: str, step: Callable[[Project], Changes]) -> bool:
        """Run the step (or take the changes a worker's run of it made) and announce its
        changes; False (reported) when it did not happen. No exception escapes: this runs
        inside Qt virtuals (docs/architecture.md)."""
        try:
            taken, self._taken = self._taken, None
            changes = taken if taken is not None else carried_out(self._project, step)
        except Exception as exc:
            if not isinstance(exc, AnnotatorError):
                log.exception("%s failed", verb)
            self._on_error(f"Cannot {verb} {self.text()}: {exc}")
            return False
        try:
            self._on_changes(changes)
        except Exception:
            log.exception("showing the changes of %s failed", verb)
        return True
