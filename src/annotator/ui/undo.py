"""One generic QUndoCommand that runs a core command (apply on redo, revert on undo)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from PySide6.QtGui import QUndoCommand

from annotator.core.commands import Command
from annotator.core.model import Changes
from annotator.core.project import Project

log = logging.getLogger(__name__)


class CoreUndoCommand(QUndoCommand):
    """Adapts a core command to QUndoStack. It is pushed after its first apply succeeded, so
    the stack's initial redo() does nothing; later redo/undo call apply/revert."""

    def __init__(
        self,
        project: Project,
        command: Command,
        on_changes: Callable[[Changes], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(command.text)
        self._project = project
        self._command = command
        self._on_changes = on_changes
        self._on_error = on_error
        self._applied = True

    def redo(self) -> None:
        if self._applied:
            return
        self._run(self._command.apply)
        self._applied = True

    def undo(self) -> None:
        self._run(self._command.revert)
        self._applied = False

    def _run(self, step: Callable[[Project], Changes]) -> None:
        try:
            self._on_changes(step(self._project))
        except Exception as exc:  # never let an exception escape a Qt virtual (DESIGN.md)
            log.exception("undo/redo failed")
            self._on_error(exc)
