"""Keys reach the window again when one of its dialogs closes, with or without a window manager.

Closing a dialog that had the focus leaves no window of the app active until a window manager
activates another one; without one (a bare X server, some kiosk set-ups) nobody does, and Qt
delivers no shortcut (F8, the label keys, Ctrl+Z) until the user clicks the window. When the
focus leaves a dialog of `window` because the dialog closed, and no other window took it, the
nearest still visible window it was opened over is made active again; Qt then gives the focus
back to the widget of that window that had it (the article).

A dialog can also be activated and close again without its own widgets ever taking the focus
(a result box answered with a click at once, on a loaded machine): no focus change then marks
its closing. So every window opened over `window` that becomes active is watched, and its
deactivation is checked the same way (a message box is deleted without a Hide event).
"""

from __future__ import annotations

from collections.abc import Iterator

import shiboken6
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget

from annotator.ui.guard import qt_override


class FocusReturn(QObject):
    """Gives the activation back to `window` (or to a dialog of it still open) when a dialog
    opened over it closes with the focus and leaves no window active."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self._window = window
        self._closing: QWidget | None = None  # the window that just lost the focus
        self._below: list[QWidget] = []  # the windows it was opened over, nearest first
        self._check = QTimer(self)
        self._check.setSingleShot(True)
        self._check.setInterval(0)  # once the dialog has finished hiding
        self._check.timeout.connect(self._return_focus)
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._on_app_focus_changed)
        app.focusWindowChanged.connect(self._on_app_focus_window_changed)

    def _on_app_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        if new is None and old is not None and shiboken6.isValid(old):
            self._closed(old.window())

    def _on_app_focus_window_changed(self, _window: object) -> None:
        active = QApplication.activeWindow()
        if active is not None and self._window in windows_below(active):
            active.installEventFilter(self)  # its deactivation is checked (installed once)

    @qt_override(False)
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.WindowDeactivate and isinstance(watched, QWidget):
            self._closed(watched)  # closing (a box is deleted without a Hide) or left for another
        return False

    def _closed(self, window: QWidget) -> None:
        """`window` lost the focus or the activation: check once the event loop is back."""
        self._closing = window
        self._below = list(windows_below(window))
        self._check.start()

    def _return_focus(self) -> None:
        closing, below = self._closing, self._below
        self._closing, self._below = None, []
        if QApplication.activeWindow() is not None or self._window not in below:
            return  # another window took the activation (a new dialog, or the user's choice)
        if shiboken6.isValid(closing) and closing.isVisible():
            return  # the focus went to another program while the dialog stayed open
        shown = (w for w in below if shiboken6.isValid(w) and w.isVisible())
        target = next(shown, None)
        if target is not None:
            target.activateWindow()


def windows_below(window: QWidget) -> Iterator[QWidget]:
    """The windows `window` was opened over (its parent's window, and so on), nearest first."""
    parent = window.parentWidget()
    while parent is not None:
        window = parent.window()
        yield window
        parent = window.parentWidget()
