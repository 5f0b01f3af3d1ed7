"""A window-modal progress dialog bound to one background task (TaskHandle)."""

from __future__ import annotations

import logging

from PySide6.QtCore import SIGNAL, SLOT, QObject, Qt
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QProgressBar, QProgressDialog, QPushButton, QWidget

from annotator.ui.guard import qt_override
from annotator.ui.workers import TaskHandle

log = logging.getLogger(__name__)

SHOW_AFTER_MS = 300
"""Quick tasks finish before this and never flash a dialog."""


class TaskProgressDialog(QProgressDialog):
    """Shows a task's title and "n of m"; Cancel asks the task to stop; closes when it finishes.

    It closes on the handle's `ending`, before `succeeded`/`failed` reach anyone: a result box
    (a nested event loop) then never opens while this dialog's show timer is still armed.
    """

    def __init__(
        self,
        handle: TaskHandle,
        parent: QWidget | None = None,
        *,
        label: str | None = None,
        show_after_ms: int = SHOW_AFTER_MS,
    ) -> None:
        super().__init__(parent)
        self.handle = handle
        self._label = label or handle.title or "Working…"
        self.setWindowTitle(handle.title or "Working")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setAutoClose(False)
        self.setAutoReset(False)
        # The bar is updated directly: QProgressDialog.setValue runs processEvents() on modal
        # dialogs, which would re-enter our slots. setValue is called once, to arm the timer
        # that shows the dialog after show_after_ms.
        self._bar = QProgressBar(self)
        self.setBar(self._bar)
        self.cancel_button = QPushButton("Cancel", self)
        self.setCancelButton(self.cancel_button)
        self.setRange(0, 0)
        self.setLabelText(self._label)
        self.setMinimumDuration(show_after_ms)
        self.setValue(0)
        # Keep the dialog up while the task winds down instead of hiding at once.
        QObject.disconnect(self, SIGNAL("canceled()"), self, SLOT("cancel()"))
        self.canceled.connect(self._on_dialog_canceled)
        handle.progressed.connect(self._on_handle_progressed)
        handle.ending.connect(self._on_handle_ending)
        if handle.is_done():
            self._on_handle_ending()

    def _on_handle_progressed(self, done: int, total: int) -> None:
        if self.handle.is_cancelled():
            return
        if total > 0:
            self._bar.setRange(0, total)
            self._bar.setValue(min(done, total))
            self.setLabelText(f"{self._label}\n{done:,} of {total:,}")
        else:
            self._bar.setRange(0, 0)
            self.setLabelText(f"{self._label}\n{done:,} done")

    def _on_dialog_canceled(self) -> None:
        if self.handle.is_done():
            return
        self.handle.cancel()
        self.setLabelText(f"{self._label}\nCancelling…")
        self.cancel_button.setText("Cancelling…")
        self.cancel_button.setEnabled(False)

    def _on_handle_ending(self) -> None:
        self.reset()  # stops the show timer, so a quick task never shows the dialog
        self.hide()
        if self.parent() is not None:
            self.deleteLater()

    @qt_override()
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window while the task runs means Cancel (the task may take a moment)."""
        if not self.handle.is_done():
            self._on_dialog_canceled()
        event.accept()

    @qt_override()
    def reject(self) -> None:
        """Escape means Cancel; the dialog stays until the task has stopped."""
        if self.handle.is_done():
            super().reject()
        else:
            self._on_dialog_canceled()
