"""Picks up work written elsewhere: other clients of a server project, or another process on
the same SQLite file (a CLI import, a second app). A light periodic check, no reload.

On a timer a background task asks whether anyone else committed (SQLite's `data_version`,
one statement) and, if so, compares the project's change markers (core.activity) with the last
ones seen. Documents whose markers moved are announced as `Changes`, so the navigator rows, the
open article and the status bar refresh as after a local edit; when documents were added or
removed, `document_list_changed` asks for the list to be read again. (This app's own edits
move the markers too; announcing their documents again only re-reads those rows.)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.activity import Activity, CommitWatch, poll_activity
from annotator.core.model import Changes
from annotator.ui.workers import TaskRunner
from annotator.ui.workspace import Workspace

log = logging.getLogger(__name__)
SERVER_POLL_MS = 5000
FILE_POLL_MS = 1500
"""A SQLite file is checked more often: an idle check is one PRAGMA on a held connection."""


class LiveRefresh(QObject):
    """Polls the workspace's project in `runner` every `interval_ms` while running."""

    document_list_changed = Signal()

    def __init__(
        self, workspace: Workspace, runner: TaskRunner, interval_ms: int | None = None
    ) -> None:
        super().__init__(workspace)
        self.workspace = workspace
        self.runner = runner
        self.seen: Activity | None = None
        self._busy = False
        self._watch: CommitWatch | None = None
        on_server = workspace.project.path is None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms or (SERVER_POLL_MS if on_server else FILE_POLL_MS))
        self.timer.timeout.connect(self.poll)

    def start(self) -> None:
        """Take the current state as seen, then poll periodically."""
        self._watch = CommitWatch(self.workspace.project.read_engine)
        self.poll()
        self.timer.start()

    def stop(self) -> None:
        """Stop polling and give the watch's connection back (before the project closes)."""
        self.timer.stop()
        if self._watch is not None and not self._busy:
            self._watch.close()
            self._watch = None

    def poll(self) -> None:
        """One check in the background (skipped while the previous one still runs)."""
        if self._busy or self._watch is None:
            return
        self._busy = True
        handle = self.runner.submit(
            poll_activity, self.workspace.project, self.seen, self._watch, title=""
        )
        handle.succeeded.connect(self._on_polled)
        handle.failed.connect(self._on_failed)

    def _on_polled(self, result: tuple[Activity, frozenset[int]]) -> None:
        if self._stopped_meanwhile():
            return
        before = self.seen
        self.seen, changed = result
        if before is not None and self.seen.listed_differently(before):
            self.document_list_changed.emit()
        if changed:
            self.workspace.announce(Changes(documents=changed))

    def _on_failed(self, exc: object) -> None:
        if self._stopped_meanwhile():
            return
        log.info("could not check the project for changes (will retry): %s", exc)

    def _stopped_meanwhile(self) -> bool:
        """End a check; True (and the watch given back) when polling stopped during it."""
        self._busy = False
        if self.timer.isActive():
            return False
        self.stop()
        return True
