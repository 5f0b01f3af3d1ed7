"""Picks up other annotators' work on a server project: a light periodic query, no reload.

Every few seconds a background task compares the project's change marker (core.activity) with
the last one seen; when it moved, the documents whose markers moved are announced as `Changes`,
so the navigator rows, the review view and the status bar refresh as after a local edit.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer

from annotator.core.activity import Activity, poll_activity
from annotator.core.model import Changes
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
POLL_MS = 5000


class LiveRefresh(QObject):
    """Polls the workspace's project in `runner` every `interval_ms` while running."""

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, interval_ms: int = POLL_MS
    ) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.runner = runner
        self.seen: Activity | None = None
        self._busy = False
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Take the current state as seen, then poll periodically."""
        self.poll()
        self.timer.start()

    def poll(self) -> None:
        """One check in the background (skipped while the previous one still runs)."""
        if self._busy:
            return
        self._busy = True
        handle = self.runner.submit(poll_activity, self.workspace.project, self.seen, title="")
        handle.succeeded.connect(self._on_polled)
        handle.failed.connect(self._on_failed)

    def _on_polled(self, result: tuple[Activity, frozenset[int]]) -> None:
        self._busy = False
        self.seen, changed = result
        if changed:
            self.workspace.announce(Changes(documents=changed))

    def _on_failed(self, exc: object) -> None:
        self._busy = False
        log.info("could not check the server for changes (will retry): %s", exc)
