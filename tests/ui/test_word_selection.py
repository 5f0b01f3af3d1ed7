"""Double-clicking a word in the article: a possessive 's / ’s is not part of the span."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

TEXT = "Azerbaijan's Ministry met O’Brien’s aides 🚀 and the AZERBAIJAN’S navy; O'Brien left."


@pytest.fixture(params=[True, False], ids=["snap", "no-snap"])
def window(request, qtbot, project):
    project.add_document(TEXT, "Possessives")
    settings = Settings(snap_to_words=request.param, auto_suggest=False)
    win = MainWindow(Workspace(project, "alice"), settings, lambda *args: None)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitActive(win):
        win.activateWindow()
    win.article.setFocus()
    return win


def double_click(qtbot, win: MainWindow, qt_position: int) -> None:
    """A real double-click on the character at Qt position `qt_position`."""
    cursor = QTextCursor(win.article.document())
    cursor.setPosition(qt_position)
    rect = win.article.cursorRect(cursor)
    point = rect.center()
    point.setX(point.x() + 3)  # inside the character after the caret gap
    qtbot.mouseDClick(win.article.viewport(), Qt.MouseButton.LeftButton, pos=point)


@pytest.mark.parametrize(
    ("clicked", "stored"),
    [
        ("Azerbaijan's", "Azerbaijan"),
        ("O’Brien’s", "O’Brien"),
        ("AZERBAIJAN’S", "AZERBAIJAN"),
        ("Ministry", "Ministry"),
        ("O'Brien left", "O'Brien"),  # an inner apostrophe is not a possessive
    ],
)
def test_double_click_then_hotkey_stores_the_word_without_its_possessive(
    qtbot, window, clicked, stored
):
    at = window.article.offsets.to_qt(TEXT.index(clicked) + 3)
    double_click(qtbot, window, at)
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    (span,) = window.workspace.project.spans(window.workspace.document.id, "alice")
    assert TEXT[span.start : span.end] == stored
