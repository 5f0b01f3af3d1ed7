"""Accept All runs in the background: the window keeps handling events, a progress dialog shows
after 300 ms, Cancel stores nothing, and the result is one undo step (its undo and redo:
test_bulk_undo.py)."""

from __future__ import annotations

import re

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QProgressDialog

from annotator.core.model import NewSuggestion
from annotator.core.project.store import WRITE_LOCK
from annotator.core.settings import Settings
from annotator.ui.main_window import MainWindow
from annotator.ui.workspace import Workspace

SENTENCE = "Baykar sold TB2 drones to Poland, and Roketsan sold missiles to Turkey. "
WORDS = ("Baykar", "TB2", "Poland", "Roketsan", "Turkey")


@pytest.fixture
def doc_id(project) -> int:
    text = SENTENCE * 200
    (doc,) = project.add_document(text, "long").documents
    items = [
        NewSuggestion(m.start(), m.end(), "ACTOR")
        for word in WORDS
        for m in re.finditer(word, text)
    ]
    project.store_suggestions(doc, "lexicon", items)
    return doc


@pytest.fixture
def win(qtbot, project, doc_id):
    window = MainWindow(Workspace(project, "alice"), Settings(auto_suggest=False), lambda *a: None)
    qtbot.addWidget(window)
    window.show()
    window.workspace.open_document(doc_id)
    yield window
    window.close()


def _pending(project, doc_id) -> int:
    return len(project.suggestions(doc_id, annotator="alice"))


def test_accept_all_keeps_the_loop_running_shows_progress_and_cancel_stores_nothing(
    qtbot, win, project, doc_id
):
    ticks: list[int] = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    with WRITE_LOCK:  # another write task holds the lock: the accept waits, cancellable
        win.actions_by_id["suggest.accept_all"].trigger()
        dialog = win.accept_all.progress_dialog
        qtbot.waitUntil(dialog.isVisible, timeout=3000)  # shown after 300 ms
        assert len(ticks) >= 10  # the event loop kept running meanwhile
        assert dialog.labelText() == "Accepting 1,000 suggestions…"
        dialog.cancel_button.click()
    qtbot.waitUntil(win.accept_all.handle.is_done)
    timer.stop()
    shown = [w for w in QApplication.topLevelWidgets() if w.isVisible()]
    assert not [w for w in shown if isinstance(w, QProgressDialog)]
    assert project.spans(doc_id, "alice") == [] and _pending(project, doc_id) == 1000
    assert win.workspace.undo_stack.count() == 0
    assert win.statusBar().currentMessage() == "Accept All cancelled; nothing was stored."


def test_accept_all_is_one_undo_step(qtbot, win, project, doc_id):
    win.actions_by_id["suggest.accept_all"].trigger()
    qtbot.waitUntil(win.accept_all.handle.is_done, timeout=10000)
    assert len(project.spans(doc_id, "alice")) == 1000 and _pending(project, doc_id) == 0
    assert len(win.workspace.layer) == 1000  # the open article shows them
    assert win.actions_by_id["edit.undo"].text().endswith("Accept 1,000 suggestions")
    assert win.workspace.undo_stack.count() == 1 and win.workspace.background is None
