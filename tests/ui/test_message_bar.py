"""A status-bar message too long for its room ends in "…" a gap before the counts beside it (in
review mode a hint cut off mid-word ran on into "Review: 0 / 1 documents adjudicated", which read
as one overlapping sentence); the whole message stays what the bar holds and is its tooltip."""

from __future__ import annotations

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QEvent, QPoint
from PySide6.QtGui import QHelpEvent
from PySide6.QtWidgets import QApplication, QLabel, QToolTip

from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.status_bar import MESSAGE_GAP
from annotator.ui.workspace import Workspace

HINT = (
    "ACTOR marked by bob (disagreement): Shift+Enter accepts into gold, a label key accepts "
    "with that label, Shift+Backspace rejects, F8 goes to the next disagreement, Ctrl+Shift+G "
    "accepts every agreed span of the document"
)


@pytest.fixture
def bar(qtbot, project):
    (doc,) = project.add_document("Baykar sold TB2 drones to Poland.", "one").documents
    win = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(win)
    win.resize(1024, 700)
    win.show()
    qtbot.waitExposed(win)
    win.workspace.open_document(doc)
    win.status.hint(HINT)
    yield win.statusBar()
    win.close()


def test_a_long_message_ends_a_gap_before_the_counts(qtbot, bar):
    assert bar.currentMessage() == HINT  # what the controllers read stays whole
    counts = min(label.x() for label in bar.findChildren(QLabel) if label.isVisible())
    image = bar.grab().toImage()
    background = image.pixelColor(2, image.height() // 2).lightness()
    ink = [
        x
        for x in range(counts - MESSAGE_GAP + 2, counts)
        for y in range(image.height())
        if abs(image.pixelColor(x, y).lightness() - background) > 60
    ]
    assert ink == [], "the message runs on into the counts"
    written = [
        x
        for x in range(6, counts - MESSAGE_GAP)
        if any(
            abs(image.pixelColor(x, y).lightness() - background) > 60 for y in range(image.height())
        )
    ]
    assert written, "no message written"
    assert bar.shown_message().endswith("…") and HINT.startswith(bar.shown_message()[:-1])


def test_the_whole_message_is_the_tooltip_of_its_room(qtbot, bar):
    shown: list[str] = []
    place = QPoint(20, bar.height() // 2)
    help_event = QHelpEvent(QEvent.Type.ToolTip, place, bar.mapToGlobal(place))
    QApplication.sendEvent(bar, help_event)
    shown.append(QToolTip.text())
    QToolTip.hideText()
    assert shown == [HINT]
