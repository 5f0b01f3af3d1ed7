"""The status bar: the one place that shows messages, and the permanent counts beside them.

Two kinds of message share the bar, in normal and in review mode alike: a *note* (something
happened: "Saved a copy", "No suggestions") shows for a few seconds; a *hint* (what the keys do
now: a selected span, the current suggestion, the current review candidate) stays while its
subject is current. A new message replaces the one shown, so none overlap; a hint is taken
down when its subject ends (`clear_hint`) or another document opens, so none linger, while a
note shown after it is left alone. A message longer than the room left of the counts ends in
"…" a gap before them (`MessageBar`), with the whole of it in its tooltip: cut off mid-word it
ran on into the counts ("…a label key Review: 0 / 1 documents adjudicated").
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QHelpEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QLabel, QStatusBar, QStyle, QStyleOption, QToolTip, QWidget

from annotator.core.model import Changes, Status
from annotator.core.project import DocumentFilter
from annotator.ui.guard import qt_override
from annotator.ui.plain import plain_label
from annotator.ui.workspace import Workspace

NOTE_MS = 4000
MESSAGE_GAP = 24
"""Pixels between the end of a message and the counts right of it."""


class MessageBar(QStatusBar):
    """A status bar that ends a message too long for its room in "…", MESSAGE_GAP before the
    permanent widgets, and shows the whole message as the tooltip of that room."""

    def message_area(self) -> QRect:
        """Where the message is written: from the left edge to a gap before the widgets."""
        direct = Qt.FindChildOption.FindDirectChildrenOnly
        shown = [w.x() for w in self.findChildren(QWidget, options=direct) if w.isVisible()]
        right = min(shown, default=self.width()) - MESSAGE_GAP
        return QRect(6, 0, max(right - 6, 0), self.height())

    def shown_message(self) -> str:
        """The message as written: elided to the room it has."""
        return self.fontMetrics().elidedText(
            self.currentMessage(), Qt.TextElideMode.ElideRight, self.message_area().width()
        )

    @qt_override()
    def paintEvent(self, event: QPaintEvent) -> None:
        if not self.currentMessage():
            super().paintEvent(event)
            return
        painter = QPainter(self)
        option = QStyleOption()
        option.initFrom(self)
        self.style().drawPrimitive(QStyle.PrimitiveElement.PE_PanelStatusBar, option, painter, self)
        painter.setPen(self.palette().windowText().color())
        flags = Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter
        painter.drawText(self.message_area(), int(flags), self.shown_message())

    @qt_override(fallback=False)
    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            message = self.currentMessage()
            if self.message_area().contains(event.pos()) and self.shown_message() != message:
                QToolTip.showText(event.globalPos(), message, self)
                return True
        return super().event(event)


class StatusBarController(QObject):
    """Messages and counts of one window's status bar."""

    def __init__(self, bar: QStatusBar, workspace: Workspace) -> None:
        super().__init__(bar)
        self.bar = bar
        self.workspace = workspace
        self._hint = ""
        self.spans = self._permanent(plain_label(parent=bar))
        self.progress = self._permanent(plain_label(parent=bar))
        self.annotator = self._permanent(plain_label(parent=bar))
        workspace.document_opened.connect(self._on_workspace_document_opened)
        workspace.noted.connect(self.note)
        self._document_status = Status.TODO  # of the open document, as last known
        self._done = self._total = 0  # documents the annotator has done, of all
        workspace.changes_applied.connect(self._on_workspace_changes_applied)

    def _permanent(self, label: QLabel) -> QLabel:
        self.bar.addPermanentWidget(label)
        return label

    def add_permanent(self, label: QLabel) -> None:
        """Show `label` among the counts, left of them (e.g. the review progress)."""
        self.bar.insertPermanentWidget(0, label)

    def note(self, text: str, timeout_ms: int = NOTE_MS) -> None:
        """Say that something happened; it goes away after `timeout_ms`."""
        self._hint = ""
        self.bar.showMessage(text, timeout_ms)

    def hint(self, text: str) -> None:
        """Say what the keys do with the current subject, until `clear_hint` or another one."""
        self._hint = text
        self.bar.showMessage(text)

    def clear_hint(self) -> None:
        """The hint's subject ended: take the hint down (a newer note stays)."""
        if self._hint and self.bar.currentMessage() == self._hint:
            self.bar.clearMessage()
        self._hint = ""

    def refresh(self, *_args) -> None:
        """Show the current annotator, the documents done and the open document's spans."""
        ws = self.workspace
        self._done = ws.project.count_documents(
            DocumentFilter(annotator=ws.annotator, status=Status.DONE)
        )
        self._total = ws.project.count_documents()
        self.annotator.setText(
            f"Editing {ws.annotator}'s layer" + (" (read-only)" if ws.read_only else "")
        )
        if ws.document is not None:
            self._document_status = ws.project.status(ws.document.id, ws.annotator)
        self._show_counts()

    def _show_counts(self) -> None:
        self.progress.setText(f"{self._done} / {self._total} done")
        if self.workspace.document is None:
            self.spans.setText("")
        else:
            status = self._document_status.value.replace("_", " ")
            count = len(self.workspace.layer)
            self.spans.setText(f"{count} span{'' if count == 1 else 's'} · {status}")

    def _take_statuses(self, changes: Changes) -> None:
        """Follow the status values the record carries (no reading)."""
        ws = self.workspace
        for change in changes.statuses:
            if change.annotator != ws.annotator:
                continue
            self._done += (change.now is Status.DONE) - (change.was is Status.DONE)
            if ws.document is not None and change.document_id == ws.document.id:
                self._document_status = change.now

    def _on_workspace_changes_applied(self, changes: Changes) -> None:
        carried = {(change.document_id, change.annotator) for change in changes.statuses}
        spans = changes.spans_added or changes.spans_removed or changes.spans_updated
        relations = changes.relations_added or changes.relations_removed or changes.relation_types
        if changes.states - carried or not (
            spans or relations or carried or changes.labels or changes.suggestions
        ):
            self.refresh()  # statuses without values, or documents added or merged
        else:
            self._take_statuses(changes)
            self._show_counts()

    def _on_workspace_document_opened(self, _document) -> None:
        self.clear_hint()
        self.refresh()
