"""Move the project's WAL into its file when the user pauses, so the .db alone holds every edit.

While the app runs, SQLite keeps recent commits in `NAME.db-wal`; someone copying or e-mailing
the `.db` alone would miss them. A few seconds after the last change (an edit, an undo, a
background task's result) and once after opening (a WAL left by a crash), the project is
checkpointed (Project.checkpoint: SQLite's PASSIVE checkpoint, which never waits on the GUI
thread). A checkpoint another connection kept from finishing is tried again a few times.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer

from annotator.ui.workspace import Workspace

IDLE_MS = 3_000
RETRIES = 3


class IdleCheckpoint(QObject):
    """Checkpoints `workspace.project` IDLE_MS after the last announced change."""

    def __init__(
        self, workspace: Workspace, parent: QObject | None = None, *, idle_ms: int = IDLE_MS
    ) -> None:
        super().__init__(parent)
        self._workspace = workspace
        self._retries_left = RETRIES
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(idle_ms)
        self.timer.timeout.connect(self._checkpoint)
        workspace.changes_applied.connect(self._on_changes)
        if not workspace.read_only:
            self.timer.start()

    def _on_changes(self, _changes: object) -> None:
        if not self._workspace.read_only:
            self._retries_left = RETRIES
            self.timer.start()

    def _checkpoint(self) -> None:
        if not self._workspace.project.checkpoint() and self._retries_left > 0:
            self._retries_left -= 1
            self.timer.start()
