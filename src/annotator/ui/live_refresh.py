"""Picks up work written elsewhere: other clients of a server project, or another process on
the same SQLite file (a CLI import, a second app). A light periodic check, no reload.

On a timer a background task asks whether anyone else committed (SQLite's `data_version`,
one statement) and, if so, compares the project's change markers (core.activity) with the last
ones seen. Documents whose markers moved are announced as `Changes`, so the navigator rows, the
open article and the status bar refresh as after a local edit; when documents were added or
removed, `document_list_changed` asks for the list to be read again. When the open document
is among them, its layer and relations are read again and the difference announced span by
span and relation by relation (the same annotator may be editing it in a second app); right
after this window's own edits of it, that waits for a check with none in between. (Own edits
move the markers too; announcing their documents again only re-reads those rows.)
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from annotator.core.activity import Activity, CommitWatch, poll_activity
from annotator.core.model import Changes, Span
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
        self._announcing = False
        self._watch: CommitWatch | None = None
        self._edited: set[int] = set()  # documents this window changed since the check began
        self._edited_before: frozenset[int] = frozenset()  # ... and before it began
        self._recheck: int | None = None  # the open document, to compare at the next check
        workspace.changes_applied.connect(self._on_workspace_changes_applied)
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
        self._edited_before, self._edited = frozenset(self._edited), set()
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
        doc = self.workspace.document
        record = Changes(documents=changed)
        if doc is not None and (doc.id in changed or doc.id == self._recheck):
            own = doc.id in self._edited_before or doc.id in self._edited
            self._recheck = doc.id if own else None  # then compare when own edits rest
            if not own:
                record = self._layer_changes(changed | {doc.id})
        if record.documents:
            self._announcing = True
            try:
                self.workspace.announce(record)
            finally:
                self._announcing = False

    def _layer_changes(self, documents: frozenset[int]) -> Changes:
        """The change record for `documents`, with how the open document's layer and its
        relations as stored now differ from the workspace's copy of them."""
        ws = self.workspace
        assert ws.document is not None
        stored = {s.id: s for s in ws.project.span_layer(ws.document.id, ws.annotator)}
        held = {s.id: s for s in ws.layer}
        added = tuple(i for i in stored if i not in held)
        updated = tuple(i for i in stored if i in held and _differ(stored[i], held[i]))
        linked = {r.id: r for r in ws.project.relations(ws.document.id, ws.annotator)}
        came = tuple(i for i, r in linked.items() if ws.relations.get(i) != r)
        return Changes(
            documents=documents,
            spans_added=added,
            spans_removed=tuple(i for i in held if i not in stored),
            spans_updated=updated,
            spans=tuple(stored[i] for i in added + updated),
            relations_added=came,
            relations_removed=tuple(i for i, r in ws.relations.items() if linked.get(i) != r),
            relations=tuple(linked[i] for i in came),
        )

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        if not self._announcing:
            self._edited |= changes.documents

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


def _differ(a: Span, b: Span) -> bool:
    """Whether two versions of a span differ in what a view shows."""
    return (a.label, a.start, a.end, a.note, a.source) != (
        b.label,
        b.start,
        b.end,
        b.note,
        b.source,
    )
